/* many_clients.c -- 16 client processes, 4 lanes in 4 threads each, replicate to one rpmemd host for a bounded time: all succeed, rpmemd's anonymous memory stays flat */
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#include <librpmem.h>

#include "rpmem_test_env.h"
#include "rpmem_test_log.h"
#include "proc_status.h"

#define NCLIENTS 16
#define NLANES 4
#define POOL_SIZE ((size_t)4 << 20)
#define HDR 4096
#define LANE_SPAN (((POOL_SIZE - HDR) / NLANES) & ~(size_t)63)
#define MIN_OP 64
#define MAX_OP ((size_t)64 << 10)
#define WARMUP_MS 300
#define DEFAULT_LOAD_SECONDS 0.7
/* hang guards, not timing thresholds: each is far above what the step takes */
#define STEP_TIMEOUT_MS 60000
#define DAEMONS_GONE_MS 15000
/*
 * How much a daemon's anonymous memory (heap, stacks; the pool's pages are
 * file-backed and not in RssAnon) may grow between the warm-up and the end.
 * rpmemd allocates nothing per request: fixed receive buffers per lane,
 * answers on the stack. Measured: 0 kB for every daemon, in release and
 * ASan builds, alone and within the parallel suite. A trial rpmemd leaking
 * one 48-byte allocation per request grew by 32..52 kB per daemon in the
 * default run; four pages catch that and leave room for one stray page.
 */
#define RSS_ANON_GROWTH_KB 16

enum phase { WARMUP, RUN, STOP, CLOSE };

/* what a client process reports to the parent, in shared memory */
struct report {
	int ready;		/* created, threads running */
	int stopped;		/* threads joined */
	unsigned long long ops;
	unsigned long long bytes;
	unsigned long long persists, flush_drains, deep_persists;
	char msg[256];		/* the first failure; empty when all went well */
};

struct shared {
	int phase;
	struct report r[NCLIENTS];
};

static struct shared *Sh;
static pid_t Pids[NCLIENTS];

static void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

static int
phase(void)
{
	return __atomic_load_n(&Sh->phase, __ATOMIC_ACQUIRE);
}

/* ---- a client process ---- */

struct lane_job {
	RPMEMpool *rpp;
	char *pool;
	unsigned lane;
	struct report *r;
	uint64_t rng;
	pthread_mutex_t *mu;
};

