/* netns_teardown.c -- a world torn down: every process inside SIGKILLed (bounded), our children reaped, the namespaces deleted */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "netns_impl.h"
#include "test_common.h"

#define KILL_TIMEOUT_MS 10000	/* until no process is left in a world */
#define MAX_KILLED 256

/*
 * SIGKILLs every process in the named namespaces until none is left
 * (bounded), then reaps those that were this process's children.
 */
static void
kill_inside(char names[][32], int nnames)
{
	pid_t killed[MAX_KILLED];
	int nkilled = 0;
	long long deadline = test_now_ms() + KILL_TIMEOUT_MS;
	for (;;) {
		int found = 0;
		for (int i = 0; i < nnames; i++) {
			pid_t pids[64];
			int n = netns_pids(names[i], pids, 64);
			for (int j = 0; j < n; j++) {
				if (pids[j] == getpid())
					continue;
				kill(pids[j], SIGKILL);
				found = 1;
				int k = 0;
				while (k < nkilled && killed[k] != pids[j])
					k++;
				if (k == nkilled && nkilled < MAX_KILLED)
					killed[nkilled++] = pids[j];
			}
		}
		if (!found)
			break;
		if (test_now_ms() >= deadline) {
			fprintf(stderr, "netns: processes are still alive in %s %d ms after SIGKILL\n",
				names[0], KILL_TIMEOUT_MS);
			break;
		}
		netns_sleep_ms(5);
	}
	/* SIGKILLed and out of the namespace: the zombies of ours are a moment away */
	for (int i = 0; i < nkilled; i++)
		for (int tries = 0; tries < 1000; tries++) {
			pid_t r = waitpid(killed[i], NULL, WNOHANG);
			if (r != 0 && !(r < 0 && errno == EINTR))
				break;
			netns_sleep_ms(1);
		}
}

/* kills what runs in the namespaces, deletes the namespaces */
void
netns_teardown(char names[][32], int nnames)
{
	kill_inside(names, nnames);
	for (int i = 0; i < nnames; i++) {
		char why[512];
		if (netns_exists(names[i]) &&
		    netns_tool_why(why, sizeof(why), "ip", "netns", "del", names[i]) != 0)
			fprintf(stderr, "netns: %s\n", why);
	}
}

/* the world's namespaces, hosts first, the hub last */
static int
world_names(const struct netns_world *w, char names[][32])
{
	int n = 0;
	for (int i = 0; i < w->nhosts; i++)
		memcpy(names[n++], w->name[i], 32);
	memcpy(names[n++], w->hub, 32);
	return n;
}

void
netns_world_teardown(const struct netns_world *w)
{
	char names[NETNS_MAX_HOSTS + 1][32];
	netns_teardown(names, world_names(w, names));
}
