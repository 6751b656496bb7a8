/* poolset_open.c -- reading set files, and confined opening below poolset-dir with openat2 and with the walk */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_common.h"
#include "err.h"
#include "poolset.h"

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

static char Root[64];	/* stands for rpmemd's poolset-dir */
static char Outside[64];	/* a sibling directory nothing may reach */
static int Rootfd = -1;

typedef int (*open_fn)(int, const char *, const char *, int, mode_t, int *);

static const struct {
	const char *name;
	open_fn fn;
} Impls[] = {
	{ "openat2", poolset_open_beneath },
	{ "walk", poolset_open_beneath_walk },
};

static void
put(const char *dir, const char *rel, const char *content)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		fail_msg("create %s: %s", path, strerror(errno));
	size_t len = strlen(content);
	if (write(fd, content, len) != (ssize_t)len)
		fail_msg("write %s: %s", path, strerror(errno));
	close(fd);
}

static void
put_size(const char *rel, size_t size)
{
	char *text = malloc(size + 1);
	assert_non_null(text);
	/* a valid set padded with comment lines to exactly size bytes */
	const char *head = "PMEMPOOLSET\n8M big.part\n";
	memset(text, 'x', size);
	memcpy(text, head, strlen(head));
	for (size_t i = strlen(head); i < size; i += 64) {
		text[i] = '#';
		text[i + 63 < size ? i + 63 : size - 1] = '\n';
	}
	text[size] = '\0';
	put(Root, rel, text);
	free(text);
}

static void
link_at(const char *rel, const char *target)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/%s", Root, rel);
	if (symlink(target, path) != 0)
		fail_msg("symlink %s: %s", path, strerror(errno));
}

static void
dir_at(const char *base, const char *rel)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/%s", base, rel);
	if (mkdir(path, 0755) != 0)
		fail_msg("mkdir %s: %s", path, strerror(errno));
}

static int
setup_tree(void **state)
{
	(void)state;
	snprintf(Root, sizeof(Root), "/tmp/poolset-root-XXXXXX");
	snprintf(Outside, sizeof(Outside), "/tmp/poolset-outside-XXXXXX");
	if (mkdtemp(Root) == NULL || mkdtemp(Outside) == NULL)
		return -1;
	/* traversable by "nobody", for the permission test run as that user */
	chmod(Root, 0755);
	const char *out = strrchr(Outside, '/') + 1;
	char target[PATH_MAX];

	put(Outside, "o.set", "PMEMPOOLSET\n8M o.part\n");
	dir_at(Root, "sub");
	dir_at(Root, "sub/deeper");
	put(Root, "x.set", "PMEMPOOLSET\n8M x.part\n");
	put(Root, "sub/y.set", "PMEMPOOLSET\n8M y.part\n8M deeper/z.part\n");
	put(Root, "abs.set", "PMEMPOOLSET\n8M /tmp/abs.part\n");
	put(Root, "dotdot.set", "PMEMPOOLSET\n8M ../out.part\n");
	put(Root, "sub/updot.set", "PMEMPOOLSET\n8M ../x.part\n");
	put(Root, "bad.set", "PMEMPOOLSET\n8M x.part\n12Q y.part\n");
	put(Root, "parts.set", "PMEMPOOLSET\n8M p0.part\n8M sub/p1.part\n8M sub\n"
		"8M fifo.part\n8M esc.part\n8M esc-new.part\n8M nodir/p.part\n"
		"REPLICA host r.set\n");
	put(Root, "noread.set", "PMEMPOOLSET\n8M x.part\n");
	chmod(strcat(strcpy(target, Root), "/noread.set"), 0);
	put_size("big.set", POOLSET_MAX_FILE_SIZE + 1);
	put_size("max.set", POOLSET_MAX_FILE_SIZE);
	if (mkfifo(strcat(strcpy(target, Root), "/fifo.set"), 0644) != 0 ||
			mkfifo(strcat(strcpy(target, Root), "/fifo.part"), 0644) != 0)
		return -1;

	link_at("in.set", "x.set");
	link_at("sub/up.set", "../x.set");
	link_at("indir", "sub");
	snprintf(target, sizeof(target), "%s/x.set", Root);
	link_at("abslink.set", target);
	snprintf(target, sizeof(target), "../%s/o.set", out);
	link_at("out.set", target);
	link_at("outdir", Outside);
	snprintf(target, sizeof(target), "../%s", out);
	link_at("reloutdir", target);
	link_at("sub/upout", "../../");
	link_at("loop.set", "loop.set");
	link_at("dangling.set", "nothere.set");
	link_at("esc.part", Outside);
	snprintf(target, sizeof(target), "../%s/created.part", out);
	link_at("esc-new.part", target);

	Rootfd = open(Root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return Rootfd < 0 ? -1 : 0;
}

static int
remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	remove(path);
	return 0;
}

