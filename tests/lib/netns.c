/* netns.c -- network namespace worlds for two-node tests: made with ip(8), entered with setns(2), torn down on every path */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "netns.h"
#include "test_common.h"

#define NETNS_DIR "/run/netns"
#define TOOL_TIMEOUT_MS 10000	/* one ip or tc command */
#define KILL_TIMEOUT_MS 10000	/* until no process is left in a world */
#define MAX_WORLDS 16		/* alive at once in one process */
#define MAX_ARGS 40
#define MAX_KILLED 256

extern char **environ;

/* the worlds this process made and has not destroyed, for the atexit handler */
static struct {
	pid_t owner;		/* a forked child does not destroy its parent's worlds */
	struct netns_world w;
} Worlds[MAX_WORLDS];
static int Seq;
static pthread_mutex_t Lock = PTHREAD_MUTEX_INITIALIZER;

static void
sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };
	nanosleep(&ts, NULL);
}

static const char *
tool_path(const char *name)
{
	static const char *const dirs[] = { "/usr/sbin", "/sbin", "/usr/bin", "/bin" };
	static char path[2][32];
	char *p = path[strcmp(name, "ip") == 0 ? 0 : 1];
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(p, sizeof(path[0]), "%s/%s", dirs[i], name);
		if (access(p, X_OK) == 0)
			return p;
	}
	return NULL;
}

/* reads what fd gives into buf (NUL-terminated, the excess dropped); 1 at EOF */
static int
drain(int fd, char *buf, size_t len, size_t *used)
{
	char tmp[512];
	ssize_t n = read(fd, tmp, sizeof(tmp));
	if (n < 0)
		return errno != EINTR && errno != EAGAIN;
	if (n == 0)
		return 1;
	size_t room = len - 1 - *used;
	size_t take = (size_t)n < room ? (size_t)n : room;
	memcpy(buf + *used, tmp, take);
	*used += take;
	buf[*used] = '\0';
	return 0;
}

/*
 * Runs argv (argv[0] a full path) with stdin /dev/null, its stdout into out
 * and its stderr into err (both NUL-terminated, may be NULL); its exit
 * status, or -1 when it could not run or ran over TOOL_TIMEOUT_MS.
 */
static int
run_argv(char *const argv[], char *out, size_t outlen, char *err, size_t errlen)
{
	char dummy_out[64], dummy_err[64];
	if (out == NULL || outlen == 0)
		out = dummy_out, outlen = sizeof(dummy_out);
	if (err == NULL || errlen == 0)
		err = dummy_err, errlen = sizeof(dummy_err);
	out[0] = err[0] = '\0';
	int po[2], pe[2];
	if (pipe2(po, O_CLOEXEC) != 0)
		return -1;
	if (pipe2(pe, O_CLOEXEC) != 0) {
		close(po[0]);
		close(po[1]);
		return -1;
	}
	pid_t pid = fork();
	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY);
		if (in < 0 || dup2(in, 0) < 0 || dup2(po[1], 1) < 0 || dup2(pe[1], 2) < 0)
			_exit(127);
		execve(argv[0], argv, environ);
		dprintf(2, "cannot run %s: %s", argv[0], strerror(errno));
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	if (pid < 0) {
		close(po[0]);
		close(pe[0]);
		return -1;
	}
	size_t oused = 0, eused = 0;
	int oeof = 0, eeof = 0;
	long long deadline = test_now_ms() + TOOL_TIMEOUT_MS;
	while (!(oeof && eeof) && test_now_ms() < deadline) {
		struct pollfd p[2] = { { oeof ? -1 : po[0], POLLIN, 0 },
			{ eeof ? -1 : pe[0], POLLIN, 0 } };
		if (poll(p, 2, 100) <= 0)
			continue;
		if (p[0].revents)
			oeof = drain(po[0], out, outlen, &oused);
		if (p[1].revents)
			eeof = drain(pe[0], err, errlen, &eused);
	}
	close(po[0]);
	close(pe[0]);
	if (!(oeof && eeof))
		kill(pid, SIGKILL);
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!(oeof && eeof)) {
		snprintf(err, errlen, "%s ran over %d ms", argv[0], TOOL_TIMEOUT_MS);
		return -1;
	}
	err[strcspn(err, "\n")] = '\0';
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/*
 * Runs the tool ("ip" or "tc") with args (NULL-terminated); 0, or -1 with
 * "<command line>: <what it said>" in why (may be NULL). out gets its
 * standard output when not NULL.
 */
