/* apm.c -- the appliance persistency method against the fake daemon: writes made durable by an RDMA read, no PERSIST request, also for futures pipelined on one lane */
/*
 * The fake daemon (mode serve-apm) answers persist_method APM and counts the
 * in-band requests it receives in a file, rewritten before it answers each
 * one. Over tcp an RDMA read after writes proves nothing about durability
 * (the provider copies the data in user space): these tests check the
 * client's mechanics only -- which operations go as requests and which as
 * writes followed by a read -- and that the data reaches the daemon.
 */
#include <librpmem/async.h>

#include "rpmem_test.h"

#define POOL_SIZE (256 * 1024)
#define HDR 4096

static struct fake_pool W;
static char Counts[1024];	/* the file where the fake daemon counts requests */

struct counts {
	unsigned inl, persist, deep;
};

static int
setup(void **state)
{
	(void)state;
	snprintf(Counts, sizeof(Counts), "%s/counts", test_tmpdir());
	char mode[1100];
	snprintf(mode, sizeof(mode), "serve-apm %s", Counts);
	return fake_pool_create(&W, mode, POOL_SIZE, 2);
}

static int
teardown(void **state)
{
	(void)state;
	return fake_pool_close(&W);
}

static void
need_pool(void)
{
	fake_pool_need(&W);
}

/* the daemon's counters; all zero before its first request */
static struct counts
daemon_counts(void)
{
	struct counts c = { 0, 0, 0 };
	FILE *f = fopen(Counts, "r");
	if (f == NULL) {
		assert_int_equal(errno, ENOENT);
		return c;
	}
	assert_int_equal(fscanf(f, "inline %u persist %u deep %u", &c.inl, &c.persist,
		&c.deep), 3);
	fclose(f);
	return c;
}

static void
assert_counts(struct counts c, unsigned inl, unsigned persist, unsigned deep)
{
	assert_int_equal(c.inl, inl);
	assert_int_equal(c.persist, persist);
	assert_int_equal(c.deep, deep);
}

/* read back [off, off + len) from the daemon and compare with the local pool */
static void
assert_remote_equals_local(size_t off, size_t len)
{
	uint8_t *buf = malloc(len);
	assert_non_null(buf);
	assert_int_equal(rpmem_read(W.rpp, buf, off, len, 0), 0);
	assert_memory_equal(buf, W.pool + off, len);
	free(buf);
}

static void
small_persist_still_goes_inline(void **state)
{
	(void)state;
	need_pool();
	struct counts c = daemon_counts();
	test_fill_pattern(W.pool + HDR, 4096, 1);
	assert_int_equal(rpmem_persist(W.rpp, HDR, 64, 0, 0), 0);
	assert_int_equal(rpmem_persist(W.rpp, HDR + 64, 4096 - 64, 1, 0), 0);
	assert_counts(daemon_counts(), c.inl + 2, c.persist, c.deep);
	assert_remote_equals_local(HDR, 4096);
}

static void
relaxed_persist_is_read_after_write_without_a_request(void **state)
{
	(void)state;
	need_pool();
	struct counts c = daemon_counts();
	test_fill_pattern(W.pool + HDR, POOL_SIZE - HDR, 2);
	assert_int_equal(rpmem_persist(W.rpp, HDR, 100000, 0, RPMEM_PERSIST_RELAXED), 0);
	assert_int_equal(rpmem_persist(W.rpp, HDR + 100000, 8, 1, RPMEM_PERSIST_RELAXED), 0);
	/* shorter than the 8-byte read, at the pool's end: the read stays inside the pool */
	assert_int_equal(rpmem_persist(W.rpp, POOL_SIZE - 3, 3, 1, RPMEM_PERSIST_RELAXED), 0);
	assert_counts(daemon_counts(), c.inl, c.persist, c.deep);
	assert_remote_equals_local(HDR, 100008);
	assert_remote_equals_local(POOL_SIZE - 3, 3);
}