static int
teardown_tree(void **state)
{
	(void)state;
	close(Rootfd);
	nftw(Root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	nftw(Outside, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}

/* fd refers to the file at rel below Root */
static void
assert_same_file(int fd, const char *rel)
{
	struct stat a, b;
	assert_int_equal(fstat(fd, &a), 0);
	if (fstatat(Rootfd, rel, &b, 0) != 0)
		fail_msg("stat %s: %s", rel, strerror(errno));
	assert_int_equal(a.st_dev, b.st_dev);
	assert_int_equal(a.st_ino, b.st_ino);
}

static void
open_ok(const char *name, const char *expect)
{
	for (size_t i = 0; i < NELEMS(Impls); i++) {
		int fd = -1;
		int ret = Impls[i].fn(Rootfd, name, "pool set name", O_RDONLY | O_NONBLOCK, 0, &fd);
		if (ret != 0)
			fail_msg("%s: '%s': %d: %s", Impls[i].name, name, ret, err_last());
		assert_same_file(fd, expect);
		close(fd);
	}
}

static void
open_fails(const char *name, int expect, const char *msg)
{
	for (size_t i = 0; i < NELEMS(Impls); i++) {
		int fd = -12345;
		int ret = Impls[i].fn(Rootfd, name, "pool set name", O_RDONLY | O_NONBLOCK, 0, &fd);
		if (ret != expect)
			fail_msg("%s: '%s': %d, expected %d: %s", Impls[i].name, name, ret, expect,
				err_last());
		assert_int_equal(fd, -12345);
		if (strcmp(err_last(), msg) != 0)
			fail_msg("%s: '%s': message \"%s\", expected \"%s\"", Impls[i].name, name,
				err_last(), msg);
	}
}

static void
names_below_the_directory_open(void **state)
{
	(void)state;
	open_ok("x.set", "x.set");
	open_ok("./x.set", "x.set");
	open_ok("sub/y.set", "sub/y.set");
	open_ok("sub//./y.set", "sub/y.set");
}

static void
symlinks_that_stay_inside_are_followed(void **state)
{
	(void)state;
	open_ok("in.set", "x.set");
	open_ok("sub/up.set", "x.set");
	open_ok("indir/y.set", "sub/y.set");
}

static void
absolute_names_are_refused(void **state)
{
	(void)state;
	char name[PATH_MAX];
	snprintf(name, sizeof(name), "%s/x.set", Root);
	char msg[PATH_MAX + 128];
	snprintf(msg, sizeof(msg),
		"pool set name '%s' is absolute (only files below the pool set directory are served)",
		name);
	open_fails(name, -EINVAL, msg);
	open_fails("/etc/passwd", -EINVAL,
		"pool set name '/etc/passwd' is absolute (only files below the pool set directory are served)");
}

static void
names_with_dotdot_components_are_refused(void **state)
{
	(void)state;
	static const char *const names[] = {
		"../x.set", "a/../../x.set", "a/..", "..", "sub/../x.set", "sub/..//x.set",
		"./../x.set",
	};
	for (size_t i = 0; i < NELEMS(names); i++) {
		char msg[256];
		snprintf(msg, sizeof(msg), "pool set name '%s' leaves the pool set directory",
			names[i]);
		open_fails(names[i], -EINVAL, msg);
	}
	/* ".." inside a longer component is an ordinary name */
	open_fails("..x.set", -ENOENT,
		"pool set name '..x.set' cannot be opened: No such file or directory");
}

static void
empty_name_is_refused(void **state)
{
	(void)state;
	open_fails("", -EINVAL, "pool set name is empty");
}

static void
symlinks_that_leave_are_refused(void **state)
{
	(void)state;
	static const char *const names[] = {
		"abslink.set", "out.set", "outdir/o.set", "reloutdir/o.set", "sub/upout/x.set",
	};
	for (size_t i = 0; i < NELEMS(names); i++) {
		char msg[256];
		snprintf(msg, sizeof(msg),
			"pool set name '%s' leaves the pool set directory through a symbolic link",
			names[i]);
		open_fails(names[i], -EINVAL, msg);
	}
}

static void
missing_files_fail_with_enoent(void **state)
{
	(void)state;
	open_fails("missing.set", -ENOENT,
		"pool set name 'missing.set' cannot be opened: No such file or directory");
	open_fails("sub/missing/y.set", -ENOENT,
		"pool set name 'sub/missing/y.set' cannot be opened: No such file or directory");
	open_fails("dangling.set", -ENOENT,
		"pool set name 'dangling.set' cannot be opened: No such file or directory");
}

static void
link_loops_and_files_used_as_directories_fail(void **state)
{
	(void)state;
	open_fails("loop.set", -ELOOP,
		"pool set name 'loop.set' cannot be opened: Too many levels of symbolic links");
	open_fails("x.set/", -ENOTDIR, "pool set name 'x.set/' cannot be opened: Not a directory");
	open_fails("x.set/y", -ENOTDIR, "pool set name 'x.set/y' cannot be opened: Not a directory");
}

static void
creating_through_a_link_that_leaves_creates_nothing(void **state)
{
	(void)state;
	char outside_file[PATH_MAX];
	snprintf(outside_file, sizeof(outside_file), "%s/created.part", Outside);
	for (size_t i = 0; i < NELEMS(Impls); i++) {
		int fd = -1;
		int ret = Impls[i].fn(Rootfd, "esc-new.part", "part path", O_RDWR | O_CREAT, 0600,
			&fd);
		assert_int_equal(ret, -EINVAL);
		assert_string_equal(err_last(),
			"part path 'esc-new.part' leaves the pool set directory through a symbolic link");
		assert_int_equal(access(outside_file, F_OK), -1);
	}
}

static void
creating_below_the_directory_works_with_both_implementations(void **state)
{
	(void)state;
	static const char *const names[][2] = {
		{ "sub/new-openat2.part", "indir/new2-openat2.part" },
		{ "sub/new-walk.part", "indir/new2-walk.part" },
	};
	for (size_t i = 0; i < NELEMS(Impls); i++) {
		for (int j = 0; j < 2; j++) {
			int fd = -1;
			int ret = Impls[i].fn(Rootfd, names[i][j], "part path",
				O_RDWR | O_CREAT | O_EXCL, 0600, &fd);
			if (ret != 0)
				fail_msg("%s: %s: %s", Impls[i].name, names[i][j], err_last());
			struct stat st;
			assert_int_equal(fstat(fd, &st), 0);
			assert_true(S_ISREG(st.st_mode));
			close(fd);
		}
		char rel[64];
		snprintf(rel, sizeof(rel), "sub/new2-%s.part", Impls[i].name);
		assert_int_equal(faccessat(Rootfd, rel, F_OK, 0), 0);
	}
}

static void
read_at_parses_the_set_with_parts_relative_to_its_directory(void **state)
{
	(void)state;
	struct poolset *set = NULL;
	assert_int_equal(poolset_read_at(Rootfd, "x.set", &set), 0);
	assert_null(set->dir);
	assert_string_equal(set->replicas[0].parts[0].path, "x.part");
	poolset_free(set);

	assert_int_equal(poolset_read_at(Rootfd, "sub/y.set", &set), 0);
	assert_string_equal(set->dir, "sub");
	assert_string_equal(set->replicas[0].parts[0].path, "sub/y.part");
	assert_string_equal(set->replicas[0].parts[1].path, "sub/deeper/z.part");
	poolset_free(set);
}

static void
read_at_through_a_link_resolves_parts_where_the_name_is(void **state)
{
	(void)state;
	struct poolset *set = NULL;
	assert_int_equal(poolset_read_at(Rootfd, "sub/up.set", &set), 0);
	assert_string_equal(set->replicas[0].parts[0].path, "sub/x.part");
	poolset_free(set);
}

static void
read_at_errors(const char *name, int expect, const char *msg)
{
	struct poolset *set = (struct poolset *)(uintptr_t)0xdeadbeef;
	int ret = poolset_read_at(Rootfd, name, &set);
	if (ret != expect)
		fail_msg("'%s': %d, expected %d: %s", name, ret, expect, err_last());
	assert_null(set);
	assert_string_equal(err_last(), msg);
}

static void
read_at_refuses_parts_outside_the_directory(void **state)
{
	(void)state;
	read_at_errors("abs.set", -EINVAL,
		"abs.set: line 2: part path '/tmp/abs.part' is absolute (only files below the pool set directory are served)");
	read_at_errors("dotdot.set", -EINVAL,
		"dotdot.set: line 2: part path '../out.part' leaves the pool set directory");
	read_at_errors("sub/updot.set", -EINVAL,
		"sub/updot.set: line 2: part path 'sub/../x.part' leaves the pool set directory");
}

static void
read_at_reports_bad_content_with_the_name_and_line(void **state)
{
	(void)state;
	read_at_errors("bad.set", -EINVAL,
		"bad.set: line 3: part size '12Q' is not a size (digits with an optional K, M, G or T suffix)");
}

static void
read_at_refuses_what_is_not_a_regular_file(void **state)
{
	(void)state;
	read_at_errors("sub", -EINVAL, "pool set file 'sub' is a directory");
	read_at_errors("indir", -EINVAL, "pool set file 'indir' is a directory");
	/* a FIFO must neither hang the open nor be read */
	read_at_errors("fifo.set", -EINVAL, "pool set file 'fifo.set' is not a regular file");
}

static void
read_at_refuses_files_larger_than_1MiB(void **state)
{
	(void)state;
	read_at_errors("big.set", -EINVAL,
		"pool set file 'big.set' is 1048577 bytes, more than the 1048576 allowed");
	struct poolset *set = NULL;
	assert_int_equal(poolset_read_at(Rootfd, "max.set", &set), 0);
	assert_string_equal(set->replicas[0].parts[0].path, "big.part");
	poolset_free(set);
}

static void
read_at_passes_on_name_errors(void **state)
{
	(void)state;
	read_at_errors("missing.set", -ENOENT,
		"pool set name 'missing.set' cannot be opened: No such file or directory");
	read_at_errors("../x.set", -EINVAL, "pool set name '../x.set' leaves the pool set directory");
	read_at_errors("out.set", -EINVAL,
		"pool set name 'out.set' leaves the pool set directory through a symbolic link");
}

/* in a child without the privileges of root, so that permission bits apply */
static int
unreadable_check(void)
{
	if (geteuid() == 0) {
		struct passwd *pw = getpwnam("nobody");
		if (pw == NULL || setgroups(0, NULL) != 0 || setgid(pw->pw_gid) != 0 ||
				setuid(pw->pw_uid) != 0)
			return 77;
	}
	const char *msg = "pool set name 'noread.set' cannot be opened: Permission denied";
	struct poolset *set = NULL;
	if (poolset_read_at(Rootfd, "noread.set", &set) != -EACCES ||
			strcmp(err_last(), msg) != 0) {
		printf("read_at: %s\n", err_last());
		return 1;
	}
	int fd;
	if (poolset_open_beneath_walk(Rootfd, "noread.set", "pool set name", O_RDONLY, 0,
			&fd) != -EACCES || strcmp(err_last(), msg) != 0) {
		printf("walk: %s\n", err_last());
		return 1;
	}
	return 0;
}

static void
unreadable_set_fails_with_eacces(void **state)
{
	(void)state;
	fflush(stdout);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(unreadable_check());
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) == 77)
		SKIP_BECAUSE("running as root and cannot become 'nobody'");
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void
read_parses_with_parts_relative_to_the_files_directory(void **state)
{
	(void)state;
	char path[PATH_MAX], part[PATH_MAX];
	snprintf(path, sizeof(path), "%s/sub/y.set", Root);
	struct poolset *set = NULL;
	assert_int_equal(poolset_read(path, &set), 0);
	snprintf(part, sizeof(part), "%s/sub/y.part", Root);
	assert_string_equal(set->replicas[0].parts[0].path, part);
	poolset_free(set);

	/* absolute parts are fine outside rpmemd */
	snprintf(path, sizeof(path), "%s/abs.set", Root);
	assert_int_equal(poolset_read(path, &set), 0);
	assert_string_equal(set->replicas[0].parts[0].path, "/tmp/abs.part");
	poolset_free(set);
}

static void
read_of_a_relative_name_keeps_parts_relative(void **state)
{
	(void)state;
	char cwd[PATH_MAX];
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(Root), 0);
	struct poolset *set = NULL;
	int r1 = poolset_read("x.set", &set);
	char p1[64] = "";
	if (r1 == 0)
		snprintf(p1, sizeof(p1), "%s", set->replicas[0].parts[0].path);
	poolset_free(set);
	int r2 = poolset_read("sub/y.set", &set);
	char p2[64] = "";
	if (r2 == 0)
		snprintf(p2, sizeof(p2), "%s", set->replicas[0].parts[0].path);
	poolset_free(set);
	assert_int_equal(chdir(cwd), 0);
	assert_int_equal(r1, 0);
	assert_string_equal(p1, "x.part");
	assert_int_equal(r2, 0);
	assert_string_equal(p2, "sub/y.part");
}

