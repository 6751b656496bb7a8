/* badblock.c -- pmem2_badblock_* without pmem: empty lists, range checks, clearing a file range, anon */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_common.h"
#include "test_pmem2.h"

/* -DPMDK_REFERENCE checks the codes against Debian's PMDK, whose messages differ */
#ifdef PMDK_REFERENCE
#define assert_errormsg_prefix(s) ((void)0)
#define assert_errormsg(s) ((void)0)
#else
#define assert_errormsg_prefix(s) \
	assert_int_equal(strncmp(pmem2_errormsg(), (s), strlen(s)), 0)
#define assert_errormsg(s) assert_string_equal(pmem2_errormsg(), (s))
#endif

static struct pmem2_badblock_context *
new_context(struct pmem2_source *src)
{
	struct pmem2_badblock_context *ctx = NULL;
	assert_int_equal(pmem2_badblock_context_new(&ctx, src), 0);
	assert_non_null(ctx);
	return ctx;
}

static void
file_not_on_pmem_has_no_bad_blocks(const char *dir)
{
	int fd = test_tmpfile(dir, 65536, O_RDWR, NULL);
	struct pmem2_source *src = test_source_fd(fd);
	struct pmem2_badblock_context *ctx = new_context(src);
	struct pmem2_badblock bb = { 1, 2 };
	assert_int_equal(pmem2_badblock_next(ctx, &bb),
		PMEM2_E_NO_BAD_BLOCK_FOUND);
	assert_errormsg_prefix("no bad blocks: file is not on a pmem device "
		"(no nd region found for st_dev ");
	assert_int_equal(pmem2_badblock_next(ctx, &bb),
		PMEM2_E_NO_BAD_BLOCK_FOUND);
	assert_int_equal(bb.offset, 1);
	assert_int_equal(bb.length, 2);
	pmem2_badblock_context_delete(&ctx);
	assert_null(ctx);
	pmem2_source_delete(&src);
	close(fd);
}

static void
badblock_next_on_tmpfs_file_fails_with_no_bad_block_found(void **state)
{
	(void)state;
	if (access("/dev/shm", W_OK) != 0)
		SKIP_BECAUSE("/dev/shm is not writable");
	file_not_on_pmem_has_no_bad_blocks("/dev/shm");
}

static void
badblock_next_on_tmp_file_fails_with_no_bad_block_found(void **state)
{
	(void)state;
	file_not_on_pmem_has_no_bad_blocks("/tmp");
}

static void
badblock_context_new_on_anon_source_fails_with_nosupp(void **state)
{
	(void)state;
	struct pmem2_source *src;
	assert_int_equal(pmem2_source_from_anon(&src, 4096), 0);
	struct pmem2_badblock_context *ctx =
		(struct pmem2_badblock_context *)(uintptr_t)0x1;
	assert_int_equal(pmem2_badblock_context_new(&ctx, src),
		PMEM2_E_NOSUPP);
#ifndef PMDK_REFERENCE
	assert_null(ctx);	/* PMDK leaves the caller's pointer as it was */
#endif
	assert_errormsg("an anonymous source has no bad blocks");
	pmem2_source_delete(&src);
}

static void
badblock_context_delete_of_null_context_does_nothing(void **state)
{
	(void)state;
	struct pmem2_badblock_context *ctx = NULL;
	pmem2_badblock_context_delete(&ctx);
	assert_null(ctx);
}

static void
badblock_clear_with_offset_above_int64_max_fails_with_offset_out_of_range(void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, 8192, O_RDWR, NULL);
	struct pmem2_source *src = test_source_fd(fd);
	struct pmem2_badblock_context *ctx = new_context(src);
	struct pmem2_badblock bb = { (size_t)INT64_MAX + 1, 4096 };
	assert_int_equal(pmem2_badblock_clear(ctx, &bb),
		PMEM2_E_OFFSET_OUT_OF_RANGE);
	assert_errormsg("bad block offset 9223372036854775808 is greater "
		"than INT64_MAX");
	bb.offset = 0;
	bb.length = SIZE_MAX;
	assert_int_equal(pmem2_badblock_clear(ctx, &bb),
		PMEM2_E_LENGTH_OUT_OF_RANGE);
	assert_errormsg("bad block length 18446744073709551615 is greater "
		"than INT64_MAX");
	pmem2_badblock_context_delete(&ctx);
	pmem2_source_delete(&src);
	close(fd);
}

/* clearing gives the file fresh blocks: the range reads back as zeros */
static void
badblock_clear_of_file_range_zeroes_it_and_keeps_the_size(void **state)
{
	(void)state;
	char path[4096];
	int fd = test_tmpfile("/tmp", 0, O_RDWR, path);
	char data[3 * 4096];
	memset(data, 0x5a, sizeof(data));
	assert_int_equal(pwrite(fd, data, sizeof(data), 0),
		(ssize_t)sizeof(data));
	struct pmem2_source *src = test_source_fd(fd);
	struct pmem2_badblock_context *ctx = new_context(src);
	struct pmem2_badblock bb = { 4096, 4096 };
	assert_int_equal(pmem2_badblock_clear(ctx, &bb), 0);

	size_t len;
	char *file = test_read_file(path, &len);
	assert_int_equal(len, sizeof(data));
	for (size_t i = 0; i < len; i++)
		assert_int_equal(file[i], (i >= 4096 && i < 8192) ? 0 : 0x5a);
	struct stat st;
	assert_int_equal(fstat(fd, &st), 0);
	assert_true(st.st_blocks * 512 >= (off_t)sizeof(data));
	free(file);
	pmem2_badblock_context_delete(&ctx);
	pmem2_source_delete(&src);
	close(fd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(badblock_next_on_tmpfs_file_fails_with_no_bad_block_found),
		cmocka_unit_test(badblock_next_on_tmp_file_fails_with_no_bad_block_found),
		cmocka_unit_test(badblock_context_new_on_anon_source_fails_with_nosupp),
		cmocka_unit_test(badblock_context_delete_of_null_context_does_nothing),
		cmocka_unit_test(badblock_clear_with_offset_above_int64_max_fails_with_offset_out_of_range),
		cmocka_unit_test(badblock_clear_of_file_range_zeroes_it_and_keeps_the_size),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
