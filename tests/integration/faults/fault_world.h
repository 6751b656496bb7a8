/* fault_world.h -- two hosts for fault tests: rpmemd behind a real sshd in host 1, rpmem_ackcheck replicating from host 0, and the means to hurt them */
#ifndef FAULT_WORLD_H
#define FAULT_WORLD_H 1

#include <sys/stat.h>

#include "../rpmem/rpmem_test_env.h"
#include "../rpmem/rpmem_test_log.h"
#include "../rpmem/sshd_helpers.h"
#include "child_proc.h"
#include "netns.h"

#define FAULT_CLIENT 0
#define FAULT_REMOTE 1
/* librpmem's bound in these tests (the default is 5000 ms) */
#define FAULT_TIMEOUT_MS "2000"
#define FAULT_READY_MS 30000
/* hang guards: far above every documented bound */
#define FAULT_EXIT_MS 60000
#define FAULT_DAEMON_GONE_MS 60000
/* the replication the faults hit: threads on as many lanes, a pool never full before the fault */
#define FAULT_THREADS 4
#define FAULT_POOL "1G"
#define FAULT_POOL_BYTES ((size_t)1 << 30)
#define FAULT_RUN_MS 300	/* replication under way before the fault */

struct fault_world {
	struct netns_world net;
	struct sshd sshd;		/* in host 1 */
	struct rpmem_env env;		/* rpmemd's poolset-dir and log */
	char tool[PATH_MAX];		/* rpmem_ackcheck */
	char set[64];			/* the pool set of the test */
	char pool_size[32];		/* its size, as the set file says it */
	char acks[PATH_MAX + 64];	/* the writer's ack log */
	struct child_proc writer;
	char summary[512];		/* the writer's last line */
	int up;
};

/* starts the child in host 0's namespace through the netns helper */
static inline pid_t
fault_spawn_in_client(char *const argv[], int out_fd, int err_fd, void *arg)
{
	return netns_spawn(arg, FAULT_CLIENT, argv, out_fd, err_fd);
}

/*
 * Two hosts, sshd in host 1 on its address, librpmem's environment aimed at
 * it; the test is skipped with the reason when namespaces or sshd cannot be
 * had here.
 */
static inline void
fault_world_setup(struct fault_world *fw, const char *pool_size)
{
	char why[512];
	memset(fw, 0, sizeof(*fw));
	fw->writer.pid = -1;
	fw->writer.out = -1;
	if (!sshd_usable(why, sizeof(why)))
		SKIP_BECAUSE("%s", why);
	if (netns_world_create(&fw->net, 2, why, sizeof(why)) != 0)
		SKIP_BECAUSE("%s", why);
	fw->up = 1;

	/* one poolset-dir per test program: what an earlier test left goes */
	rpmem_env_setup(&fw->env, "tcp");
	rpmem_env_unlink(&fw->env, "fault.part");
	rpmem_env_unlink(&fw->env, "fault.acks");
	static int worlds;
	char ssh_dir[PATH_MAX];
	snprintf(ssh_dir, sizeof(ssh_dir), "%.4000s/ssh%d", fw->env.dir, worlds++);
	sshd_start_for_rpmem_in(&fw->sshd, ssh_dir, fw->net.name[FAULT_REMOTE],
		fw->net.addr[FAULT_REMOTE]);
	setenv("RPMEM_TIMEOUT_MS", FAULT_TIMEOUT_MS, 1);

	const char *b = getenv("BUILD_DIR");
	snprintf(fw->tool, sizeof(fw->tool), "%s/utils/rpmem_ackcheck",
		b ? b : "build/release");
	assert_int_equal(access(fw->tool, X_OK), 0);
	snprintf(fw->set, sizeof(fw->set), "fault.set");
	snprintf(fw->pool_size, sizeof(fw->pool_size), "%s", pool_size);
	snprintf(fw->acks, sizeof(fw->acks), "%s/fault.acks", fw->env.dir);
	char text[128];
	snprintf(text, sizeof(text), "PMEMPOOLSET\n%s fault.part\n", pool_size);
	rpmem_env_write(&fw->env, fw->set, text);
}

/* cmocka setup and teardown of a test with its own fault world */
static inline int
fault_state_setup(void **state)
{
	struct fault_world *fw = calloc(1, sizeof(*fw));
	*state = fw;
	return fw == NULL;
}

static inline void fault_world_teardown(struct fault_world *fw);

static inline int
fault_state_teardown(void **state)
{
	fault_world_teardown(*state);
	free(*state);
	return 0;
}

/* a test of the array given to cmocka, with its own fault world */
#define FAULT_TEST(t) cmocka_unit_test_setup_teardown(t, fault_state_setup, fault_state_teardown)

/* kills what a failed test left running and takes the hosts down */
static inline void
fault_world_teardown(struct fault_world *fw)
{
	if (!fw->up)
		return;
	child_kill(&fw->writer);
	sshd_stop(&fw->sshd);
	netns_world_destroy(&fw->net);
	fw->up = 0;
}

/*
 * Host 0's link back up, returning once host 1's sshd answers from there:
 * neighbour entries that failed while the link was down can make the
 * first connections fail with "no route to host" for a moment.
 */
static inline void
fault_link_up(struct fault_world *fw)
{
	assert_int_equal(netns_link_set(&fw->net, FAULT_CLIENT, 1), 0);
	long long start = test_now_ms();
	while (!sshd_connects_in(fw->net.name[FAULT_CLIENT], fw->net.addr[FAULT_REMOTE],
			fw->sshd.port)) {
		if (test_now_ms() - start > FAULT_EXIT_MS)
			fail_msg("host 1 unreachable from host 0 after the link came back");
		usleep(50000);
	}
}

