/* sshd_helpers.h -- a throwaway sshd for integration tests, on loopback or in a network namespace: keys, configs, start, and killing it with every process it spawned */
#ifndef SSHD_HELPERS_H
#define SSHD_HELPERS_H 1

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
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
#include "rpmem_test_log.h"
#include "test_common.h"

#define SSHD_PATH "/usr/sbin/sshd"
#define SSHD_START_TIMEOUT_MS 10000
#define SSHD_TOOL_TIMEOUT_MS 20000

struct sshd {
	char dir[PATH_MAX];		/* keys, configs, logs */
	char config[PATH_MAX + 32];	/* sshd_config */
	char log[PATH_MAX + 32];	/* sshd's -e output */
	char wrapper[PATH_MAX + 32];	/* the RPMEM_SSH script */
	char netns[32];			/* the network namespace it runs in, "" for this one */
	unsigned port;
	pid_t pid;			/* the listening sshd, 0 when not running */
};

#define SSHD_NETNS(s) ((s)->netns[0] ? (s)->netns : NULL)

static inline void sshd_write_file(const char *path, mode_t mode, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static inline void
sshd_write_file(const char *path, mode_t mode, const char *fmt, ...)
{
	FILE *f = fopen(path, "w");
	if (f == NULL)
		fail_msg("fopen %s: %s", path, strerror(errno));
	va_list ap;
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fclose(f);
	assert_int_equal(chmod(path, mode), 0);
}

/*
 * Starts argv with stdin /dev/null and stdout/stderr appended to log, in
 * the network namespace netns (NULL: this one); the child dies with this
 * process (PR_SET_PDEATHSIG), so a test that is killed leaves nothing behind.
 */
static inline pid_t
sshd_spawn_in(char *const argv[], const char *log, const char *netns)
{
	pid_t parent = getpid();
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid > 0)
		return pid;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127);
	if (netns != NULL && netns_enter(netns) != 0)
		_exit(126);
	int in = open("/dev/null", O_RDONLY);
	int out = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);
	if (in < 0 || out < 0)
		_exit(127);
	dup2(in, 0);
	dup2(out, 1);
	dup2(out, 2);
	execv(argv[0], argv);
	_exit(127);
}

static inline pid_t
sshd_spawn(char *const argv[], const char *log)
{
	return sshd_spawn_in(argv, log, NULL);
}

