/* replicate.c -- librpmem against a real rpmemd (local ssh stand-in) over tcp and sockets: data gets there and stays */
#include <pthread.h>
#include <sys/wait.h>

#include <librpmem.h>

#include "rpmem_test_env.h"

#define POOL_SIZE ((size_t)8 << 20)
#define HDR 4096
#define NLANES 4

static const char Set[] = "PMEMPOOLSET\n8M pool.part\n";

struct world {
	struct rpmem_env env;
	char *pool;
	const char *provider;
};

static void
attr_init(struct rpmem_pool_attr *a, unsigned char seed)
{
	memset(a, 0, sizeof(*a));
	memcpy(a->signature, "TESTPOOL", RPMEM_POOL_HDR_SIG_LEN);
	a->major = 3;
	a->compat_features = 0x11;
	a->ro_compat_features = 0x22;
	for (int i = 0; i < RPMEM_POOL_HDR_UUID_LEN; i++) {
		a->poolset_uuid[i] = (unsigned char)(seed + i);
		a->uuid[i] = (unsigned char)(seed + 2 * i + 1);
		a->next_uuid[i] = (unsigned char)(seed ^ i);
		a->prev_uuid[i] = (unsigned char)(seed * i);
	}
	/* bytes a careless text channel would mangle */
	memcpy(a->user_flags, "a\0b\n~.c\r\377", 9);
}

static int
setup(void **state, const char *provider)
{
	struct world *w = calloc(1, sizeof(*w));
	w->provider = provider;
	rpmem_env_setup(&w->env, provider);
	/* one directory for the whole program: start every test without parts */
	rpmem_env_write(&w->env, "pool.set", Set);
	rpmem_env_unlink(&w->env, "pool.part");
	rpmem_env_unlink(&w->env, "small.part");
	w->pool = rpmem_env_pool(POOL_SIZE);
	*state = w;
	return 0;
}

static int setup_tcp(void **state) { return setup(state, "tcp"); }
static int setup_sockets(void **state) { return setup(state, "sockets"); }

static int
teardown(void **state)
{
	struct world *w = *state;
	munmap(w->pool, POOL_SIZE);
	free(w);
	return 0;
}

static RPMEMpool *
create(struct world *w, unsigned *nlanes)
{
	struct rpmem_pool_attr a;
	attr_init(&a, 7);
	*nlanes = NLANES;
	RPMEMpool *rpp = rpmem_create("localhost", "pool.set", w->pool, POOL_SIZE,
		nlanes, &a);
	if (rpp == NULL)
		fail_msg("rpmem_create over %s: %s (errno %d)", w->provider,
			rpmem_errormsg(), errno);
	assert_true(*nlanes >= 1 && *nlanes <= NLANES);
	return rpp;
}

static void
close_ok(RPMEMpool *rpp)
{
	if (rpmem_close(rpp) != 0)
		fail_msg("rpmem_close: %s (errno %d)", rpmem_errormsg(), errno);
}

static void
persisted_data_is_in_the_remote_part_and_survives_reopen(void **state)
{
	struct world *w = *state;
	unsigned nlanes;
	RPMEMpool *rpp = create(w, &nlanes);

	/* a small range goes inline, a large one by RDMA write, one relaxed */
	test_fill_pattern(w->pool + HDR, POOL_SIZE - HDR, 1);
	assert_int_equal(rpmem_persist(rpp, HDR, 64, 0, 0), 0);
	assert_int_equal(rpmem_persist(rpp, HDR + 64, (1 << 20) - 64, nlanes - 1, 0), 0);
	assert_int_equal(rpmem_persist(rpp, HDR + (1 << 20), POOL_SIZE - HDR - (1 << 20),
		0, RPMEM_PERSIST_RELAXED), 0);

	char *back = malloc(POOL_SIZE);
	assert_int_equal(rpmem_read(rpp, back, HDR, POOL_SIZE - HDR, 0), 0);
	assert_memory_equal(back, w->pool + HDR, POOL_SIZE - HDR);
	close_ok(rpp);

	/* the daemon wrote it to the part file (offset = pool offset for one part) */
	rpmem_env_read_part(&w->env, "pool.part", back, POOL_SIZE - HDR, HDR);
	assert_memory_equal(back, w->pool + HDR, POOL_SIZE - HDR);

	/* and a new session sees it, with the attributes it was created with */
	struct rpmem_pool_attr want, got;
	attr_init(&want, 7);
	memset(back, 0, POOL_SIZE);
	nlanes = NLANES;
	rpp = rpmem_open("localhost", "pool.set", w->pool, POOL_SIZE, &nlanes, &got);
	assert_non_null(rpp);
	assert_memory_equal(&got, &want, sizeof(got));
	assert_int_equal(rpmem_read(rpp, back, HDR, POOL_SIZE - HDR, 1 % nlanes), 0);
	assert_memory_equal(back, w->pool + HDR, POOL_SIZE - HDR);
	close_ok(rpp);
	free(back);
}

