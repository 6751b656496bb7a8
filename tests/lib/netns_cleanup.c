/* netns_cleanup.c -- worlds a test did not destroy go anyway: at exit, by a guardian when it is killed, swept after a crash */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "netns_impl.h"

#define MAX_WORLDS 16		/* alive at once in one process */

/* the worlds this process made and has not destroyed, for the atexit handler */
static struct {
	pid_t owner;		/* a forked child does not destroy its parent's worlds */
	struct netns_world w;
} Worlds[MAX_WORLDS];
static int Seq;
static pthread_mutex_t Lock = PTHREAD_MUTEX_INITIALIZER;

static void
guardian_wake(int sig)
{
	(void)sig;
}

/*
 * The guardian: a child in its own process group, out of the namespaces,
 * holding none of the test's descriptors, that tears w down once parent is
 * gone without having destroyed it (killed by a signal or the runner).
 */
static _Noreturn void
guard(const struct netns_world *w, pid_t parent)
{
	setpgid(0, 0);
	signal(SIGTERM, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGUSR1, guardian_wake);
	/* SIGUSR1 when the thread that made us ends: look whether the process did */
	prctl(PR_SET_PDEATHSIG, SIGUSR1);
	prctl(PR_SET_NAME, "netns-guardian");
	int null = open("/dev/null", O_RDWR);
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
	}
	close_range(3, ~0U, 0);
	while (getppid() == parent)
		netns_sleep_ms(500);
	netns_world_teardown(w);
	_exit(0);
}

static void
destroy_at_exit(void)
{
	for (int i = 0; i < MAX_WORLDS; i++)
		if (Worlds[i].owner == getpid())
			netns_world_destroy(&Worlds[i].w);
}

/* deletes the worlds of rpt<pid> processes that are gone (killed before anyone cleaned up) */
void
netns_sweep_stale(void)
{
	char names[64][32];
	int n = 0;
	DIR *d = opendir(NETNS_DIR);
	if (d == NULL)
		return;
	struct dirent *de;
	while ((de = readdir(d)) != NULL && n < 64) {
		char *end;
		if (strncmp(de->d_name, "rpt", 3) != 0 || de->d_name[3] < '1' || de->d_name[3] > '9')
			continue;
		long pid = strtol(de->d_name + 3, &end, 10);
		if (*end != 'w' || strlen(de->d_name) >= 32 || pid == getpid())
			continue;
		if (kill((pid_t)pid, 0) != 0 && errno == ESRCH)
			snprintf(names[n++], 32, "%s", de->d_name);
	}
	closedir(d);
	if (n > 0)
		netns_teardown(names, n);
}

int
netns_watch(struct netns_world *w, int nhosts, char *why, size_t whylen)
{
	pthread_mutex_lock(&Lock);
	int slot = 0;
	while (slot < MAX_WORLDS && Worlds[slot].owner == getpid())
		slot++;
	if (slot == MAX_WORLDS) {
		pthread_mutex_unlock(&Lock);
		snprintf(why, whylen, "%d worlds are alive already", MAX_WORLDS);
		return -1;
	}
	static pid_t registered;
	if (registered != getpid()) {
		atexit(destroy_at_exit);
		registered = getpid();
		Seq = 0;
	}
	netns_world_names(w, nhosts, Seq++);
	w->live = 1;

	/* the guardian first: a test killed while building leaves nothing either */
	pid_t parent = getpid();
	fflush(NULL);
	w->guardian = fork();
	if (w->guardian == 0)
		guard(w, parent);
	if (w->guardian < 0) {
		w->live = 0;
		pthread_mutex_unlock(&Lock);
		snprintf(why, whylen, "cannot fork the guardian of the namespaces: %s",
			strerror(errno));
		return -1;
	}
	Worlds[slot].owner = getpid();
	Worlds[slot].w = *w;
	pthread_mutex_unlock(&Lock);
	return 0;
}

void
netns_unwatch(const struct netns_world *w)
{
	pthread_mutex_lock(&Lock);
	for (int i = 0; i < MAX_WORLDS; i++) {
		if (Worlds[i].owner != getpid() || strcmp(Worlds[i].w.hub, w->hub) != 0)
			continue;
		Worlds[i].owner = 0;
		Worlds[i].w.live = 0;
		/* after the teardown: had this process died during it, the guardian would finish */
		kill(Worlds[i].w.guardian, SIGKILL);
		while (waitpid(Worlds[i].w.guardian, NULL, 0) < 0 && errno == EINTR)
			;
	}
	pthread_mutex_unlock(&Lock);
}
