/* oob_failures.c -- ssh and rpmemd failing before the pool exists: clean errno and message, bounded, child reaped */
#include <fcntl.h>
#include <sys/stat.h>

#include "rpmem_test.h"

#define POOL_SIZE (64 * 1024)

static void *Pool;
static char Script[256];

static int
setup(void **state)
{
	(void)state;
	Pool = map_pool(POOL_SIZE);
	setenv("RPMEM_TIMEOUT_MS", "2000", 1);
	snprintf(Script, sizeof(Script), "%s/ssh_fails.sh", test_tmpdir());
	FILE *f = fopen(Script, "w");
	assert_non_null(f);
	fprintf(f, "#!/bin/sh\necho \"ssh: connect to host $3 port 22: "
		"Connection refused\" >&2\nexit 255\n");
	fclose(f);
	assert_int_equal(chmod(Script, 0700), 0);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	munmap(Pool, POOL_SIZE);
	return 0;
}

static RPMEMpool *
create(void)
{
	unsigned n = 2;
	errno = 0;
	RPMEMpool *rpp = rpmem_create("localhost", "pool.set", Pool, POOL_SIZE,
		&n, NULL);
	assert_int_equal(n, 2);
	return rpp;
}

static void
ssh_error_text_ends_up_in_the_message(void **state)
{
	(void)state;
	setenv("RPMEM_SSH", Script, 1);
	setenv("RPMEM_CMD", "rpmemd", 1);
	assert_null(create());
	assert_int_equal(errno, ECONNRESET);
	assert_errormsg("rpmem_create: cannot start rpmemd on localhost: ssh: "
		"connect to host localhost port 22: Connection refused (exit status "
		"255) -- rpmemd on localhost: HELLO: channel closed after 0 of 12 "
		"header bytes");
	assert_no_child_left();
}

static void
ssh_that_prints_nothing_fails_with_econnreset(void **state)
{
	(void)state;
	setenv("RPMEM_SSH", "false", 1);
	assert_null(create());
	assert_int_equal(errno, ECONNRESET);
	assert_errormsg_has("rpmem_create: cannot start rpmemd on localhost: "
		"exit status 1 -- ");
	assert_no_child_left();
}

static void
missing_ssh_program_fails_with_econnreset(void **state)
{
	(void)state;
	setenv("RPMEM_SSH", "/nonexistent/ssh", 1);
	assert_null(create());
	assert_int_equal(errno, ECONNRESET);
	assert_errormsg_has("rpmem_create: cannot start rpmemd on localhost: "
		"librpmem: cannot execute /nonexistent/ssh (exit status 127)");
	assert_no_child_left();
}

static void
daemon_that_exits_silently_fails_with_econnreset(void **state)
{
	(void)state;
	use_fake_rpmemd("nothing");
	assert_null(create());
	assert_int_equal(errno, ECONNRESET);
	assert_errormsg("rpmem_create: cannot start rpmemd on localhost: exit "
		"status 0 -- rpmemd on localhost: HELLO: channel closed after 0 of "
		"12 header bytes");
	assert_no_child_left();
}

static void
garbage_instead_of_hello_fails_with_eproto(void **state)
{
	(void)state;
	use_fake_rpmemd("garbage");
	assert_null(create());
	assert_int_equal(errno, EPROTO);
	assert_errormsg_has("rpmem_create: rpmemd on localhost: HELLO: frame: bad magic");
	assert_no_child_left();
}

static void
daemon_that_says_nothing_times_out(void **state)
{
	(void)state;
	setenv("RPMEM_TIMEOUT_MS", "200", 1);
	use_fake_rpmemd("silent");
	assert_null(create());
	assert_int_equal(errno, ETIMEDOUT);
	assert_errormsg("rpmem_create: cannot start rpmemd on localhost: exit "
		"status 0 -- rpmemd on localhost: HELLO: no frame within 200 ms: 0 "
		"of 12 header bytes received");
	assert_no_child_left();
	setenv("RPMEM_TIMEOUT_MS", "2000", 1);
}

static void
hello_with_a_failure_status_reports_the_daemons_reason(void **state)
{
	(void)state;
	use_fake_rpmemd("hello-fail");
	assert_null(create());
	assert_int_equal(errno, EREMOTEIO);
	assert_errormsg("rpmem_create: fake: /etc/rpmemd/rpmemd.conf line 3: "
		"unknown key 'dir' (rpmemd on localhost: status FATAL) -- ssh: exit "
		"status 1");
	assert_no_child_left();
}

static void
refused_create_and_open_map_the_status_to_errno(void **state)
{
	(void)state;
	use_fake_rpmemd("refuse");
	setenv("RPMEM_PROVIDER", "tcp", 1);
	assert_null(create());
	assert_int_equal(errno, EEXIST);
	assert_errormsg("rpmem_create: fake: pool set pool.set exists (rpmemd on "
		"localhost: status EXISTS) -- ssh: exit status 0");
	assert_no_child_left();
	unsigned n = 1;
	assert_null(rpmem_open("localhost", "pool.set", Pool, POOL_SIZE, &n, NULL));
	assert_int_equal(errno, EEXIST);
	assert_errormsg_has("rpmem_open: fake: pool set pool.set exists");
	assert_no_child_left();
	unsetenv("RPMEM_PROVIDER");
}

static void
remove_reports_the_exit_status_and_stderr(void **state)
{
	(void)state;
	use_fake_rpmemd("remove");
	assert_int_equal(rpmem_remove("localhost", "dir/pool.set",
		RPMEM_REMOVE_FORCE | RPMEM_REMOVE_POOL_SET), 0);
	assert_no_child_left();

	errno = 0;
	assert_int_equal(rpmem_remove("localhost", "missing", RPMEM_REMOVE_FORCE), -1);
	assert_int_equal(errno, ENOENT);
	char msg[4096];
	snprintf(msg, sizeof(msg), "rpmem_remove: '%s remove --remove missing "
		"--force' on localhost failed: fake_rpmemd: removing missing --force; "
		"fake_rpmemd: no pool set missing (exit status 2)", FAKE_RPMEMD);
	assert_errormsg(msg);
	assert_no_child_left();

	setenv("RPMEM_SSH", Script, 1);
	assert_int_equal(rpmem_remove("localhost", "pool.set", 0), -1);
	assert_int_equal(errno, ECONNRESET);
	assert_errormsg_has("failed: ssh: connect to host localhost port 22: "
		"Connection refused (exit status 255)");
	assert_no_child_left();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ssh_error_text_ends_up_in_the_message),
		cmocka_unit_test(ssh_that_prints_nothing_fails_with_econnreset),
		cmocka_unit_test(missing_ssh_program_fails_with_econnreset),
		cmocka_unit_test(daemon_that_exits_silently_fails_with_econnreset),
		cmocka_unit_test(garbage_instead_of_hello_fails_with_eproto),
		cmocka_unit_test(daemon_that_says_nothing_times_out),
		cmocka_unit_test(hello_with_a_failure_status_reports_the_daemons_reason),
		cmocka_unit_test(refused_create_and_open_map_the_status_to_errno),
		cmocka_unit_test(remove_reports_the_exit_status_and_stderr),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
