/* rpmempool_test.h -- what the rpmempool C tests share: the build's rpmempool run as a real process, its exit status and output kept */
#ifndef RPMEMPOOL_TEST_H
#define RPMEMPOOL_TEST_H 1

#include <stdarg.h>
#include <sys/wait.h>

#include "../../unit/libpmemobj/obj_test.h"
#include "../rpmem/rpmem_test_env.h"

#define TOOL_OUT_MAX 65536

struct tool_run {
	int status;			/* the exit status; -1 when it did not exit */
	char out[TOOL_OUT_MAX];		/* standard output */
	char err[TOOL_OUT_MAX];		/* standard error */
};

/* the whole of a small file into buf, NUL-terminated */
static inline void
tool_slurp(const char *path, char *buf, size_t len)
{
	buf[0] = '\0';
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return;
	size_t n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
}

/*
 * Runs "rpmempool ARGS..." (NULL-terminated) with the test's environment
 * (RPMEM_SSH and RPMEM_CMD as rpmem_env_setup left them), standard input
 * from /dev/null; fills *run. Its output files are dot files of the temp
 * dir, which obj_clean_dir leaves.
 */
static inline void
tool(struct tool_run *run, ...)
{
	char bin[PATH_MAX + 32], out[PATH_MAX], err[PATH_MAX];
	const char *build = getenv("BUILD_DIR");
	snprintf(bin, sizeof(bin), "%s/bin/rpmempool", build ? build : "build/release");
	snprintf(out, sizeof(out), "%s/.tool.out", test_tmpdir());
	snprintf(err, sizeof(err), "%s/.tool.err", test_tmpdir());
	char *argv[16] = { bin };
	int argc = 1;
	va_list ap;
	va_start(ap, run);
	const char *a;
	while ((a = va_arg(ap, const char *)) != NULL && argc < 15)
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc] = NULL;
	fflush(stdout);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY);
		int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (in < 0 || o < 0 || e < 0 || dup2(in, 0) < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0)
			_exit(126);
		execv(bin, argv);
		_exit(127);
	}
	int ws;
	assert_int_equal(waitpid(pid, &ws, 0), pid);
	run->status = WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
	tool_slurp(out, run->out, sizeof(run->out));
	tool_slurp(err, run->err, sizeof(run->err));
	printf("$ rpmempool");
	for (int i = 1; i < argc; i++)
		printf(" %s", argv[i]);
	printf("  -> %d\n%s%s", run->status, run->out, run->err);
}

/* the exit status, and what (when not NULL) in the output or in the errors */
static inline void
tool_expect(const struct tool_run *run, int status, const char *out, const char *err)
{
	if (run->status != status)
		fail_msg("rpmempool exited %d, expected %d: %s%s", run->status, status, run->out,
			run->err);
	if (out != NULL && strstr(run->out, out) == NULL)
		fail_msg("the output lacks '%s': %s", out, run->out);
	if (err != NULL && strstr(run->err, err) == NULL)
		fail_msg("the errors lack '%s': %s", err, run->err);
}

/* the pool's data, [4096, size), is the same in two replicas of one part each */
static inline void
tool_assert_same_data(const char *a, const char *b, size_t size)
{
	struct obj_part pa[] = { { a, size, 1 } };
	struct obj_part pb[] = { { b, size, 1 } };
	char *x = malloc(size), *y = malloc(size);
	assert_non_null(x);
	assert_non_null(y);
	obj_read_replica(pa, 1, OBJ_HDR, x, size - OBJ_HDR);
	obj_read_replica(pb, 1, OBJ_HDR, y, size - OBJ_HDR);
	assert_memory_equal(x, y, size - OBJ_HDR);
	free(x);
	free(y);
}

#endif /* RPMEMPOOL_TEST_H */
