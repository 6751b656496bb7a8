/* killed_daemon.c -- a writer using libpmemobj loses a remote replica's rpmemd (SIGKILL) mid-stream: the write fails naming the replica, open refuses the stale pool, rpmempool check says stale, sync rebuilds it, and every acknowledged write is on every replica */
#include <signal.h>

#include "rpmempool_test.h"

#define SIZE (8 * MIB)
#define SET "PMEMPOOLSET\n8M p0\nREPLICA\n8M l1\nREPLICA localhost r1.set\n"
#define REC 4096
#define NREC ((SIZE - OBJ_ROOT) / REC)
#define KILL_AFTER 64		/* records acknowledged before the kill */

static struct rpmem_env Env;

static int
setup(void **state)
{
	rpmem_env_setup(&Env, "tcp");
	obj_clean_dir();
	rpmem_env_write(&Env, "r1.set", "PMEMPOOLSET\n8M r1.part\n");
	return 0;
}

/* the lost connection's errnos librpmem(7) names, and the replica in the message */
static void
assert_lost(int err)
{
	if (err != ECONNRESET && err != EPIPE && err != ECONNABORTED && err != ETIMEDOUT)
		fail_msg("errno %d (%s), expected ECONNRESET: %s", err, strerror(err),
			pmemobj_errormsg());
	if (strstr(pmemobj_errormsg(), "replica 2 (localhost r1.set): ") == NULL)
		fail_msg("the message does not name the replica: %s", pmemobj_errormsg());
}

/*
 * Writes record after record, each made durable by its own call, kills
 * the rpmemd after KILL_AFTER acknowledged ones, and goes on to the end
 * of the pool. Returns how many were acknowledged (they are the first ones).
 */
static unsigned
write_records(PMEMobjpool *pop)
{
	pid_t pids[4];
	unsigned acked = 0, failed = 0;
	for (unsigned i = 0; i < NREC; i++) {
		char *rec = (char *)pop + OBJ_ROOT + (size_t)i * REC;
		test_fill_pattern(rec, REC, 1000 + i);
		errno = 0;
		int ret = pmemobj_xpersist(pop, rec, REC, 0);
		if (ret == 0 && failed == 0) {
			acked++;
		} else if (ret == 0) {
			fail_msg("record %u acknowledged after record %u failed", i, i - failed);
		} else {
			if (failed++ == 0) {
				assert_lost(errno);
				printf("record %u failed: errno %d: %s\n", i, errno, pmemobj_errormsg());
			}
		}
		if (i + 1 == KILL_AFTER) {
			assert_int_equal(rpmem_env_daemons(&Env, pids, 4), 1);
			assert_int_equal(kill(pids[0], SIGKILL), 0);
		}
	}
	assert_true(failed > 0);
	assert_true(acked >= KILL_AFTER);
	printf("%u records acknowledged, %u failed\n", acked, failed);
	return acked;
}

/* record i as the writer made it, in a replica's pool bytes (pool offset 0 at buf) */
static void
assert_records(const char *what, const char *pool, unsigned n)
{
	char want[REC];
	for (unsigned i = 0; i < n; i++) {
		test_fill_pattern(want, REC, 1000 + i);
		if (memcmp(pool + OBJ_ROOT + (size_t)i * REC, want, REC) != 0)
			fail_msg("%s: acknowledged record %u is not there", what, i);
	}
}

static void
acknowledged_writes_survive_and_sync_brings_the_replica_back(void **state)
{
	obj_write_file(obj_path("pool.set"), SET);
	PMEMobjpool *pop = pmemobj_create(obj_path("pool.set"), "w", 0, 0600);
	if (pop == NULL)
		fail_msg("pmemobj_create: %s", pmemobj_errormsg());
	unsigned acked = write_records(pop);
	pmemobj_close(pop);

	errno = 0;
	assert_null(pmemobj_open(obj_path("pool.set"), "w"));
	obj_assert_error(EINVAL, "replica 2 (localhost r1.set): is stale");
	obj_assert_error(EINVAL, "rpmempool sync");

	struct tool_run run;
	tool(&run, "check", obj_path("pool.set"), NULL);
	tool_expect(&run, 1, "replica 2 (localhost r1.set): stale: marked stale in replica 0", NULL);
	tool(&run, "info", "-j", obj_path("pool.set"), NULL);
	tool_expect(&run, 0, "\"stale_marks\":[2]", NULL);
	tool_expect(&run, 0, "\"health\":\"stale\"", NULL);
	tool(&run, "sync", obj_path("pool.set"), NULL);
	tool_expect(&run, 0, "rebuilding replica 2 (localhost r1.set) from replica 0", NULL);
	tool_expect(&run, 0, "every replica is good (3)", NULL);
	tool(&run, "info", "-j", obj_path("pool.set"), NULL);
	tool_expect(&run, 0, "\"stale_marks\":[]", NULL);
	assert_null(strstr(run.out, "\"health\":\"stale\""));

	pop = pmemobj_open(obj_path("pool.set"), "w");
	if (pop == NULL)
		fail_msg("pmemobj_open after sync: %s", pmemobj_errormsg());
	assert_records("the primary", (char *)pop, acked);
	pmemobj_close(pop);

	/* every replica holds what the primary holds, the acknowledged records included */
	char *buf = malloc(SIZE);
	assert_non_null(buf);
	const char *names[] = { "l1", "r1.part" };
	for (unsigned k = 0; k < 2; k++) {
		obj_read_file(obj_path(names[k]), 0, buf, SIZE);
		assert_records(names[k], buf, acked);
	}
	free(buf);
	tool_assert_same_data(obj_path("p0"), obj_path("l1"), SIZE);
	tool_assert_same_data(obj_path("p0"), obj_path("r1.part"), SIZE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(acknowledged_writes_survive_and_sync_brings_the_replica_back),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
