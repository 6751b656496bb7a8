/* ssh.c -- the ssh child that runs rpmemd: start it on socketpairs, keep its stderr, always reap it */
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rpmem.h"

#define SSH_MAX_ARGS 12

/* argv of the child; the strings live in host (user@host) and the arguments */
static void
build_argv(const char *argv[SSH_MAX_ARGS], char *host, size_t hostsize,
	const char *ssh_prog, const struct target *t, int ipv4, const char *cmd)
{
	size_t n = 0;
	argv[n++] = ssh_prog;
	argv[n++] = "-T";
	argv[n++] = "-oBatchMode=yes";
	if (t->service[0]) {
		argv[n++] = "-p";
		argv[n++] = t->service;
	}
	if (ipv4)
		argv[n++] = "-4";
	if (t->user[0])
		snprintf(host, hostsize, "%s@%s", t->user, t->node);
	else
		snprintf(host, hostsize, "%s", t->node);
	argv[n++] = host;
	argv[n++] = cmd;
	argv[n] = NULL;
}

/*
 * In the child: closes every descriptor above 2. libfabric's sockets and
 * epoll descriptors are not close-on-exec; without this the ssh child of a
 * second pool would hold the first pool's lane connections open.
 */
static void
close_from_3(void)
{
#ifdef SYS_close_range
	if (syscall(SYS_close_range, 3, ~0U, 0) == 0)
		return;
#endif
	struct rlimit rl;
	int max = 65536;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t)max)
		max = (int)rl.rlim_cur;
	for (int fd = 3; fd < max; fd++)
		close(fd);
}

/* in the child: only async-signal-safe calls until exec */
static void __attribute__((noreturn))
child(int io, int err, const char *const argv[])
{
	/* a group of its own: a lingering child is ended with all it started */
	setpgid(0, 0);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/*
	 * Above 2 first: a program that closed its standard descriptors got
	 * the channel on 0..2, where dup2 onto itself would keep close-on-exec
	 * or a later dup2 would overwrite it.
	 */
	io = fcntl(io, F_DUPFD_CLOEXEC, 3);
	err = fcntl(err, F_DUPFD_CLOEXEC, 3);
	if (io < 0 || err < 0 || dup2(io, 0) < 0 || dup2(io, 1) < 0 ||
			dup2(err, 2) < 0)
		_exit(127);
	close_from_3();
	execvp(argv[0], (char *const *)argv);
	static const char m[] = "librpmem: cannot execute ";
	if (write(2, m, sizeof(m) - 1) < 0 || write(2, argv[0], strlen(argv[0])) < 0 ||
			write(2, "\n", 1) < 0)
		_exit(127);
	_exit(127);
}

int
rpmem_ssh_start(struct rpmem_ssh *ssh, const char *ssh_prog,
	const struct target *t, int ipv4, const char *cmd)
{
	memset(ssh, 0, sizeof(*ssh));
	ssh->fd = ssh->err_fd = -1;
	ssh->status = -1;

	const char *argv[SSH_MAX_ARGS];
	char host[TARGET_USER_MAX + TARGET_NODE_MAX + 1];
	build_argv(argv, host, sizeof(host), ssh_prog, t, ipv4, cmd);

	int io[2], err[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, io))
		return err_set_sys(-errno, errno, "cannot create the ssh channel");
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, err)) {
		int e = errno;
		close(io[0]);
		close(io[1]);
		return err_set_sys(-e, e, "cannot create the ssh error channel");
	}

	pid_t pid = fork();
	if (pid == 0)
		child(io[1], err[1], argv);
	int e = errno;
	close(io[1]);
	close(err[1]);
	if (pid < 0) {
		close(io[0]);
		close(err[0]);
		return err_set_sys(-e, e, "cannot start %s", ssh_prog);
	}
	ssh->pid = pid;
	ssh->fd = io[0];
	ssh->err_fd = err[0];
	log_msg(LOG_INFO, "started %s (pid %d) for %s: %s", ssh_prog, (int)pid,
		host, cmd);
	return 0;
}

/* drops the oldest line kept (or half of the text, when it is one line) */
static void
drop_oldest(struct rpmem_ssh *ssh)
{
	char *sep = memchr(ssh->errtext, ';', ssh->errlen);
	size_t drop = sep ? (size_t)(sep - ssh->errtext) + 2 : ssh->errlen / 2;
	if (drop > ssh->errlen)
		drop = ssh->errlen;
	memmove(ssh->errtext, ssh->errtext + drop, ssh->errlen - drop);
	ssh->errlen -= drop;
}

/* keeps one byte of the child's stderr: the last lines win, they say why it ended */
static void
keep_byte(struct rpmem_ssh *ssh, char c)
{
	if (c == '\r')
		return;
	while (ssh->errlen + 3 >= sizeof(ssh->errtext))
		drop_oldest(ssh);
	if (c == '\n') {
		ssh->errtext[ssh->errlen++] = ';';
		ssh->errtext[ssh->errlen++] = ' ';
	} else {
		ssh->errtext[ssh->errlen++] = (c >= ' ' && c != 0x7f) ? c : '?';
	}
	ssh->errtext[ssh->errlen] = '\0';
}