/* prints what both daemons said, for a failure's log */
static inline void
fault_world_print_logs(const struct fault_world *fw)
{
	rpmem_log_print(fw->sshd.log);
	rpmem_log_print(fw->env.log);
}

/*
 * rpmem_ackcheck write in host 0 with threads threads in mode (duration_ms
 * 0: until a failure or the pool is full), returning once the pool was
 * created.
 */
static inline void
fault_writer_start(struct fault_world *fw, int threads, const char *mode,
	int duration_ms)
{
	char thr[16], dur[32], line[256];
	snprintf(thr, sizeof(thr), "%d", threads);
	snprintf(dur, sizeof(dur), "%d", duration_ms);
	char *argv[] = { fw->tool, "write", "-a", fw->acks, "-s", fw->pool_size, "-t", thr,
		"-m", (char *)mode, "-d", dur, fw->net.addr[FAULT_REMOTE], fw->set, NULL };
	child_start(&fw->writer, argv, -1, fault_spawn_in_client, &fw->net);
	if (child_wait_line(&fw->writer, "ready", line, sizeof(line), FAULT_READY_MS) != 0) {
		fault_world_print_logs(fw);
		fail_msg("the writer in host 0 never said ready");
	}
}

/* the world up and FAULT_THREADS threads replicating in mixed mode for FAULT_RUN_MS */
static inline void
fault_replicating(struct fault_world *fw)
{
	fault_world_setup(fw, FAULT_POOL);
	fault_writer_start(fw, FAULT_THREADS, "mixed", 0);
	usleep(FAULT_RUN_MS * 1000);
}

/* waits for the writer's summary and exit (a hang fails the test); its exit status */
static inline int
fault_writer_end(struct fault_world *fw)
{
	fw->summary[0] = '\0';
	child_wait_line(&fw->writer, "acked=", fw->summary, sizeof(fw->summary),
		FAULT_EXIT_MS);
	int rc = child_wait(&fw->writer, FAULT_EXIT_MS, "the writer");
	child_kill(&fw->writer);
	printf("writer: exit %d, %s\n", rc, fw->summary);
	fflush(stdout);
	return rc;
}

/*
 * The writer lost its connection: every thread failed with a clear error
 * (ECONNRESET, or ETIMEDOUT for the calls that waited out the bound), and
 * it leaked no descriptor.
 */
static inline void
fault_writer_lost(struct fault_world *fw, int threads)
{
	int rc = fault_writer_end(fw);
	if (rc != 3) {
		fault_world_print_logs(fw);
		fail_msg("writer exit %d, expected 3 (a replication call failed)", rc);
	}
	assert_int_equal(child_field(fw->summary, "failed_threads"), threads);
	assert_int_equal(child_field(fw->summary, "fd_delta"), 0);
	char e[32];
	child_field_word(fw->summary, "first_errno", e, sizeof(e));
	if (strcmp(e, "ECONNRESET") != 0 && strcmp(e, "ETIMEDOUT") != 0)
		fail_msg("first error %s, expected ECONNRESET or ETIMEDOUT", e);
}

/* the first failure's errno, by name, was want */
static inline void
fault_first_errno_is(const struct fault_world *fw, const char *want)
{
	char e[32];
	child_field_word(fw->summary, "first_errno", e, sizeof(e));
	assert_string_equal(e, want);
}

/* ms from at (CLOCK_MONOTONIC ms) to the last thread's failure */
static inline long long
fault_failed_after(const struct fault_world *fw, long long at)
{
	return child_field(fw->summary, "last_fail_ms") - at;
}

/* waits until no rpmemd serves the poolset-dir (it exited, the pool unlocked); fails on the hang guard */
static inline void
fault_daemons_gone(struct fault_world *fw, long long *after_ms)
{
	long long start = test_now_ms();
	pid_t pids[4];
	while (rpmem_env_daemons(&fw->env, pids, 4) > 0) {
		if (test_now_ms() - start > FAULT_DAEMON_GONE_MS) {
			fault_world_print_logs(fw);
			fail_msg("rpmemd %d still runs %d ms later", (int)pids[0],
				FAULT_DAEMON_GONE_MS);
		}
		usleep(20000);
	}
	if (after_ms)
		*after_ms = test_now_ms() - start;
}

/* the only rpmemd serving the poolset-dir */
static inline pid_t
fault_daemon(struct fault_world *fw)
{
	pid_t pids[4];
	int n = rpmem_env_daemons(&fw->env, pids, 4);
	if (n != 1)
		fail_msg("%d rpmemd processes, expected 1", n);
	return pids[0];
}

/* the pool reopens from host 0 and every acknowledged record is in it, intact */
static inline void
fault_verify(struct fault_world *fw)
{
	char line[256] = "";
	char *argv[] = { fw->tool, "verify", "-a", fw->acks, fw->net.addr[FAULT_REMOTE],
		fw->set, NULL };
	struct child_proc v;
	child_start(&v, argv, -1, fault_spawn_in_client, &fw->net);
	child_wait_line(&v, "verified=", line, sizeof(line), FAULT_EXIT_MS);
	int rc = child_wait(&v, FAULT_EXIT_MS, "the verifier");
	child_kill(&v);
	printf("verify: exit %d, %s\n", rc, line);
	fflush(stdout);
	if (rc != 0) {
		fault_world_print_logs(fw);
		fail_msg("verify exit %d", rc);
	}
	assert_int_equal(child_field(line, "lost"), 0);
	assert_int_equal(child_field(line, "verified"), child_field(fw->summary, "acked"));
}

#endif /* FAULT_WORLD_H */