static void
large_persist_is_read_after_write_without_a_request(void **state)
{
	(void)state;
	need_pool();
	struct counts c = daemon_counts();
	test_fill_pattern(W.pool + HDR, POOL_SIZE - HDR, 3);
	assert_int_equal(rpmem_persist(W.rpp, HDR, 4097, 0, 0), 0);
	assert_int_equal(rpmem_persist(W.rpp, HDR + 4097, POOL_SIZE - HDR - 4097, 1, 0), 0);
	assert_counts(daemon_counts(), c.inl, c.persist, c.deep);
	assert_remote_equals_local(HDR, POOL_SIZE - HDR);
}

static void
flush_then_drain_is_read_after_write_without_a_request(void **state)
{
	(void)state;
	need_pool();
	struct counts c = daemon_counts();
	test_fill_pattern(W.pool + HDR, POOL_SIZE - HDR, 4);
	/* more flushes than the work queue holds (50) */
	for (size_t i = 0; i < 60; i++)
		assert_int_equal(rpmem_flush(W.rpp, HDR + i * 4000, 4000, 1,
			i % 2 ? RPMEM_FLUSH_RELAXED : 0), 0);
	assert_int_equal(rpmem_drain(W.rpp, 1, 0), 0);
	assert_int_equal(rpmem_drain(W.rpp, 1, 0), 0);	/* nothing left */
	assert_int_equal(rpmem_drain(W.rpp, 0, 0), 0);	/* nothing flushed on lane 0 */
	assert_counts(daemon_counts(), c.inl, c.persist, c.deep);
	assert_remote_equals_local(HDR, 60 * 4000);
}

static void
deep_persist_still_asks_the_daemon(void **state)
{
	(void)state;
	need_pool();
	struct counts c = daemon_counts();
	test_fill_pattern(W.pool + HDR, 20000, 5);
	assert_int_equal(rpmem_deep_persist(W.rpp, HDR, 20000, 0), 0);
	assert_counts(daemon_counts(), c.inl, c.persist, c.deep + 1);
	assert_remote_equals_local(HDR, 20000);
}

/* 16 futures in flight on one lane, each its writes then its read: all complete, no request */
static void
apm_futures_are_pipelined_on_one_lane_without_a_request(void **state)
{
	(void)state;
	need_pool();
	enum { N = 16, LEN = 8192 };
	struct counts c = daemon_counts();
	test_fill_pattern(W.pool + HDR, N * LEN, 6);
	struct rpmem_persist_future f[N];
	for (int i = 0; i < N; i++) {
		f[i] = rpmem_persist_async(W.rpp, HDR + (size_t)i * LEN, LEN, 1,
			i % 2 ? RPMEM_PERSIST_RELAXED : 0);
		assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&f[i]), NULL),
			FUTURE_STATE_RUNNING);
	}
	/* polled from the last: each completes with its own posts */
	for (int i = N - 1; i >= 0; i--) {
		long long start = test_now_ms();
		while (future_poll(FUTURE_AS_RUNNABLE(&f[i]), NULL) != FUTURE_STATE_COMPLETE)
			assert_true(test_now_ms() - start < 30000);
		assert_int_equal(FUTURE_OUTPUT(&f[i])->error, 0);
	}
	assert_counts(daemon_counts(), c.inl, c.persist, c.deep);
	assert_remote_equals_local(HDR, N * LEN);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(small_persist_still_goes_inline),
		cmocka_unit_test(relaxed_persist_is_read_after_write_without_a_request),
		cmocka_unit_test(large_persist_is_read_after_write_without_a_request),
		cmocka_unit_test(flush_then_drain_is_read_after_write_without_a_request),
		cmocka_unit_test(deep_persist_still_asks_the_daemon),
		cmocka_unit_test(apm_futures_are_pipelined_on_one_lane_without_a_request),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
