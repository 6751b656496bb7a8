/* remove_access.c -- rpmem_remove's flags and permission errors against the real rpmemd, also run as nobody */
#include <sys/stat.h>

#include <librpmem.h>

#include "rpmem_test_env.h"

#define POOL_SIZE ((size_t)4 << 20)

struct world {
	struct rpmem_env env;
	char *pool;
};

static int
setup(void **state)
{
	struct world *w = calloc(1, sizeof(*w));
	rpmem_env_setup(&w->env, "tcp");
	rpmem_env_write(&w->env, "pool.set", "PMEMPOOLSET\n2M a.part\n2M b.part\n");
	rpmem_env_unlink(&w->env, "a.part");
	rpmem_env_unlink(&w->env, "b.part");
	w->pool = rpmem_env_pool(POOL_SIZE);
	*state = w;
	return 0;
}

static int
teardown(void **state)
{
	struct world *w = *state;
	munmap(w->pool, POOL_SIZE);
	free(w);
	return 0;
}

static int
exists(const struct world *w, const char *name)
{
	char path[PATH_MAX + 64];
	snprintf(path, sizeof(path), "%s/%s", w->env.dir, name);
	return access(path, F_OK) == 0;
}

/* a pool without headers (no attributes) fits the 4M - 4K of two 2M parts only without them */
static void
create_and_close(struct world *w)
{
	rpmem_env_write(&w->env, "pool.set",
		"PMEMPOOLSET\nOPTION NOHDRS\n2M a.part\n2M b.part\n");
	unsigned nlanes = 1;
	RPMEMpool *rpp = rpmem_create("localhost", "pool.set", w->pool, POOL_SIZE,
		&nlanes, NULL);
	if (rpp == NULL)
		fail_msg("rpmem_create: %s", rpmem_errormsg());
	assert_int_equal(rpmem_close(rpp), 0);
}

static void
remove_of_a_pool_with_a_missing_part_needs_force(void **state)
{
	struct world *w = *state;
	create_and_close(w);
	rpmem_env_unlink(&w->env, "b.part");

	errno = 0;
	assert_int_equal(rpmem_remove("localhost", "pool.set", 0), -1);
	assert_int_equal(errno, ENOENT);
	assert_true(strlen(rpmem_errormsg()) > 0);

	assert_int_equal(rpmem_remove("localhost", "pool.set", RPMEM_REMOVE_FORCE), 0);
	assert_false(exists(w, "a.part"));
	assert_true(exists(w, "pool.set"));
}

static void
remove_with_both_flags_removes_the_set_file_too(void **state)
{
	struct world *w = *state;
	create_and_close(w);
	assert_int_equal(rpmem_remove("localhost", "pool.set",
		RPMEM_REMOVE_FORCE | RPMEM_REMOVE_POOL_SET), 0);
	assert_false(exists(w, "a.part"));
	assert_false(exists(w, "b.part"));
	assert_false(exists(w, "pool.set"));
}

static void
remove_of_an_open_pool_fails_with_ebusy(void **state)
{
	struct world *w = *state;
	rpmem_env_write(&w->env, "pool.set",
		"PMEMPOOLSET\nOPTION NOHDRS\n2M a.part\n2M b.part\n");
	unsigned nlanes = 1;
	RPMEMpool *rpp = rpmem_create("localhost", "pool.set", w->pool, POOL_SIZE,
		&nlanes, NULL);
	assert_non_null(rpp);
	errno = 0;
	assert_int_equal(rpmem_remove("localhost", "pool.set", RPMEM_REMOVE_FORCE), -1);
	assert_int_equal(errno, EBUSY);
	assert_true(exists(w, "a.part"));
	assert_int_equal(rpmem_close(rpp), 0);
	assert_int_equal(rpmem_remove("localhost", "pool.set", 0), 0);
}

/*
 * rpmemd as an unprivileged user (nobody, through setpriv): an unreadable
 * pool set is EACCES, a readable one in a directory it may write works.
 */
static void
rpmemd_as_nobody_reports_eacces_and_serves_what_it_may(void **state)
{
	struct world *w = *state;
	if (geteuid() != 0)
		SKIP_BECAUSE("changing to user nobody needs root");
	if (access("/usr/bin/setpriv", X_OK) != 0)
		SKIP_BECAUSE("no /usr/bin/setpriv (util-linux)");

	char cmd[2 * PATH_MAX + 128];
	/* as after an ssh login: HOME is the user's own (root's would be unreadable) */
	snprintf(cmd, sizeof(cmd), "/usr/bin/setpriv --reuid=65534 --regid=65534 "
		"--clear-groups env HOME=%s %s", w->env.dir, getenv("RPMEM_CMD"));
	setenv("RPMEM_CMD", cmd, 1);
	/* the daemon's directory, log and parts must be its own to write */
	assert_int_equal(chmod(w->env.dir, 0777), 0);
	int fd = open(w->env.log, O_CREAT | O_WRONLY | O_APPEND, 0666);
	assert_true(fd >= 0);
	assert_int_equal(fchmod(fd, 0666), 0);
	close(fd);

	rpmem_env_write(&w->env, "secret.set", "PMEMPOOLSET\nOPTION NOHDRS\n4M secret.part\n");
	char path[PATH_MAX + 64];
	snprintf(path, sizeof(path), "%s/secret.set", w->env.dir);
	assert_int_equal(chmod(path, 0600), 0);	/* root's, unreadable to nobody */

	unsigned nlanes = 1;
	errno = 0;
	assert_null(rpmem_create("localhost", "secret.set", w->pool, POOL_SIZE, &nlanes, NULL));
	assert_int_equal(errno, EACCES);
	if (strstr(rpmem_errormsg(), "secret.set") == NULL)
		fail_msg("EACCES for another reason: %s", rpmem_errormsg());
	assert_false(exists(w, "secret.part"));

	rpmem_env_write(&w->env, "mine.set", "PMEMPOOLSET\nOPTION NOHDRS\n4M mine.part\n");
	snprintf(path, sizeof(path), "%s/mine.set", w->env.dir);
	assert_int_equal(chmod(path, 0644), 0);
	nlanes = 1;
	RPMEMpool *rpp = rpmem_create("localhost", "mine.set", w->pool, POOL_SIZE, &nlanes, NULL);
	if (rpp == NULL)
		fail_msg("rpmem_create as nobody: %s", rpmem_errormsg());
	memset(w->pool, 0x5a, 4096);
	assert_int_equal(rpmem_persist(rpp, 0, 4096, 0, 0), 0);
	assert_int_equal(rpmem_close(rpp), 0);

	/* the part belongs to nobody and nobody else may read it */
	struct stat st;
	snprintf(path, sizeof(path), "%s/mine.part", w->env.dir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_uid, 65534);
	assert_int_equal(st.st_mode & 0777, 0600);
	char back[4096];
	rpmem_env_read_part(&w->env, "mine.part", back, sizeof(back), 0);
	assert_memory_equal(back, w->pool, sizeof(back));
	assert_int_equal(rpmem_remove("localhost", "mine.set", 0), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(remove_of_a_pool_with_a_missing_part_needs_force, setup, teardown),
		cmocka_unit_test_setup_teardown(remove_with_both_flags_removes_the_set_file_too, setup, teardown),
		cmocka_unit_test_setup_teardown(remove_of_an_open_pool_fails_with_ebusy, setup, teardown),
		cmocka_unit_test_setup_teardown(rpmemd_as_nobody_reports_eacces_and_serves_what_it_may, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
