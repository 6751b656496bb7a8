/* stderr_chatter.c -- a daemon writing more than a socket buffer to stderr during a session is never blocked by the client */
#include "rpmem_test.h"

#define POOL_SIZE (64 * 1024)

static void *Pool;

static int
setup(void **state)
{
	(void)state;
	Pool = map_pool(POOL_SIZE);
	setenv("RPMEM_PROVIDER", "tcp", 1);
	setenv("RPMEM_TIMEOUT_MS", "3000", 1);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	munmap(Pool, POOL_SIZE);
	return 0;
}

static void
chatter_on_stderr_does_not_block_the_daemon(void **state)
{
	(void)state;
	use_fake_rpmemd("chatty");
	unsigned n = 1;
	RPMEMpool *rpp = rpmem_create("127.0.0.1", "pool.set", Pool, POOL_SIZE,
		&n, NULL);
	if (rpp == NULL && errno == ENOMEDIUM)
		SKIP_BECAUSE("the tcp provider is not available");
	if (rpp == NULL)
		fail_msg("create: %s", rpmem_errormsg());
	/* 64 KiB of stderr per request: 2 MiB in all */
	for (unsigned i = 0; i < 32; i++) {
		((uint8_t *)Pool)[i] = (uint8_t)i;
		if (rpmem_persist(rpp, i, 1, 0, 0))
			fail_msg("persist %u: %s", i, rpmem_errormsg());
	}
	if (rpmem_set_attr(rpp, NULL))
		fail_msg("set_attr: %s", rpmem_errormsg());
	if (rpmem_close(rpp))
		fail_msg("close: %s", rpmem_errormsg());
	assert_no_child_left();
}

static void
failure_message_keeps_the_last_line_of_a_long_stderr(void **state)
{
	(void)state;
	use_fake_rpmemd("chatty-fail");
	unsigned n = 1;
	errno = 0;
	assert_null(rpmem_create("127.0.0.1", "pool.set", Pool, POOL_SIZE, &n,
		NULL));
	assert_int_equal(errno, ECONNRESET);
	assert_errormsg_has("fake_rpmemd: the last word (exit status 1) -- "
		"rpmemd on 127.0.0.1: HELLO: channel closed after 0 of 12 header "
		"bytes");
	assert_no_child_left();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(chatter_on_stderr_does_not_block_the_daemon),
		cmocka_unit_test(failure_message_keeps_the_last_line_of_a_long_stderr),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
