/* persist_async_pipeline.c -- many asynchronous persists in flight on ONE lane against a real rpmemd: data, poll order, two polling threads, a full lane, the daemon stopped or killed under them */
#include <pthread.h>

#include <librpmem/async.h>
#include <libminiasync.h>

#include "rpmem_test_env.h"
#include "rpmem_test_log.h"

#define POOL_SIZE ((size_t)8 << 20)
#define HDR 4096
#define NLANES 4
/* a lane's slots: PROTO_INBAND_DEPTH of common/proto_inband.h */
#define DEPTH 16
#define TOTAL 1000
/* every future in flight writes a region of its own; regions are reused later */
#define REGION 20480
#define NREGIONS 300
#define HANG_GUARD_MS 60000

static const char Set[] = "PMEMPOOLSET\n8M pipe.part\n";

struct world {
	struct rpmem_env env;
	char *pool;
	RPMEMpool *rpp;
	unsigned nlanes;
	struct runtime *rt;
	int stopped;		/* the daemon was stopped (SIGSTOP): killed at teardown */
};

static struct world *
world_new(const char *timeout_ms)
{
	struct world *w = calloc(1, sizeof(*w));
	assert_non_null(w);
	rpmem_env_setup(&w->env, "tcp");
	rpmem_env_unlink(&w->env, "pipe.part");
	rpmem_env_write(&w->env, "pipe.set", Set);
	if (timeout_ms)
		setenv("RPMEM_TIMEOUT_MS", timeout_ms, 1);
	else
		unsetenv("RPMEM_TIMEOUT_MS");
	w->pool = rpmem_env_pool(POOL_SIZE);
	w->nlanes = NLANES;
	struct rpmem_pool_attr attr;
	memset(&attr, 0, sizeof(attr));
	memcpy(attr.signature, "PIPE", 4);
	w->rpp = rpmem_create("localhost", "pipe.set", w->pool, POOL_SIZE, &w->nlanes, &attr);
	if (w->rpp == NULL)
		fail_msg("rpmem_create: %s", rpmem_errormsg());
	assert_int_equal(w->nlanes, NLANES);
	w->rt = runtime_new();
	assert_non_null(w->rt);
	return w;
}

static int
setup(void **state)
{
	*state = world_new(NULL);
	return 0;
}

/* a short RPMEM_TIMEOUT_MS, for the test that stops the daemon */
static int
setup_short_timeout(void **state)
{
	*state = world_new("1000");
	return 0;
}

/* the daemon serving the world, which must be the only one */
static pid_t
daemon_pid(struct world *w)
{
	pid_t pids[4];
	assert_int_equal(rpmem_env_daemons(&w->env, pids, 4), 1);
	return pids[0];
}

static int
teardown(void **state)
{
	struct world *w = *state;
	if (w->stopped) {
		pid_t pids[4];
		int n = rpmem_env_daemons(&w->env, pids, 4);
		for (int i = 0; i < n; i++) {
			kill(pids[i], SIGKILL);
			kill(pids[i], SIGCONT);
		}
	}
	if (w->rpp)
		rpmem_close(w->rpp);
	runtime_delete(w->rt);
	munmap(w->pool, POOL_SIZE);
	unsetenv("RPMEM_TIMEOUT_MS");
	free(w);
	return 0;
}

/* the part file and rpmem_read both hold what the local pool holds in [off, off + len) */
static void
assert_replicated(struct world *w, size_t off, size_t len)
{
	char *got = malloc(len);
	assert_non_null(got);
	rpmem_env_read_part(&w->env, "pipe.part", got, len, (off_t)off);
	assert_memory_equal(got, w->pool + off, len);
	memset(got, 0, len);
	assert_int_equal(rpmem_read(w->rpp, got, off, len, 0), 0);
	assert_memory_equal(got, w->pool + off, len);
	free(got);
}

static size_t
region_off(unsigned region)
{
	return HDR + (size_t)region * REGION;
}

/*
 * The i-th operation of a run: its region gets a fresh pattern, then a
 * future of one of the four paths: inline, relaxed (RDMA write and
 * request), larger than inline, deep persist
 */
