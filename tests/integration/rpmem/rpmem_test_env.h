/* rpmem_test_env.h -- a real rpmemd for integration tests: a poolset-dir, RPMEM_SSH and RPMEM_CMD pointing at it */
#ifndef RPMEM_TEST_ENV_H
#define RPMEM_TEST_ENV_H 1

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "test_common.h"

struct rpmem_env {
	char dir[PATH_MAX];	/* the daemon's poolset-dir */
	char log[PATH_MAX + 16];
};

static inline void
rpmem_env_write(const struct rpmem_env *e, const char *name, const char *text)
{
	char path[PATH_MAX + 64];
	snprintf(path, sizeof(path), "%s/%s", e->dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* removes a file of the poolset-dir if it is there */
static inline void
rpmem_env_unlink(const struct rpmem_env *e, const char *name)
{
	char path[PATH_MAX + 64];
	snprintf(path, sizeof(path), "%s/%s", e->dir, name);
	unlink(path);
}

/*
 * The environment that makes librpmem start the build's rpmemd on this
 * machine through tests/lib/rpmem_ssh_local.sh, serving the poolset-dir
 * dir and logging to log (NULL: dir/rpmemd.log). provider: "tcp" or "sockets".
 */
static inline void
rpmem_env_setup_at(struct rpmem_env *e, const char *provider, const char *dir,
	const char *log)
{
	snprintf(e->dir, sizeof(e->dir), "%s", dir);
	if (log != NULL)
		snprintf(e->log, sizeof(e->log), "%s", log);
	else
		snprintf(e->log, sizeof(e->log), "%s/rpmemd.log", e->dir);

	char build[PATH_MAX], ssh[PATH_MAX];
	const char *b = getenv("BUILD_DIR");
	if (realpath(b ? b : "build/release", build) == NULL)
		fail_msg("no build directory: %s", strerror(errno));
	if (realpath("tests/lib/rpmem_ssh_local.sh", ssh) == NULL)
		fail_msg("no tests/lib/rpmem_ssh_local.sh: %s", strerror(errno));

	char cmd[3 * PATH_MAX + 128];
	snprintf(cmd, sizeof(cmd),
		"%s/bin/rpmemd --poolset-dir=%s --log-file=%s --log-level=info",
		build, e->dir, e->log);
	setenv("RPMEM_SSH", ssh, 1);
	setenv("RPMEM_CMD", cmd, 1);
	setenv("RPMEM_PROVIDER", provider, 1);
	if (strcmp(provider, "sockets") == 0)
		setenv("RPMEM_ENABLE_SOCKETS", "1", 1);
	else
		unsetenv("RPMEM_ENABLE_SOCKETS");
}

/* a fresh poolset-dir (the test's temp dir) served as rpmem_env_setup_at says */
static inline void
rpmem_env_setup(struct rpmem_env *e, const char *provider)
{
	rpmem_env_setup_at(e, provider, test_tmpdir(), NULL);
}

/* page-aligned zeroed local pool memory */
static inline void *
rpmem_env_pool(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(p != MAP_FAILED);
	return p;
}

/* the pids of the rpmemd processes serving this environment's poolset-dir */
static inline int
rpmem_env_daemons(const struct rpmem_env *e, pid_t *pids, int max)
{
	DIR *d = opendir("/proc");
	assert_non_null(d);
	int n = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL && n < max) {
		char path[300], buf[4096];
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/cmdline", de->d_name);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		ssize_t len = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (len <= 0)
			continue;
		buf[len] = '\0';
		/* argv[0] is the daemon itself, not the sh -c wrapping it */
		const char *base = strrchr(buf, '/');
		if (base == NULL || strcmp(base, "/rpmemd") != 0)
			continue;
		for (char *p = buf; p < buf + len; p += strlen(p) + 1)
			if (strstr(p, e->dir) != NULL) {
				pids[n++] = (pid_t)atoi(de->d_name);
				break;
			}
	}
	closedir(d);
	return n;
}

/* bytes [off, off + len) of a part file in the poolset-dir */
static inline void
rpmem_env_read_part(const struct rpmem_env *e, const char *part, void *buf,
	size_t len, off_t off)
{
	char path[PATH_MAX + 64];
	snprintf(path, sizeof(path), "%s/%s", e->dir, part);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(pread(fd, buf, len, off), (ssize_t)len);
	close(fd);
}

#endif /* RPMEM_TEST_ENV_H */
