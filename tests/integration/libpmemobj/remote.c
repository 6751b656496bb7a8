/* remote.c -- pools with one and two remote replicas (real rpmemd over tcp) and a local one: every write call reaches every replica, threads share lanes, bad remote replicas are refused */
#include <pthread.h>
#include <signal.h>

#include "../../unit/libpmemobj/obj_test.h"
#include "../rpmem/rpmem_test_env.h"

#define SIZE (8 * MIB)

struct world {
	struct rpmem_env env;
};

static int
setup(void **state)
{
	static struct world w;
	rpmem_env_setup(&w.env, "tcp");
	*state = &w;
	return 0;
}

/* every test starts without parts, local or remote */
static int
clean(void **state)
{
	obj_clean_dir();
	struct world *w = *state;
	rpmem_env_write(&w->env, "r1.set", "PMEMPOOLSET\n8M r1.part\n");
	rpmem_env_write(&w->env, "r2.set", "PMEMPOOLSET\n16M r2.part\n");
	rpmem_env_write(&w->env, "tiny.set", "PMEMPOOLSET\n4M tiny.part\n");
	return 0;
}

static PMEMobjpool *
create(const char *text)
{
	obj_write_file(obj_path("pool.set"), text);
	PMEMobjpool *pop = pmemobj_create(obj_path("pool.set"), "remote", 0, 0600);
	if (pop == NULL)
		fail_msg("pmemobj_create: %s (errno %d)", pmemobj_errormsg(), errno);
	return pop;
}

/* the pool data equals the remote part (pool offset = file offset) and the local replica */
static void
assert_everywhere(PMEMobjpool *pop, int r2, int local)
{
	struct obj_part p0[] = { { obj_path("p0"), SIZE, 1 } };
	struct obj_part r1[] = { { obj_path("r1.part"), SIZE, 1 } };
	struct obj_part rr2[] = { { obj_path("r2.part"), 16 * MIB, 1 } };
	struct obj_part l1[] = { { obj_path("l1"), SIZE, 1 } };
	obj_assert_replica(pop, p0, 1, OBJ_HDR, SIZE - OBJ_HDR);
	obj_assert_replica(pop, r1, 1, OBJ_HDR, SIZE - OBJ_HDR);
	if (r2)
		obj_assert_replica(pop, rr2, 1, OBJ_HDR, SIZE - OBJ_HDR);
	if (local)
		obj_assert_replica(pop, l1, 1, OBJ_HDR, SIZE - OBJ_HDR);
}

static void
write_through_every_call(PMEMobjpool *pop)
{
	char *d = (char *)pop + OBJ_ROOT;
	char src[16 << 10];
	size_t s = sizeof(src);
	errno = 0;
	/* small (inline) and large (RDMA write) persists */
	test_fill_pattern(d, 64, 1);
	pmemobj_persist(pop, d, 64);
	d += 64;
	test_fill_pattern(d, s, 2);
	pmemobj_persist(pop, d, s);
	d += s;
	test_fill_pattern(d, s, 3);
	assert_int_equal(pmemobj_xpersist(pop, d, s, 0), 0);
	d += s;
	test_fill_pattern(d, s, 4);
	assert_int_equal(pmemobj_xpersist(pop, d, s, PMEMOBJ_F_RELAXED), 0);
	d += s;
	test_fill_pattern(d, s, 5);
	pmemobj_flush(pop, d, s);
	pmemobj_drain(pop);
	d += s;
	test_fill_pattern(d, s, 6);
	assert_int_equal(pmemobj_xflush(pop, d, s, PMEMOBJ_F_RELAXED), 0);
	pmemobj_drain(pop);
	d += s;
	test_fill_pattern(src, s, 7);
	assert_ptr_equal(pmemobj_memcpy_persist(pop, d, src, s), d);
	d += s;
	assert_ptr_equal(pmemobj_memset_persist(pop, d, 0x33, s), d);
	d += s;
	static const unsigned flags[] = {
		0, PMEMOBJ_F_MEM_NODRAIN, PMEMOBJ_F_MEM_NONTEMPORAL, PMEMOBJ_F_MEM_TEMPORAL,
		PMEMOBJ_F_MEM_WC, PMEMOBJ_F_MEM_WB, PMEMOBJ_F_RELAXED,
	};
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		test_fill_pattern(src, s, 10 + (unsigned)i);
		pmemobj_memcpy(pop, d, src, s, flags[i]);
		d += s;
		pmemobj_memset(pop, d, (int)i + 1, s, flags[i]);
		d += s;
		test_fill_pattern(d, s, 20 + (unsigned)i);
		pmemobj_persist(pop, d, s);
		pmemobj_memmove(pop, d + 100, d, s - 100, flags[i]);
		if (flags[i] & PMEMOBJ_F_MEM_NODRAIN)
			pmemobj_drain(pop);
		d += s;
	}
	/* a range larger than a lane's inline size, to the end of the pool */
	size_t rest = (size_t)((char *)pop + SIZE - d);
	test_fill_pattern(d, rest, 30);
	pmemobj_persist(pop, d, rest);
	assert_int_equal(errno, 0);
}

