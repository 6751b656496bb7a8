/* interrupted_sync.c -- rpmempool sync killed in the middle of a copy (held at a full stderr pipe, then SIGKILL): the half-rebuilt replica, local or remote, reads as damaged, the pool stays refused, and the next sync completes it */
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>

#include "rpmempool_test.h"

#define SIZE (256 * MIB)	/* 64 chunks of 4 MiB: more progress lines than a 4 KiB pipe holds */
#define PIPE_SIZE 4096

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
	rpmem_env_write(&Env, "r1.set", "PMEMPOOLSET\n256M r1.part\n");
	return 0;
}

static void
make_pool(const char *set)
{
	obj_write_file(obj_path("pool.set"), set);
	PMEMobjpool *pop = pmemobj_create(obj_path("pool.set"), "int", 0, 0600);
	if (pop == NULL)
		fail_msg("pmemobj_create: %s", pmemobj_errormsg());
	/* data at both ends: a copy stopped half-way lacks the end */
	char *root = (char *)pop + OBJ_ROOT;
	test_fill_pattern(root, MIB, 3);
	test_fill_pattern(root + SIZE - OBJ_ROOT - MIB, MIB, 4);
	assert_int_equal(pmemobj_xpersist(pop, root, MIB, 0), 0);
	assert_int_equal(pmemobj_xpersist(pop, root + SIZE - OBJ_ROOT - MIB, MIB, 0), 0);
	pmemobj_close(pop);
}

/*
 * Starts "rpmempool sync -p pool.set" with its stderr a pipe of PIPE_SIZE
 * bytes nobody reads: after some chunks its progress line blocks it in the
 * middle of the copy. Kills it there.
 */
static void
sync_killed_midway(void)
{
	char bin[PATH_MAX + 32];
	const char *build = getenv("BUILD_DIR");
	snprintf(bin, sizeof(bin), "%s/bin/rpmempool", build ? build : "build/release");
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	assert_true(fcntl(fds[0], F_SETPIPE_SZ, PIPE_SIZE) >= PIPE_SIZE);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(fds[1], 2) < 0)
			_exit(126);
		execl(bin, bin, "sync", "-p", obj_path("pool.set"), (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	/* full (less than one more line fits) within 60 s, the process still running */
	int queued = 0;
	for (int i = 0; i < 6000; i++) {
		assert_int_equal(ioctl(fds[0], FIONREAD, &queued), 0);
		if (queued > PIPE_SIZE - 256)
			break;
		assert_int_equal(waitpid(pid, NULL, WNOHANG), 0);
		usleep(10000);
	}
	char first[256] = "";
	printf("%d bytes of progress queued\n", queued);
	assert_true(queued > PIPE_SIZE - 256);
	assert_int_equal(kill(pid, SIGKILL), 0);
	int ws;
	assert_int_equal(waitpid(pid, &ws, 0), pid);
	assert_true(WIFSIGNALED(ws));
	ssize_t n = read(fds[0], first, sizeof(first) - 1);
	assert_true(n > 0);
	first[n] = '\0';
	close(fds[0]);
	printf("killed after: %.*s\n", (int)(strchr(first, '\n') - first), first);
	assert_non_null(strstr(first, "rpmempool sync: replica 1 ("));
	/* the killed client's rpmemd goes away and unlocks its pool */
	pid_t pids[4];
	for (int i = 0; i < 1000 && rpmem_env_daemons(&Env, pids, 4) > 0; i++)
		usleep(10000);
	assert_int_equal(rpmem_env_daemons(&Env, pids, 4), 0);
}

static void
assert_refused_then_synced(const char *damage, const char *part)
{
	struct tool_run run;
	tool(&run, "check", obj_path("pool.set"), NULL);
	tool_expect(&run, 1, damage, NULL);
	errno = 0;
	assert_null(pmemobj_open(obj_path("pool.set"), "int"));
	printf("open: %s\n", pmemobj_errormsg());
	tool(&run, "sync", obj_path("pool.set"), NULL);
	tool_expect(&run, 0, "every replica is good (2)", NULL);
	tool_assert_same_data(obj_path("p0"), obj_path(part), SIZE);
	PMEMobjpool *pop = pmemobj_open(obj_path("pool.set"), "int");
	if (pop == NULL)
		fail_msg("pmemobj_open after sync: %s", pmemobj_errormsg());
	char *want = malloc(MIB);
	assert_non_null(want);
	test_fill_pattern(want, MIB, 4);
	assert_memory_equal((char *)pop + SIZE - MIB, want, MIB);
	free(want);
	pmemobj_close(pop);
}

static void
local_rebuild_killed_midway_reads_damaged_and_is_completed(void **state)
{
	make_pool("PMEMPOOLSET\n256M p0\nREPLICA\n256M l1\n");
	assert_int_equal(unlink(obj_path("l1")), 0);
	sync_killed_midway();
	assert_refused_then_synced("replica 1 (line 4, ", "l1");
}

static void
remote_rebuild_killed_midway_reads_damaged_and_is_completed(void **state)
{
	make_pool("PMEMPOOLSET\n256M p0\nREPLICA localhost r1.set\n");
	rpmem_env_unlink(&Env, "r1.part");
	sync_killed_midway();
	assert_refused_then_synced(
		"replica 1 (localhost r1.set): damaged: not a libpmemobj-core pool (signature 'PMOBJSYN'",
		"r1.part");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(local_rebuild_killed_midway_reads_damaged_and_is_completed, clean),
		cmocka_unit_test_setup(remote_rebuild_killed_midway_reads_damaged_and_is_completed, clean),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
