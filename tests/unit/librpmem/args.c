/* args.c -- argument errors of rpmem_create/open/remove and rpmem_check_version: exact errno and message, nothing started */
#include "rpmem_test.h"

#define POOL_SIZE (64 * 1024)

static void *Pool;

static int
setup(void **state)
{
	(void)state;
	Pool = map_pool(POOL_SIZE);
	/* a daemon that would fail loudly if any of these calls got so far */
	setenv("RPMEM_SSH", "/nonexistent/ssh", 1);
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
check_version_accepts_1_0_to_1_3(void **state)
{
	(void)state;
	for (unsigned minor = 0; minor <= 3; minor++)
		assert_null(rpmem_check_version(1, minor));
}

static void
check_version_names_the_mismatch(void **state)
{
	(void)state;
	assert_string_equal(rpmem_check_version(2, 0),
		"librpmem major version mismatch (need 2, found 1)");
	assert_string_equal(rpmem_check_version(0, 0),
		"librpmem major version mismatch (need 0, found 1)");
	assert_string_equal(rpmem_check_version(1, 4),
		"librpmem minor version mismatch (need 4, found 3)");
	assert_errormsg("librpmem minor version mismatch (need 4, found 3)");
}

/* both create and open fail with errno and message, and start nothing */
static void
expect_einval(const char *target, const char *set, void *addr, size_t size,
	unsigned *nlanes, int errnum, const char *create_msg)
{
	char open_msg[1024];
	snprintf(open_msg, sizeof(open_msg), "rpmem_open%s",
		create_msg + strlen("rpmem_create"));
	errno = 0;
	assert_null(rpmem_create(target, set, addr, size, nlanes, NULL));
	assert_int_equal(errno, errnum);
	assert_errormsg(create_msg);
	errno = 0;
	assert_null(rpmem_open(target, set, addr, size, nlanes, NULL));
	assert_int_equal(errno, errnum);
	assert_errormsg(open_msg);
	assert_no_child_left();
}

static void
create_and_open_check_their_arguments_in_order(void **state)
{
	(void)state;
	unsigned n = 4, zero = 0;
	char *p = Pool;
	expect_einval(NULL, "pool.set", p, POOL_SIZE, &n, EINVAL,
		"rpmem_create: target is NULL");
	expect_einval("localhost", NULL, p, POOL_SIZE, &n, EINVAL,
		"rpmem_create: pool_set_name is NULL");
	expect_einval("localhost", "pool.set", NULL, POOL_SIZE, &n, EINVAL,
		"rpmem_create: pool_addr is NULL");
	char msg[256];
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	snprintf(msg, sizeof(msg), "rpmem_create: pool_addr %p is not aligned "
		"to the page size %zu", (void *)(p + 8), page);
	expect_einval("localhost", "pool.set", p + 8, POOL_SIZE, &n, EINVAL, msg);
	expect_einval("localhost", "pool.set", p, 0, &n, EINVAL,
		"rpmem_create: pool_size is 0");
	snprintf(msg, sizeof(msg), "rpmem_create: pool_size %zu is not a "
		"multiple of the page size %zu", page + 1, page);
	expect_einval("localhost", "pool.set", p, page + 1, &n, EINVAL, msg);
	/* PMDK read *nlanes before this check and crashed */
	expect_einval("localhost", "pool.set", p, POOL_SIZE, NULL, EINVAL,
		"rpmem_create: nlanes is NULL");
	expect_einval("localhost", "pool.set", p, POOL_SIZE, &zero, EINVAL,
		"rpmem_create: *nlanes is 0");
	expect_einval("localhost", "", p, POOL_SIZE, &n, EINVAL,
		"rpmem_create: pool_set_name is empty");
	char longname[1100];
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	expect_einval("localhost", longname, p, POOL_SIZE, &n, ENAMETOOLONG,
		"rpmem_create: pool_set_name is 1099 bytes long, at most 1024 "
		"are allowed");
	assert_int_equal(n, 4);
}

static void
bad_targets_fail_with_einval_naming_the_problem(void **state)
{
	(void)state;
	unsigned n = 1;
	expect_einval("host:", "pool.set", Pool, POOL_SIZE, &n, EINVAL,
		"rpmem_create: invalid port number -- ''");
	expect_einval("host:x1", "pool.set", Pool, POOL_SIZE, &n, EINVAL,
		"rpmem_create: invalid port number -- 'x1'");
	expect_einval("host:0", "pool.set", Pool, POOL_SIZE, &n, EINVAL,
		"rpmem_create: port number must be positive");
	expect_einval("host:65536", "pool.set", Pool, POOL_SIZE, &n, EINVAL,
		"rpmem_create: port number too large");
	errno = 0;
	assert_null(rpmem_create("host;reboot", "pool.set", Pool, POOL_SIZE, &n,
		NULL));
	assert_int_equal(errno, EINVAL);
	assert_errormsg_has("rpmem_create: ");
}

static void
remove_checks_flags_and_refuses_shell_characters(void **state)
{
	(void)state;
	errno = 0;
	assert_int_equal(rpmem_remove(NULL, "pool.set", 0), -1);
	assert_int_equal(errno, EINVAL);
	assert_errormsg("rpmem_remove: target is NULL");
	assert_int_equal(rpmem_remove("localhost", NULL, 0), -1);
	assert_int_equal(errno, EINVAL);
	assert_errormsg("rpmem_remove: pool_set is NULL");
	assert_int_equal(rpmem_remove("localhost", "pool.set", 4), -1);
	assert_int_equal(errno, EINVAL);
	assert_errormsg("rpmem_remove: unknown flags 0x4");
	assert_int_equal(rpmem_remove("localhost", "", 0), -1);
	assert_errormsg("rpmem_remove: pool_set is empty");

	static const char *const bad[] = { "a b.set", "a;reboot", "$(id)",
		"`id`", "a|b", "a&b", "a>b", "x'y", "x\"y", "a\nb", "-rf", "*.set" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		assert_int_equal(rpmem_remove("localhost", bad[i], 0), -1);
		assert_int_equal(errno, EINVAL);
		char msg[512];
		snprintf(msg, sizeof(msg), "rpmem_remove: pool_set '%s' holds a "
			"character the remote shell would interpret (allowed: letters, "
			"digits and ._-/+,=@%%:, not starting with '-')", bad[i]);
		assert_errormsg(msg);
	}
	assert_int_equal(rpmem_remove("host:0", "pool.set", 0), -1);
	assert_int_equal(errno, EINVAL);
	assert_errormsg("rpmem_remove: port number must be positive");
	assert_no_child_left();
}

static void
no_enabled_provider_fails_with_enomedium(void **state)
{
	(void)state;
	setenv("RPMEM_ENABLE_TCP", "0", 1);
	setenv("RPMEM_ENABLE_VERBS", "0", 1);
	unsetenv("RPMEM_ENABLE_SOCKETS");
	unsetenv("RPMEM_PROVIDER");
	unsigned n = 1;
	errno = 0;
	assert_null(rpmem_create("127.0.0.1", "pool.set", Pool, POOL_SIZE, &n, NULL));
	assert_int_equal(errno, ENOMEDIUM);
	assert_errormsg("rpmem_create: no enabled libfabric provider (none) can "
		"reach 127.0.0.1");
	setenv("RPMEM_ENABLE_SOCKETS", "maybe", 1);
	assert_null(rpmem_create("127.0.0.1", "pool.set", Pool, POOL_SIZE, &n, NULL));
	assert_int_equal(errno, EINVAL);
	assert_errormsg("rpmem_create: fabric: RPMEM_ENABLE_SOCKETS=maybe is not "
		"a boolean (0 or 1)");
	unsetenv("RPMEM_ENABLE_TCP");
	unsetenv("RPMEM_ENABLE_VERBS");
	unsetenv("RPMEM_ENABLE_SOCKETS");
	assert_no_child_left();
}

/* PMDK crashed on a NULL handle; here every call on a pool says so */
static void
every_call_on_a_null_pool_fails_with_einval(void **state)
{
	(void)state;
	char buf[8];
#define EXPECT_NULL_RPP(call, name) do { \
	errno = 0; \
	assert_int_equal((call), -1); \
	assert_int_equal(errno, EINVAL); \
	assert_errormsg(name ": rpp is NULL"); \
} while (0)
	EXPECT_NULL_RPP(rpmem_persist(NULL, 4096, 8, 0, 0), "rpmem_persist");
	EXPECT_NULL_RPP(rpmem_deep_persist(NULL, 4096, 8, 0), "rpmem_deep_persist");
	EXPECT_NULL_RPP(rpmem_flush(NULL, 4096, 8, 0, 0), "rpmem_flush");
	EXPECT_NULL_RPP(rpmem_drain(NULL, 0, 0), "rpmem_drain");
	EXPECT_NULL_RPP(rpmem_read(NULL, buf, 4096, 8, 0), "rpmem_read");
	EXPECT_NULL_RPP(rpmem_set_attr(NULL, NULL), "rpmem_set_attr");
	EXPECT_NULL_RPP(rpmem_close(NULL), "rpmem_close");
#undef EXPECT_NULL_RPP
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(check_version_accepts_1_0_to_1_3),
		cmocka_unit_test(check_version_names_the_mismatch),
		cmocka_unit_test(create_and_open_check_their_arguments_in_order),
		cmocka_unit_test(bad_targets_fail_with_einval_naming_the_problem),
		cmocka_unit_test(remove_checks_flags_and_refuses_shell_characters),
		cmocka_unit_test(no_enabled_provider_fails_with_enomedium),
		cmocka_unit_test(every_call_on_a_null_pool_fails_with_einval),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