static void
read_errors_name_the_file(void **state)
{
	(void)state;
	char path[PATH_MAX], msg[PATH_MAX + 200];
	struct poolset *set = NULL;

	snprintf(path, sizeof(path), "%s/missing.set", Root);
	assert_int_equal(poolset_read(path, &set), -ENOENT);
	snprintf(msg, sizeof(msg), "pool set file '%s' cannot be opened: No such file or directory",
		path);
	assert_string_equal(err_last(), msg);

	snprintf(path, sizeof(path), "%s/bad.set", Root);
	assert_int_equal(poolset_read(path, &set), -EINVAL);
	snprintf(msg, sizeof(msg),
		"%s: line 3: part size '12Q' is not a size (digits with an optional K, M, G or T suffix)",
		path);
	assert_string_equal(err_last(), msg);

	snprintf(path, sizeof(path), "%s/sub", Root);
	assert_int_equal(poolset_read(path, &set), -EINVAL);
	snprintf(msg, sizeof(msg), "pool set file '%s' is a directory", path);
	assert_string_equal(err_last(), msg);

	snprintf(path, sizeof(path), "%s/big.set", Root);
	assert_int_equal(poolset_read(path, &set), -EINVAL);
	snprintf(msg, sizeof(msg), "pool set file '%s' is 1048577 bytes, more than the 1048576 allowed",
		path);
	assert_string_equal(err_last(), msg);
	assert_null(set);
}