static int
tool_argv(char *out, size_t outlen, char *why, size_t whylen, const char *tool,
	char *const args[])
{
	char *argv[MAX_ARGS + 1];
	const char *path = tool_path(tool);
	if (path == NULL) {
		if (why != NULL)
			snprintf(why, whylen, "no %s(8) in /usr/sbin, /sbin, /usr/bin or /bin", tool);
		return -1;
	}
	int argc = 0;
	argv[argc++] = (char *)path;
	while (argc < MAX_ARGS && args[argc - 1] != NULL) {
		argv[argc] = args[argc - 1];
		argc++;
	}
	argv[argc] = NULL;

	char err[512];
	if (run_argv(argv, out, outlen, err, sizeof(err)) == 0)
		return 0;
	if (why != NULL) {
		size_t n = (size_t)snprintf(why, whylen, "%s", tool);
		for (int i = 1; i < argc && n < whylen; i++)
			n += (size_t)snprintf(why + n, whylen - n, " %s", argv[i]);
		if (n < whylen)
			snprintf(why + n, whylen - n, ": %s", err[0] ? err : "failed");
	}
	return -1;
}

int
netns_tool(char *out, size_t outlen, char *why, size_t whylen, const char *tool, ...)
{
	char *args[MAX_ARGS];
	int n = 0;
	va_list ap;
	va_start(ap, tool);
	for (const char *a; (a = va_arg(ap, const char *)) != NULL && n < MAX_ARGS - 1; )
		args[n++] = (char *)a;
	va_end(ap);
	args[n] = NULL;
	return tool_argv(out, outlen, why, whylen, tool, args);
}

#define tool(why, whylen, ...) netns_tool(NULL, 0, why, whylen, __VA_ARGS__, (const char *)NULL)

static int
ns_path(const char *netns, char *path, size_t len)
{
	if (netns == NULL || netns[0] == '\0' || strchr(netns, '/') != NULL) {
		errno = EINVAL;
		return -1;
	}
	snprintf(path, len, "%s/%s", NETNS_DIR, netns);
	return 0;
}

static int
ns_open(const char *netns)
{
	char path[300];
	if (ns_path(netns, path, sizeof(path)) != 0)
		return -1;
	return open(path, O_RDONLY | O_CLOEXEC);
}

int
netns_exists(const char *netns)
{
	char path[300];
	struct stat st;
	return ns_path(netns, path, sizeof(path)) == 0 && stat(path, &st) == 0;
}

int
netns_enter(const char *netns)
{
	int fd = ns_open(netns);
	if (fd < 0)
		return -1;
	int ret = setns(fd, CLONE_NEWNET);
	int e = errno;
	close(fd);
	errno = e;
	return ret;
}

int
netns_socket(const char *netns, int domain, int type, int protocol)
{
	int self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0)
		return -1;
	int fd = -1, e = 0;
	if (netns_enter(netns) == 0) {
		fd = socket(domain, type, protocol);
		e = errno;
		if (setns(self, CLONE_NEWNET) != 0)
			fprintf(stderr, "netns: this thread is stuck in %s: %s\n", netns,
				strerror(errno));
	} else {
		e = errno;
	}
	close(self);
	errno = e;
	return fd;
}

int
netns_pids(const char *netns, pid_t *pids, int max)
{
	char path[300];
	struct stat ns, st;
	if (ns_path(netns, path, sizeof(path)) != 0 || stat(path, &ns) != 0)
		return 0;
	DIR *d = opendir("/proc");
	if (d == NULL)
		return 0;
	int n = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL && n < max) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/ns/net", de->d_name);
		/* a zombie has left its namespace: stat fails */
		if (stat(path, &st) == 0 && st.st_dev == ns.st_dev && st.st_ino == ns.st_ino)
			pids[n++] = (pid_t)atoi(de->d_name);
	}
	closedir(d);
	return n;
}

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
		sleep_ms(5);
	}
	/* SIGKILLed and out of the namespace: the zombies of ours are a moment away */
	for (int i = 0; i < nkilled; i++)
		for (int tries = 0; tries < 1000; tries++) {
			pid_t r = waitpid(killed[i], NULL, WNOHANG);
			if (r != 0 && !(r < 0 && errno == EINTR))
				break;
			sleep_ms(1);
		}
}