static void
one_remote_replica_gets_every_write_and_reopens(void **state)
{
	PMEMobjpool *pop = create("PMEMPOOLSET\n8M p0\nREPLICA localhost r1.set\n");
	write_through_every_call(pop);
	PMEMoid root = pmemobj_root(pop, 100);
	assert_false(OID_IS_NULL(root));
	pmemobj_close(pop);

	/* the daemon's part holds every byte once the pool is closed */
	struct obj_part p0[] = { { obj_path("p0"), SIZE, 1 } };
	struct obj_part r1[] = { { obj_path("r1.part"), SIZE, 1 } };
	char *a = malloc(SIZE), *b = malloc(SIZE);
	obj_read_replica(p0, 1, OBJ_HDR, a, SIZE - OBJ_HDR);
	obj_read_replica(r1, 1, OBJ_HDR, b, SIZE - OBJ_HDR);
	assert_memory_equal(a, b, SIZE - OBJ_HDR);
	free(a);
	free(b);

	assert_non_null(pop = pmemobj_open(obj_path("pool.set"), "remote"));
	assert_int_equal(pmemobj_root_size(pop), 100);
	assert_everywhere(pop, 0, 0);
	pmemobj_close(pop);
	assert_int_equal(pmemobj_check(obj_path("pool.set"), "remote"), 1);
}

static void
two_remote_and_one_local_replica_get_every_write(void **state)
{
	PMEMobjpool *pop = create("PMEMPOOLSET\n8M p0\nREPLICA localhost r1.set\n"
		"REPLICA\n8M l1\nREPLICA localhost r2.set\n");
	write_through_every_call(pop);
	assert_everywhere(pop, 1, 1);
	pmemobj_close(pop);
	assert_non_null(pop = pmemobj_open(obj_path("pool.set"), NULL));
	assert_everywhere(pop, 1, 1);
	pmemobj_close(pop);
}

struct job {
	PMEMobjpool *pop;
	unsigned id;
	int failures;
};

static void *
writer(void *arg)
{
	struct job *j = arg;
	char *base = (char *)j->pop + OBJ_ROOT + j->id * (512 << 10);
	for (unsigned i = 0; i < 64; i++) {
		char buf[8192];
		test_fill_pattern(buf, sizeof(buf), j->id * 1000 + i);
		pmemobj_memcpy_persist(j->pop, base + i * sizeof(buf), buf, sizeof(buf));
		if (errno != 0)
			j->failures++;
	}
	return NULL;
}

static void
threads_beyond_the_lanes_share_them(void **state)
{
	/* two lanes, eight threads */
	setenv("PMEMOBJ_NLANES", "2", 1);
	PMEMobjpool *pop = create("PMEMPOOLSET\n8M p0\nREPLICA localhost r1.set\n"
		"REPLICA localhost r2.set\n");
	unsetenv("PMEMOBJ_NLANES");
	pthread_t t[8];
	struct job jobs[8];
	for (unsigned i = 0; i < 8; i++) {
		jobs[i] = (struct job){ pop, i, 0 };
		assert_int_equal(pthread_create(&t[i], NULL, writer, &jobs[i]), 0);
	}
	for (unsigned i = 0; i < 8; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(jobs[i].failures, 0);
	}
	assert_everywhere(pop, 1, 0);
	pmemobj_close(pop);
}

static void
remote_replica_too_small_fails_create_and_leaves_nothing(void **state)
{
	obj_write_file(obj_path("pool.set"),
		"PMEMPOOLSET\n8M p0\nREPLICA localhost r1.set\nREPLICA localhost tiny.set\n");
	errno = 0;
	assert_null(pmemobj_create(obj_path("pool.set"), NULL, 0, 0600));
	obj_assert_error(EFBIG, "replica 2 (localhost tiny.set): cannot be created");
	/* the local part and the first remote pool were removed again */
	assert_int_equal(access(obj_path("p0"), F_OK), -1);
	assert_int_equal(access(obj_path("r1.part"), F_OK), -1);
	assert_int_equal(access(obj_path("tiny.part"), F_OK), -1);
	/* the daemon's pool set files stay */
	assert_int_equal(access(obj_path("r1.set"), F_OK), 0);
}

