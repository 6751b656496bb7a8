/* teardown.c -- a world leaves no namespace, interface or process behind: destroyed, left at exit, its test killed, or swept after a crash */
#include <net/if.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "netns_test.h"

#define GONE_MS 30000	/* hang guard for what others clean up (the guardian, init) */

/* sh that ignores SIGTERM, and so does the sleep it runs */
static char *const Stubborn[] = { "/bin/sh", "-c", "trap '' TERM; while :; do sleep 1; done", NULL };

/* 1 when pid is no more, or a zombie: it runs nowhere */
static int
process_gone(pid_t pid)
{
	char path[64], buf[512];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return 1;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	const char *p = strrchr(buf, ')');
	return p != NULL && p[1] == ' ' && p[2] == 'Z';
}

static void
assert_gone_within(pid_t pid, int ms)
{
	long long deadline = test_now_ms() + ms;
	while (!process_gone(pid)) {
		if (test_now_ms() >= deadline)
			fail_msg("process %d still runs %d ms later", (int)pid, ms);
		usleep(10000);
	}
}

/* none of the world's namespaces is left, nor an interface of it in the root namespace */
static void
assert_world_gone(const struct netns_world *w)
{
	for (int i = 0; i < w->nhosts; i++)
		if (netns_exists(w->name[i]))
			fail_msg("namespace %s is still there", w->name[i]);
	if (netns_exists(w->hub))
		fail_msg("namespace %s is still there", w->hub);
	struct if_nameindex *ifs = if_nameindex();
	assert_non_null(ifs);
	for (struct if_nameindex *i = ifs; i->if_index != 0; i++)
		if (strncmp(i->if_name, w->prefix, strlen(w->prefix)) == 0)
			fail_msg("interface %s is in the root namespace", i->if_name);
	if_freenameindex(ifs);
}

static void
assert_world_gone_within(const struct netns_world *w, int ms)
{
	long long deadline = test_now_ms() + ms;
	for (int i = 0; i <= w->nhosts; i++) {
		const char *name = i < w->nhosts ? w->name[i] : w->hub;
		while (netns_exists(name)) {
			if (test_now_ms() >= deadline)
				fail_msg("namespace %s is still there %d ms later", name, ms);
			usleep(10000);
		}
	}
	assert_world_gone(w);
}

/* the pids `ip netns pids` prints for netns, sorted as netns_pids gives them: both the same set */
static void
assert_ip_netns_pids_agrees(const char *netns, const pid_t *pids, int n)
{
	char out[4096], why[512];
	if (netns_tool(out, sizeof(out), why, sizeof(why), "ip", "netns", "pids", netns, NULL) != 0)
		fail_msg("%s", why);
	int m = 0;
	for (char *save, *t = strtok_r(out, "\n", &save); t != NULL; t = strtok_r(NULL, "\n", &save)) {
		pid_t p = (pid_t)atoi(t);
		int found = 0;
		for (int i = 0; i < n; i++)
			found |= pids[i] == p;
		if (!found)
			fail_msg("ip netns pids %s lists %d, netns_pids does not", netns, (int)p);
		m++;
	}
	assert_int_equal(m, n);
}

