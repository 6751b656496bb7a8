/* mcsafe.c -- pmem2_source_pread_mcsafe / pwrite_mcsafe on files: round trips, range errors, source types */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_common.h"
#include "test_pmem2.h"

/* -DPMDK_REFERENCE checks the codes against Debian's PMDK, whose messages differ */
#ifdef PMDK_REFERENCE
#define assert_errormsg(s) ((void)0)
#else
#define assert_errormsg(s) assert_string_equal(pmem2_errormsg(), (s))
#endif

#define FILE_SIZE (256 * 1024)

static void
pwrite_then_pread_mcsafe_round_trips_at_many_offsets_and_sizes(void **state)
{
	(void)state;
	char path[4096];
	int fd = test_tmpfile(NULL, FILE_SIZE, O_RDWR, path);
	struct pmem2_source *src = test_source_fd(fd);
	char *want = calloc(1, FILE_SIZE);
	char *buf = malloc(FILE_SIZE);
	char *back = malloc(FILE_SIZE);
	assert_non_null(want);
	assert_non_null(buf);
	assert_non_null(back);

	const size_t offs[] = { 0, 1, 63, 4095, 4096, 12345, FILE_SIZE - 4096,
		FILE_SIZE - 1 };
	const size_t lens[] = { 1, 7, 64, 4096, 5000, 65536 };
	unsigned seed = 1;
	for (size_t i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		for (size_t j = 0; j < sizeof(lens) / sizeof(lens[0]); j++) {
			size_t off = offs[i], len = lens[j];
			if (len > FILE_SIZE - off)
				len = FILE_SIZE - off;
			test_fill_pattern(buf, len, seed++);
			assert_int_equal(pmem2_source_pwrite_mcsafe(src, buf,
				len, off), 0);
			memcpy(want + off, buf, len);
			memset(back, 0, len);
			assert_int_equal(pmem2_source_pread_mcsafe(src, back,
				len, off), 0);
			assert_memory_equal(back, buf, len);
		}
	}

	size_t flen;
	char *file = test_read_file(path, &flen);
	assert_int_equal(flen, FILE_SIZE);
	assert_memory_equal(file, want, FILE_SIZE);
	free(file);
	free(want);
	free(buf);
	free(back);
	pmem2_source_delete(&src);
	close(fd);
}

static void
pread_mcsafe_of_the_whole_file_reads_what_was_written_with_write(void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, 0, O_RDWR, NULL);
	size_t size = 3 * 1024 * 1024 + 5;
	char *data = malloc(size), *back = malloc(size);
	assert_non_null(data);
	assert_non_null(back);
	test_fill_pattern(data, size, 77);
	assert_int_equal(pwrite(fd, data, size, 0), (ssize_t)size);
	struct pmem2_source *src = test_source_fd(fd);
	assert_int_equal(pmem2_source_pread_mcsafe(src, back, size, 0), 0);
	assert_memory_equal(back, data, size);
	free(data);
	free(back);
	pmem2_source_delete(&src);
	close(fd);
}

static void
mcsafe_of_zero_bytes_at_the_end_succeeds(void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, 4096, O_RDWR, NULL);
	struct pmem2_source *src = test_source_fd(fd);
	char c = 'x';
	assert_int_equal(pmem2_source_pread_mcsafe(src, &c, 0, 4096), 0);
	assert_int_equal(pmem2_source_pwrite_mcsafe(src, &c, 0, 4096), 0);
	assert_int_equal(c, 'x');
	pmem2_source_delete(&src);
	close(fd);
}

static void
mcsafe_past_the_end_fails_with_length_out_of_range_and_writes_nothing(void **state)
{
	(void)state;
	char path[4096];
	int fd = test_tmpfile(NULL, 4096, O_RDWR, path);
	struct pmem2_source *src = test_source_fd(fd);
	char buf[200];
	memset(buf, 0xab, sizeof(buf));

	assert_int_equal(pmem2_source_pwrite_mcsafe(src, buf, 100, 4000),
		PMEM2_E_LENGTH_OUT_OF_RANGE);
	assert_errormsg("range of 100 bytes at offset 4000 goes past the end "
		"of the source (size 4096)");
	assert_int_equal(pmem2_source_pread_mcsafe(src, buf, 4097, 0),
		PMEM2_E_LENGTH_OUT_OF_RANGE);
	assert_int_equal(pmem2_source_pread_mcsafe(src, buf, 1, 4096),
		PMEM2_E_LENGTH_OUT_OF_RANGE);

	size_t len;
	char *file = test_read_file(path, &len);
	assert_int_equal(len, 4096);
	for (size_t i = 0; i < len; i++)
		assert_int_equal(file[i], 0);
	free(file);
	pmem2_source_delete(&src);
	close(fd);
}