static struct rpmem_persist_future
op_future(struct world *w, unsigned i, unsigned region, unsigned lane)
{
	static const size_t lens[] = { 4096, 4096, REGION, 8192 };
	size_t off = region_off(region), len = lens[i % 4];
	test_fill_pattern(w->pool + off, len, i + 1);
	switch (i % 4) {
	case 1:
		return rpmem_persist_async(w->rpp, off, len, lane, RPMEM_PERSIST_RELAXED);
	case 3:
		return rpmem_deep_persist_async(w->rpp, off, len, lane);
	default:
		return rpmem_persist_async(w->rpp, off, len, lane, 0);
	}
}

static void
assert_succeeded(struct rpmem_persist_future *f, unsigned i)
{
	assert_int_equal(FUTURE_STATE(f), FUTURE_STATE_COMPLETE);
	if (FUTURE_OUTPUT(f)->error != 0)
		fail_msg("operation %u: error %d: %s", i, FUTURE_OUTPUT(f)->error,
			rpmem_errormsg());
}

/*
 * TOTAL operations on lane 0, DEPTH in flight, each future replaced as
 * soon as it completes, the window polled from its end
 */
static void
a_thousand_futures_sixteen_in_flight_on_one_lane_are_all_durable(void **state)
{
	struct world *w = *state;
	struct rpmem_persist_future f[DEPTH];
	unsigned op[DEPTH], next = 0, done = 0;
	for (unsigned k = 0; k < DEPTH; k++) {
		op[k] = next;
		f[k] = op_future(w, next, next % NREGIONS, 0);
		next++;
		/* all of them in flight at once: none waits for a slot */
		assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&f[k]), NULL),
			FUTURE_STATE_RUNNING);
	}
	/* a synchronous call would need the lane */
	assert_int_equal(rpmem_persist(w->rpp, HDR, 8, 0, 0), -1);
	assert_int_equal(errno, EBUSY);

	long long start = test_now_ms();
	while (done < TOTAL) {
		assert_true(test_now_ms() - start < HANG_GUARD_MS);
		for (unsigned k = DEPTH; k-- > 0; ) {
			if (op[k] == UINT32_MAX ||
					future_poll(FUTURE_AS_RUNNABLE(&f[k]), NULL) != FUTURE_STATE_COMPLETE)
				continue;
			assert_succeeded(&f[k], op[k]);
			done++;
			op[k] = UINT32_MAX;
			if (next < TOTAL) {
				op[k] = next;
				/* the region's last writer completed: DEPTH < NREGIONS */
				f[k] = op_future(w, next, next % NREGIONS, 0);
				next++;
			}
		}
	}
	printf("%u operations on one lane, %u in flight, in %lld ms\n", TOTAL, DEPTH,
		test_now_ms() - start);
	assert_replicated(w, HDR, (size_t)NREGIONS * REGION);
}

/* DEPTH futures on every lane at once, waited together by the runtime, TOTAL in all */
static void
sixteen_futures_in_flight_on_every_lane_are_all_durable(void **state)
{
	struct world *w = *state;
	enum { BATCH = DEPTH * NLANES };
	static struct rpmem_persist_future f[BATCH];
	struct future *fs[BATCH];
	for (unsigned first = 0; first < TOTAL; first += BATCH) {
		unsigned n = TOTAL - first < BATCH ? TOTAL - first : BATCH;
		for (unsigned k = 0; k < n; k++) {
			unsigned i = first + k;
			/* a batch's regions are all different: BATCH < NREGIONS */
			f[k] = op_future(w, i, i % NREGIONS, k % NLANES);
			fs[k] = FUTURE_AS_RUNNABLE(&f[k]);
		}
		runtime_wait_multiple(w->rt, fs, n);
		for (unsigned k = 0; k < n; k++)
			assert_succeeded(&f[k], first + k);
	}
	assert_replicated(w, HDR, (size_t)NREGIONS * REGION);
}

/*
 * A future completes when its own answer came, whoever reaped it: the
 * last posted, polled alone, reaps the answers of all before it (rpmemd
 * answers a lane's requests in order, tcp keeps it), which then complete
 * at their next poll, in whatever order they are polled
 */