/* kills what runs in the namespaces, deletes the namespaces */
static void
teardown(char names[][32], int nnames)
{
	kill_inside(names, nnames);
	for (int i = 0; i < nnames; i++) {
		char why[512];
		if (netns_exists(names[i]) && tool(why, sizeof(why), "ip", "netns", "del", names[i]) != 0)
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

static void
world_teardown(const struct netns_world *w)
{
	char names[NETNS_MAX_HOSTS + 1][32];
	teardown(names, world_names(w, names));
}

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
		sleep_ms(500);
	world_teardown(w);
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
static void
sweep_stale(void)
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
		teardown(names, n);
}

static void
world_names_init(struct netns_world *w, int nhosts, int seq)
{
	/* pid_max is at most 2^22: seven digits, and interface names fit in IFNAMSIZ */
	unsigned pid = (unsigned)getpid() % 10000000u;
	memset(w, 0, sizeof(*w));
	w->nhosts = nhosts;
	snprintf(w->prefix, sizeof(w->prefix), "rpt%u", pid);
	snprintf(w->hub, sizeof(w->hub), "rpt%uw%dhub", pid, seq);
	snprintf(w->bridge, sizeof(w->bridge), "rpt%ubr", pid);
	snprintf(w->ifname, sizeof(w->ifname), "rpt%ueth", pid);
	for (int i = 0; i < nhosts; i++) {
		snprintf(w->name[i], sizeof(w->name[i]), "rpt%uw%dh%d", pid, seq, i);
		snprintf(w->addr[i], sizeof(w->addr[i]), NETNS_SUBNET "%d", 1 + i);
		snprintf(w->port[i], sizeof(w->port[i]), "rpt%up%d", pid, i % NETNS_MAX_HOSTS);
	}
}

/* the namespaces, the bridge, and each host's cable to it */
static int
build(const struct netns_world *w, char *why, size_t whylen)
{
	if (tool(why, whylen, "ip", "netns", "add", w->hub) != 0 ||
	    tool(why, whylen, "ip", "-n", w->hub, "link", "add", w->bridge, "type", "bridge") != 0 ||
	    tool(why, whylen, "ip", "-n", w->hub, "link", "set", w->bridge, "up") != 0)
		return -1;
	for (int i = 0; i < w->nhosts; i++) {
		char cidr[32];
		snprintf(cidr, sizeof(cidr), "%s/24", w->addr[i]);
		/* made inside the host, its peer straight in the hub: never in the root namespace */
		if (tool(why, whylen, "ip", "netns", "add", w->name[i]) != 0 ||
		    tool(why, whylen, "ip", "-n", w->name[i], "link", "set", "lo", "up") != 0 ||
		    tool(why, whylen, "ip", "-n", w->name[i], "link", "add", w->ifname, "type", "veth",
			    "peer", "name", w->port[i], "netns", w->hub) != 0 ||
		    tool(why, whylen, "ip", "-n", w->name[i], "addr", "add", cidr, "dev", w->ifname) != 0 ||
		    tool(why, whylen, "ip", "-n", w->name[i], "link", "set", w->ifname, "up") != 0 ||
		    tool(why, whylen, "ip", "-n", w->hub, "link", "set", w->port[i], "master", w->bridge,
			    "up") != 0)
			return -1;
	}
	return 0;
}

int
netns_world_create(struct netns_world *w, int nhosts, char *why, size_t whylen)
{
	char reason[512];
	memset(w, 0, sizeof(*w));
	if (nhosts < 1 || nhosts > NETNS_MAX_HOSTS) {
		snprintf(why, whylen, "nhosts %d is not within 1..%d", nhosts, NETNS_MAX_HOSTS);
		return -1;
	}
	sweep_stale();

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
	world_names_init(w, nhosts, Seq++);
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

	if (build(w, reason, sizeof(reason)) != 0) {
		netns_world_destroy(w);
		snprintf(why, whylen, "cannot create network namespaces: %s", reason);
		return -1;
	}
	return 0;
}

void
netns_world_destroy(struct netns_world *w)
{
	if (!w->live)
		return;
	w->live = 0;
	world_teardown(w);
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

static int
host_ok(const struct netns_world *w, int host)
{
	if (w->live && host >= 0 && host < w->nhosts)
		return 1;
	fprintf(stderr, "netns: no host %d in world %s\n", host, w->hub);
	return 0;
}

int
netns_link_set(struct netns_world *w, int host, int up)
{
	char why[512];
	if (!host_ok(w, host))
		return -1;
	if (tool(why, sizeof(why), "ip", "-n", w->hub, "link", "set", w->port[host],
			up ? "up" : "down") != 0) {
		fprintf(stderr, "netns: %s\n", why);
		return -1;
	}
	return 0;
}

int
netns_qdisc_set(struct netns_world *w, int host, const char *args, char *why, size_t whylen)
{
	if (!host_ok(w, host)) {
		snprintf(why, whylen, "no host %d in world %s", host, w->hub);
		return -1;
	}
	if (args == NULL) {
		if (tool(why, whylen, "tc", "-n", w->name[host], "qdisc", "del", "dev", w->ifname,
				"root") == 0)
			return 0;
		/* the default qdisc is there already: nothing to remove */
		return strstr(why, "handle of zero") != NULL ? 0 : -1;
	}

	char buf[256];
	char *argv[MAX_ARGS] = { "-n", w->name[host], "qdisc", "replace", "dev", w->ifname, "root" };
	int argc = 7;
	snprintf(buf, sizeof(buf), "%s", args);
	char *save;
	for (char *t = strtok_r(buf, " \t", &save); t != NULL; t = strtok_r(NULL, " \t", &save)) {
		if (argc == MAX_ARGS - 1) {
			snprintf(why, whylen, "too many words in qdisc \"%s\"", args);
			return -1;
		}
		argv[argc++] = t;
	}
	argv[argc] = NULL;
	if (argc == 7) {
		snprintf(why, whylen, "no qdisc in \"%s\"", args);
		return -1;
	}

	char reason[512];
	if (tool_argv(NULL, 0, reason, sizeof(reason), "tc", argv) == 0)
		return 0;
	if (strstr(reason, "kind is unknown") != NULL)
		snprintf(why, whylen, "qdisc %s not supported by this kernel (%s)", argv[7], reason);
	else if (strstr(reason, "Unknown qdisc") != NULL)
		snprintf(why, whylen, "qdisc %s not supported by tc(8) here (%s)", argv[7], reason);
	else
		snprintf(why, whylen, "%s", reason);
	return -1;
}

int
netns_qdisc_show(const struct netns_world *w, int host, char *buf, size_t len)
{
	char why[512];
	if (!host_ok(w, host))
		return -1;
	if (netns_tool(buf, len, why, sizeof(why), "tc", "-s", "-n", w->name[host], "qdisc", "show",
			"dev", w->ifname, (const char *)NULL) != 0) {
		fprintf(stderr, "netns: %s\n", why);
		return -1;
	}
	return 0;
}

/* fd onto target, kept across exec; -1 leaves target alone */
static int
redirect(int fd, int target)
{
	if (fd < 0)
		return 0;
	if (fd == target)
		return fcntl(fd, F_SETFD, 0);
	return dup2(fd, target) < 0 ? -1 : 0;
}

/*
 * The child's side of spawn and run: its own process group, the namespace;
 * 0 or an errno value.
 */
static int
child_enter(int nsfd)
{
	setpgid(0, 0);
	return setns(nsfd, CLONE_NEWNET) == 0 ? 0 : errno;
}

/* what the child wrote to the report pipe before exec or fn: 0 when nothing (it went on) */
static int
child_report(int fd, int timeout_ms)
{
	int e = 0;
	struct pollfd p = { fd, POLLIN, 0 };
	if (poll(&p, 1, timeout_ms) == 1 && read(fd, &e, sizeof(e)) != (ssize_t)sizeof(e))
		e = 0;
	close(fd);
	return e;
}

pid_t
netns_spawn_in(const char *netns, char *const argv[], int out_fd, int err_fd)
{
	int report[2];
	int nsfd = ns_open(netns);
	if (nsfd < 0) {
		fprintf(stderr, "netns: cannot open namespace %s: %s\n", netns, strerror(errno));
		return -1;
	}
	if (pipe2(report, O_CLOEXEC) != 0) {
		close(nsfd);
		return -1;
	}
	pid_t pid = fork();
	if (pid == 0) {
		close(report[0]);
		int e = child_enter(nsfd);
		int in = open("/dev/null", O_RDONLY);
		if (e == 0 && (in < 0 || dup2(in, 0) < 0 || redirect(out_fd, 1) != 0 ||
				redirect(err_fd, 2) != 0))
			e = errno;
		if (e == 0) {
			/* the program gets none of the test's descriptors (sockets, pipes) */
			close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
			execve(argv[0], argv, environ);
			e = errno;
		}
		if (write(report[1], &e, sizeof(e)) < 0)
			_exit(126);
		_exit(127);
	}
	close(nsfd);
	close(report[1]);
	if (pid < 0) {
		close(report[0]);
		return -1;
	}
	setpgid(pid, pid);	/* before the caller may kill(-pid, ...) */
	int e = child_report(report[0], -1);
	if (e != 0) {
		waitpid(pid, NULL, 0);
		fprintf(stderr, "netns: cannot start %s in %s: %s\n", argv[0], netns, strerror(e));
		errno = e;
		return -1;
	}
	return pid;
}

pid_t
netns_spawn(const struct netns_world *w, int host, char *const argv[], int out_fd, int err_fd)
{
	return host_ok(w, host) ? netns_spawn_in(w->name[host], argv, out_fd, err_fd) : -1;
}

/* waits for pid until deadline; 1 with *status when it ended, 0 at the deadline */
static int
wait_until(pid_t pid, long long deadline, int *status)
{
	for (int nap = 1;; nap = nap < 20 ? nap * 2 : 20) {
		pid_t r = waitpid(pid, status, WNOHANG);
		if (r == pid)
			return 1;
		if (r < 0 && errno != EINTR)
			return 1;
		if (test_now_ms() >= deadline)
			return 0;
		sleep_ms(nap);
	}
}

int
netns_run_in(const char *netns, int (*fn)(void *), void *arg, int timeout_ms)
{
	int report[2];
	int nsfd = ns_open(netns);
	if (nsfd < 0) {
		fprintf(stderr, "netns: cannot open namespace %s: %s\n", netns, strerror(errno));
		return -1;
	}
	if (pipe2(report, O_CLOEXEC) != 0) {
		close(nsfd);
		return -1;
	}
	long long deadline = test_now_ms() + timeout_ms;
	fflush(NULL);	/* what is buffered is printed once, by the parent */
	pid_t pid = fork();
	if (pid == 0) {
		close(report[0]);
		int e = child_enter(nsfd);
		close(nsfd);
		if (e != 0) {
			if (write(report[1], &e, sizeof(e)) < 0)
				_exit(126);
			_exit(127);
		}
		close(report[1]);
		int ret = fn(arg);
		fflush(NULL);
		_exit(ret & 0xff);
	}
	close(nsfd);
	close(report[1]);
	if (pid < 0) {
		close(report[0]);
		return -1;
	}
	setpgid(pid, pid);
	int e = child_report(report[0], timeout_ms);
	int status = 0;
	if (e != 0) {
		waitpid(pid, NULL, 0);
		fprintf(stderr, "netns: cannot enter %s: %s\n", netns, strerror(e));
		return -1;
	}
	if (!wait_until(pid, deadline, &status)) {
		kill(-pid, SIGKILL);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		fprintf(stderr, "netns: a function run in %s did not return within %d ms; killed\n",
			netns, timeout_ms);
		return -1;
	}
	if (!WIFEXITED(status)) {
		fprintf(stderr, "netns: a function run in %s died of signal %d\n", netns,
			WIFSIGNALED(status) ? WTERMSIG(status) : 0);
		return -1;
	}
	return WEXITSTATUS(status);
}

int
netns_run(const struct netns_world *w, int host, int (*fn)(void *), void *arg, int timeout_ms)
{
	return host_ok(w, host) ? netns_run_in(w->name[host], fn, arg, timeout_ms) : -1;
}
