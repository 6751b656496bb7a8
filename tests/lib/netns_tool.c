/* netns_tool.c -- runs ip(8) or tc(8) with an argument list, bounded in time, with its stdout and the first line of its stderr */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "netns_impl.h"
#include "test_common.h"

#define TOOL_TIMEOUT_MS 10000	/* one ip or tc command */

extern char **environ;

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

int
netns_tool_argv(char *out, size_t outlen, char *why, size_t whylen, const char *tool,
	char *const args[])
{
	char *argv[NETNS_MAX_ARGS + 1];
	const char *path = tool_path(tool);
	if (path == NULL) {
		if (why != NULL)
			snprintf(why, whylen, "no %s(8) in /usr/sbin, /sbin, /usr/bin or /bin", tool);
		return -1;
	}
	int argc = 0;
	argv[argc++] = (char *)path;
	while (argc < NETNS_MAX_ARGS && args[argc - 1] != NULL) {
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
	char *args[NETNS_MAX_ARGS];
	int n = 0;
	va_list ap;
	va_start(ap, tool);
	for (const char *a; (a = va_arg(ap, const char *)) != NULL && n < NETNS_MAX_ARGS - 1; )
		args[n++] = (char *)a;
	va_end(ap);
	args[n] = NULL;
	return netns_tool_argv(out, outlen, why, whylen, tool, args);
}
