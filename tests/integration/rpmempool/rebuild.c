/* rebuild.c -- rpmempool check and sync on broken replicas: a local part deleted, a header corrupted (a replica's or the primary's), a foreign replica, a remote replica's parts deleted behind rpmemd; each reported, rebuilt with the data of the pool, and the pool opens again */
#include "rpmempool_test.h"

#define SIZE (8 * MIB)
#define LOCAL_SET "PMEMPOOLSET\n8M p0\nREPLICA\n4M r1a\n8M r1b\n"
#define REMOTE_SET "PMEMPOOLSET\n8M p0\nREPLICA localhost r1.set\n"

static struct rpmem_env Env;

static int
setup(void **state)
{
	rpmem_env_setup(&Env, "tcp");
	return 0;
}

static int
clean(void **state)
{
	obj_clean_dir();
	rpmem_env_write(&Env, "r1.set", "PMEMPOOLSET\n8M r1.part\n");
	rpmem_env_write(&Env, "r2.set", "PMEMPOOLSET\n8M r2.part\n");
	return 0;
}

/* a pool of the set text with 4 MiB of the root written through libpmemobj */
static void
make_pool(const char *set)
{
	obj_write_file(obj_path("pool.set"), set);
	PMEMobjpool *pop = pmemobj_create(obj_path("pool.set"), "tool", 0, 0600);
	if (pop == NULL)
		fail_msg("pmemobj_create: %s", pmemobj_errormsg());
	char *root = (char *)pop + OBJ_ROOT;
	test_fill_pattern(root, 4 * MIB, 7);
	assert_int_equal(pmemobj_xpersist(pop, root, 4 * MIB, 0), 0);
	pmemobj_close(pop);
}

/* the pool opens, holds the data make_pool wrote, and rpmempool check finds nothing wrong */
static void
assert_pool_good(void)
{
	PMEMobjpool *pop = pmemobj_open(obj_path("pool.set"), "tool");
	if (pop == NULL)
		fail_msg("pmemobj_open: %s", pmemobj_errormsg());
	char *want = malloc(4 * MIB);
	assert_non_null(want);
	test_fill_pattern(want, 4 * MIB, 7);
	assert_memory_equal((char *)pop + OBJ_ROOT, want, 4 * MIB);
	free(want);
	pmemobj_close(pop);
	struct tool_run run;
	tool(&run, "check", obj_path("pool.set"), NULL);
	tool_expect(&run, 0, "consistent", NULL);
}

/* replica 1 of LOCAL_SET (two parts) holds the primary's data */
static void
assert_local_replica_same(void)
{
	struct obj_part p0[] = { { obj_path("p0"), SIZE, 1 } };
	struct obj_part r1[] = { { obj_path("r1a"), 4 * MIB, 1 }, { obj_path("r1b"), SIZE, 1 } };
	char *a = malloc(SIZE), *b = malloc(SIZE);
	assert_non_null(a);
	assert_non_null(b);
	obj_read_replica(p0, 1, OBJ_HDR, a, SIZE - OBJ_HDR);
	obj_read_replica(r1, 2, OBJ_HDR, b, SIZE - OBJ_HDR);
	assert_memory_equal(a, b, SIZE - OBJ_HDR);
	free(a);
	free(b);
}

static void
scribble(const char *name, off_t off)
{
	int fd = open(obj_path(name), O_RDWR);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, "zz", 2, off), 2);
	close(fd);
}

static void
local_part_deleted_is_reported_and_rebuilt(void **state)
{
	make_pool(LOCAL_SET);
	assert_int_equal(unlink(obj_path("r1b")), 0);
	struct tool_run run;
	tool(&run, "check", obj_path("pool.set"), NULL);
	tool_expect(&run, 1, "replica 1 (line 4, ", NULL);
	tool_expect(&run, 1, ": missing: ", NULL);
	tool_expect(&run, 1, "r1b", NULL);
	tool_expect(&run, 1, "not consistent: 1 of 2 replicas", NULL);

	tool(&run, "sync", obj_path("pool.set"), NULL);
	tool_expect(&run, 0, "rebuilding replica 1 (line 4, ", NULL);
	tool_expect(&run, 0, "every replica is good (2)", NULL);
	assert_local_replica_same();
	assert_pool_good();
}

static void
corrupted_replica_header_is_reported_and_rebuilt(void **state)
{
	make_pool(LOCAL_SET);
	/* the part-1 header of replica 1: the replica's parts disagree */
	scribble("r1b", 300);
	struct tool_run run;
	tool(&run, "check", obj_path("pool.set"), NULL);
	tool_expect(&run, 1, "replica 1 (line 4, ", NULL);
	tool_expect(&run, 1, ": damaged: ", NULL);
	tool_expect(&run, 1, "header checksum mismatch", NULL);
	tool(&run, "sync", obj_path("pool.set"), NULL);
	tool_expect(&run, 0, "every replica is good (2)", NULL);
	assert_local_replica_same();
	assert_pool_good();
}

