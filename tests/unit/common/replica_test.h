/* replica_test.h -- helpers of the replica module's tests: a fresh directory with a set file, file checks */
#ifndef REPLICA_TEST_H
#define REPLICA_TEST_H 1

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_common.h"
#include "err.h"
#include "poolset.h"
#include "replica.h"

#define MIB ((size_t)1 << 20)
#define HDR POOLSET_HDR_SIZE
#define NAME "pool set 'test.set'"

/* one test's directory, its set file test.set (parsed) and a replica of it */
struct rt {
	char dir[PATH_MAX];
	struct poolset *set;
	struct replica rep;
};

#define assert_fails(call, code, msg) do { \
	int ret_ = (call); \
	if (ret_ != (code)) \
		fail_msg("%s = %d (%s), expected %d", #call, ret_, err_last(), (code)); \
	assert_string_equal(err_last(), (msg)); \
} while (0)

#define assert_succeeds(call) do { \
	int ret_ = (call); \
	if (ret_ != 0) \
		fail_msg("%s = %d: %s", #call, ret_, err_last()); \
} while (0)

static inline void
rt_path(const struct rt *t, const char *name, char *path)
{
	if (snprintf(path, PATH_MAX, "%s/%s", t->dir, name) >= PATH_MAX)
		fail_msg("path %s/%s is too long", t->dir, name);
}

/* writes text as the file name in the test's directory */
static inline void
rt_write(const struct rt *t, const char *name, const char *text)
{
	char path[PATH_MAX];
	rt_path(t, name, path);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		fail_msg("open %s: %s", path, strerror(errno));
	size_t len = strlen(text);
	if (write(fd, text, len) != (ssize_t)len)
		fail_msg("write %s failed", path);
	close(fd);
}

/* a fresh directory below parent with test.set holding text, parsed (unconfined paths) */
static inline void
rt_setup_in(struct rt *t, const char *parent, const char *text)
{
	memset(t, 0, sizeof(*t));
	if (snprintf(t->dir, sizeof(t->dir), "%s/rep-XXXXXX", parent) >= (int)sizeof(t->dir))
		fail_msg("path %s is too long", parent);
	if (mkdtemp(t->dir) == NULL)
		fail_msg("mkdtemp %s: %s", t->dir, strerror(errno));
	rt_write(t, "test.set", text);
	char path[PATH_MAX];
	rt_path(t, "test.set", path);
	assert_succeeds(poolset_read(path, &t->set));
}

static inline void
rt_setup(struct rt *t, const char *text)
{
	rt_setup_in(t, test_tmpdir(), text);
}

/* rt_setup and replica_init of replica r, unconfined */
static inline void
rt_init(struct rt *t, const char *text, unsigned r)
{
	rt_setup(t, text);
	assert_succeeds(replica_init(&t->rep, t->set, r, REPLICA_UNCONFINED, NAME));
}

static inline void
rt_teardown(struct rt *t)
{
	replica_close(&t->rep);
	poolset_free(t->set);
	t->set = NULL;
}

/* the size of the file name in the test's directory; -1 when it does not exist */
static inline long long
rt_size(const struct rt *t, const char *name)
{
	char path[PATH_MAX];
	rt_path(t, name, path);
	struct stat st;
	if (stat(path, &st) != 0) {
		if (errno != ENOENT)
			fail_msg("stat %s: %s", path, strerror(errno));
		return -1;
	}
	return (long long)st.st_size;
}

static inline mode_t
rt_mode(const struct rt *t, const char *name)
{
	char path[PATH_MAX];
	rt_path(t, name, path);
	struct stat st;
	if (stat(path, &st) != 0)
		fail_msg("stat %s: %s", path, strerror(errno));
	return st.st_mode & 07777;
}

/* allocated blocks of the file name, in bytes */
static inline long long
rt_allocated(const struct rt *t, const char *name)
{
	char path[PATH_MAX];
	rt_path(t, name, path);
	struct stat st;
	if (stat(path, &st) != 0)
		fail_msg("stat %s: %s", path, strerror(errno));
	return (long long)st.st_blocks * 512;
}

/* len bytes at off of the file name, read with pread (not through any mapping) */
static inline void
rt_pread(const struct rt *t, const char *name, off_t off, void *buf, size_t len)
{
	char path[PATH_MAX];
	rt_path(t, name, path);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		fail_msg("open %s: %s", path, strerror(errno));
	if (pread(fd, buf, len, off) != (ssize_t)len)
		fail_msg("pread %s failed", path);
	close(fd);
}

static inline void
rt_pwrite(const struct rt *t, const char *name, off_t off, const void *buf, size_t len)
{
	char path[PATH_MAX];
	rt_path(t, name, path);
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		fail_msg("open %s: %s", path, strerror(errno));
	if (pwrite(fd, buf, len, off) != (ssize_t)len)
		fail_msg("pwrite %s failed", path);
	close(fd);
}

/* runs fn(arg) in a forked child (another process) and returns its exit code */
static inline int
rt_in_child(int (*fn)(void *), void *arg)
{
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(fn(arg));
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

#endif /* REPLICA_TEST_H */