static struct poolset *
parts_set(void)
{
	struct poolset *set = NULL;
	if (poolset_read_at(Rootfd, "parts.set", &set) != 0)
		fail_msg("parts.set: %s", err_last());
	return set;
}

static void
open_part_creates_files_0600_and_returns_a_blocking_fd(void **state)
{
	(void)state;
	struct poolset *set = parts_set();
	mode_t old = umask(022);
	int fd = -1;
	for (unsigned p = 0; p < 2; p++) {
		int ret = poolset_open_part_at(Rootfd, set, 0, p, O_RDWR | O_CREAT | O_EXCL, &fd);
		if (ret != 0)
			fail_msg("part %u: %s", p, err_last());
		struct stat st;
		assert_int_equal(fstat(fd, &st), 0);
		assert_int_equal(st.st_mode & 07777, 0600);
		assert_int_equal(fcntl(fd, F_GETFL) & O_NONBLOCK, 0);
		assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
		close(fd);
	}
	umask(old);
	assert_int_equal(faccessat(Rootfd, "sub/p1.part", F_OK, 0), 0);
	assert_int_equal(poolset_open_part_at(Rootfd, set, 0, 0, O_RDWR | O_CREAT | O_EXCL, &fd),
		-EEXIST);
	assert_string_equal(err_last(), "part path 'p0.part' cannot be opened: File exists");
	assert_int_equal(poolset_open_part_at(Rootfd, set, 0, 0, O_RDWR, &fd), 0);
	close(fd);
	poolset_free(set);
}