static void
corrupted_primary_is_rebuilt_from_the_first_good_replica(void **state)
{
	make_pool(LOCAL_SET);
	scribble("p0", 16);
	struct tool_run run;
	tool(&run, "check", obj_path("pool.set"), NULL);
	tool_expect(&run, 1, "replica 0 (line 2, ", NULL);
	tool(&run, "sync", obj_path("pool.set"), NULL);
	tool_expect(&run, 0, "from replica 1 (line 4, ", NULL);
	tool_expect(&run, 0, "every replica is good (2)", NULL);
	assert_local_replica_same();
	assert_pool_good();
}

static void
foreign_replica_is_reported_and_rebuilt(void **state)
{
	make_pool(LOCAL_SET);
	/* replica 1 taken from another pool with the same shape */
	obj_write_file(obj_path("o.set"), "PMEMPOOLSET\n8M o0\nREPLICA\n4M o1a\n8M o1b\n");
	PMEMobjpool *pop = pmemobj_create(obj_path("o.set"), "tool", 0, 0600);
	assert_non_null(pop);
	pmemobj_close(pop);
	assert_int_equal(rename(obj_path("o1a"), obj_path("r1a")), 0);
	assert_int_equal(rename(obj_path("o1b"), obj_path("r1b")), 0);
	struct tool_run run;
	tool(&run, "check", obj_path("pool.set"), NULL);
	tool_expect(&run, 1, ": foreign: belongs to another pool set", NULL);
	tool(&run, "sync", obj_path("pool.set"), NULL);
	tool_expect(&run, 0, "every replica is good (2)", NULL);
	assert_local_replica_same();
	assert_pool_good();
}

static void
remote_parts_deleted_are_rebuilt_through_rpmemd(void **state)
{
	make_pool(REMOTE_SET);
	rpmem_env_unlink(&Env, "r1.part");
	struct tool_run run;
	tool(&run, "check", obj_path("pool.set"), NULL);
	tool_expect(&run, 1, "replica 1 (localhost r1.set): missing: ", NULL);
	tool_expect(&run, 1, "r1.part", NULL);
	tool(&run, "sync", "--progress", obj_path("pool.set"), NULL);
	tool_expect(&run, 0, "rebuilding replica 1 (localhost r1.set) from replica 0", NULL);
	tool_expect(&run, 0, "every replica is good (2)", "replica 1 (localhost r1.set): 100% (");
	tool_assert_same_data(obj_path("p0"), obj_path("r1.part"), SIZE);
	assert_pool_good();

	/* its data damaged behind rpmemd: the descriptor read back says so */
	scribble("r1.part", OBJ_HDR + 16);
	tool(&run, "check", obj_path("pool.set"), NULL);
	tool_expect(&run, 1, "replica 1 (localhost r1.set): damaged: pool descriptor checksum mismatch",
		NULL);
	tool(&run, "sync", obj_path("pool.set"), NULL);
	tool_expect(&run, 0, "every replica is good (2)", NULL);
	tool_assert_same_data(obj_path("p0"), obj_path("r1.part"), SIZE);
	assert_pool_good();
}

static void
lost_local_replicas_are_rebuilt_from_a_remote_one(void **state)
{
	make_pool("PMEMPOOLSET\n8M p0\nREPLICA\n8M l1\nREPLICA localhost r1.set\n"
		"REPLICA localhost r2.set\n");
	/* every local replica gone, and one remote replica too */
	assert_int_equal(unlink(obj_path("p0")), 0);
	assert_int_equal(unlink(obj_path("l1")), 0);
	rpmem_env_unlink(&Env, "r2.part");
	struct tool_run run;
	tool(&run, "sync", "-n", obj_path("pool.set"), NULL);
	tool_expect(&run, 0, "would rebuild replica 0 (line 2, ", NULL);
	tool_expect(&run, 0, "from replica 2 (localhost r1.set)", NULL);
	tool_expect(&run, 0, "would rebuild replica 3 (localhost r2.set) from replica 0 (line 2, ",
		NULL);
	tool(&run, "sync", obj_path("pool.set"), NULL);
	tool_expect(&run, 0, "every replica is good (4)", NULL);
	tool_assert_same_data(obj_path("r1.part"), obj_path("p0"), SIZE);
	tool_assert_same_data(obj_path("r1.part"), obj_path("l1"), SIZE);
	tool_assert_same_data(obj_path("r1.part"), obj_path("r2.part"), SIZE);
	assert_pool_good();

	/* both remote replicas good: the second one is kept, only relinked */
	assert_int_equal(unlink(obj_path("p0")), 0);
	assert_int_equal(unlink(obj_path("l1")), 0);
	tool(&run, "sync", obj_path("pool.set"), NULL);
	tool_expect(&run, 0, "every replica is good (4)", NULL);
	assert_null(strstr(run.out, "rebuilding replica 3"));
	assert_null(strstr(run.out, "rebuilding replica 2"));
	tool_assert_same_data(obj_path("r2.part"), obj_path("p0"), SIZE);
	assert_pool_good();
}

