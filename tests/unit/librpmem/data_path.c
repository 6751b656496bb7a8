/* data_path.c -- persist, flush/drain, deep persist, read and set_attr against the fake daemon over tcp; argument errors are not sticky */
#include <pthread.h>

#include "rpmem_test.h"

#define POOL_SIZE (256 * 1024)
#define HDR 4096

static struct fake_pool W;

/* a pool with headers (create_attr given) served by the fake daemon over tcp */
static int
setup(void **state)
{
	(void)state;
	return fake_pool_create(&W, "serve", POOL_SIZE, 8);
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

/* the data path still works after an argument error */
static void
assert_still_usable(void)
{
	W.pool[HDR] ^= 1;
	assert_int_equal(rpmem_persist(W.rpp, HDR, 8, 0, 0), 0);
}

/* read back [off, off + len) and compare with the local pool */
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
granted_lanes_are_written_back(void **state)
{
	(void)state;
	need_pool();
	assert_int_equal(W.nlanes, 3);	/* the fake daemon grants at most 3 */
}

static void
persist_argument_errors_are_exact_and_not_sticky(void **state)
{
	(void)state;
	need_pool();
	errno = 0;
	assert_int_equal(rpmem_persist(W.rpp, HDR, 8, 0, 2), -1);
	assert_int_equal(errno, EINVAL);
	assert_errormsg("rpmem_persist: unknown flags 0x2");
	for (size_t off = 0; off < HDR; off += 8) {
		assert_int_equal(rpmem_persist(W.rpp, off, 8, 0, 0), -1);
		assert_int_equal(errno, EINVAL);
	}
	assert_errormsg("rpmem_persist: offset 4088 is inside the 4096-byte pool header");
	assert_int_equal(rpmem_persist(W.rpp, HDR, 8, 7, 0), -1);
	assert_int_equal(errno, EINVAL);
	assert_errormsg("rpmem_persist: lane 7 out of range (pool has 3 lanes)");
	assert_int_equal(rpmem_persist(W.rpp, HDR, POOL_SIZE, 0, 0), -1);
	assert_int_equal(errno, EINVAL);
	assert_errormsg("rpmem_persist: offset 4096 + length 262144 exceeds the "
		"pool size 262144");
	assert_int_equal(rpmem_persist(W.rpp, HDR, SIZE_MAX, 0, 0), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(rpmem_persist(W.rpp, HDR, 0, 0, 0), 0);
	assert_int_equal(rpmem_persist(W.rpp, POOL_SIZE, 0, 0, 0), 0);
	assert_still_usable();
}

static void
flush_drain_deep_and_read_argument_errors(void **state)
{
	(void)state;
	need_pool();
	errno = 0;
	assert_int_equal(rpmem_flush(W.rpp, HDR, 8, 0, 4), -1);
	assert_int_equal(errno, EINVAL);
	assert_errormsg("rpmem_flush: unknown flags 0x4");
	assert_int_equal(rpmem_flush(W.rpp, 100, 8, 0, 0), -1);
	assert_errormsg("rpmem_flush: offset 100 is inside the 4096-byte pool header");
	assert_int_equal(rpmem_flush(W.rpp, HDR, 8, 3, 0), -1);
	assert_errormsg("rpmem_flush: lane 3 out of range (pool has 3 lanes)");
	assert_int_equal(rpmem_drain(W.rpp, 0, 1), -1);
	assert_int_equal(errno, EINVAL);
	assert_errormsg("rpmem_drain: unknown flags 0x1");
	assert_int_equal(rpmem_drain(W.rpp, 9, 0), -1);
	assert_errormsg("rpmem_drain: lane 9 out of range (pool has 3 lanes)");
	assert_int_equal(rpmem_deep_persist(W.rpp, 0, 8, 0), -1);
	assert_int_equal(errno, EINVAL);
	assert_errormsg("rpmem_deep_persist: offset 0 is inside the 4096-byte pool header");
	assert_int_equal(rpmem_deep_persist(W.rpp, HDR, 8, 5), -1);
	assert_errormsg("rpmem_deep_persist: lane 5 out of range (pool has 3 lanes)");
	uint8_t buf[16];
	assert_int_equal(rpmem_read(W.rpp, buf, 0, 16, 3), -1);
	assert_int_equal(errno, EINVAL);
	assert_errormsg("rpmem_read: lane 3 out of range (pool has 3 lanes)");
	assert_int_equal(rpmem_read(W.rpp, buf, POOL_SIZE - 8, 16, 0), -1);
	assert_int_equal(errno, EINVAL);
	assert_errormsg("rpmem_read: offset 262136 + length 16 exceeds the pool "
		"size 262144");
	assert_int_equal(rpmem_read(W.rpp, buf, 0, 0, 0), 0);
	assert_int_equal(rpmem_flush(W.rpp, HDR, 0, 0, 0), 0);
	assert_int_equal(rpmem_drain(W.rpp, 0, 0), 0);
	assert_still_usable();
}

static void
persist_inline_large_and_relaxed_read_back(void **state)
{
	(void)state;
	need_pool();
	test_fill_pattern(W.pool + HDR, POOL_SIZE - HDR, 1);
	assert_int_equal(rpmem_persist(W.rpp, HDR, 64, 0, 0), 0);	/* inline */
	assert_int_equal(rpmem_persist(W.rpp, HDR + 64, 4096, 1, 0), 0);	/* inline, the limit */
	assert_int_equal(rpmem_persist(W.rpp, HDR + 4160, 4097, 2, 0), 0);	/* write + persist */
	assert_int_equal(rpmem_persist(W.rpp, HDR + 8257, 100000, 0,
		RPMEM_PERSIST_RELAXED), 0);
	assert_int_equal(rpmem_persist(W.rpp, HDR + 108257, POOL_SIZE - HDR - 108257,
		1, RPMEM_PERSIST_RELAXED), 0);
	assert_remote_equals_local(HDR, POOL_SIZE - HDR);
	/* a read may also land in the pool itself */
	uint8_t *copy = malloc(POOL_SIZE);
	memcpy(copy, W.pool, POOL_SIZE);
	memset(W.pool + HDR, 0, POOL_SIZE - HDR);
	assert_int_equal(rpmem_read(W.rpp, W.pool + HDR, HDR, POOL_SIZE - HDR, 2), 0);
	assert_memory_equal(W.pool + HDR, copy + HDR, POOL_SIZE - HDR);
	free(copy);
}

static void
flush_then_drain_makes_ranges_durable(void **state)
{
	(void)state;
	need_pool();
	test_fill_pattern(W.pool + HDR, POOL_SIZE - HDR, 2);
	/* more flushes than the work queue holds (50) */
	for (size_t i = 0; i < 60; i++) {
		size_t off = HDR + i * 4000;
		assert_int_equal(rpmem_flush(W.rpp, off, 4000, 1,
			i % 2 ? RPMEM_FLUSH_RELAXED : 0), 0);
	}
	assert_int_equal(rpmem_drain(W.rpp, 1, 0), 0);
	assert_int_equal(rpmem_drain(W.rpp, 1, 0), 0);	/* nothing left */
	assert_remote_equals_local(HDR, 60 * 4000);
}

static void
deep_persist_writes_the_range(void **state)
{
	(void)state;
	need_pool();
	test_fill_pattern(W.pool + HDR, 20000, 3);
	assert_int_equal(rpmem_deep_persist(W.rpp, HDR, 20000, 2), 0);
	assert_remote_equals_local(HDR, 20000);
}

struct worker {
	unsigned lane;
	int failed;
};

static void *
worker(void *arg)
{
	struct worker *w = arg;
	size_t slice = (POOL_SIZE - HDR) / W.nlanes;
	size_t off = HDR + w->lane * slice;
	uint8_t *buf = malloc(slice);
	for (int round = 0; round < 20 && !w->failed; round++) {
		test_fill_pattern(W.pool + off, slice, (unsigned)round * 10 + w->lane);
		size_t len = round % 2 ? 64 : slice;
		if (rpmem_persist(W.rpp, off, len, w->lane, 0) ||
				rpmem_read(W.rpp, buf, off, len, w->lane) ||
				memcmp(buf, W.pool + off, len) != 0)
			w->failed = 1;
	}
	free(buf);
	return NULL;
}

static void
lanes_in_threads_share_nothing(void **state)
{
	(void)state;
	need_pool();
	pthread_t t[3];
	struct worker w[3];
	for (unsigned i = 0; i < W.nlanes; i++) {
		w[i] = (struct worker){ i, 0 };
		assert_int_equal(pthread_create(&t[i], NULL, worker, &w[i]), 0);
	}
	for (unsigned i = 0; i < W.nlanes; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(w[i].failed, 0);
	}
}

static void
set_attr_accepts_attributes_and_null(void **state)
{
	(void)state;
	need_pool();
	struct rpmem_pool_attr attr;
	memset(&attr, 0, sizeof(attr));
	attr.major = 3;
	assert_int_equal(rpmem_set_attr(W.rpp, &attr), 0);
	assert_int_equal(rpmem_set_attr(W.rpp, NULL), 0);
	assert_still_usable();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(granted_lanes_are_written_back),
		cmocka_unit_test(persist_argument_errors_are_exact_and_not_sticky),
		cmocka_unit_test(flush_drain_deep_and_read_argument_errors),
		cmocka_unit_test(persist_inline_large_and_relaxed_read_back),
		cmocka_unit_test(flush_then_drain_makes_ranges_durable),
		cmocka_unit_test(deep_persist_writes_the_range),
		cmocka_unit_test(lanes_in_threads_share_nothing),
		cmocka_unit_test(set_attr_accepts_attributes_and_null),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
