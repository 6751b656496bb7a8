/* closed_std_fds.c -- a program that closed its standard descriptors still gets a working ssh child (its channel lands on fds 0 and 1) */
#include <fcntl.h>

#include "rpmem_test.h"

#define POOL_SIZE (64 * 1024)

static void *Pool;

static int
setup(void **state)
{
	(void)state;
	Pool = map_pool(POOL_SIZE);
	use_fake_rpmemd("serve");
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

/* what a session did while the standard descriptors were closed */
struct outcome {
	int create_errno;
	int persist_ret, close_ret;
	char msg[1024];
};

/*
 * create, persist and close with the descriptors of fds closed, restored
 * only afterwards: the library's own descriptors then sit on them
 */
static void
session_with_closed(const int *fds, int n, struct outcome *o)
{
	int saved[3];
	for (int i = 0; i < n; i++) {
		saved[i] = fcntl(fds[i], F_DUPFD_CLOEXEC, 10);
		assert_true(saved[i] >= 10);
		close(fds[i]);
	}
	memset(o, 0, sizeof(*o));
	o->persist_ret = o->close_ret = -2;
	unsigned nlanes = 1;
	RPMEMpool *rpp = rpmem_create("127.0.0.1", "pool.set", Pool, POOL_SIZE,
		&nlanes, NULL);
	o->create_errno = rpp ? 0 : errno;
	if (rpp) {
		((uint8_t *)Pool)[0] = 42;
		o->persist_ret = rpmem_persist(rpp, 0, 8, 0, 0);
		if (o->persist_ret == 0)
			o->close_ret = rpmem_close(rpp);
		else
			rpmem_close(rpp);
	}
	snprintf(o->msg, sizeof(o->msg), "%s", rpmem_errormsg());
	for (int i = 0; i < n; i++) {
		dup2(saved[i], fds[i]);
		close(saved[i]);
	}
}

static void
check(const int *fds, int n)
{
	struct outcome o;
	session_with_closed(fds, n, &o);
	if (o.create_errno == ENOMEDIUM)
		SKIP_BECAUSE("the tcp provider is not available");
	if (o.create_errno)
		fail_msg("create: %s", o.msg);
	if (o.persist_ret)
		fail_msg("persist: %s", o.msg);
	if (o.close_ret)
		fail_msg("close: %s", o.msg);
	assert_no_child_left();
}

static void
create_works_with_stdin_and_stdout_closed(void **state)
{
	(void)state;
	static const int fds[] = { 0, 1 };
	check(fds, 2);
}

static void
create_works_with_all_three_standard_fds_closed(void **state)
{
	(void)state;
	static const int fds[] = { 0, 1, 2 };
	check(fds, 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(create_works_with_stdin_and_stdout_closed),
		cmocka_unit_test(create_works_with_all_three_standard_fds_closed),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
