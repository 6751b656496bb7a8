/* process_faults.c -- rpmemd killed or stopped, the ssh child killed, the client killed, while 4 threads replicate from another host: every call fails within the bound, nothing acknowledged is lost, the pool reopens */
#include <dirent.h>
#include <librpmem.h>

#include "fault_world.h"

/* the direct child of parent whose command is comm, or -1 */
static pid_t
child_named(pid_t parent, const char *comm)
{
	DIR *d = opendir("/proc");
	assert_non_null(d);
	pid_t found = -1;
	struct dirent *de;
	while (found < 0 && (de = readdir(d)) != NULL) {
		char path[300], buf[512], name[64];
		int pid, ppid;
		snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
		FILE *f = fopen(path, "r");
		if (f == NULL)
			continue;
		/* pid (comm) state ppid: comm has no spaces or parentheses here */
		if (fgets(buf, sizeof(buf), f) &&
				sscanf(buf, "%d (%63[^)]) %*c %d", &pid, name, &ppid) == 3 &&
				ppid == parent && strcmp(name, comm) == 0)
			found = pid;
		fclose(f);
	}
	closedir(d);
	return found;
}

static void
rpmemd_killed_fails_every_thread_at_once_and_loses_nothing_acknowledged(void **state)
{
	struct fault_world *fw = *state;
	fault_replicating(fw);
	long long at = test_now_ms();
	assert_int_equal(kill(fault_daemon(fw), SIGKILL), 0);

	fault_writer_lost(fw, FAULT_THREADS);
	/* a reset, not a timeout: the kernel reports the dead peer's connections at once */
	fault_first_errno_is(fw, "ECONNRESET");
	printf("FIGURES rpmemd SIGKILL: every thread failed %lld ms after the kill\n",
		fault_failed_after(fw, at));
	fault_daemons_gone(fw, NULL);
	fault_verify(fw);
}

static void
rpmemd_stopped_fails_every_thread_within_the_bound_and_lets_go_once_continued(void **state)
{
	struct fault_world *fw = *state;
	fault_replicating(fw);
	pid_t daemon = fault_daemon(fw);
	long long at = test_now_ms();
	assert_int_equal(kill(daemon, SIGSTOP), 0);

	fault_writer_lost(fw, FAULT_THREADS);
	printf("FIGURES rpmemd SIGSTOP: every thread failed %lld ms after the stop "
		"(RPMEM_TIMEOUT_MS %s)\n", fault_failed_after(fw, at), FAULT_TIMEOUT_MS);
	/* continued, it finds its client gone, unlocks the pool and exits */
	assert_int_equal(kill(daemon, SIGCONT), 0);
	long long gone;
	fault_daemons_gone(fw, &gone);
	printf("FIGURES rpmemd SIGCONT: exited %lld ms after it was continued\n", gone);
	fault_verify(fw);
}

static void
ssh_child_killed_fails_every_thread_and_rpmemd_exits(void **state)
{
	struct fault_world *fw = *state;
	fault_replicating(fw);
	pid_t ssh = child_named(fw->writer.pid, "ssh");
	assert_true(ssh > 0);
	long long at = test_now_ms();
	assert_int_equal(kill(ssh, SIGKILL), 0);

	fault_writer_lost(fw, FAULT_THREADS);
	fault_first_errno_is(fw, "ECONNRESET");
	printf("FIGURES ssh child SIGKILL: every thread failed %lld ms after the kill\n",
		fault_failed_after(fw, at));
	long long gone;
	fault_daemons_gone(fw, &gone);
	printf("FIGURES ssh child SIGKILL: rpmemd exited %lld ms after the writer\n", gone);
	fault_verify(fw);
}

/* runs in host 0: the pool opens and closes cleanly */
static int
reopen(void *arg)
{
	struct fault_world *fw = arg;
	size_t size = FAULT_POOL_BYTES;
	void *pool = mmap(NULL, size, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (pool == MAP_FAILED)
		return 2;
	unsigned nlanes = FAULT_THREADS;
	struct rpmem_pool_attr attr;
	RPMEMpool *rpp = rpmem_open(fw->net.addr[FAULT_REMOTE], fw->set, pool, size,
		&nlanes, &attr);
	if (rpp == NULL) {
		fprintf(stderr, "reopen: %s\n", rpmem_errormsg());
		return 1;
	}
	int ret = rpmem_close(rpp);
	munmap(pool, size);
	return ret == 0 ? 0 : 3;
}

static void
client_killed_lets_rpmemd_exit_and_the_pool_reopens(void **state)
{
	struct fault_world *fw = *state;
	fault_replicating(fw);
	pid_t daemon = fault_daemon(fw);
	long long at = test_now_ms();
	/* the client and its ssh child, at once */
	assert_int_equal(kill(-fw->writer.pid, SIGKILL), 0);
	assert_int_equal(child_wait(&fw->writer, FAULT_EXIT_MS, "the killed writer"),
		128 + SIGKILL);

	long long gone;
	fault_daemons_gone(fw, &gone);
	printf("FIGURES client SIGKILL: rpmemd %d exited %lld ms after the kill\n",
		(int)daemon, test_now_ms() - at);
	if (!rpmem_log_has(fw->env.log, "lost")) {
		rpmem_log_print(fw->env.log);
		fail_msg("rpmemd's log does not say it lost its client");
	}
	assert_int_equal(netns_run(&fw->net, FAULT_CLIENT, reopen, fw, FAULT_EXIT_MS), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		FAULT_TEST(rpmemd_killed_fails_every_thread_at_once_and_loses_nothing_acknowledged),
		FAULT_TEST(rpmemd_stopped_fails_every_thread_within_the_bound_and_lets_go_once_continued),
		FAULT_TEST(ssh_child_killed_fails_every_thread_and_rpmemd_exits),
		FAULT_TEST(client_killed_lets_rpmemd_exit_and_the_pool_reopens),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
