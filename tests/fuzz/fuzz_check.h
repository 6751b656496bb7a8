/* fuzz_check.h -- what every fuzz target asserts beyond "no crash": failures carry a message */
#ifndef TESTS_FUZZ_CHECK_H
#define TESTS_FUZZ_CHECK_H 1

#include <stdio.h>
#include <stdlib.h>

#include "err.h"

/*
 * A decoder returns 0 or a negative errno with a message naming what is
 * wrong (DESIGN rule for untrusted input); anything else is a bug we want
 * libFuzzer (and the replay test) to report as a crash.
 */
/* forgets the previous input's message, so that the next failure must record its own */
static inline void
fuzz_clear_err(void)
{
	err_set_quiet(0, "%s", "");
}

static inline void
fuzz_check_result(const char *what, int ret)
{
	if (ret > 0) {
		fprintf(stderr, "%s returned %d, not 0 or a negative errno\n", what, ret);
		abort();
	}
	if (ret < 0 && err_last()[0] == '\0') {
		fprintf(stderr, "%s failed (%d) without a message\n", what, ret);
		abort();
	}
}

#define FUZZ_ASSERT(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "%s:%d: fuzz assertion failed: %s\n", __FILE__, __LINE__, #cond); \
		abort(); \
	} \
} while (0)

#endif /* TESTS_FUZZ_CHECK_H */