/* waits for pid at most timeout_ms (then kills it); its exit status, or -1 after a signal */
static inline int
sshd_wait(pid_t pid, int timeout_ms)
{
	long long deadline = test_now_ms() + timeout_ms;
	int status;
	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			break;
		assert_true(r == 0);
		if (test_now_ms() >= deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			break;
		}
		usleep(10000);
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* runs argv to its end (bounded); fails the test unless it exits 0 */
static inline void
sshd_run(char *const argv[], const char *log)
{
	int status = sshd_wait(sshd_spawn(argv, log), SSHD_TOOL_TIMEOUT_MS);
	if (status != 0)
		fail_msg("%s exited with %d, see %s", argv[0], status, log);
}

/* a TCP socket in the network namespace netns (NULL: this one) */
static inline int
sshd_socket_in(const char *netns)
{
	int fd = netns != NULL ? netns_socket(netns, AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)
		: socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		fail_msg("socket in %s: %s", netns ? netns : "this namespace", strerror(errno));
	return fd;
}

/*
 * A port nobody listens on right now in netns (NULL: this namespace); sshd
 * may still lose it to a race: the caller retries.
 */
static inline unsigned
sshd_free_port_in(const char *netns)
{
	int fd = sshd_socket_in(netns);
	struct sockaddr_in a = { .sin_family = AF_INET };
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	socklen_t len = sizeof(a);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	close(fd);
	return ntohs(a.sin_port);
}

static inline unsigned
sshd_free_port(void)
{
	return sshd_free_port_in(NULL);
}

/* 1 when a TCP connection from netns (NULL: this namespace) to ip:port is accepted */
static inline int
sshd_connects_in(const char *netns, const char *ip, unsigned port)
{
	int fd = sshd_socket_in(netns);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	assert_int_equal(inet_pton(AF_INET, ip, &a.sin_addr), 1);
	int ok = connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0;
	close(fd);
	return ok;
}

static inline int
sshd_connects(const char *ip, unsigned port)
{
	return sshd_connects_in(NULL, ip, port);
}

/*
 * 1 when a throwaway sshd can run here: the ssh server and client and
 * ssh-keygen, and, for root, the privilege separation directory (systemd
 * makes it at boot; made here when missing); else 0 with why.
 */
static inline int
sshd_usable(char *why, size_t len)
{
	if (access(SSHD_PATH, X_OK) != 0) {
		snprintf(why, len, "no %s (openssh-server is not installed)", SSHD_PATH);
		return 0;
	}
	if (access("/usr/bin/ssh", X_OK) != 0 || access("/usr/bin/ssh-keygen", X_OK) != 0) {
		snprintf(why, len, "no /usr/bin/ssh or /usr/bin/ssh-keygen");
		return 0;
	}
	if (geteuid() == 0 && mkdir("/run/sshd", 0755) != 0 && errno != EEXIST) {
		snprintf(why, len, "cannot make sshd's /run/sshd: %s", strerror(errno));
		return 0;
	}
	return 1;
}

/* reads the one-line public key at path ("type base64 comment") into buf, without the comment */
static inline void
sshd_read_pubkey(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	if (f == NULL || fgets(buf, (int)size, f) == NULL)
		fail_msg("cannot read %s", path);
	fclose(f);
	char *sp = strchr(buf, ' ');
	if (sp != NULL && (sp = strchr(sp + 1, ' ')) != NULL)
		*sp = '\0';
	buf[strcspn(buf, "\n")] = '\0';
}

/*
 * Keys and both configs in dir; sshd will run in the network namespace
 * netns (NULL: this one) and listen on each address of addrs
 * (NULL-terminated), which must be there.
 */
static inline void
sshd_prepare_in(struct sshd *s, const char *dir, const char *const *addrs, const char *netns)
{
	snprintf(s->netns, sizeof(s->netns), "%s", netns ? netns : "");
	snprintf(s->dir, sizeof(s->dir), "%s", dir);
	snprintf(s->config, sizeof(s->config), "%s/sshd_config", dir);
	snprintf(s->log, sizeof(s->log), "%s/sshd.log", dir);
	snprintf(s->wrapper, sizeof(s->wrapper), "%s/ssh", dir);
	s->port = sshd_free_port_in(SSHD_NETNS(s));

	char host_key[PATH_MAX + 32], client_key[PATH_MAX + 32], path[PATH_MAX + 64];
	snprintf(host_key, sizeof(host_key), "%s/host_key", dir);
	snprintf(client_key, sizeof(client_key), "%s/client_key", dir);
	char *kg_host[] = { "/usr/bin/ssh-keygen", "-q", "-N", "", "-t", "ed25519",
		"-f", host_key, NULL };
	char *kg_client[] = { "/usr/bin/ssh-keygen", "-q", "-N", "", "-t", "ed25519",
		"-f", client_key, NULL };
	sshd_run(kg_host, s->log);
	sshd_run(kg_client, s->log);

	char hostpub[1024], clientpub[1024];
	snprintf(path, sizeof(path), "%s.pub", host_key);
	sshd_read_pubkey(path, hostpub, sizeof(hostpub));
	snprintf(path, sizeof(path), "%s.pub", client_key);
	sshd_read_pubkey(path, clientpub, sizeof(clientpub));

	snprintf(path, sizeof(path), "%s/authorized_keys", dir);
	sshd_write_file(path, 0600, "%s\n", clientpub);

	char listen[256] = "", known[4096] = "";
	for (const char *const *a = addrs; *a != NULL; a++) {
		size_t l = strlen(listen), k = strlen(known);
		snprintf(listen + l, sizeof(listen) - l, "ListenAddress %s\n", *a);
		snprintf(known + k, sizeof(known) - k, "[%s]:%u %s\n", *a, s->port, hostpub);
	}
	snprintf(path, sizeof(path), "%s/known_hosts", dir);
	sshd_write_file(path, 0600, "%s", known);

	sshd_write_file(s->config, 0600,
		"Port %u\n%s"
		"HostKey %s\n"
		"PidFile %s/sshd.pid\n"
		"AuthorizedKeysFile %s/authorized_keys\n"
		"UsePAM no\n"
		"StrictModes no\n"
		"PermitRootLogin prohibit-password\n"
		"PubkeyAuthentication yes\n"
		"PasswordAuthentication no\n"
		"KbdInteractiveAuthentication no\n"
		"AllowTcpForwarding no\n"
		"AllowAgentForwarding no\n"
		"X11Forwarding no\n"
		"PermitTTY no\n"
		"PrintMotd no\n"
		"LoginGraceTime 20\n"
		"LogLevel VERBOSE\n",
		s->port, listen, host_key, dir, dir);

	snprintf(path, sizeof(path), "%s/ssh_config", dir);
	sshd_write_file(path, 0600,
		"Host *\n"
		"Port %u\n"
		"IdentityFile %s\n"
		"IdentitiesOnly yes\n"
		"UserKnownHostsFile %s/known_hosts\n"
		"StrictHostKeyChecking yes\n"
		"BatchMode yes\n"
		"ConnectTimeout 10\n"
		"ServerAliveInterval 5\n"
		"LogLevel ERROR\n",
		s->port, client_key, dir);
	sshd_write_file(s->wrapper, 0700, "#!/bin/sh\nexec /usr/bin/ssh -F %s \"$@\"\n", path);
}

static inline void
sshd_prepare(struct sshd *s, const char *dir, const char *const *addrs)
{
	sshd_prepare_in(s, dir, addrs, NULL);
}

/*
 * sshd -t checks the configuration, then sshd -D -e runs in the
 * foreground, in the namespace chosen by sshd_prepare_in; returns once it
 * accepts connections there on its first address. 0, or -EADDRINUSE when
 * the port was taken meanwhile (prepare again).
 */
static inline int
sshd_start(struct sshd *s, const char *first_addr)
{
	char *check[] = { SSHD_PATH, "-t", "-f", s->config, NULL };
	sshd_run(check, s->log);
	char *run[] = { SSHD_PATH, "-D", "-e", "-f", s->config, NULL };
	s->pid = sshd_spawn_in(run, s->log, SSHD_NETNS(s));
	long long deadline = test_now_ms() + SSHD_START_TIMEOUT_MS;
	while (!sshd_connects_in(SSHD_NETNS(s), first_addr, s->port)) {
		int status;
		if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
			s->pid = 0;
			return -EADDRINUSE;
		}
		if (test_now_ms() >= deadline)
			fail_msg("sshd did not listen on %s:%u%s%s within %d ms, see %s",
				first_addr, s->port, s->netns[0] ? " in " : "", s->netns,
				SSHD_START_TIMEOUT_MS, s->log);
		usleep(10000);
	}
	return 0;
}

