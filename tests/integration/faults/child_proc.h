/* child_proc.h -- a program run by a fault test: its stdout read line by line with deadlines, its exit waited for with a bound, its key=value summary parsed */
#ifndef CHILD_PROC_H
#define CHILD_PROC_H 1

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "test_common.h"

struct child_proc {
	pid_t pid;
	int out;		/* read end of its stdout, -1 when closed */
	char buf[4096];		/* what was read and not yet returned as a line */
	size_t len;
	int status;		/* wait status once reaped */
	int reaped;
};

/*
 * Starts argv with its stdout on a pipe, its stderr on err_fd (-1: the
 * test's), in its own process group. spawn (NULL: fork + execv here) lets a
 * test start it elsewhere, e.g. in a network namespace; it gets the pipe's
 * write end and returns the pid.
 */
typedef pid_t child_spawn_fn(char *const argv[], int out_fd, int err_fd, void *arg);

static inline pid_t
child_spawn_here(char *const argv[], int out_fd, int err_fd, void *arg)
{
	(void)arg;
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	setpgid(0, 0);
	dup2(out_fd, 1);
	if (err_fd >= 0)
		dup2(err_fd, 2);
	execv(argv[0], argv);
	_exit(127);
}

static inline void
child_start(struct child_proc *c, char *const argv[], int err_fd,
	child_spawn_fn *spawn, void *arg)
{
	int p[2];
	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	memset(c, 0, sizeof(*c));
	c->pid = (spawn ? spawn : child_spawn_here)(argv, p[1], err_fd, arg);
	close(p[1]);
	if (c->pid < 0)
		fail_msg("cannot start %s", argv[0]);
	c->out = p[0];
}

/*
 * The next line of its stdout (without the newline) into line, waiting at
 * most timeout_ms: 0, or -1 at end of output or on timeout.
 */
static inline int
child_read_line(struct child_proc *c, char *line, size_t size, int timeout_ms)
{
	long long deadline = test_now_ms() + timeout_ms;
	for (;;) {
		char *nl = memchr(c->buf, '\n', c->len);
		if (nl != NULL) {
			size_t n = (size_t)(nl - c->buf);
			snprintf(line, size, "%.*s", (int)n, c->buf);
			c->len -= n + 1;
			memmove(c->buf, nl + 1, c->len);
			return 0;
		}
		long long left = deadline - test_now_ms();
		if (c->out < 0 || left <= 0 || c->len == sizeof(c->buf))
			return -1;
		struct pollfd pfd = { .fd = c->out, .events = POLLIN };
		if (poll(&pfd, 1, (int)left) <= 0)
			continue;
		ssize_t r = read(c->out, c->buf + c->len, sizeof(c->buf) - c->len);
		if (r <= 0) {
			close(c->out);
			c->out = -1;
		} else {
			c->len += (size_t)r;
		}
	}
}

/* reads lines until one starts with prefix; 0, or -1 on timeout / end of output */
static inline int
child_wait_line(struct child_proc *c, const char *prefix, char *line,
	size_t size, int timeout_ms)
{
	long long deadline = test_now_ms() + timeout_ms;
	for (;;) {
		long long left = deadline - test_now_ms();
		if (left <= 0 || child_read_line(c, line, size, (int)left) != 0)
			return -1;
		if (strncmp(line, prefix, strlen(prefix)) == 0)
			return 0;
	}
}

/*
 * Waits at most timeout_ms for it to exit; on expiry kills its process
 * group and fails the test (a hang is a failure). Returns the exit status,
 * or 128 + signal when a signal ended it.
 */
static inline int
child_wait(struct child_proc *c, int timeout_ms, const char *what)
{
	long long deadline = test_now_ms() + timeout_ms;
	while (!c->reaped) {
		pid_t r = waitpid(c->pid, &c->status, WNOHANG);
		if (r == c->pid) {
			c->reaped = 1;
			break;
		}
		if (test_now_ms() > deadline) {
			kill(-c->pid, SIGKILL);
			kill(c->pid, SIGKILL);
			waitpid(c->pid, &c->status, 0);
			c->reaped = 1;
			fail_msg("%s did not exit within %d ms: killed", what, timeout_ms);
		}
		usleep(10000);
	}
	if (WIFSIGNALED(c->status))
		return 128 + WTERMSIG(c->status);
	return WEXITSTATUS(c->status);
}

/* kills what is left of it (teardown on any path) */
static inline void
child_kill(struct child_proc *c)
{
	if (c->pid > 0 && !c->reaped) {
		kill(-c->pid, SIGKILL);
		kill(c->pid, SIGKILL);
		waitpid(c->pid, &c->status, 0);
		c->reaped = 1;
	}
	if (c->out >= 0) {
		close(c->out);
		c->out = -1;
	}
}

/*
 * The value of key in a "k1=v1 k2=v2" line, as a number (strtoll base 0);
 * fails the test when the key is missing.
 */
static inline long long
child_field(const char *line, const char *key)
{
	size_t klen = strlen(key);
	for (const char *p = line; (p = strstr(p, key)) != NULL; p += klen) {
		if ((p == line || p[-1] == ' ') && p[klen] == '=')
			return strtoll(p + klen + 1, NULL, 0);
	}
	fail_msg("no %s= in \"%s\"", key, line);
	return 0;
}

/* the value of key as a word (e.g. an errno name) into out */
static inline void
child_field_word(const char *line, const char *key, char *out, size_t size)
{
	size_t klen = strlen(key);
	for (const char *p = line; (p = strstr(p, key)) != NULL; p += klen) {
		if ((p == line || p[-1] == ' ') && p[klen] == '=') {
			const char *v = p + klen + 1;
			snprintf(out, size, "%.*s", (int)strcspn(v, " "), v);
			return;
		}
	}
	fail_msg("no %s= in \"%s\"", key, line);
}

#endif /* CHILD_PROC_H */