static void
futures_complete_by_their_own_answers_whatever_the_poll_order(void **state)
{
	struct world *w = *state;
	struct rpmem_persist_future f[DEPTH];
	for (unsigned k = 0; k < DEPTH; k++) {
		f[k] = op_future(w, k, k, 2);
		assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&f[k]), NULL),
			FUTURE_STATE_RUNNING);
	}
	runtime_wait(w->rt, FUTURE_AS_RUNNABLE(&f[DEPTH - 1]));
	assert_succeeded(&f[DEPTH - 1], DEPTH - 1);
	static const unsigned order[DEPTH - 1] = { 7, 0, 14, 3, 9, 1, 12, 5, 10, 2, 13, 6, 8, 4, 11 };
	for (unsigned j = 0; j < DEPTH - 1; j++) {
		unsigned k = order[j];
		assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&f[k]), NULL),
			FUTURE_STATE_COMPLETE);
		assert_succeeded(&f[k], k);
	}
	/* and the lane is free for a synchronous call again */
	assert_int_equal(rpmem_persist(w->rpp, HDR, 8, 2, 0), 0);
	for (unsigned k = 0; k < DEPTH; k++)
		assert_replicated(w, region_off(k), k % 4 == 2 ? REGION : 4096);

	/* the first polled alone completes too, the others after it */
	for (unsigned k = 0; k < DEPTH; k++) {
		f[k] = op_future(w, 4 * k + 2, k, 2);
		assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&f[k]), NULL),
			FUTURE_STATE_RUNNING);
	}
	runtime_wait(w->rt, FUTURE_AS_RUNNABLE(&f[0]));
	assert_succeeded(&f[0], 0);
	for (unsigned k = DEPTH; k-- > 1; ) {
		runtime_wait(w->rt, FUTURE_AS_RUNNABLE(&f[k]));
		assert_succeeded(&f[k], k);
	}
	assert_replicated(w, HDR, DEPTH * (size_t)REGION);
}

struct poller {
	struct world *w;
	unsigned first_region;	/* its own regions: first_region .. + NREGIONS / 2 */
	unsigned ops;
	int failed;
};

/* DEPTH / 2 futures of its own on lane 3, TOTAL / 2 operations */
static void *
poller_main(void *arg)
{
	struct poller *p = arg;
	struct rpmem_persist_future f[DEPTH / 2];
	unsigned op[DEPTH / 2], next = 0, done = 0, half = NREGIONS / 2;
	for (unsigned k = 0; k < DEPTH / 2; k++, next++) {
		op[k] = next;
		f[k] = op_future(p->w, next, p->first_region + next % half, 3);
	}
	long long start = test_now_ms();
	while (done < TOTAL / 2 && test_now_ms() - start < HANG_GUARD_MS) {
		for (unsigned k = 0; k < DEPTH / 2; k++) {
			if (op[k] == UINT32_MAX ||
					future_poll(FUTURE_AS_RUNNABLE(&f[k]), NULL) != FUTURE_STATE_COMPLETE)
				continue;
			if (FUTURE_OUTPUT(&f[k])->error != 0)
				p->failed++;
			done++;
			op[k] = UINT32_MAX;
			if (next < TOTAL / 2) {
				op[k] = next;
				f[k] = op_future(p->w, next, p->first_region + next % half, 3);
				next++;
			}
		}
	}
	p->ops = done;
	return NULL;
}

/* two threads poll futures of the same lane at once: every one completes, every range lands */
static void
futures_of_one_lane_polled_from_two_threads_all_complete(void **state)
{
	struct world *w = *state;
	struct poller p[2] = {
		{ .w = w, .first_region = 0 },
		{ .w = w, .first_region = NREGIONS / 2 },
	};
	pthread_t t[2];
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&t[i], NULL, poller_main, &p[i]), 0);
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(p[i].failed, 0);
		assert_int_equal(p[i].ops, TOTAL / 2);
	}
	assert_replicated(w, HDR, (size_t)NREGIONS * REGION);
}

/*
 * With DEPTH futures holding lane 1's slots, the next one stays IDLE, even
 * after their answers came, until one of them completes; then it runs
 */
