/* persist_async.c -- rpmem_persist_async and rpmem_vdm against a real rpmemd: many futures in flight, lanes shared and owned, bad arguments, the daemon killed under them (persist_async_pipeline.c: many on one lane) */
#include <librpmem/async.h>
#include <libminiasync.h>

#include "rpmem_test_env.h"
#include "rpmem_test_log.h"

#define POOL_SIZE ((size_t)8 << 20)
#define HDR 4096
#define NLANES 8
#define NFUT 64
#define HANG_GUARD_MS 60000

static const char Set[] = "PMEMPOOLSET\n8M async.part\n";

struct world {
	struct rpmem_env env;
	char *pool;
	RPMEMpool *rpp;
	unsigned nlanes;
	struct runtime *rt;
};

static int
setup(void **state)
{
	struct world *w = calloc(1, sizeof(*w));
	rpmem_env_setup(&w->env, "tcp");
	rpmem_env_unlink(&w->env, "async.part");
	rpmem_env_write(&w->env, "async.set", Set);
	w->pool = rpmem_env_pool(POOL_SIZE);
	w->nlanes = NLANES;
	struct rpmem_pool_attr attr;
	memset(&attr, 0, sizeof(attr));
	memcpy(attr.signature, "ASYNC", 5);
	w->rpp = rpmem_create("localhost", "async.set", w->pool, POOL_SIZE, &w->nlanes, &attr);
	if (w->rpp == NULL)
		fail_msg("rpmem_create: %s", rpmem_errormsg());
	w->rt = runtime_new();
	assert_non_null(w->rt);
	*state = w;
	return 0;
}

static int
teardown(void **state)
{
	struct world *w = *state;
	if (w->rpp)
		rpmem_close(w->rpp);
	runtime_delete(w->rt);
	munmap(w->pool, POOL_SIZE);
	free(w);
	return 0;
}

/* the part file holds what the local pool holds in [off, off + len) */
static void
assert_replicated(struct world *w, size_t off, size_t len)
{
	char *got = malloc(len);
	rpmem_env_read_part(&w->env, "async.part", got, len, (off_t)off);
	assert_memory_equal(got, w->pool + off, len);
	free(got);
}

/* futures of every kind and size on every lane, waited together */
static void
many_futures_in_flight_on_all_lanes_make_their_ranges_durable(void **state)
{
	struct world *w = *state;
	static struct rpmem_persist_future f[NFUT];
	struct future *fs[NFUT];
	size_t len = 20000;	/* above the inline limit: writes and a request */
	for (int i = 0; i < NFUT; i++) {
		size_t off = HDR + (size_t)i * len;
		size_t n = i % 3 == 0 ? 64 : len;	/* some inline */
		test_fill_pattern(w->pool + off, n, (unsigned)i + 1);
		unsigned lane = (unsigned)i % w->nlanes;
		f[i] = i % 5 == 4 ? rpmem_deep_persist_async(w->rpp, off, n, lane) :
			rpmem_persist_async(w->rpp, off, n, lane,
				i % 2 ? RPMEM_PERSIST_RELAXED : 0);
		fs[i] = FUTURE_AS_RUNNABLE(&f[i]);
	}
	runtime_wait_multiple(w->rt, fs, NFUT);
	for (int i = 0; i < NFUT; i++) {
		assert_int_equal(FUTURE_STATE(&f[i]), FUTURE_STATE_COMPLETE);
		if (FUTURE_OUTPUT(&f[i])->error != 0)
			fail_msg("future %d: error %d", i, FUTURE_OUTPUT(&f[i])->error);
		size_t off = HDR + (size_t)i * len;
		assert_replicated(w, off, i % 3 == 0 ? 64 : len);
	}
}

