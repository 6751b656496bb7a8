/* enospc.c -- rpmemd's poolset-dir on a full file system (a 4 MiB tmpfs): create fails with ENOSPC, leaves nothing, and a pool that fits creates afterwards */
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>

#include <librpmem.h>

#include "rpmem_test_env.h"
#include "rpmem_test_log.h"

#define FS_SIZE "4m"
#define HDR 4096
#define MAX_POOL ((size_t)8 << 20)
#define DAEMON_EXIT_MS 15000	/* a hang guard: rpmemd exits at once after a refusal */

struct world {
	struct rpmem_env env;
	char fs[PATH_MAX];	/* the tmpfs mount point, rpmemd's poolset-dir */
	int mounted;
	char *pool;
};

/*
 * A mount namespace of the test's own, so that the tmpfs never shows
 * outside and vanishes with the process even if teardown does not run;
 * rpmemd, started by librpmem's children, inherits it.
 */
static int
setup(void **state)
{
	struct world *w = calloc(1, sizeof(*w));
	*state = w;
	if (w == NULL)
		return -1;
	snprintf(w->fs, sizeof(w->fs), "%s/fs-XXXXXX", test_tmpdir());
	if (mkdtemp(w->fs) == NULL)
		return -1;
	char log[PATH_MAX + 16];
	snprintf(log, sizeof(log), "%s/rpmemd.log", test_tmpdir());
	rpmem_env_setup_at(&w->env, "tcp", w->fs, log);
	w->pool = rpmem_env_pool(MAX_POOL);
	return 0;
}

static int
teardown(void **state)
{
	struct world *w = *state;
	if (w->mounted && umount2(w->fs, 0) != 0 && umount2(w->fs, MNT_DETACH) != 0)
		fprintf(stderr, "cannot unmount %s: %s\n", w->fs, strerror(errno));
	munmap(w->pool, MAX_POOL);
	free(w);
	return 0;
}

/* the small file system; skips when this process may not mount */
static void
mount_small_fs(struct world *w)
{
	if (unshare(CLONE_NEWNS) != 0)
		SKIP_BECAUSE("cannot make a mount namespace for the tmpfs (%s): needs root "
			"or CAP_SYS_ADMIN", strerror(errno));
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
		SKIP_BECAUSE("cannot make the mounts private (%s)", strerror(errno));
	if (mount("tmpfs", w->fs, "tmpfs", MS_NOSUID | MS_NODEV,
			"size=" FS_SIZE ",mode=0700") != 0)
		SKIP_BECAUSE("cannot mount a " FS_SIZE " tmpfs (%s): needs root or "
			"CAP_SYS_ADMIN", strerror(errno));
	w->mounted = 1;
}

static unsigned long long
fs_free_blocks(const struct world *w)
{
	struct statvfs sv;
	assert_int_equal(statvfs(w->fs, &sv), 0);
	return sv.f_bfree;
}

/* 1 when the poolset-dir holds name; *size gets its size */
static int
fs_has(const struct world *w, const char *name, off_t *size)
{
	char path[PATH_MAX + 64];
	snprintf(path, sizeof(path), "%s/%s", w->fs, name);
	struct stat st;
	if (stat(path, &st) != 0)
		return 0;
	if (size)
		*size = st.st_size;
	return 1;
}

/* how many entries the poolset-dir holds */
static int
fs_entries(const struct world *w)
{
	DIR *d = opendir(w->fs);
	assert_non_null(d);
	int n = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL)
		n += strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0;
	closedir(d);
	return n;
}

static void
make_empty_part(const struct world *w, const char *name)
{
	char path[PATH_MAX + 64];
	snprintf(path, sizeof(path), "%s/%s", w->fs, name);
	int fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	close(fd);
}

