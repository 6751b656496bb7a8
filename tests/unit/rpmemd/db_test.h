/* db_test.h -- helpers of the pool database tests: a fresh poolset-dir per test, set files, file checks */
#ifndef RPMEMD_DB_TEST_H
#define RPMEMD_DB_TEST_H 1

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
#include "db.h"
#include "err.h"

#define MIB ((size_t)1 << 20)
#define HDR 4096

/* one test's poolset-dir and the database opened on it */
struct dbt {
	char dir[PATH_MAX];
	struct rpmemd_db *db;
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
dbt_setup_in(struct dbt *t, const char *parent)
{
	if (snprintf(t->dir, sizeof(t->dir), "%s/db-XXXXXX", parent) >= (int)sizeof(t->dir))
		fail_msg("path %s is too long", parent);
	if (mkdtemp(t->dir) == NULL)
		fail_msg("mkdtemp %s: %s", t->dir, strerror(errno));
	assert_succeeds(rpmemd_db_init(t->dir, &t->db));
}

static inline void
dbt_setup(struct dbt *t)
{
	dbt_setup_in(t, test_tmpdir());
}

static inline void
dbt_teardown(struct dbt *t)
{
	rpmemd_db_fini(t->db);
	t->db = NULL;
}

static inline void
dbt_path(const struct dbt *t, const char *name, char *path)
{
	if (snprintf(path, PATH_MAX, "%s/%s", t->dir, name) >= PATH_MAX)
		fail_msg("path %s/%s is too long", t->dir, name);
}

/* writes text as the file name in the poolset-dir */
static inline void
dbt_write(const struct dbt *t, const char *name, const char *text)
{
	char path[PATH_MAX];
	dbt_path(t, name, path);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		fail_msg("open %s: %s", path, strerror(errno));
	size_t len = strlen(text);
	if (write(fd, text, len) != (ssize_t)len)
		fail_msg("write %s failed", path);
	close(fd);
}

/* the size of the file name in the poolset-dir; -1 when it does not exist */
static inline long long
dbt_size(const struct dbt *t, const char *name)
{
	char path[PATH_MAX];
	dbt_path(t, name, path);
	struct stat st;
	if (stat(path, &st) != 0) {
		if (errno != ENOENT)
			fail_msg("stat %s: %s", path, strerror(errno));
		return -1;
	}
	return (long long)st.st_size;
}

static inline mode_t
dbt_mode(const struct dbt *t, const char *name)
{
	char path[PATH_MAX];
	dbt_path(t, name, path);
	struct stat st;
	if (stat(path, &st) != 0)
		fail_msg("stat %s: %s", path, strerror(errno));
	return st.st_mode & 07777;
}

/* len bytes at off of the file name, read with pread (not through any mapping) */
static inline void
dbt_pread(const struct dbt *t, const char *name, off_t off, void *buf, size_t len)
{
	char path[PATH_MAX];
	dbt_path(t, name, path);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		fail_msg("open %s: %s", path, strerror(errno));
	if (pread(fd, buf, len, off) != (ssize_t)len)
		fail_msg("pread %s failed", path);
	close(fd);
}

static inline void
dbt_pwrite(const struct dbt *t, const char *name, off_t off, const void *buf, size_t len)
{
	char path[PATH_MAX];
	dbt_path(t, name, path);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		fail_msg("open %s: %s", path, strerror(errno));
	if (pwrite(fd, buf, len, off) != (ssize_t)len)
		fail_msg("pwrite %s failed", path);
	close(fd);
}

/* attributes with every field set, user_flags holding NUL, '\n' and "~." bytes */
static inline struct rpmem_pool_attr
dbt_attr(unsigned seed)
{
	struct rpmem_pool_attr a;
	memset(&a, 0, sizeof(a));
	memcpy(a.signature, "SIG\0\n~.x", sizeof(a.signature));
	a.major = 0x01020304u + seed;
	a.compat_features = 0xa0b0c0d0u;
	a.incompat_features = 0x10000000u;	/* not SINGLEHDR */
	a.ro_compat_features = 0xffffffffu;
	for (unsigned i = 0; i < RPMEM_POOL_HDR_UUID_LEN; i++) {
		a.poolset_uuid[i] = (unsigned char)(0x10 + i + seed);
		a.uuid[i] = (unsigned char)(0x30 + i + seed);
		a.next_uuid[i] = (unsigned char)(0x50 + i + seed);
		a.prev_uuid[i] = (unsigned char)(0x70 + i + seed);
	}
	memcpy(a.user_flags, "a\0b\n~.\r\xff\0~.\n\n\0z", sizeof(a.user_flags));
	a.user_flags[15] = (unsigned char)seed;
	return a;
}

static inline int
dbt_is_zero(const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		if (b[i] != 0)
			return 0;
	return 1;
}

/*
 * Runs fn(arg) in a forked child (another process, as another rpmemd would
 * be) and returns its exit code.
 */
static inline int
dbt_in_child(int (*fn)(void *), void *arg)
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

#endif /* RPMEMD_DB_TEST_H */