static void
destroy_leaves_no_namespace_interface_or_process(void **state)
{
	struct netns_world w;
	NETNS_TEST_WORLD(&w, 2);
	pid_t sh = netns_spawn(&w, 1, Stubborn, -1, -1);
	assert_true(sh > 0);
	pid_t pids[16];
	int n;
	long long deadline = test_now_ms() + 10000;
	while ((n = netns_pids(w.name[1], pids, 16)) < 2) {	/* sh and its sleep */
		if (test_now_ms() >= deadline)
			fail_msg("%d processes in %s, sh and sleep expected", n, w.name[1]);
		usleep(10000);
	}
	int found = 0;
	for (int i = 0; i < n; i++)
		found |= pids[i] == sh;
	assert_true(found);
	assert_int_equal(netns_pids(w.name[0], pids + n, 16 - n), 0);
	assert_ip_netns_pids_agrees(w.name[1], pids, n);

	/* it ignores SIGTERM, and sits in its own process group */
	assert_int_equal(getpgid(sh), sh);
	assert_int_equal(kill(-sh, SIGTERM), 0);
	usleep(100000);
	assert_false(process_gone(sh));

	netns_world_destroy(&w);
	assert_world_gone(&w);
	for (int i = 0; i < n; i++)
		assert_true(process_gone(pids[i]));
	/* our child sh was reaped, and so was the guardian */
	assert_int_equal(waitpid(sh, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
	assert_true(process_gone(w.guardian));

	/* a second destroy is harmless, and a new world comes up */
	netns_world_destroy(&w);
	assert_world_gone(&w);
	struct netns_world again;
	NETNS_TEST_WORLD(&again, 1);
	assert_true(netns_exists(again.name[0]));
	netns_world_destroy(&again);
	assert_world_gone(&again);
	(void)state;
}

/* what a child that made a world tells its parent */
struct made {
	int skipped;
	struct netns_world w;
	pid_t spawned;
};

/*
 * Forks a child that makes a world with a stubborn process in host 0 and
 * reports them; the child then exits (how: leave) or waits to be killed.
 */
static pid_t
child_with_world(struct made *m, int leave)
{
	int p[2];
	assert_int_equal(pipe(p), 0);
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct made c = { 0 };
		char why[512];
		prctl(PR_SET_PDEATHSIG, SIGKILL);	/* a failed test leaves no child paused */
		close(p[0]);
		if (netns_world_create(&c.w, 1, why, sizeof(why)) != 0) {
			printf("SKIP: %s\n", why);
			c.skipped = 1;
		} else {
			c.spawned = netns_spawn(&c.w, 0, Stubborn, -1, -1);
		}
		if (write(p[1], &c, sizeof(c)) != (ssize_t)sizeof(c) || c.skipped || !leave)
			pause();
		exit(0);	/* without destroying: the atexit handler does */
	}
	close(p[1]);
	assert_int_equal(read(p[0], m, sizeof(*m)), (ssize_t)sizeof(*m));
	close(p[0]);
	if (m->skipped) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		skip();
	}
	assert_true(m->spawned > 0);
	assert_true(netns_exists(m->w.name[0]));
	return pid;
}

static void
a_test_exiting_without_destroy_leaves_nothing(void **state)
{
	struct made m;
	int status;
	pid_t child = child_with_world(&m, 1);
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status));
	/* the atexit handler ran before the child ended: nothing to wait for */
	assert_world_gone(&m.w);
	assert_true(process_gone(m.spawned));
	assert_true(process_gone(m.w.guardian));
	(void)state;
}

static void
a_test_killed_by_a_signal_leaves_nothing(void **state)
{
	struct made m;
	pid_t child = child_with_world(&m, 0);
	assert_false(process_gone(m.w.guardian));
	assert_int_equal(kill(child, SIGKILL), 0);
	assert_int_equal(waitpid(child, NULL, 0), child);
	/* the guardian notices and tears the world down */
	assert_world_gone_within(&m.w, GONE_MS);
	assert_gone_within(m.spawned, GONE_MS);
	assert_gone_within(m.w.guardian, GONE_MS);
	(void)state;
}

static void
creating_a_world_sweeps_those_of_dead_processes(void **state)
{
	/* a pid that was there and is no more */
	pid_t dead = fork();
	assert_true(dead >= 0);
	if (dead == 0)
		_exit(0);
	assert_int_equal(waitpid(dead, NULL, 0), dead);
	char stale[32], alive[32], why[512];
	snprintf(stale, sizeof(stale), "rpt%dw0h0", (int)dead);
	/* our parent lives (and once it is gone, its world may be swept) */
	snprintf(alive, sizeof(alive), "rpt%dw999h0", (int)getppid());
	if (netns_tool(NULL, 0, why, sizeof(why), "ip", "netns", "add", stale, NULL) != 0)
		SKIP_BECAUSE("%s", why);
	assert_int_equal(netns_tool(NULL, 0, why, sizeof(why), "ip", "netns", "add", alive, NULL), 0);
	pid_t sleeper = netns_spawn_in(stale, Stubborn, -1, -1);
	assert_true(sleeper > 0);

	struct netns_world w;
	NETNS_TEST_WORLD(&w, 1);
	int swept = !netns_exists(stale), kept = netns_exists(alive);
	netns_tool(NULL, 0, NULL, 0, "ip", "netns", "del", alive, NULL);
	assert_true(swept);
	assert_true(kept);
	assert_true(process_gone(sleeper));
	netns_world_destroy(&w);
	(void)state;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(destroy_leaves_no_namespace_interface_or_process),
		cmocka_unit_test(a_test_exiting_without_destroy_leaves_nothing),
		cmocka_unit_test(a_test_killed_by_a_signal_leaves_nothing),
		cmocka_unit_test(creating_a_world_sweeps_those_of_dead_processes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