static void
wait_daemons_gone(const struct world *w)
{
	long long deadline = test_now_ms() + DAEMON_EXIT_MS;
	pid_t pids[4];
	while (rpmem_env_daemons(&w->env, pids, 4) > 0) {
		if (test_now_ms() > deadline) {
			rpmem_log_print(w->env.log);
			fail_msg("rpmemd %d still runs %d ms after the refused create",
				(int)pids[0], DAEMON_EXIT_MS);
		}
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
}

static RPMEMpool *
create(struct world *w, const char *set, size_t size)
{
	struct rpmem_pool_attr a;
	memset(&a, 0, sizeof(a));
	memcpy(a.signature, "ENOSPC", 6);
	unsigned nlanes = 2;
	return rpmem_create("localhost", set, w->pool, size, &nlanes, &a);
}

/*
 * Creating set (text) with a pool of size fails with ENOSPC naming the
 * lack of space, and leaves the file system as it was: the set file as
 * written, parts made by the create gone, parts that were there empty
 * still there and empty, every block free again; rpmemd logged why and
 * exited.
 */
static void
create_fails_with_enospc_leaving_nothing(struct world *w, const char *set,
	const char *text, size_t size, const char *made, const char *kept_empty)
{
	rpmem_env_write(&w->env, set, text);
	if (kept_empty)
		make_empty_part(w, kept_empty);
	int entries = fs_entries(w);
	unsigned long long free_before = fs_free_blocks(w);

	errno = 0;
	RPMEMpool *rpp = create(w, set, size);
	if (rpp != NULL) {
		rpmem_close(rpp);
		fail_msg("%s created on a full file system", set);
	}
	if (errno != ENOSPC) {
		rpmem_log_print(w->env.log);
		fail_msg("%s: errno %d (%s), not ENOSPC: %s", set, errno, strerror(errno),
			rpmem_errormsg());
	}
	const char *msg = rpmem_errormsg();
	printf("%s: %s\n", set, msg);
	assert_non_null(strstr(msg, "No space left on device"));
	assert_non_null(strstr(msg, "status NOSPACE"));
	wait_daemons_gone(w);

	/* nothing half made */
	size_t len;
	char path[PATH_MAX + 64];
	snprintf(path, sizeof(path), "%s/%s", w->fs, set);
	char *now = test_read_file(path, &len);
	assert_int_equal(len, strlen(text));
	assert_memory_equal(now, text, len);
	free(now);
	assert_false(fs_has(w, made, NULL));
	if (kept_empty) {
		off_t sz = -1;
		assert_true(fs_has(w, kept_empty, &sz));
		assert_int_equal(sz, 0);
	}
	assert_int_equal(fs_entries(w), entries);
	assert_int_equal(fs_free_blocks(w), free_before);

	/* rpmemd refused it, said why, and ended its session normally */
	if (!rpmem_log_has(w->env.log, "create refused (NOSPACE): pool set '") ||
			!rpmem_log_has(w->env.log, "cannot be allocated: No space left on "
				"device") ||
			!rpmem_log_has(w->env.log, "session ends: channel closed")) {
		rpmem_log_print(w->env.log);
		fail_msg("rpmemd's log does not say why %s failed", set);
	}
}

static void
single_part_that_does_not_fit_fails_with_enospc_and_leaves_nothing(void **state)
{
	struct world *w = *state;
	mount_small_fs(w);
	create_fails_with_enospc_leaving_nothing(w, "big.set",
		"PMEMPOOLSET\n8M big.part\n", MAX_POOL, "big.part", NULL);
}

static void
second_part_that_does_not_fit_fails_with_enospc_and_removes_the_first(void **state)
{
	struct world *w = *state;
	mount_small_fs(w);
	/* 2 MiB fit, 2 + 3 MiB do not */
	create_fails_with_enospc_leaving_nothing(w, "two.set",
		"PMEMPOOLSET\n2M a.part\n3M b.part\n", (size_t)4 << 20, "a.part", NULL);
	assert_false(fs_has(w, "b.part", NULL));
}

static void
empty_parts_that_were_there_are_left_empty_after_enospc(void **state)
{
	struct world *w = *state;
	mount_small_fs(w);
	/* the first part was there: allocated, then emptied again; the second new and removed */
	create_fails_with_enospc_leaving_nothing(w, "first.set",
		"PMEMPOOLSET\n2M f1.part\n3M f2.part\n", (size_t)4 << 20, "f2.part", "f1.part");
	/* the second part was there: the first, made by the create, goes */
	create_fails_with_enospc_leaving_nothing(w, "second.set",
		"PMEMPOOLSET\n2M s1.part\n3M s2.part\n", (size_t)4 << 20, "s1.part", "s2.part");
}

static void
pool_that_fits_creates_after_enospc_in_the_same_directory(void **state)
{
	struct world *w = *state;
	mount_small_fs(w);
	create_fails_with_enospc_leaving_nothing(w, "big.set",
		"PMEMPOOLSET\n2M big1.part\n3M big2.part\n", (size_t)4 << 20, "big1.part", NULL);

	/* 3 of 4 MiB: it fits only if the failure gave back all it took */
	const size_t size = (size_t)3 << 20;
	rpmem_env_write(&w->env, "fit.set", "PMEMPOOLSET\n3M fit.part\n");
	RPMEMpool *rpp = create(w, "fit.set", size);
	if (rpp == NULL) {
		rpmem_log_print(w->env.log);
		fail_msg("fit.set: %s (errno %d)", rpmem_errormsg(), errno);
	}
	test_fill_pattern(w->pool + HDR, size - HDR, 5);
	assert_int_equal(rpmem_persist(rpp, HDR, size - HDR, 0, 0), 0);
	if (rpmem_close(rpp) != 0)
		fail_msg("rpmem_close: %s", rpmem_errormsg());
	char *back = malloc(size - HDR);
	rpmem_env_read_part(&w->env, "fit.part", back, size - HDR, HDR);
	assert_memory_equal(back, w->pool + HDR, size - HDR);
	free(back);
	wait_daemons_gone(w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			single_part_that_does_not_fit_fails_with_enospc_and_leaves_nothing,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			second_part_that_does_not_fit_fails_with_enospc_and_removes_the_first,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			empty_parts_that_were_there_are_left_empty_after_enospc,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			pool_that_fits_creates_after_enospc_in_the_same_directory,
			setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
