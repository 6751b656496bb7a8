/* ack_checker.c -- nothing acknowledged is lost: rounds of rpmem_ackcheck writing records while rpmemd is killed at a random moment, then every acknowledged record verified after a reopen */
#include <signal.h>
#include <stdlib.h>

#include "../rpmem/rpmem_test_env.h"
#include "child_proc.h"

#define POOL_SIZE "128M"
#define DEFAULT_ROUNDS 8
#define READY_MS 30000
#define EXIT_MS 60000	/* a hang guard, far above RPMEM_TIMEOUT_MS */

static const char *const Modes[] = {
	"mixed", "persist", "flush", "relaxed", "flush-relaxed", "deep",
};
#define NMODES (sizeof(Modes) / sizeof(Modes[0]))

struct totals {
	int rounds;
	long long acked;
	long long verified;
	int kill_min_ms, kill_max_ms;
};

static long
env_long(const char *name, long dflt)
{
	const char *v = getenv(name);
	return v && *v ? strtol(v, NULL, 10) : dflt;
}

static void
tool_path(char *out, size_t size)
{
	const char *b = getenv("BUILD_DIR");
	snprintf(out, size, "%s/utils/rpmem_ackcheck", b ? b : "build/release");
	if (access(out, X_OK) != 0)
		fail_msg("%s is not built", out);
}

/* SIGKILL to every rpmemd serving env; how many */
static int
kill_daemons(const struct rpmem_env *env)
{
	pid_t pids[8];
	int n = rpmem_env_daemons(env, pids, 8);
	for (int i = 0; i < n; i++)
		kill(pids[i], SIGKILL);
	return n;
}

/*
 * One round: a fresh pool written by threads in mode, rpmemd killed kill_ms
 * after the pool was created, every acknowledged record verified.
 */
static void
round_run(struct rpmem_env *env, int round, const char *mode, int threads,
	int kill_ms, struct totals *t)
{
	char tool[PATH_MAX], set[64], log[PATH_MAX + 64], thr[16], line[512];
	tool_path(tool, sizeof(tool));
	snprintf(set, sizeof(set), "round%d.set", round);
	snprintf(log, sizeof(log), "%s/round%d.acks", env->dir, round);
	snprintf(thr, sizeof(thr), "%d", threads);
	char text[128];
	snprintf(text, sizeof(text), "PMEMPOOLSET\n%s round%d.part\n", POOL_SIZE, round);
	rpmem_env_write(env, set, text);

	char *wargv[] = { tool, "write", "-a", log, "-s", POOL_SIZE, "-t", thr,
		"-m", (char *)mode, "localhost", set, NULL };
	struct child_proc w;
	child_start(&w, wargv, -1, NULL, NULL);
	if (child_wait_line(&w, "ready", line, sizeof(line), READY_MS) != 0) {
		child_kill(&w);
		fail_msg("round %d: the writer never said ready", round);
	}
	usleep((useconds_t)kill_ms * 1000);
	int killed = kill_daemons(env);

	char summary[512] = "";
	child_wait_line(&w, "acked=", summary, sizeof(summary), EXIT_MS);
	int rc = child_wait(&w, EXIT_MS, "the writer");
	child_kill(&w);
	printf("round %d: %s, %d threads, rpmemd killed after %d ms (%d): exit %d, %s\n",
		round, mode, threads, kill_ms, killed, rc, summary);
	/* 0: the pool filled up and was closed before the kill came */
	if (rc != 3 && rc != 0)
		fail_msg("round %d: writer exit %d, expected 3 (connection lost) or 0", round, rc);
	assert_int_equal(child_field(summary, "fd_delta"), 0);
	if (rc == 3)
		assert_int_equal(child_field(summary, "failed_threads"), threads);

	char *vargv[] = { tool, "verify", "-a", log, "localhost", set, NULL };
	struct child_proc v;
	child_start(&v, vargv, -1, NULL, NULL);
	char result[256] = "";
	child_wait_line(&v, "verified=", result, sizeof(result), EXIT_MS);
	rc = child_wait(&v, EXIT_MS, "the verifier");
	child_kill(&v);
	printf("round %d: verify exit %d, %s\n", round, rc, result);
	fflush(stdout);
	assert_int_equal(rc, 0);
	assert_int_equal(child_field(result, "lost"), 0);
	assert_int_equal(child_field(result, "verified"), child_field(summary, "acked"));

	t->rounds++;
	t->acked += child_field(summary, "acked");
	t->verified += child_field(result, "verified");
	if (t->rounds == 1 || kill_ms < t->kill_min_ms)
		t->kill_min_ms = kill_ms;
	if (kill_ms > t->kill_max_ms)
		t->kill_max_ms = kill_ms;

	char part[64];
	snprintf(part, sizeof(part), "round%d.part", round);
	rpmem_env_unlink(env, part);
	rpmem_env_unlink(env, set);
	unlink(log);
}

/*
 * ACKCHECK_ROUNDS rounds (default 8), or as many as fit in ACKCHECK_SECONDS
 * (the soak target), modes and thread counts in turn, kill points random
 * (ACKCHECK_SEED repeats a run), tcp and every third round sockets.
 */
static void
every_acknowledged_record_survives_rpmemd_killed_at_random_moments(void **state)
{
	(void)state;
	long rounds = env_long("ACKCHECK_ROUNDS", DEFAULT_ROUNDS);
	long seconds = env_long("ACKCHECK_SECONDS", 0);
	unsigned seed = (unsigned)env_long("ACKCHECK_SEED", (long)time(NULL));
	printf("seed %u (ACKCHECK_SEED repeats this run)\n", seed);
	srandom(seed);

	struct rpmem_env env;
	setenv("RPMEM_TIMEOUT_MS", "2000", 1);

	struct totals t = { 0 };
	long long end = test_now_ms() + seconds * 1000;
	for (int r = 0; seconds > 0 ? test_now_ms() < end : r < rounds; r++) {
		/* the same poolset-dir each round, the provider variables set anew */
		rpmem_env_setup(&env, r % 3 == 2 ? "sockets" : "tcp");
		int kill_ms = 10 + (int)(random() % 400);
		round_run(&env, r, Modes[(size_t)r % NMODES], 1 + r % 4, kill_ms, &t);
	}
	printf("FIGURES ack_checker: rounds=%d records_acked=%lld records_verified=%lld "
		"kill_points_ms=%d..%d lost=0\n", t.rounds, t.acked, t.verified,
		t.kill_min_ms, t.kill_max_ms);
	assert_true(t.rounds > 0);
	assert_int_equal(t.acked, t.verified);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_acknowledged_record_survives_rpmemd_killed_at_random_moments),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
