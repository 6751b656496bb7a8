/* rpmem_test.h -- helpers of the librpmem tests: the fake daemon through the local ssh stand-in, pools, zombies */
#ifndef RPMEM_TEST_H
#define RPMEM_TEST_H 1

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <librpmem.h>

#include "test_common.h"

#define assert_errormsg(s) assert_string_equal(rpmem_errormsg(), (s))
#define assert_errormsg_has(s) do { \
	if (strstr(rpmem_errormsg(), (s)) == NULL) \
		fail_msg("message '%s' lacks '%s'", rpmem_errormsg(), (s)); \
} while (0)

/* runs the fake daemon in the given mode through the local ssh stand-in */
static inline void
use_fake_rpmemd(const char *mode)
{
	char cmd[4096];
	snprintf(cmd, sizeof(cmd), "%s %s", FAKE_RPMEMD, mode);
	setenv("RPMEM_SSH", RPMEM_SSH_LOCAL, 1);
	setenv("RPMEM_CMD", cmd, 1);
}

/* every child the library started was reaped */
static inline void
assert_no_child_left(void)
{
	errno = 0;
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

/* a page-aligned local pool */
static inline void *
map_pool(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(p != MAP_FAILED);
	return p;
}

#endif /* RPMEM_TEST_H */