static void
open_part_refuses_what_is_not_a_file_or_device(void **state)
{
	(void)state;
	struct poolset *set = parts_set();
	int fd = -1;
	assert_int_equal(poolset_open_part_at(Rootfd, set, 0, 2, O_RDONLY, &fd), -EINVAL);
	assert_string_equal(err_last(),
		"part path 'sub' (line 4) is not a regular file or a character device");
	assert_int_equal(poolset_open_part_at(Rootfd, set, 0, 2, O_RDWR, &fd), -EISDIR);
	assert_string_equal(err_last(), "part path 'sub' cannot be opened: Is a directory");
	assert_int_equal(poolset_open_part_at(Rootfd, set, 0, 3, O_RDWR, &fd), -EINVAL);
	assert_string_equal(err_last(),
		"part path 'fifo.part' (line 5) is not a regular file or a character device");
	poolset_free(set);
}

static void
open_part_refuses_links_that_leave(void **state)
{
	(void)state;
	struct poolset *set = parts_set();
	int fd = -1;
	assert_int_equal(poolset_open_part_at(Rootfd, set, 0, 4, O_RDONLY, &fd), -EINVAL);
	assert_string_equal(err_last(),
		"part path 'esc.part' leaves the pool set directory through a symbolic link");
	assert_int_equal(poolset_open_part_at(Rootfd, set, 0, 5, O_RDWR | O_CREAT, &fd), -EINVAL);
	assert_string_equal(err_last(),
		"part path 'esc-new.part' leaves the pool set directory through a symbolic link");
	assert_int_equal(poolset_open_part_at(Rootfd, set, 0, 6, O_RDWR | O_CREAT, &fd), -ENOENT);
	assert_string_equal(err_last(),
		"part path 'nodir/p.part' cannot be opened: No such file or directory");
	poolset_free(set);
}

