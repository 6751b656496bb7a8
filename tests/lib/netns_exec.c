/* netns_exec.c -- processes started inside a host: a program spawned there, a function run there within a bound */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "netns_impl.h"
#include "test_common.h"

extern char **environ;

/* the child's end when it cannot go on: why (an errno value) to the parent's report pipe */
static _Noreturn void
child_fail(int report, int e)
{
	if (write(report, &e, sizeof(e)) < 0)
		_exit(126);
	_exit(127);
}

/*
 * fork(2) of a child in its own process group that entered netns. The
 * child gets 0 and, in *report, the write end of a close-on-exec pipe on
 * which child_fail tells the parent why it could not go on; the parent
 * gets the pid and the read end, for child_report; -1 when no child
 * started (the namespace cannot be opened: said on stderr).
 */
static pid_t
fork_in(const char *netns, int *report)
{
	int p[2];
	int nsfd = netns_open(netns);
	if (nsfd < 0) {
		fprintf(stderr, "netns: cannot open namespace %s: %s\n", netns, strerror(errno));
		return -1;
	}
	if (pipe2(p, O_CLOEXEC) != 0) {
		close(nsfd);
		return -1;
	}
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		setpgid(0, 0);
		if (setns(nsfd, CLONE_NEWNET) != 0)
			child_fail(p[1], errno);
		close(nsfd);
		*report = p[1];
		return 0;
	}
	close(nsfd);
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		return -1;
	}
	setpgid(pid, pid);	/* before the caller may kill(-pid, ...) */
	*report = p[0];
	return pid;
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

pid_t
netns_spawn_in(const char *netns, char *const argv[], int out_fd, int err_fd)
{
	int report = -1;
	pid_t pid = fork_in(netns, &report);
	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY);
		if (in < 0 || dup2(in, 0) < 0 || redirect(out_fd, 1) != 0 || redirect(err_fd, 2) != 0)
			child_fail(report, errno);
		/* the program gets none of the test's descriptors (sockets, pipes) */
		close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
		execve(argv[0], argv, environ);
		child_fail(report, errno);
	}
	if (pid < 0)
		return -1;
	int e = child_report(report, -1);
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
	return netns_host_ok(w, host) ? netns_spawn_in(w->name[host], argv, out_fd, err_fd) : -1;
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
		netns_sleep_ms(nap);
	}
}

int
netns_run_in(const char *netns, int (*fn)(void *), void *arg, int timeout_ms)
{
	long long deadline = test_now_ms() + timeout_ms;
	fflush(NULL);	/* what is buffered is printed once, by the parent */
	int report = -1;
	pid_t pid = fork_in(netns, &report);
	if (pid == 0) {
		close(report);
		int ret = fn(arg);
		fflush(NULL);
		_exit(ret & 0xff);
	}
	if (pid < 0)
		return -1;
	int e = child_report(report, timeout_ms);
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
	return netns_host_ok(w, host) ? netns_run_in(w->name[host], fn, arg, timeout_ms) : -1;
}
