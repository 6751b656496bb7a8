/* connection.c -- open with and without headers, the sockets provider, and a daemon that dies: ECONNRESET, sticky, never a hang */
#include "rpmem_test.h"

#define POOL_SIZE (64 * 1024)
#define HDR 4096

static uint8_t *Pool;

static int
setup(void **state)
{
	(void)state;
	Pool = map_pool(POOL_SIZE);
	setenv("RPMEM_TIMEOUT_MS", "5000", 1);
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
open_pool(const char *mode, const char *provider, struct rpmem_pool_attr *attr)
{
	use_fake_rpmemd(mode);
	setenv("RPMEM_PROVIDER", provider, 1);
	if (strcmp(provider, "sockets") == 0)
		setenv("RPMEM_ENABLE_SOCKETS", "1", 1);
	unsigned n = 2;
	RPMEMpool *rpp = rpmem_open("127.0.0.1", "pool.set", Pool, POOL_SIZE, &n,
		attr);
	unsetenv("RPMEM_ENABLE_SOCKETS");
	if (rpp == NULL && errno == ENOMEDIUM)
		SKIP_BECAUSE("%s", rpmem_errormsg());
	if (rpp == NULL)
		fail_msg("open: %s", rpmem_errormsg());
	assert_int_equal(n, 2);
	return rpp;
}

static void
open_of_a_pool_with_headers_protects_them_even_without_open_attr(void **state)
{
	(void)state;
	struct rpmem_pool_attr attr;
	memset(&attr, 0xff, sizeof(attr));
	RPMEMpool *rpp = open_pool("serve-hdr", "tcp", &attr);
	assert_memory_equal(attr.signature, "FAKEHDR", 8);
	assert_int_equal(attr.major, 7);
	assert_int_equal(attr.compat_features, 0);
	assert_int_equal(rpmem_persist(rpp, 8, 8, 0, 0), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(rpmem_close(rpp), 0);

	/* PMDK lost the protection when open_attr was NULL */
	rpp = open_pool("serve-hdr", "tcp", NULL);
	assert_int_equal(rpmem_persist(rpp, 8, 8, 0, 0), -1);
	assert_int_equal(errno, EINVAL);
	assert_errormsg("rpmem_persist: offset 8 is inside the 4096-byte pool header");
	assert_int_equal(rpmem_deep_persist(rpp, 8, 8, 0), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(rpmem_close(rpp), 0);
	assert_no_child_left();
}

static void
pool_without_headers_accepts_every_offset(void **state)
{
	(void)state;
	struct rpmem_pool_attr attr;
	memset(&attr, 0xff, sizeof(attr));
	RPMEMpool *rpp = open_pool("serve", "tcp", &attr);
	static const struct rpmem_pool_attr zero;
	assert_memory_equal(&attr, &zero, sizeof(zero));
	test_fill_pattern(Pool, HDR, 5);
	for (size_t off = 0; off < HDR; off += 512)
		assert_int_equal(rpmem_persist(rpp, off, 8, 1, 0), 0);
	/* PMDK refused deep persist below 4096 even without headers */
	assert_int_equal(rpmem_deep_persist(rpp, 0, HDR, 0), 0);
	uint8_t buf[HDR];
	assert_int_equal(rpmem_read(rpp, buf, 0, HDR, 1), 0);
	assert_memory_equal(buf, Pool, HDR);
	assert_int_equal(rpmem_close(rpp), 0);
	assert_no_child_left();
}

static void
sockets_provider_persists_and_reads_back(void **state)
{
	(void)state;
	RPMEMpool *rpp = open_pool("serve", "sockets", NULL);
	test_fill_pattern(Pool, POOL_SIZE, 6);
	assert_int_equal(rpmem_persist(rpp, 0, 100, 0, 0), 0);
	assert_int_equal(rpmem_persist(rpp, 100, POOL_SIZE - 100, 1, 0), 0);
	assert_int_equal(rpmem_flush(rpp, 0, 8192, 0, 0), 0);
	assert_int_equal(rpmem_drain(rpp, 0, 0), 0);
	uint8_t *buf = malloc(POOL_SIZE);
	assert_int_equal(rpmem_read(rpp, buf, 0, POOL_SIZE, 0), 0);
	assert_memory_equal(buf, Pool, POOL_SIZE);
	free(buf);
	assert_int_equal(rpmem_close(rpp), 0);
	assert_no_child_left();
}

static void
daemon_death_is_econnreset_and_sticky(void **state)
{
	(void)state;
	RPMEMpool *rpp = open_pool("die", "tcp", NULL);
	errno = 0;
	assert_int_equal(rpmem_persist(rpp, 0, 8, 0, 0), -1);
	assert_int_equal(errno, ECONNRESET);
	assert_errormsg_has("rpmem_persist: ");
	/* every later call, on any lane, even with bad arguments */
	errno = 0;
	assert_int_equal(rpmem_persist(rpp, 0, 8, 1, 0), -1);
	assert_int_equal(errno, ECONNRESET);
	assert_errormsg_has("rpmem_persist: connection to 127.0.0.1 lost: ");
	assert_int_equal(rpmem_flush(rpp, 0, 8, 0, 0), -1);
	assert_int_equal(errno, ECONNRESET);
	assert_int_equal(rpmem_drain(rpp, 0, 0), -1);
	assert_int_equal(errno, ECONNRESET);
	assert_int_equal(rpmem_deep_persist(rpp, 0, 8, 0), -1);
	assert_int_equal(errno, ECONNRESET);
	uint8_t buf[8];
	assert_int_equal(rpmem_read(rpp, buf, 0, 8, 1), -1);
	assert_int_equal(errno, ECONNRESET);
	assert_int_equal(rpmem_persist(rpp, 0, 8, 99, 0), -1);
	assert_int_equal(errno, ECONNRESET);
	assert_int_equal(rpmem_set_attr(rpp, NULL), -1);
	assert_int_equal(errno, ECONNRESET);
	assert_errormsg_has("rpmem_set_attr: connection to 127.0.0.1 lost: ");
	errno = 0;
	assert_int_equal(rpmem_close(rpp), -1);
	assert_int_equal(errno, ECONNRESET);
	/* the first reason first, then why CLOSE failed */
	assert_errormsg_has("rpmem_close: connection to 127.0.0.1 lost: ");
	assert_no_child_left();
}

/* the provider's own code for the failure (sockets: ENOENT) is not what the caller gets */
static void
daemon_death_over_sockets_is_econnreset_from_the_first_call(void **state)
{
	(void)state;
	for (int round = 0; round < 5; round++) {
		RPMEMpool *rpp = open_pool("die", "sockets", NULL);
		errno = 0;
		assert_int_equal(rpmem_persist(rpp, 0, 8192, 0, 0), -1);
		assert_int_equal(errno, ECONNRESET);
		assert_errormsg_has("rpmem_persist: connection to 127.0.0.1 lost: ");
		rpmem_close(rpp);
		assert_no_child_left();
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(open_of_a_pool_with_headers_protects_them_even_without_open_attr),
		cmocka_unit_test(pool_without_headers_accepts_every_offset),
		cmocka_unit_test(sockets_provider_persists_and_reads_back),
		cmocka_unit_test(daemon_death_is_econnreset_and_sticky),
		cmocka_unit_test(daemon_death_over_sockets_is_econnreset_from_the_first_call),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