static void
open_part_checks_its_indexes(void **state)
{
	(void)state;
	struct poolset *set = parts_set();
	int fd = -1;
	assert_int_equal(poolset_open_part_at(Rootfd, set, 2, 0, O_RDONLY, &fd), -EINVAL);
	assert_string_equal(err_last(), "replica 2 does not exist (the set has 2)");
	assert_int_equal(poolset_open_part_at(Rootfd, set, 1, 0, O_RDONLY, &fd), -EINVAL);
	assert_string_equal(err_last(), "replica 1 is remote and has no part files");
	assert_int_equal(poolset_open_part_at(Rootfd, set, 0, 7, O_RDONLY, &fd), -EINVAL);
	assert_string_equal(err_last(), "part 7 of replica 0 does not exist (it has 7)");
	assert_int_equal(fd, -1);
	poolset_free(set);
}

static void
dotdot_detection_looks_at_whole_components(void **state)
{
	(void)state;
	assert_int_equal(poolset_path_has_dotdot(".."), 1);
	assert_int_equal(poolset_path_has_dotdot("../a"), 1);
	assert_int_equal(poolset_path_has_dotdot("a/.."), 1);
	assert_int_equal(poolset_path_has_dotdot("a//../b"), 1);
	assert_int_equal(poolset_path_has_dotdot("/.."), 1);
	assert_int_equal(poolset_path_has_dotdot("..a"), 0);
	assert_int_equal(poolset_path_has_dotdot("a.."), 0);
	assert_int_equal(poolset_path_has_dotdot("a/.../b"), 0);
	assert_int_equal(poolset_path_has_dotdot("./a/."), 0);
	assert_int_equal(poolset_path_has_dotdot(""), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_below_the_directory_open),
		cmocka_unit_test(symlinks_that_stay_inside_are_followed),
		cmocka_unit_test(absolute_names_are_refused),
		cmocka_unit_test(names_with_dotdot_components_are_refused),
		cmocka_unit_test(empty_name_is_refused),
		cmocka_unit_test(symlinks_that_leave_are_refused),
		cmocka_unit_test(missing_files_fail_with_enoent),
		cmocka_unit_test(link_loops_and_files_used_as_directories_fail),
		cmocka_unit_test(creating_through_a_link_that_leaves_creates_nothing),
		cmocka_unit_test(creating_below_the_directory_works_with_both_implementations),
		cmocka_unit_test(read_at_parses_the_set_with_parts_relative_to_its_directory),
		cmocka_unit_test(read_at_through_a_link_resolves_parts_where_the_name_is),
		cmocka_unit_test(read_at_refuses_parts_outside_the_directory),
		cmocka_unit_test(read_at_reports_bad_content_with_the_name_and_line),
		cmocka_unit_test(read_at_refuses_what_is_not_a_regular_file),
		cmocka_unit_test(read_at_refuses_files_larger_than_1MiB),
		cmocka_unit_test(read_at_passes_on_name_errors),
		cmocka_unit_test(unreadable_set_fails_with_eacces),
		cmocka_unit_test(read_parses_with_parts_relative_to_the_files_directory),
		cmocka_unit_test(read_of_a_relative_name_keeps_parts_relative),
		cmocka_unit_test(read_errors_name_the_file),
		cmocka_unit_test(open_part_creates_files_0600_and_returns_a_blocking_fd),
		cmocka_unit_test(open_part_refuses_what_is_not_a_file_or_device),
		cmocka_unit_test(open_part_refuses_links_that_leave),
		cmocka_unit_test(open_part_checks_its_indexes),
		cmocka_unit_test(dotdot_detection_looks_at_whole_components),
	};
	return cmocka_run_group_tests(tests, setup_tree, teardown_tree);
}
