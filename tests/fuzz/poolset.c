/* poolset.c -- libFuzzer target: pool set file text through poolset_parse, with and without a set directory */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "poolset.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* the invariants poolset.h promises of a parsed set */
static void
check_set(const struct poolset *set)
{
	FUZZ_ASSERT(set->nreplicas >= 1 && set->nreplicas <= POOLSET_MAX_REPLICAS);
	FUZZ_ASSERT(!set->replicas[0].remote);
	unsigned nparts = 0;
	for (unsigned r = 0; r < set->nreplicas; r++) {
		const struct poolset_replica *rep = &set->replicas[r];
		if (rep->remote) {
			FUZZ_ASSERT(rep->nparts == 0);
			FUZZ_ASSERT(rep->target != NULL && rep->set_name != NULL);
			continue;
		}
		FUZZ_ASSERT(rep->nparts >= 1);
		for (unsigned p = 0; p < rep->nparts; p++)
			FUZZ_ASSERT(rep->parts[p].path != NULL);
		nparts += rep->nparts;
	}
	FUZZ_ASSERT(nparts == set->nparts && nparts <= POOLSET_MAX_PARTS);
}

static void
parse_one(const char *text, size_t len, const char *set_dir)
{
	struct poolset *set = NULL;
	fuzz_clear_err();
	int ret = poolset_parse(text, len, set_dir, &set);
	fuzz_check_result("poolset_parse", ret);
	if (ret != 0) {
		FUZZ_ASSERT(set == NULL);
		return;
	}
	check_set(set);
	poolset_free(set);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* exactly size bytes: the text need not be NUL-terminated */
	char *text = malloc(size ? size : 1);
	FUZZ_ASSERT(text != NULL);
	memcpy(text, data, size);
	parse_one(text, size, NULL);
	parse_one(text, size, "/pools/set-dir");
	free(text);
	return 0;
}