/* appends what the child wrote, lines joined by "; "; 0 at EOF, 1 for more, -1 for nothing yet */
static int
read_stderr(struct rpmem_ssh *ssh)
{
	char buf[4096];
	ssize_t n = recv(ssh->err_fd, buf, sizeof(buf), MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return -1;
	if (n <= 0)
		return 0;
	for (ssize_t i = 0; i < n; i++)
		keep_byte(ssh, buf[i]);
	return 1;
}

/* keeps the child's stderr until it closes it or the deadline passes */
static void
collect_stderr(struct rpmem_ssh *ssh, long long deadline)
{
	while (ssh->err_fd >= 0) {
		long long left = deadline - util_now_ms();
		if (left <= 0)
			return;
		struct pollfd p = { .fd = ssh->err_fd, .events = POLLIN };
		int r = poll(&p, 1, (int)left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0 || read_stderr(ssh) == 0) {
			close(ssh->err_fd);
			ssh->err_fd = -1;
		}
	}
}

/* at most this much stderr is read by one drain, so that a drain always ends */
#define DRAIN_MAX_READS 64

void
rpmem_ssh_drain(struct rpmem_ssh *ssh)
{
	if (ssh->err_fd < 0 || atomic_load(&ssh->err_eof) ||
			atomic_exchange(&ssh->draining, 1))
		return;
	for (int i = 0; i < DRAIN_MAX_READS; i++) {
		int r = read_stderr(ssh);
		if (r == 0)
			atomic_store(&ssh->err_eof, 1);
		if (r <= 0)
			break;
	}
	atomic_store(&ssh->draining, 0);
}

int
rpmem_ssh_wait_readable(struct rpmem_ssh *ssh, long long deadline)
{
	for (;;) {
		long long left = deadline - util_now_ms();
		if (left <= 0)
			return -ETIMEDOUT;
		struct pollfd p[2] = {
			{ .fd = ssh->fd, .events = POLLIN },
			{ .fd = atomic_load(&ssh->err_eof) ? -1 : ssh->err_fd,
				.events = POLLIN },
		};
		int r = poll(p, 2, left > INT_MAX ? INT_MAX : (int)left);
		if (r < 0 && errno != EINTR)
			return err_set_sys(-errno, errno, "cannot wait for the ssh channel");
		if (r > 0 && p[1].revents)
			rpmem_ssh_drain(ssh);
		if (r > 0 && p[0].revents)
			return 0;
	}
}

/* waitpid without blocking past the deadline; 1 once reaped */
static int
reap_until(struct rpmem_ssh *ssh, long long deadline)
{
	for (;;) {
		int status;
		pid_t r = waitpid(ssh->pid, &status, WNOHANG);
		if (r == ssh->pid) {
			ssh->status = status;
			return 1;
		}
		if (r < 0 && errno != EINTR)
			return 1;	/* reaped by someone else (an application's SIGCHLD handler) */
		if (util_now_ms() >= deadline)
			return 0;
		usleep(2000);
	}
}

int
rpmem_ssh_finish(struct rpmem_ssh *ssh, int timeout_ms)
{
	if (ssh->fd >= 0) {
		close(ssh->fd);
		ssh->fd = -1;
	}
	long long deadline = util_now_ms() + timeout_ms;
	collect_stderr(ssh, deadline);
	if (ssh->err_fd >= 0) {
		close(ssh->err_fd);
		ssh->err_fd = -1;
	}
	if (ssh->pid <= 1)
		return ssh->status;

	if (!reap_until(ssh, deadline)) {
		log_msg(LOG_WARN, "ssh child %d still runs after %d ms, terminating it",
			(int)ssh->pid, timeout_ms);
		kill(-ssh->pid, SIGTERM);
		kill(ssh->pid, SIGTERM);
		if (!reap_until(ssh, util_now_ms() + timeout_ms)) {
			kill(-ssh->pid, SIGKILL);
			kill(ssh->pid, SIGKILL);
			while (waitpid(ssh->pid, &ssh->status, 0) < 0 && errno == EINTR)
				;
		}
	}
	ssh->pid = 0;
	return ssh->status;
}

void
rpmem_ssh_describe(const struct rpmem_ssh *ssh, char *buf, size_t size)
{
	size_t len = ssh->errlen;
	/* without the final "; " of the last line */
	while (len > 0 && (ssh->errtext[len - 1] == ' ' || ssh->errtext[len - 1] == ';'))
		len--;
	int st = ssh->status;
	char how[64] = "";
	if (st != -1 && WIFEXITED(st))
		snprintf(how, sizeof(how), "exit status %d", WEXITSTATUS(st));
	else if (st != -1 && WIFSIGNALED(st))
		snprintf(how, sizeof(how), "killed by signal %d", WTERMSIG(st));

	if (len > 0 && how[0])
		snprintf(buf, size, "%.*s (%s)", (int)len, ssh->errtext, how);
	else if (len > 0)
		snprintf(buf, size, "%.*s", (int)len, ssh->errtext);
	else if (how[0])
		snprintf(buf, size, "%s", how);
	else
		snprintf(buf, size, "%s", "");
}
