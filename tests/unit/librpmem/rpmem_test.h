/* rpmem_test.h -- helpers of the librpmem tests: the fake daemon through the local ssh stand-in, pools, zombies */
#ifndef RPMEM_TEST_H
#define RPMEM_TEST_H 1

#include <errno.h>
#include <stdint.h>
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

/* a pool with headers (create_attr given), served by the fake daemon over tcp */
struct fake_pool {
	uint8_t *pool;
	size_t size;
	RPMEMpool *rpp;		/* NULL when tcp is not available (the tests then skip) */
	unsigned nlanes;
};

/* for a cmocka setup: 0, or -1 when the create failed for another reason */
static inline int
fake_pool_create(struct fake_pool *f, const char *mode, size_t size, unsigned nlanes)
{
	use_fake_rpmemd(mode);
	setenv("RPMEM_PROVIDER", "tcp", 1);
	setenv("RPMEM_TIMEOUT_MS", "5000", 1);
	f->size = size;
	f->pool = map_pool(size);
	struct rpmem_pool_attr attr;
	memset(&attr, 0, sizeof(attr));
	memcpy(attr.signature, "TESTSIG", 8);
	f->nlanes = nlanes;
	f->rpp = rpmem_create("127.0.0.1", "pool.set", f->pool, size, &f->nlanes, &attr);
	if (f->rpp == NULL && errno == ENOMEDIUM) {
		print_message("SKIP: %s\n", rpmem_errormsg());
		return 0;
	}
	if (f->rpp == NULL)
		print_error("create failed: %s\n", rpmem_errormsg());
	return f->rpp ? 0 : -1;
}

/* for a cmocka teardown: closes, unmaps, and checks the ssh child was reaped */
static inline int
fake_pool_close(struct fake_pool *f)
{
	int ret = 0;
	if (f->rpp)
		ret = rpmem_close(f->rpp);
	munmap(f->pool, f->size);
	if (ret)
		print_error("close failed: %s\n", rpmem_errormsg());
	assert_no_child_left();
	return ret;
}

/* at the start of a test that needs the pool */
static inline void
fake_pool_need(const struct fake_pool *f)
{
	if (f->rpp == NULL)
		SKIP_BECAUSE("the tcp provider is not available");
}

#endif /* RPMEM_TEST_H */
