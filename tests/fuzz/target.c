/* target.c -- libFuzzer target: rpmem target strings "[user@]host[:port]" through target_parse */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "target.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* a part handed to ssh never starts with '-' and fits its array */
static void
check_part(const char *s, size_t max)
{
	FUZZ_ASSERT(memchr(s, '\0', max) != NULL);
	FUZZ_ASSERT(s[0] != '-');
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* target_parse takes a C string: an embedded NUL ends it, as it would in argv */
	char *s = malloc(size + 1);
	FUZZ_ASSERT(s != NULL);
	memcpy(s, data, size);
	s[size] = '\0';
	struct target t;
	fuzz_clear_err();
	int ret = target_parse(s, &t);
	fuzz_check_result("target_parse", ret);
	if (ret == 0) {
		check_part(t.user, sizeof(t.user));
		check_part(t.node, sizeof(t.node));
		check_part(t.service, sizeof(t.service));
		FUZZ_ASSERT(t.node[0] != '\0');
		FUZZ_ASSERT(t.port <= 65535);
		FUZZ_ASSERT((t.port == 0) == (t.service[0] == '\0'));
	}
	free(s);
	return 0;
}