static void
the_future_after_a_full_lane_stays_idle_until_a_slot_frees(void **state)
{
	struct world *w = *state;
	struct rpmem_persist_future f[DEPTH];
	for (unsigned k = 0; k < DEPTH; k++) {
		f[k] = op_future(w, 4 * k + 2, k, 1);	/* writes and a request: 2 posts each */
		assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&f[k]), NULL),
			FUTURE_STATE_RUNNING);
	}
	struct rpmem_persist_future extra = op_future(w, 2, DEPTH, 1);
	for (int i = 0; i < 50; i++) {
		assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&extra), NULL),
			FUTURE_STATE_IDLE);
		usleep(1000);
	}
	/* another lane is not affected */
	struct rpmem_persist_future other = op_future(w, 0, DEPTH + 1, 2);
	runtime_wait(w->rt, FUTURE_AS_RUNNABLE(&other));
	assert_succeeded(&other, DEPTH + 1);

	runtime_wait(w->rt, FUTURE_AS_RUNNABLE(&f[5]));
	assert_succeeded(&f[5], 5);
	assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&extra), NULL),
		FUTURE_STATE_RUNNING);
	struct future *fs[DEPTH + 1];
	for (unsigned k = 0; k < DEPTH; k++)
		fs[k] = FUTURE_AS_RUNNABLE(&f[k]);
	fs[DEPTH] = FUTURE_AS_RUNNABLE(&extra);
	runtime_wait_multiple(w->rt, fs, DEPTH + 1);
	for (unsigned k = 0; k < DEPTH; k++)
		assert_succeeded(&f[k], k);
	assert_succeeded(&extra, DEPTH);
	assert_replicated(w, HDR, (DEPTH + 2) * (size_t)REGION);
}

/* 1 when every thread of pid is stopped */
static int
all_threads_stopped(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	DIR *d = opendir(path);
	assert_non_null(d);
	int stopped = 1;
	struct dirent *de;
	while (stopped && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		char stat[PATH_MAX], buf[512];
		snprintf(stat, sizeof(stat), "%s/%s/stat", path, de->d_name);
		int fd = open(stat, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;	/* a thread that ended */
		ssize_t n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		buf[n > 0 ? n : 0] = '\0';
		/* "pid (comm) S ...": the state follows the last ')' */
		const char *p = strrchr(buf, ')');
		stopped = p != NULL && (p[2] == 'T' || p[2] == 't');
	}
	closedir(d);
	return stopped;
}

/* posts DEPTH futures on lane 0 and one on lane 1 once the daemon stopped: nothing is answered */
static void
post_while_stopped(struct world *w, struct rpmem_persist_future *f, struct future **fs)
{
	pid_t pid = daemon_pid(w);
	assert_int_equal(kill(pid, SIGSTOP), 0);
	w->stopped = 1;
	long long start = test_now_ms();
	while (!all_threads_stopped(pid)) {
		assert_true(test_now_ms() - start < HANG_GUARD_MS);
		usleep(1000);
	}
	for (unsigned k = 0; k <= DEPTH; k++) {
		f[k] = op_future(w, k, k, k < DEPTH ? 0 : 1);
		fs[k] = FUTURE_AS_RUNNABLE(&f[k]);
		assert_int_equal(future_poll(fs[k], NULL), FUTURE_STATE_RUNNING);
	}
}

/* rpmemd dies with a full lane in flight: every future fails with ECONNRESET, none hangs */
static void
rpmemd_killed_with_a_full_lane_in_flight_fails_every_future(void **state)
{
	struct world *w = *state;
	struct rpmem_persist_future f[DEPTH + 1];
	struct future *fs[DEPTH + 1];
	post_while_stopped(w, f, fs);
	assert_int_equal(kill(daemon_pid(w), SIGKILL), 0);
	long long start = test_now_ms();
	runtime_wait_multiple(w->rt, fs, DEPTH + 1);
	long long took = test_now_ms() - start;
	printf("%d futures failed %lld ms after the kill\n", DEPTH + 1, took);
	assert_true(took < HANG_GUARD_MS);
	for (unsigned k = 0; k <= DEPTH; k++)
		if (FUTURE_OUTPUT(&f[k])->error != ECONNRESET)
			fail_msg("future %u: error %d, not ECONNRESET", k, FUTURE_OUTPUT(&f[k])->error);
	/* later calls fail at once */
	struct rpmem_persist_future later = rpmem_persist_async(w->rpp, HDR, 8, 0, 0);
	assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&later), NULL), FUTURE_STATE_COMPLETE);
	assert_int_equal(FUTURE_OUTPUT(&later)->error, ECONNRESET);
	assert_non_null(strstr(rpmem_errormsg(), "rpmem_persist_async: connection to localhost lost"));
	assert_int_equal(rpmem_persist(w->rpp, HDR, 8, 0, 0), -1);
	assert_int_equal(errno, ECONNRESET);
}

/*
 * rpmemd stops answering with a full lane in flight: every future of that
 * lane fails with ETIMEDOUT after RPMEM_TIMEOUT_MS, the other lane's with
 * ECONNRESET (the connection is given up), none hangs
 */