static void
flush_drain_and_deep_persist_reach_the_part(void **state)
{
	struct world *w = *state;
	unsigned nlanes;
	RPMEMpool *rpp = create(w, &nlanes);
	test_fill_pattern(w->pool + HDR, 1 << 20, 2);
	for (size_t off = HDR; off < HDR + (1 << 20); off += 64 << 10)
		assert_int_equal(rpmem_flush(rpp, off, 64 << 10, 0, 0), 0);
	assert_int_equal(rpmem_drain(rpp, 0, 0), 0);
	assert_int_equal(rpmem_deep_persist(rpp, HDR + (1 << 20), 4096, 0), 0);
	close_ok(rpp);

	char *back = malloc(1 << 20);
	rpmem_env_read_part(&w->env, "pool.part", back, 1 << 20, HDR);
	assert_memory_equal(back, w->pool + HDR, 1 << 20);
	free(back);
}

struct lane_job {
	RPMEMpool *rpp;
	char *pool;
	unsigned lane;
	int failures;
};

static void *
lane_worker(void *arg)
{
	struct lane_job *j = arg;
	size_t slice = (POOL_SIZE - HDR) / NLANES;
	size_t base = HDR + j->lane * slice;
	for (size_t off = 0; off + 4096 <= slice; off += 4096) {
		test_fill_pattern(j->pool + base + off, 4096, j->lane * 1000 + (unsigned)off);
		if (rpmem_persist(j->rpp, base + off, 4096, j->lane, 0) != 0)
			j->failures++;
	}
	return NULL;
}

static void
lanes_in_threads_replicate_disjoint_ranges(void **state)
{
	struct world *w = *state;
	unsigned nlanes;
	RPMEMpool *rpp = create(w, &nlanes);
	pthread_t t[NLANES];
	struct lane_job jobs[NLANES];
	for (unsigned i = 0; i < nlanes; i++) {
		jobs[i] = (struct lane_job){ rpp, w->pool, i, 0 };
		assert_int_equal(pthread_create(&t[i], NULL, lane_worker, &jobs[i]), 0);
	}
	for (unsigned i = 0; i < nlanes; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(jobs[i].failures, 0);
	}
	close_ok(rpp);

	size_t len = nlanes * ((POOL_SIZE - HDR) / NLANES);
	char *back = malloc(len);
	rpmem_env_read_part(&w->env, "pool.part", back, len, HDR);
	for (unsigned i = 0; i < nlanes; i++) {
		size_t slice = (POOL_SIZE - HDR) / NLANES;
		size_t done = slice / 4096 * 4096;
		assert_memory_equal(back + i * slice, w->pool + HDR + i * slice, done);
	}
	free(back);
}

static void
pool_errors_come_back_with_their_errno(void **state)
{
	struct world *w = *state;
	unsigned nlanes = NLANES;
	struct rpmem_pool_attr a;
	attr_init(&a, 3);

	errno = 0;
	assert_null(rpmem_create("localhost", "missing.set", w->pool, POOL_SIZE, &nlanes, &a));
	assert_int_equal(errno, ENOENT);
	assert_true(strlen(rpmem_errormsg()) > 0);

	rpmem_env_write(&w->env, "small.set", "PMEMPOOLSET\n4M small.part\n");
	nlanes = NLANES;
	assert_null(rpmem_create("localhost", "small.set", w->pool, POOL_SIZE, &nlanes, &a));
	assert_int_equal(errno, EFBIG);

	RPMEMpool *rpp = create(w, &nlanes);
	nlanes = NLANES;
	assert_null(rpmem_open("localhost", "pool.set", w->pool, POOL_SIZE, &nlanes, NULL));
	assert_int_equal(errno, EBUSY);
	close_ok(rpp);

	nlanes = NLANES;
	assert_null(rpmem_create("localhost", "pool.set", w->pool, POOL_SIZE, &nlanes, &a));
	assert_int_equal(errno, EEXIST);

	nlanes = NLANES;
	assert_null(rpmem_create("localhost", "../escape.set", w->pool, POOL_SIZE, &nlanes, &a));
	assert_int_equal(errno, EINVAL);
}