static uint64_t
next_rand(uint64_t *s)
{
	/* xorshift64: cheap and reproducible per lane */
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void
job_fail(struct lane_job *j, const char *what, size_t off, size_t len)
{
	pthread_mutex_lock(j->mu);
	if (j->r->msg[0] == '\0')
		snprintf(j->r->msg, sizeof(j->r->msg), "lane %u: %s of %zu bytes at %zu: %s "
			"(errno %d)", j->lane, what, len, off, rpmem_errormsg(), errno);
	pthread_mutex_unlock(j->mu);
}

/* a length of 64 B .. 64 KiB, spread evenly over the powers of two */
static size_t
op_len(uint64_t *rng)
{
	size_t base = MIN_OP << (next_rand(rng) % 11);
	size_t len = base + next_rand(rng) % base;
	return len > MAX_OP ? MAX_OP : len;
}

/* words that say which op wrote them and where, so a misplaced range shows */
static void
fill(char *p, size_t len, uint64_t seq)
{
	for (size_t i = 0; i + 8 <= len; i += 8) {
		uint64_t w = seq << 32 | i;
		memcpy(p + i, &w, 8);
	}
}

/* the counters are read by the parent while the lanes run */
static void
count(unsigned long long *c, unsigned long long n)
{
	__atomic_add_fetch(c, n, __ATOMIC_RELAXED);
}

static void *
lane_thread(void *arg)
{
	struct lane_job *j = arg;
	size_t base = HDR + j->lane * LANE_SPAN;
	for (uint64_t seq = 1; phase() < STOP; seq++) {
		size_t len = op_len(&j->rng);
		size_t off = base + (next_rand(&j->rng) % (LANE_SPAN - len)) / 8 * 8;
		fill(j->pool + off, len, seq);
		int ret;
		switch (seq % 8) {
		case 0:
			ret = rpmem_deep_persist(j->rpp, off, len, j->lane);
			count(&j->r->deep_persists, 1);
			if (ret)
				job_fail(j, "rpmem_deep_persist", off, len);
			break;
		case 1: case 3: case 5:
			ret = rpmem_flush(j->rpp, off, len, j->lane, 0);
			if (ret == 0)
				ret = rpmem_drain(j->rpp, j->lane, 0);
			count(&j->r->flush_drains, 1);
			if (ret)
				job_fail(j, "rpmem_flush + rpmem_drain", off, len);
			break;
		default:
			ret = rpmem_persist(j->rpp, off, len, j->lane,
				seq % 4 == 2 ? RPMEM_PERSIST_RELAXED : 0);
			count(&j->r->persists, 1);
			if (ret)
				job_fail(j, "rpmem_persist", off, len);
			break;
		}
		if (ret)
			break;
		count(&j->r->ops, 1);
		count(&j->r->bytes, len);
	}
	return NULL;
}

static int
wait_phase(int want)
{
	long long deadline = test_now_ms() + STEP_TIMEOUT_MS;
	while (phase() < want)
		if (test_now_ms() > deadline)
			return -1;
		else
			sleep_ms(5);
	return 0;
}

static void
client_fail(struct report *r, const char *what)
{
	if (r->msg[0] == '\0')
		snprintf(r->msg, sizeof(r->msg), "%s: %s (errno %d)", what, rpmem_errormsg(),
			errno);
}

/* runs in the child: create, replicate until STOP, then read back, compare and close */
static int
client(int i)
{
	struct report *r = &Sh->r[i];
	char set[32];
	snprintf(set, sizeof(set), "c%02d.set", i);
	char *pool = rpmem_env_pool(POOL_SIZE);
	struct rpmem_pool_attr a;
	memset(&a, 0, sizeof(a));
	memcpy(a.signature, "LOADTEST", 8);
	unsigned nlanes = NLANES;
	RPMEMpool *rpp = rpmem_create("localhost", set, pool, POOL_SIZE, &nlanes, &a);
	if (rpp == NULL) {
		client_fail(r, "rpmem_create");
		return 1;
	}
	if (nlanes != NLANES) {
		snprintf(r->msg, sizeof(r->msg), "%u lanes granted, not %d", nlanes, NLANES);
		rpmem_close(rpp);
		return 1;
	}
	pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	struct lane_job jobs[NLANES];
	pthread_t t[NLANES];
	for (unsigned l = 0; l < NLANES; l++) {
		jobs[l] = (struct lane_job){ rpp, pool, l, r,
			0x9e3779b97f4a7c15ULL * (i * NLANES + l + 1), &mu };
		if (pthread_create(&t[l], NULL, lane_thread, &jobs[l]) != 0) {
			snprintf(r->msg, sizeof(r->msg), "pthread_create failed");
			return 1;	/* exiting ends the others and the session */
		}
	}
	__atomic_store_n(&r->ready, 1, __ATOMIC_RELEASE);
	for (unsigned l = 0; l < NLANES; l++)
		pthread_join(t[l], NULL);
	__atomic_store_n(&r->stopped, 1, __ATOMIC_RELEASE);
	if (wait_phase(CLOSE) != 0) {
		snprintf(r->msg, sizeof(r->msg), "the parent never said close");
		return 1;
	}
	char *back = malloc(POOL_SIZE);
	if (r->msg[0] == '\0' && rpmem_read(rpp, back, HDR, POOL_SIZE - HDR, 0) != 0)
		client_fail(r, "rpmem_read");
	else if (r->msg[0] == '\0' && memcmp(back, pool + HDR, POOL_SIZE - HDR) != 0) {
		size_t k = 0;
		while (back[k] == pool[HDR + k])
			k++;
		snprintf(r->msg, sizeof(r->msg), "read back differs at pool offset %zu",
			HDR + k);
	}
	free(back);
	if (rpmem_close(rpp) != 0)
		client_fail(r, "rpmem_close");
	munmap(pool, POOL_SIZE);
	return r->msg[0] != '\0';
}

/* ---- the parent ---- */

static int
setup(void **state)
{
	(void)state;
	Sh = mmap(NULL, sizeof(*Sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		-1, 0);
	if (Sh == MAP_FAILED)
		return -1;
	memset(Sh, 0, sizeof(*Sh));
	memset(Pids, 0, sizeof(Pids));
	return 0;
}

/* on every path: no client process outlives the test (their daemons follow them) */
static int
teardown(void **state)
{
	(void)state;
	for (int i = 0; i < NCLIENTS; i++)
		if (Pids[i] > 0) {
			kill(Pids[i], SIGKILL);
			waitpid(Pids[i], NULL, 0);
			Pids[i] = 0;
		}
	munmap(Sh, sizeof(*Sh));
	return 0;
}

static double
load_seconds(void)
{
	const char *v = getenv("LOAD_SECONDS");
	double s = v ? strtod(v, NULL) : DEFAULT_LOAD_SECONDS;
	return s > 0 ? s : DEFAULT_LOAD_SECONDS;
}

static void
start_clients(void)
{
	for (int i = 0; i < NCLIENTS; i++) {
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			/* a hung client ends */
			alarm((unsigned)(STEP_TIMEOUT_MS / 1000 * 2 + load_seconds()));
			_exit(client(i));
		}
		Pids[i] = pid;
	}
}

/* fails when a client exited early, naming why */
static void
check_alive(const struct rpmem_env *env)
{
	for (int i = 0; i < NCLIENTS; i++) {
		int st;
		if (waitpid(Pids[i], &st, WNOHANG) == Pids[i]) {
			Pids[i] = 0;
			rpmem_log_print(env->log);
			fail_msg("client %d ended early (status 0x%x): %s", i, st, Sh->r[i].msg);
		}
	}
}

static void
wait_all(const struct rpmem_env *env, size_t field, const char *what)
{
	long long deadline = test_now_ms() + STEP_TIMEOUT_MS;
	for (int i = 0; i < NCLIENTS; i++)
		while (!__atomic_load_n((int *)((char *)&Sh->r[i] + field), __ATOMIC_ACQUIRE)) {
			check_alive(env);
			if (test_now_ms() > deadline) {
				rpmem_log_print(env->log);
				fail_msg("client %d not %s within %d ms", i, what, STEP_TIMEOUT_MS);
			}
			sleep_ms(5);
		}
}

struct sample {
	pid_t pid;
	long anon_kb;
	long rss_kb;
};

/* every daemon of env, with its RssAnon and VmRSS; returns how many */
static int
sample_daemons(const struct rpmem_env *env, struct sample *s)
{
	pid_t pids[NCLIENTS + 1];
	int n = rpmem_env_daemons(env, pids, NCLIENTS + 1);
	for (int k = 0; k < n; k++) {
		s[k].pid = pids[k];
		s[k].anon_kb = proc_status_kb(pids[k], "RssAnon");
		s[k].rss_kb = proc_status_kb(pids[k], "VmRSS");
		if (s[k].anon_kb < 0 || s[k].rss_kb < 0)
			fail_msg("no memory figures for rpmemd %d", (int)pids[k]);
	}
	return n;
}

static unsigned long long
ops_total(void)
{
	unsigned long long n = 0;
	for (int i = 0; i < NCLIENTS; i++)
		n += __atomic_load_n(&Sh->r[i].ops, __ATOMIC_RELAXED);
	return n;
}

/* ops: how many the clients completed between the samples */
static void
check_memory_flat(const struct sample *a, int na, const struct sample *b, int nb,
	unsigned long long ops)
{
	assert_int_equal(na, NCLIENTS);
	assert_int_equal(nb, NCLIENTS);
	long worst = 0;
	for (int k = 0; k < na; k++) {
		int m = 0;
		while (m < nb && b[m].pid != a[k].pid)
			m++;
		if (m == nb)
			fail_msg("rpmemd %d ended before its client closed", (int)a[k].pid);
		long grew = b[m].anon_kb - a[k].anon_kb;
		printf("rpmemd %d: RssAnon %ld -> %ld kB (%+ld), VmRSS %ld -> %ld kB\n",
			(int)a[k].pid, a[k].anon_kb, b[m].anon_kb, grew, a[k].rss_kb,
			b[m].rss_kb);
		if (grew > worst)
			worst = grew;
	}
	printf("largest RssAnon growth: %ld kB (bound %d kB) over %llu ops between the "
		"samples (%llu per daemon)\n", worst, RSS_ANON_GROWTH_KB, ops, ops / NCLIENTS);
	if (worst > RSS_ANON_GROWTH_KB)
		fail_msg("an rpmemd's anonymous memory grew by %ld kB under load (bound %d kB)",
			worst, RSS_ANON_GROWTH_KB);
}

static void
wait_clients_exit(const struct rpmem_env *env)
{
	long long deadline = test_now_ms() + STEP_TIMEOUT_MS;
	for (int i = 0; i < NCLIENTS; i++) {
		int st;
		pid_t got;
		while ((got = waitpid(Pids[i], &st, WNOHANG)) == 0) {
			if (test_now_ms() > deadline)
				fail_msg("client %d did not finish within %d ms", i,
					STEP_TIMEOUT_MS);
			sleep_ms(5);
		}
		Pids[i] = 0;
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 || Sh->r[i].msg[0] != '\0') {
			rpmem_log_print(env->log);
			fail_msg("client %d failed (status 0x%x): %s", i, st, Sh->r[i].msg);
		}
	}
}

