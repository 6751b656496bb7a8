/* pool_local.c -- pools without replicas: single files and multi-part sets created, reopened, checked, and every bad path or size refused */
#include "obj_test.h"

#define SIZE (16 * MIB)

static int
clean(void **state)
{
	obj_clean_dir();
	return 0;
}

static void
single_file_is_created_written_and_reopened(void **state)
{
	const char *path = obj_path("pool");
	PMEMobjpool *pop = pmemobj_create(path, "lay", SIZE, 0600);
	if (pop == NULL)
		fail_msg("pmemobj_create: %s", pmemobj_errormsg());
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, SIZE);
	assert_int_equal(st.st_mode & 0777, 0600);

	char *data = (char *)pop + OBJ_ROOT;
	test_fill_pattern(data, MIB, 1);
	pmemobj_persist(pop, data, MIB);
	pmemobj_close(pop);

	struct obj_part part = { path, SIZE, 1 };
	pop = pmemobj_open(path, "lay");
	assert_non_null(pop);
	char *want = malloc(MIB);
	test_fill_pattern(want, MIB, 1);
	assert_memory_equal((char *)pop + OBJ_ROOT, want, MIB);
	obj_assert_replica(pop, &part, 1, OBJ_HDR, 2 * MIB);
	free(want);
	pmemobj_close(pop);

	/* the header is ours, not PMDK's */
	char sig[8];
	obj_read_file(path, 0, sig, sizeof(sig));
	assert_memory_equal(sig, "PMOBJCOR", 8);
	assert_int_equal(pmemobj_check(path, "lay"), 1);
	assert_int_equal(pmemobj_check(path, NULL), 1);
}

static void
existing_file_is_used_with_poolsize_zero(void **state)
{
	const char *path = obj_path("pool");
	int fd = open(path, O_CREAT | O_RDWR, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)SIZE), 0);
	close(fd);
	PMEMobjpool *pop = pmemobj_create(path, NULL, 0, 0600);
	assert_non_null(pop);
	pmemobj_close(pop);
	/* a pool is not created again over itself */
	errno = 0;
	assert_null(pmemobj_create(path, NULL, 0, 0600));
	obj_assert_error(EEXIST, "are not zero");
	assert_int_equal(pmemobj_check(path, NULL), 1);
}

static void
create_refuses_bad_arguments(void **state)
{
	errno = 0;
	assert_null(pmemobj_create(NULL, NULL, SIZE, 0600));
	obj_assert_error(EINVAL, "path is NULL");

	char *layout = malloc(PMEMOBJ_MAX_LAYOUT + 1);
	memset(layout, 'x', PMEMOBJ_MAX_LAYOUT);
	layout[PMEMOBJ_MAX_LAYOUT] = '\0';
	assert_null(pmemobj_create(obj_path("a"), layout, SIZE, 0600));
	obj_assert_error(EINVAL, "PMEMOBJ_MAX_LAYOUT");
	/* the longest allowed name works */
	layout[PMEMOBJ_MAX_LAYOUT - 1] = '\0';
	PMEMobjpool *pop = pmemobj_create(obj_path("a"), layout, SIZE, 0600);
	assert_non_null(pop);
	pmemobj_close(pop);
	assert_non_null(pop = pmemobj_open(obj_path("a"), layout));
	pmemobj_close(pop);
	free(layout);

	assert_null(pmemobj_create(obj_path("small"), NULL, PMEMOBJ_MIN_POOL - 1, 0600));
	obj_assert_error(EINVAL, "PMEMOBJ_MIN_POOL");
	assert_int_equal(access(obj_path("small"), F_OK), -1);

	assert_null(pmemobj_create(obj_path("missing"), NULL, 0, 0600));
	obj_assert_error(ENOENT, "does not exist");

	assert_null(pmemobj_create(obj_path("a"), NULL, SIZE, 0600));
	obj_assert_error(EEXIST, "already exists");

	assert_null(pmemobj_create(test_tmpdir(), NULL, 0, 0600));
	obj_assert_error(EINVAL, "is a directory");

	assert_null(pmemobj_create("/nonexistent-dir/pool", NULL, SIZE, 0600));
	assert_int_equal(errno, ENOENT);

	/* a small existing file */
	obj_write_file(obj_path("tiny"), "not a pool");
	assert_null(pmemobj_create(obj_path("tiny"), NULL, 0, 0600));
	obj_assert_error(EINVAL, "PMEMOBJ_MIN_POOL");
}