static void
header_offsets_and_bad_lanes_fail_without_poisoning_the_pool(void **state)
{
	struct world *w = *state;
	unsigned nlanes;
	RPMEMpool *rpp = create(w, &nlanes);
	for (size_t off = 0; off < HDR; off += 8) {
		errno = 0;
		assert_int_equal(rpmem_persist(rpp, off, 8, 0, 0), -1);
		assert_int_equal(errno, EINVAL);
	}
	assert_int_equal(rpmem_persist(rpp, HDR, 8, nlanes, 0), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(rpmem_persist(rpp, HDR, 0, 0, 0), 0);
	w->pool[HDR] = 42;
	assert_int_equal(rpmem_persist(rpp, HDR, 8, 0, 0), 0);
	close_ok(rpp);
}

static void
set_attr_round_trips_through_a_reopen(void **state)
{
	struct world *w = *state;
	unsigned nlanes;
	RPMEMpool *rpp = create(w, &nlanes);
	struct rpmem_pool_attr a, got;
	attr_init(&a, 99);
	assert_int_equal(rpmem_set_attr(rpp, &a), 0);
	close_ok(rpp);
	nlanes = NLANES;
	rpp = rpmem_open("localhost", "pool.set", w->pool, POOL_SIZE, &nlanes, &got);
	assert_non_null(rpp);
	assert_memory_equal(&got, &a, sizeof(a));
	close_ok(rpp);
}

static void
killed_daemon_is_reported_as_econnreset_and_the_pool_reopens(void **state)
{
	struct world *w = *state;
	unsigned nlanes;
	RPMEMpool *rpp = create(w, &nlanes);
	pid_t pids[4];
	int n = rpmem_env_daemons(&w->env, pids, 4);
	assert_int_equal(n, 1);
	assert_int_equal(kill(pids[0], SIGKILL), 0);

	/* the first call may still be in flight when it dies; it must end, with ECONNRESET */
	int ret = rpmem_persist(rpp, HDR, 4096, 0, 0);
	if (ret == 0)
		ret = rpmem_persist(rpp, HDR, 4096, 0, 0);
	assert_int_equal(ret, -1);
	assert_int_equal(errno, ECONNRESET);
	assert_true(strlen(rpmem_errormsg()) > 0);
	/* sticky: at once, every later call */
	assert_int_equal(rpmem_persist(rpp, HDR, 8, 1 % nlanes, 0), -1);
	assert_int_equal(errno, ECONNRESET);
	rpmem_close(rpp);

	/* the lock died with the daemon */
	nlanes = NLANES;
	rpp = rpmem_open("localhost", "pool.set", w->pool, POOL_SIZE, &nlanes, NULL);
	if (rpp == NULL)
		fail_msg("reopen after the kill: %s", rpmem_errormsg());
	close_ok(rpp);
}

static void
remove_deletes_the_parts_and_with_pool_set_the_set(void **state)
{
	struct world *w = *state;
	unsigned nlanes;
	RPMEMpool *rpp = create(w, &nlanes);
	close_ok(rpp);
	char path[PATH_MAX + 64];
	snprintf(path, sizeof(path), "%s/pool.part", w->env.dir);
	assert_int_equal(rpmem_remove("localhost", "pool.set", 0), 0);
	assert_int_equal(access(path, F_OK), -1);
	snprintf(path, sizeof(path), "%s/pool.set", w->env.dir);
	assert_int_equal(access(path, F_OK), 0);

	rpp = create(w, &nlanes);
	close_ok(rpp);
	assert_int_equal(rpmem_remove("localhost", "pool.set", RPMEM_REMOVE_POOL_SET), 0);
	assert_int_equal(access(path, F_OK), -1);
	rpmem_env_write(&w->env, "pool.set", Set);
}

#define BOTH(t) \
	cmocka_unit_test_setup_teardown(t, setup_tcp, teardown), \
	cmocka_unit_test_setup_teardown(t, setup_sockets, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		BOTH(persisted_data_is_in_the_remote_part_and_survives_reopen),
		BOTH(flush_drain_and_deep_persist_reach_the_part),
		BOTH(lanes_in_threads_replicate_disjoint_ranges),
		cmocka_unit_test_setup_teardown(pool_errors_come_back_with_their_errno, setup_tcp, teardown),
		cmocka_unit_test_setup_teardown(header_offsets_and_bad_lanes_fail_without_poisoning_the_pool, setup_tcp, teardown),
		cmocka_unit_test_setup_teardown(set_attr_round_trips_through_a_reopen, setup_tcp, teardown),
		BOTH(killed_daemon_is_reported_as_econnreset_and_the_pool_reopens),
		cmocka_unit_test_setup_teardown(remove_deletes_the_parts_and_with_pool_set_the_set, setup_tcp, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