static void
rpmemd_silent_with_a_full_lane_in_flight_times_every_future_out(void **state)
{
	struct world *w = *state;
	struct rpmem_persist_future f[DEPTH + 1];
	struct future *fs[DEPTH + 1];
	long long start = test_now_ms();
	post_while_stopped(w, f, fs);
	/* the lane's futures first, polled from the last: whichever times out first ends all */
	for (unsigned k = DEPTH; k-- > 0; ) {
		runtime_wait(w->rt, fs[k]);
		assert_int_equal(FUTURE_OUTPUT(&f[k])->error, ETIMEDOUT);
		assert_non_null(strstr(rpmem_errormsg(),
			"no answer from rpmemd within 1000 ms (RPMEM_TIMEOUT_MS)"));
	}
	long long took = test_now_ms() - start;
	printf("%d futures timed out after %lld ms\n", DEPTH, took);
	assert_true(took >= 1000 && took < HANG_GUARD_MS);
	runtime_wait(w->rt, fs[DEPTH]);
	assert_int_equal(FUTURE_OUTPUT(&f[DEPTH])->error, ECONNRESET);
	struct rpmem_persist_future later = rpmem_persist_async(w->rpp, HDR, 8, 0, 0);
	assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&later), NULL), FUTURE_STATE_COMPLETE);
	assert_int_equal(FUTURE_OUTPUT(&later)->error, ECONNRESET);
}

/* every synchronous call on a lane with futures in flight fails with EBUSY; other lanes serve */
static void
synchronous_calls_on_a_lane_with_futures_in_flight_fail_with_ebusy(void **state)
{
	struct world *w = *state;
	struct rpmem_persist_future f[3];
	for (unsigned k = 0; k < 3; k++) {
		f[k] = op_future(w, 4 * k + 2, k, 1);
		assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&f[k]), NULL),
			FUTURE_STATE_RUNNING);
	}
	char buf[64];
	const char *names[] = { "rpmem_persist", "rpmem_deep_persist", "rpmem_flush",
		"rpmem_drain", "rpmem_read" };
	for (int i = 0; i < 5; i++) {
		errno = 0;
		int ret = i == 0 ? rpmem_persist(w->rpp, HDR, 8, 1, 0) :
			i == 1 ? rpmem_deep_persist(w->rpp, HDR, 8, 1) :
			i == 2 ? rpmem_flush(w->rpp, HDR, 8, 1, 0) :
			i == 3 ? rpmem_drain(w->rpp, 1, 0) :
			rpmem_read(w->rpp, buf, HDR, sizeof(buf), 1);
		assert_int_equal(ret, -1);
		assert_int_equal(errno, EBUSY);
		char want[128];
		snprintf(want, sizeof(want), "%s: lane 1 has an asynchronous persist in flight",
			names[i]);
		if (strstr(rpmem_errormsg(), want) == NULL)
			fail_msg("'%s' lacks '%s'", rpmem_errormsg(), want);
	}
	/* other lanes are free */
	assert_int_equal(rpmem_persist(w->rpp, HDR, 8, 2, 0), 0);
	for (unsigned k = 0; k < 3; k++) {
		runtime_wait(w->rt, FUTURE_AS_RUNNABLE(&f[k]));
		assert_succeeded(&f[k], k);
	}
	/* the lane is free once they all completed */
	assert_int_equal(rpmem_persist(w->rpp, HDR, 8, 1, 0), 0);
	assert_int_equal(rpmem_read(w->rpp, buf, HDR, sizeof(buf), 1), 0);
	assert_replicated(w, HDR, 3 * (size_t)REGION);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			a_thousand_futures_sixteen_in_flight_on_one_lane_are_all_durable,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			sixteen_futures_in_flight_on_every_lane_are_all_durable, setup, teardown),
		cmocka_unit_test_setup_teardown(
			futures_complete_by_their_own_answers_whatever_the_poll_order,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			futures_of_one_lane_polled_from_two_threads_all_complete, setup, teardown),
		cmocka_unit_test_setup_teardown(
			the_future_after_a_full_lane_stays_idle_until_a_slot_frees, setup, teardown),
		cmocka_unit_test_setup_teardown(
			rpmemd_killed_with_a_full_lane_in_flight_fails_every_future,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			rpmemd_silent_with_a_full_lane_in_flight_times_every_future_out,
			setup_short_timeout, teardown),
		cmocka_unit_test_setup_teardown(
			synchronous_calls_on_a_lane_with_futures_in_flight_fail_with_ebusy,
			setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