static void
open_refuses_bad_arguments_and_foreign_files(void **state)
{
	errno = 0;
	assert_null(pmemobj_open(NULL, NULL));
	obj_assert_error(EINVAL, "path is NULL");
	assert_null(pmemobj_open(obj_path("missing"), NULL));
	assert_int_equal(errno, ENOENT);
	assert_int_equal(pmemobj_check(obj_path("missing"), NULL), -1);
	errno = 0;
	assert_int_equal(pmemobj_check(NULL, NULL), -1);
	obj_assert_error(EINVAL, "pmemobj_check: path is NULL");
	errno = 0;
	pmemobj_close(NULL);
	obj_assert_error(EINVAL, "pmemobj_close: pop is NULL");

	/* a file that was never a pool */
	int fd = open(obj_path("zero"), O_CREAT | O_RDWR, 0600);
	assert_int_equal(ftruncate(fd, (off_t)SIZE), 0);
	close(fd);
	assert_null(pmemobj_open(obj_path("zero"), NULL));
	obj_assert_error(EINVAL, "no pool header");
	assert_int_equal(pmemobj_check(obj_path("zero"), NULL), 0);

	/* a PMDK pool's header is not ours */
	fd = open(obj_path("zero"), O_RDWR);
	assert_int_equal(pwrite(fd, "PMEMOBJ", 8, 0), 8);
	close(fd);
	assert_null(pmemobj_open(obj_path("zero"), NULL));
	obj_assert_error(EINVAL, "not a libpmemobj-core pool");
}

static void
wrong_layout_is_refused_naming_both(void **state)
{
	PMEMobjpool *pop = pmemobj_create(obj_path("pool"), "mine", SIZE, 0600);
	assert_non_null(pop);
	pmemobj_close(pop);
	errno = 0;
	assert_null(pmemobj_open(obj_path("pool"), "theirs"));
	obj_assert_error(EINVAL, "wrong layout: the pool has 'mine', 'theirs' was asked for");
	assert_int_equal(pmemobj_check(obj_path("pool"), "theirs"), -1);
	/* NULL matches any layout */
	assert_non_null(pop = pmemobj_open(obj_path("pool"), NULL));
	pmemobj_close(pop);
}

static void
an_open_pool_is_busy(void **state)
{
	PMEMobjpool *pop = pmemobj_create(obj_path("pool"), NULL, SIZE, 0600);
	assert_non_null(pop);
	errno = 0;
	assert_null(pmemobj_open(obj_path("pool"), NULL));
	obj_assert_error(EBUSY, "in use");
	assert_int_equal(pmemobj_check(obj_path("pool"), NULL), -1);
	pmemobj_close(pop);
	assert_non_null(pop = pmemobj_open(obj_path("pool"), NULL));
	pmemobj_close(pop);
}