/* the parent pid of pid from /proc, -1 when it is gone */
static inline pid_t
sshd_ppid(pid_t pid)
{
	char path[64], buf[512];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	/* "pid (comm) state ppid ...": comm may hold anything, look after the last ')' */
	char *p = strrchr(buf, ')');
	int ppid;
	if (p == NULL || sscanf(p + 1, " %*c %d", &ppid) != 1)
		return -1;
	return (pid_t)ppid;
}

#define SSHD_MAX_KILLED 256

/*
 * SIGKILLs every descendant of root (session sshds, shells, rpmemd) and
 * records their pids; returns how many.
 */
static inline int
sshd_kill_descendants(pid_t root, pid_t *killed)
{
	int n = 0;
	for (int round = 0; round < 8; round++) {
		int found = 0;
		DIR *d = opendir("/proc");
		if (d == NULL)
			return n;
		struct dirent *de;
		while ((de = readdir(d)) != NULL && n < SSHD_MAX_KILLED) {
			if (de->d_name[0] < '1' || de->d_name[0] > '9')
				continue;
			pid_t pid = (pid_t)atoi(de->d_name);
			for (pid_t p = sshd_ppid(pid); p > 1; p = sshd_ppid(p))
				if (p == root) {
					kill(pid, SIGKILL);
					killed[n++] = pid;
					found = 1;
					break;
				}
		}
		closedir(d);
		if (!found)
			return n;
		usleep(10000);
	}
	return n;
}

/*
 * Makes this process the reaper of sshd's orphans, so that sshd_stop can
 * reap what it kills instead of leaving zombies to a pid 1 that may not.
 */
static inline void
sshd_adopt_orphans(void)
{
	prctl(PR_SET_CHILD_SUBREAPER, 1);
}

/* stops sshd and everything it started; safe to call twice */
static inline void
sshd_stop(struct sshd *s)
{
	if (s->pid <= 0)
		return;
	/* a stopped listener forks no new session while its children are hunted */
	kill(s->pid, SIGSTOP);
	pid_t killed[SSHD_MAX_KILLED];
	int n = sshd_kill_descendants(s->pid, killed);
	kill(s->pid, SIGKILL);
	waitpid(s->pid, NULL, 0);
	s->pid = 0;
	/* the orphans came to us (sshd_adopt_orphans) unless sshd reaped them first */
	for (int i = 0; i < n; i++)
		for (int tries = 0; tries < 100; tries++) {
			pid_t r = waitpid(killed[i], NULL, WNOHANG);
			if (r != 0)
				break;
			usleep(1000);
		}
}

/*
 * An sshd in the fresh network namespace netns (nobody takes its port
 * meanwhile), listening on addr, with its keys and configs in dir (made
 * here); librpmem's RPMEM_SSH then goes through it.
 */
static inline void
sshd_start_for_rpmem_in(struct sshd *s, const char *dir, const char *netns,
	const char *addr)
{
	const char *const addrs[] = { addr, NULL };
	if (mkdir(dir, 0700) != 0)
		fail_msg("mkdir %s: %s", dir, strerror(errno));
	sshd_adopt_orphans();
	sshd_prepare_in(s, dir, addrs, netns);
	if (sshd_start(s, addr) != 0) {
		rpmem_log_print(s->log);
		fail_msg("sshd in %s ended at once", netns);
	}
	setenv("RPMEM_SSH", s->wrapper, 1);
	unsetenv("SSH_CONNECTION");
}

#endif /* SSHD_HELPERS_H */