/* a second future on a lane runs beside the first, and a synchronous call is refused meanwhile */
static void
futures_share_a_lane_and_own_it_until_they_complete(void **state)
{
	struct world *w = *state;
	memset(w->pool + HDR, 0x5a, 65536);
	struct rpmem_persist_future a = rpmem_persist_async(w->rpp, HDR, 65536, 1, 0);
	struct rpmem_persist_future b = rpmem_persist_async(w->rpp, HDR, 8, 1, 0);
	/* the first poll posts and returns: the answer cannot be there yet */
	assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&a), NULL), FUTURE_STATE_RUNNING);
	assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&b), NULL), FUTURE_STATE_RUNNING);
	errno = 0;
	assert_int_equal(rpmem_persist(w->rpp, HDR, 8, 1, 0), -1);
	assert_int_equal(errno, EBUSY);
	assert_non_null(strstr(rpmem_errormsg(),
		"rpmem_persist: lane 1 has an asynchronous persist in flight"));
	/* other lanes are free */
	assert_int_equal(rpmem_persist(w->rpp, HDR, 8, 2, 0), 0);
	runtime_wait(w->rt, FUTURE_AS_RUNNABLE(&a));
	runtime_wait(w->rt, FUTURE_AS_RUNNABLE(&b));
	assert_int_equal(FUTURE_OUTPUT(&a)->error, 0);
	assert_int_equal(FUTURE_OUTPUT(&b)->error, 0);
	assert_int_equal(rpmem_persist(w->rpp, HDR, 8, 1, 0), 0);
	assert_replicated(w, HDR, 65536);
}

static void
bad_arguments_complete_the_future_at_once_with_einval(void **state)
{
	struct world *w = *state;
	struct {
		struct rpmem_persist_future f;
		const char *msg;
	} c[] = {
		{ rpmem_persist_async(w->rpp, 0, 8, 0, 0),
			"rpmem_persist_async: offset 0 is inside the 4096-byte pool header" },
		{ rpmem_persist_async(w->rpp, HDR, 8, 99, 0),
			"rpmem_persist_async: lane 99 out of range" },
		{ rpmem_persist_async(w->rpp, HDR, POOL_SIZE, 0, 0),
			"rpmem_persist_async: offset 4096 + length" },
		{ rpmem_persist_async(w->rpp, HDR, 8, 0, 0x80),
			"rpmem_persist_async: unknown flags 0x80" },
		{ rpmem_deep_persist_async(w->rpp, HDR, 8, NLANES + 1),
			"rpmem_deep_persist_async: lane" },
		{ rpmem_persist_async(NULL, HDR, 8, 0, 0), "rpmem_persist_async: rpp is NULL" },
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&c[i].f), NULL),
			FUTURE_STATE_COMPLETE);
		assert_int_equal(FUTURE_OUTPUT(&c[i].f)->error, EINVAL);
		if (strstr(rpmem_errormsg(), c[i].msg) == NULL)
			fail_msg("case %zu: '%s' lacks '%s'", i, rpmem_errormsg(), c[i].msg);
	}
	/* not sticky */
	struct rpmem_persist_future ok = rpmem_persist_async(w->rpp, HDR, 8, 0, 0);
	runtime_wait(w->rt, FUTURE_AS_RUNNABLE(&ok));
	assert_int_equal(FUTURE_OUTPUT(&ok)->error, 0);
	/* nothing to do is done at once */
	struct rpmem_persist_future zero = rpmem_persist_async(w->rpp, HDR, 0, 0, 0);
	assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&zero), NULL), FUTURE_STATE_COMPLETE);
	assert_int_equal(FUTURE_OUTPUT(&zero)->error, 0);
}