static void
multi_part_set_spans_parts(void **state)
{
	obj_write_file(obj_path("set"), "PMEMPOOLSET\n4M p0\n4M p1\n8M p2\n");
	PMEMobjpool *pop = pmemobj_create(obj_path("set"), "mp", 0, 0640);
	if (pop == NULL)
		fail_msg("pmemobj_create: %s", pmemobj_errormsg());
	/* a write across both part boundaries */
	size_t len = 16 * MIB - 3 * OBJ_HDR - OBJ_ROOT;
	char *data = (char *)pop + OBJ_ROOT;
	test_fill_pattern(data, len, 7);
	pmemobj_persist(pop, data, len);
	assert_int_equal(pmemobj_root_size(pop), 0);
	PMEMoid root = pmemobj_root(pop, len);
	assert_false(OID_IS_NULL(root));
	/* a new root is zeroed */
	assert_true(((char *)pmemobj_direct(root))[len - 1] == 0);
	test_fill_pattern(data, len, 8);
	pmemobj_memcpy_persist(pop, data, data, 0);
	pmemobj_persist(pop, data, len);
	pmemobj_close(pop);

	struct obj_part parts[] = {
		{ obj_path("p0"), 4 * MIB, 1 }, { obj_path("p1"), 4 * MIB, 1 },
		{ obj_path("p2"), 8 * MIB, 1 },
	};
	struct stat st;
	assert_int_equal(stat(parts[1].path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);
	/* every part has a header of its own */
	char sig[8];
	obj_read_file(parts[2].path, 0, sig, 8);
	assert_memory_equal(sig, "PMOBJCOR", 8);

	assert_non_null(pop = pmemobj_open(obj_path("set"), "mp"));
	char *want = malloc(len);
	test_fill_pattern(want, len, 8);
	assert_memory_equal((char *)pop + OBJ_ROOT, want, len);
	obj_assert_replica(pop, parts, 3, OBJ_HDR, 16 * MIB - 3 * OBJ_HDR - OBJ_HDR);
	assert_int_equal(pmemobj_root_size(pop), len);
	free(want);
	pmemobj_close(pop);
	assert_int_equal(pmemobj_check(obj_path("set"), "mp"), 1);
}

static void
singlehdr_set_has_one_header(void **state)
{
	obj_write_file(obj_path("set"), "PMEMPOOLSET\nOPTION SINGLEHDR\n4M p0\n4M p1\n");
	PMEMobjpool *pop = pmemobj_create(obj_path("set"), NULL, 0, 0600);
	if (pop == NULL)
		fail_msg("pmemobj_create: %s", pmemobj_errormsg());
	size_t len = 8 * MIB - OBJ_ROOT;
	test_fill_pattern((char *)pop + OBJ_ROOT, len, 3);
	pmemobj_persist(pop, (char *)pop + OBJ_ROOT, len);
	assert_int_equal(pmemobj_root_size(pop), 0);
	/* the whole 8 MiB are usable: the root may reach the last byte */
	assert_false(OID_IS_NULL(pmemobj_root(pop, len)));
	errno = 0;
	assert_true(OID_IS_NULL(pmemobj_root(pop, len + 1)));
	assert_int_equal(errno, ENOMEM);
	pmemobj_close(pop);

	struct obj_part parts[] = { { obj_path("p0"), 4 * MIB, 0 }, { obj_path("p1"), 4 * MIB, 0 } };
	assert_non_null(pop = pmemobj_open(obj_path("set"), NULL));
	obj_assert_replica(pop, parts, 2, OBJ_ROOT, len);
	pmemobj_close(pop);

	/* the same parts under a set without SINGLEHDR are refused */
	obj_write_file(obj_path("set2"), "PMEMPOOLSET\n4M p0\n4M p1\n");
	errno = 0;
	assert_null(pmemobj_open(obj_path("set2"), NULL));
	assert_int_equal(errno, EINVAL);
}

static void
malformed_and_unsuitable_sets_are_refused_naming_the_line(void **state)
{
	static const struct {
		const char *text;
		int err;
		const char *what;
	} cases[] = {
		{ "PMEMPOOLSET\n", EINVAL, "no parts" },
		{ "PMEMPOOLSET\n8M\n", EINVAL, "line 2" },
		{ "PMEMPOOLSET\n12Q p0\n", EINVAL, "line 2: part size '12Q'" },
		{ "PMEMPOOLSET\n8M p0\nOPTION FOO\n", EINVAL, "line 3: unknown option" },
		{ "PMEMPOOLSET\nOPTION NOHDRS\n8M p0\n", EINVAL, "NOHDRS is not supported" },
		{ "PMEMPOOLSET\n8M p0\n1M p1\n", EINVAL, "line 3: part size 1048576 is below" },
		{ "PMEMPOOLSET\n4M p0\n2M p1\n", EINVAL, "below the minimum of 8388608 (PMEMOBJ_MIN_POOL)" },
		{ "PMEMPOOLSET\n8M p0\nREPLICA\n4M r0\n", EINVAL, "r0): the REPLICA of line 3 has 4194304 usable bytes, fewer than the primary's" },
		{ "PMEMPOOLSET\n8M p0\nREPLICA\n", EINVAL, "REPLICA without parts" },
		{ "PMEMPOOLSET\n8M p0\n8M p0\n", EINVAL, "line 3" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		obj_clean_dir();
		obj_write_file(obj_path("bad.set"), cases[i].text);
		errno = 0;
		assert_null(pmemobj_create(obj_path("bad.set"), NULL, 0, 0600));
		if (errno != cases[i].err || strstr(pmemobj_errormsg(), cases[i].what) == NULL)
			fail_msg("case %zu: errno %d, message '%s', expected %d and '%s'", i, errno,
				pmemobj_errormsg(), cases[i].err, cases[i].what);
		/* nothing half-made stays behind */
		assert_int_equal(access(obj_path("p0"), F_OK), -1);
		assert_int_equal(access(obj_path("r0"), F_OK), -1);
		errno = 0;
		assert_null(pmemobj_open(obj_path("bad.set"), NULL));
		assert_true(errno == cases[i].err || errno == ENOENT);
	}
	/* poolsize must be 0 for a set */
	obj_write_file(obj_path("ok.set"), "PMEMPOOLSET\n8M p0\n");
	assert_null(pmemobj_create(obj_path("ok.set"), NULL, SIZE, 0600));
	obj_assert_error(EINVAL, "poolsize must be 0");
	/* a part that cannot be made: the parts made before it are removed */
	obj_write_file(obj_path("nodir.set"), "PMEMPOOLSET\n8M p0\n8M /nonexistent-dir/p1\n");
	assert_null(pmemobj_create(obj_path("nodir.set"), NULL, 0, 0600));
	assert_int_equal(errno, ENOENT);
	assert_int_equal(access(obj_path("p0"), F_OK), -1);
	/* a set whose parts are missing */
	assert_null(pmemobj_open(obj_path("ok.set"), NULL));
	obj_assert_error(ENOENT, "p0");
	assert_int_equal(pmemobj_check(obj_path("ok.set"), NULL), -1);
}

static void
check_version_accepts_2_4_and_below(void **state)
{
	assert_null(pmemobj_check_version(PMEMOBJ_MAJOR_VERSION, PMEMOBJ_MINOR_VERSION));
	assert_null(pmemobj_check_version(2, 0));
	const char *m = pmemobj_check_version(2, 5);
	assert_non_null(m);
	assert_non_null(strstr(m, "minor version mismatch (need 5, found 4)"));
	m = pmemobj_check_version(1, 0);
	assert_non_null(m);
	assert_non_null(strstr(m, "major version mismatch (need 1, found 2)"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(single_file_is_created_written_and_reopened, clean),
		cmocka_unit_test_setup(existing_file_is_used_with_poolsize_zero, clean),
		cmocka_unit_test_setup(create_refuses_bad_arguments, clean),
		cmocka_unit_test_setup(open_refuses_bad_arguments_and_foreign_files, clean),
		cmocka_unit_test_setup(wrong_layout_is_refused_naming_both, clean),
		cmocka_unit_test_setup(an_open_pool_is_busy, clean),
		cmocka_unit_test_setup(multi_part_set_spans_parts, clean),
		cmocka_unit_test_setup(singlehdr_set_has_one_header, clean),
		cmocka_unit_test_setup(malformed_and_unsuitable_sets_are_refused_naming_the_line, clean),
		cmocka_unit_test(check_version_accepts_2_4_and_below),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