static void
dry_run_names_the_work_and_changes_nothing(void **state)
{
	make_pool(LOCAL_SET);
	assert_int_equal(unlink(obj_path("r1b")), 0);
	struct tool_run run;
	tool(&run, "sync", "-n", obj_path("pool.set"), NULL);
	tool_expect(&run, 0, "would rebuild replica 1 (line 4, ", NULL);
	assert_int_equal(access(obj_path("r1b"), F_OK), -1);
	tool(&run, "check", obj_path("pool.set"), NULL);
	tool_expect(&run, 1, ": missing: ", NULL);
}

static void
progress_lines_only_when_asked(void **state)
{
	make_pool(LOCAL_SET);
	assert_int_equal(unlink(obj_path("r1b")), 0);
	struct tool_run run;
	/* standard error is a file here: no progress unless asked */
	tool(&run, "sync", obj_path("pool.set"), NULL);
	tool_expect(&run, 0, NULL, NULL);
	assert_null(strstr(run.err, "%"));
	assert_int_equal(unlink(obj_path("r1a")), 0);
	tool(&run, "sync", "-p", obj_path("pool.set"), NULL);
	tool_expect(&run, 0, NULL, "rpmempool sync: replica 1 (line 4, ");
	tool_expect(&run, 0, NULL, ": 50% (4.0 of 8.0 MiB)\n");
	tool_expect(&run, 0, NULL, ": 100% (8.0 of 8.0 MiB)\n");
	assert_local_replica_same();
}

static void
healthy_set_needs_nothing(void **state)
{
	make_pool(LOCAL_SET);
	struct tool_run run;
	tool(&run, "sync", obj_path("pool.set"), NULL);
	tool_expect(&run, 0, "nothing to do, every replica is good (2)", NULL);
	assert_pool_good();
}

static void
open_pool_cannot_be_checked_nor_synced(void **state)
{
	make_pool(LOCAL_SET);
	PMEMobjpool *pop = pmemobj_open(obj_path("pool.set"), "tool");
	assert_non_null(pop);
	struct tool_run run;
	tool(&run, "check", obj_path("pool.set"), NULL);
	tool_expect(&run, 2, NULL, "is in use");
	tool(&run, "sync", obj_path("pool.set"), NULL);
	tool_expect(&run, 2, NULL, "is in use");
	tool(&run, "rm", obj_path("pool.set"), NULL);
	tool_expect(&run, 1, NULL, "is in use");
	assert_int_equal(access(obj_path("p0"), F_OK), 0);
	pmemobj_close(pop);
}

static void
without_a_good_local_replica_sync_fails(void **state)
{
	make_pool(LOCAL_SET);
	scribble("p0", 16);
	scribble("r1a", 16);
	struct tool_run run;
	tool(&run, "sync", obj_path("pool.set"), NULL);
	tool_expect(&run, 1, NULL, "has no good replica, local or remote, to rebuild the others from");
	tool_expect(&run, 1, NULL, "replica 0 (line 2, ");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(local_part_deleted_is_reported_and_rebuilt, clean),
		cmocka_unit_test_setup(corrupted_replica_header_is_reported_and_rebuilt, clean),
		cmocka_unit_test_setup(corrupted_primary_is_rebuilt_from_the_first_good_replica, clean),
		cmocka_unit_test_setup(foreign_replica_is_reported_and_rebuilt, clean),
		cmocka_unit_test_setup(remote_parts_deleted_are_rebuilt_through_rpmemd, clean),
		cmocka_unit_test_setup(lost_local_replicas_are_rebuilt_from_a_remote_one, clean),
		cmocka_unit_test_setup(dry_run_names_the_work_and_changes_nothing, clean),
		cmocka_unit_test_setup(progress_lines_only_when_asked, clean),
		cmocka_unit_test_setup(healthy_set_needs_nothing, clean),
		cmocka_unit_test_setup(open_pool_cannot_be_checked_nor_synced, clean),
		cmocka_unit_test_setup(without_a_good_local_replica_sync_fails, clean),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