static void
remote_replica_missing_or_unreachable_fails_open(void **state)
{
	pmemobj_close(create("PMEMPOOLSET\n8M p0\nREPLICA localhost r1.set\n"));
	assert_int_equal(unlink(obj_path("r1.part")), 0);
	errno = 0;
	assert_null(pmemobj_open(obj_path("pool.set"), NULL));
	obj_assert_error(ENOENT, "replica 1 (localhost r1.set): cannot be opened");
	assert_int_equal(pmemobj_check(obj_path("pool.set"), NULL), -1);
	/* a set name the daemon does not have */
	obj_write_file(obj_path("pool.set"), "PMEMPOOLSET\n8M p0\nREPLICA localhost nosuch.set\n");
	assert_null(pmemobj_open(obj_path("pool.set"), NULL));
	obj_assert_error(ENOENT, "replica 1 (localhost nosuch.set)");
}

static void
remote_replica_of_another_pool_is_refused_naming_it(void **state)
{
	/* r2 belongs to another pool; the set file then names it as replica 1 of the first */
	pmemobj_close(create("PMEMPOOLSET\n8M p0\nREPLICA localhost r1.set\n"));
	obj_write_file(obj_path("other.set"), "PMEMPOOLSET\n8M o0\nREPLICA localhost r2.set\n");
	PMEMobjpool *pop = pmemobj_create(obj_path("other.set"), NULL, 0, 0600);
	assert_non_null(pop);
	pmemobj_close(pop);
	obj_write_file(obj_path("pool.set"), "PMEMPOOLSET\n8M p0\nREPLICA localhost r2.set\n");
	errno = 0;
	assert_null(pmemobj_open(obj_path("pool.set"), NULL));
	obj_assert_error(EINVAL, "replica 1 (localhost r2.set): belongs to another pool set");
	assert_int_equal(pmemobj_check(obj_path("pool.set"), NULL), 0);
}

static void
singlehdr_must_match_the_remote_set(void **state)
{
	struct world *w = *state;
	/* rpmemd refuses the SINGLEHDR feature for a set without the option */
	obj_write_file(obj_path("pool.set"),
		"PMEMPOOLSET\nOPTION SINGLEHDR\n4M p0\n4M p1\nREPLICA localhost r1.set\n");
	errno = 0;
	assert_null(pmemobj_create(obj_path("pool.set"), NULL, 0, 0600));
	obj_assert_error(EINVAL, "replica 1 (localhost r1.set): cannot be created");
	assert_int_equal(access(obj_path("p0"), F_OK), -1);

	/* with the option on both sides the pool is made, written and reopened */
	rpmem_env_write(&w->env, "r1.set", "PMEMPOOLSET\nOPTION SINGLEHDR\n4M r1a.part\n4M r1b.part\n");
	PMEMobjpool *pop = pmemobj_create(obj_path("pool.set"), NULL, 0, 0600);
	if (pop == NULL)
		fail_msg("pmemobj_create: %s", pmemobj_errormsg());
	size_t len = SIZE - OBJ_ROOT;
	test_fill_pattern((char *)pop + OBJ_ROOT, len, 9);
	pmemobj_persist(pop, (char *)pop + OBJ_ROOT, len);
	pmemobj_close(pop);
	struct obj_part r1[] = { { obj_path("r1a.part"), 4 * MIB, 0 }, { obj_path("r1b.part"), 4 * MIB, 0 } };
	assert_non_null(pop = pmemobj_open(obj_path("pool.set"), NULL));
	obj_assert_replica(pop, r1, 2, OBJ_HDR, SIZE - OBJ_HDR);
	pmemobj_close(pop);
	rpmem_env_unlink(&w->env, "r1a.part");
	rpmem_env_unlink(&w->env, "r1b.part");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(one_remote_replica_gets_every_write_and_reopens, clean),
		cmocka_unit_test_setup(two_remote_and_one_local_replica_get_every_write, clean),
		cmocka_unit_test_setup(threads_beyond_the_lanes_share_them, clean),
		cmocka_unit_test_setup(remote_replica_too_small_fails_create_and_leaves_nothing, clean),
		cmocka_unit_test_setup(remote_replica_missing_or_unreachable_fails_open, clean),
		cmocka_unit_test_setup(remote_replica_of_another_pool_is_refused_naming_it, clean),
		cmocka_unit_test_setup(singlehdr_must_match_the_remote_set, clean),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