#ifndef PMDK_REFERENCE
/* PMDK computes size - offset unchecked and returns -EINVAL from pread here */
static void
mcsafe_at_offset_near_size_max_fails_with_length_out_of_range(void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, 4096, O_RDWR, NULL);
	struct pmem2_source *src = test_source_fd(fd);
	char buf[16];
	assert_int_equal(pmem2_source_pread_mcsafe(src, buf, 10, SIZE_MAX - 5),
		PMEM2_E_LENGTH_OUT_OF_RANGE);
	assert_int_equal(pmem2_source_pwrite_mcsafe(src, buf, 10,
		SIZE_MAX - 5), PMEM2_E_LENGTH_OUT_OF_RANGE);
	assert_int_equal(pmem2_source_pread_mcsafe(src, buf, 0, 4097),
		PMEM2_E_LENGTH_OUT_OF_RANGE);
	assert_errormsg("range of 0 bytes at offset 4097 goes past the end "
		"of the source (size 4096)");
	pmem2_source_delete(&src);
	close(fd);
}
#endif

static void
mcsafe_with_size_max_length_fails_with_length_out_of_range(void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, 4096, O_RDWR, NULL);
	struct pmem2_source *src = test_source_fd(fd);
	char buf[16];
	assert_int_equal(pmem2_source_pread_mcsafe(src, buf, SIZE_MAX, 1),
		PMEM2_E_LENGTH_OUT_OF_RANGE);
	assert_int_equal(pmem2_source_pwrite_mcsafe(src, buf, SIZE_MAX, 0),
		PMEM2_E_LENGTH_OUT_OF_RANGE);
	pmem2_source_delete(&src);
	close(fd);
}

#ifndef PMDK_REFERENCE
/* the size is read at call time, so a truncated file is caught (PMDK returns 0, buffer untouched) */
static void
mcsafe_after_the_file_shrank_fails_with_length_out_of_range(void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, 8192, O_RDWR, NULL);
	struct pmem2_source *src = test_source_fd(fd);
	assert_int_equal(ftruncate(fd, 4096), 0);
	char buf[100];
	assert_int_equal(pmem2_source_pread_mcsafe(src, buf, 100, 5000),
		PMEM2_E_LENGTH_OUT_OF_RANGE);
	pmem2_source_delete(&src);
	close(fd);
}
#endif

static void
mcsafe_on_anon_source_fails_with_source_type_not_supported(void **state)
{
	(void)state;
	struct pmem2_source *src;
	assert_int_equal(pmem2_source_from_anon(&src, 4096), 0);
	char buf[16] = "";
	assert_int_equal(pmem2_source_pread_mcsafe(src, buf, 16, 0),
		PMEM2_E_SOURCE_TYPE_NOT_SUPPORTED);
	assert_errormsg("pread_mcsafe is not supported on an anonymous source");
	assert_int_equal(pmem2_source_pwrite_mcsafe(src, buf, 16, 0),
		PMEM2_E_SOURCE_TYPE_NOT_SUPPORTED);
	assert_errormsg("pwrite_mcsafe is not supported on an anonymous source");
	pmem2_source_delete(&src);
}

static void
pwrite_mcsafe_on_rdonly_file_fails_with_ebadf(void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, 4096, O_RDONLY, NULL);
	struct pmem2_source *src = test_source_fd(fd);
	char buf[16] = "data";
	assert_int_equal(pmem2_source_pwrite_mcsafe(src, buf, 16, 0), -EBADF);
	char want[128];
	snprintf(want, sizeof(want), "pwrite at offset 0 of fd %d: "
		"Bad file descriptor", fd);
	assert_errormsg(want);
	assert_int_equal(pmem2_source_pread_mcsafe(src, buf, 16, 0), 0);
	pmem2_source_delete(&src);
	close(fd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pwrite_then_pread_mcsafe_round_trips_at_many_offsets_and_sizes),
		cmocka_unit_test(pread_mcsafe_of_the_whole_file_reads_what_was_written_with_write),
		cmocka_unit_test(mcsafe_of_zero_bytes_at_the_end_succeeds),
		cmocka_unit_test(mcsafe_past_the_end_fails_with_length_out_of_range_and_writes_nothing),
#ifndef PMDK_REFERENCE
		cmocka_unit_test(mcsafe_at_offset_near_size_max_fails_with_length_out_of_range),
#endif
		cmocka_unit_test(mcsafe_with_size_max_length_fails_with_length_out_of_range),
#ifndef PMDK_REFERENCE
		cmocka_unit_test(mcsafe_after_the_file_shrank_fails_with_length_out_of_range),
#endif
		cmocka_unit_test(mcsafe_on_anon_source_fails_with_source_type_not_supported),
		cmocka_unit_test(pwrite_mcsafe_on_rdonly_file_fails_with_ebadf),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