/* copies through the mover land locally and, once the pool is set, remotely */
static void
the_replicating_mover_copies_locally_and_replicates(void **state)
{
	struct world *w = *state;
	struct rpmem_vdm *rv = rpmem_vdm_new();
	assert_non_null(rv);
	struct vdm *vdm = rpmem_vdm_get_vdm(rv);
	char src[10000];
	test_fill_pattern(src, sizeof(src), 77);

	/* no pool yet: copied, but the mover says it could not replicate */
	struct vdm_operation_future f = vdm_memcpy(vdm, w->pool + 2 * HDR, src, 100, 0);
	runtime_wait(w->rt, FUTURE_AS_RUNNABLE(&f));
	assert_int_equal(FUTURE_OUTPUT(&f)->result, VDM_ERROR_JOB_CORRUPTED);
	assert_memory_equal(w->pool + 2 * HDR, src, 100);

	assert_int_equal(rpmem_vdm_set_pool(rv, w->rpp), 0);
	struct vdm_operation_future ops[3 * NLANES];
	struct future *fs[3 * NLANES];
	for (int i = 0; i < 3 * NLANES; i++) {
		char *dst = w->pool + 4 * HDR + (size_t)i * sizeof(src);
		ops[i] = i % 3 == 0 ? vdm_memcpy(vdm, dst, src, sizeof(src), 0) :
			i % 3 == 1 ? vdm_memset(vdm, dst, i, sizeof(src), 0) :
			vdm_memmove(vdm, dst, src, sizeof(src), 0);
		fs[i] = FUTURE_AS_RUNNABLE(&ops[i]);
	}
	runtime_wait_multiple(w->rt, fs, 3 * NLANES);
	for (int i = 0; i < 3 * NLANES; i++) {
		assert_int_equal(FUTURE_OUTPUT(&ops[i])->result, VDM_SUCCESS);
		size_t off = 4 * HDR + (size_t)i * sizeof(src);
		if (i % 3 == 1) {
			char want[sizeof(src)];
			memset(want, i, sizeof(want));
			assert_memory_equal(w->pool + off, want, sizeof(want));
		} else {
			assert_memory_equal(w->pool + off, src, sizeof(src));
		}
		assert_replicated(w, off, sizeof(src));
	}

	/* a destination outside the pool is not replicated, and says so */
	char outside[64];
	f = vdm_memcpy(vdm, outside, src, sizeof(outside), 0);
	runtime_wait(w->rt, FUTURE_AS_RUNNABLE(&f));
	assert_int_equal(FUTURE_OUTPUT(&f)->result, VDM_ERROR_JOB_CORRUPTED);
	assert_int_equal(rpmem_vdm_set_pool(NULL, w->rpp), -1);
	assert_int_equal(errno, EINVAL);
	rpmem_vdm_delete(rv);
}

/* every future in flight completes with an error; none hangs; later ones fail at once */
static void
futures_in_flight_when_rpmemd_dies_all_complete_with_an_error(void **state)
{
	struct world *w = *state;
	static struct rpmem_persist_future f[NFUT];
	struct future *fs[NFUT];
	for (int i = 0; i < NFUT; i++) {
		f[i] = rpmem_persist_async(w->rpp, HDR + (size_t)i * 65536, 65536,
			(unsigned)i % w->nlanes, 0);
		fs[i] = FUTURE_AS_RUNNABLE(&f[i]);
	}
	/* the first of each lane posted, then the daemon dies */
	for (unsigned i = 0; i < w->nlanes; i++)
		future_poll(fs[i], NULL);
	pid_t pids[4];
	assert_int_equal(rpmem_env_daemons(&w->env, pids, 4), 1);
	assert_int_equal(kill(pids[0], SIGKILL), 0);
	long long start = test_now_ms();
	runtime_wait_multiple(w->rt, fs, NFUT);
	long long took = test_now_ms() - start;
	int failed = 0;
	for (int i = 0; i < NFUT; i++) {
		int e = FUTURE_OUTPUT(&f[i])->error;
		if (e != 0) {
			failed++;
			if (e != ECONNRESET && e != ETIMEDOUT)
				fail_msg("future %d: error %d", i, e);
		}
	}
	printf("%d of %d futures failed, all completed %lld ms after the kill\n",
		failed, NFUT, took);
	assert_true(took < HANG_GUARD_MS);
	/* those not posted before the death found the connection lost */
	assert_true(failed >= NFUT - (int)w->nlanes);
	struct rpmem_persist_future later = rpmem_persist_async(w->rpp, HDR, 8, 0, 0);
	assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&later), NULL), FUTURE_STATE_COMPLETE);
	assert_int_equal(FUTURE_OUTPUT(&later)->error, ECONNRESET);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			many_futures_in_flight_on_all_lanes_make_their_ranges_durable, setup, teardown),
		cmocka_unit_test_setup_teardown(
			futures_share_a_lane_and_own_it_until_they_complete, setup, teardown),
		cmocka_unit_test_setup_teardown(
			bad_arguments_complete_the_future_at_once_with_einval, setup, teardown),
		cmocka_unit_test_setup_teardown(
			the_replicating_mover_copies_locally_and_replicates, setup, teardown),
		cmocka_unit_test_setup_teardown(
			futures_in_flight_when_rpmemd_dies_all_complete_with_an_error, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