static void
wait_daemons_gone(const struct rpmem_env *env)
{
	long long deadline = test_now_ms() + DAEMONS_GONE_MS;
	pid_t pids[NCLIENTS + 1];
	int n;
	while ((n = rpmem_env_daemons(env, pids, NCLIENTS + 1)) > 0) {
		if (test_now_ms() > deadline)
			fail_msg("%d rpmemd processes remain %d ms after their clients closed "
				"(one is %d)", n, DAEMONS_GONE_MS, (int)pids[0]);
		sleep_ms(20);
	}
}

static void
sixteen_clients_with_four_lanes_each_replicate_and_rpmemd_memory_stays_flat(void **state)
{
	(void)state;
	struct rpmem_env env;
	rpmem_env_setup(&env, "tcp");
	for (int i = 0; i < NCLIENTS; i++) {
		char name[32], text[64];
		snprintf(name, sizeof(name), "c%02d.set", i);
		snprintf(text, sizeof(text), "PMEMPOOLSET\n4M c%02d.part\n", i);
		rpmem_env_write(&env, name, text);
	}
	long long t0 = test_now_ms();
	start_clients();
	wait_all(&env, offsetof(struct report, ready), "replicating");
	long long t_ready = test_now_ms();

	sleep_ms(WARMUP_MS);
	check_alive(&env);
	struct sample before[NCLIENTS + 1], after[NCLIENTS + 1];
	int nbefore = sample_daemons(&env, before);
	unsigned long long ops_before = ops_total();
	__atomic_store_n(&Sh->phase, RUN, __ATOMIC_RELEASE);
	long run_ms = (long)(load_seconds() * 1000);
	for (long left = run_ms; left > 0; left -= 100) {
		sleep_ms(left < 100 ? left : 100);
		check_alive(&env);
	}
	__atomic_store_n(&Sh->phase, STOP, __ATOMIC_RELEASE);
	wait_all(&env, offsetof(struct report, stopped), "stopped");
	int nafter = sample_daemons(&env, after);
	unsigned long long ops_window = ops_total() - ops_before;
	__atomic_store_n(&Sh->phase, CLOSE, __ATOMIC_RELEASE);
	wait_clients_exit(&env);
	long long t_closed = test_now_ms();
	wait_daemons_gone(&env);

	unsigned long long ops = 0, bytes = 0, p = 0, fd = 0, dp = 0;
	for (int i = 0; i < NCLIENTS; i++) {
		ops += Sh->r[i].ops;
		bytes += Sh->r[i].bytes;
		p += Sh->r[i].persists;
		fd += Sh->r[i].flush_drains;
		dp += Sh->r[i].deep_persists;
		assert_true(Sh->r[i].ops > 0);
	}
	printf("%d clients x %d lanes (one thread each), %d ms warm-up + %ld ms measured, in all "
		"%llu ops (%llu persist, %llu flush+drain, %llu deep_persist), %llu bytes; "
		"setup %lld ms, all closed after %lld ms\n", NCLIENTS, NLANES, WARMUP_MS,
		run_ms, ops, p, fd, dp, bytes, t_ready - t0, t_closed - t0);
	check_memory_flat(before, nbefore, after, nafter, ops_window);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			sixteen_clients_with_four_lanes_each_replicate_and_rpmemd_memory_stays_flat,
			setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
