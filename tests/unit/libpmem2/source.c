/* source.c -- pmem2_source_from_fd/from_anon/get_fd/delete: accepted files, rejected fds and types */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "test_common.h"
#include "test_pmem2.h"

/* -DPMDK_REFERENCE checks the codes against Debian's PMDK, whose messages and errno differ */
#ifdef PMDK_REFERENCE
#define assert_errormsg(s) ((void)0)
#define assert_errno(e) ((void)0)
#else
#define assert_errormsg(s) assert_string_equal(pmem2_errormsg(), (s))
#define assert_errno(e) assert_int_equal(errno, (e))
#endif

/* a pointer value from_fd must overwrite with NULL when it fails */
#define GARBAGE ((struct pmem2_source *)(uintptr_t)0xdeadbeef)

static void
source_from_fd_of_rdwr_file_succeeds_and_get_fd_returns_the_fd(void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, 4096, O_RDWR, NULL);
	struct pmem2_source *src = NULL;
	assert_int_equal(pmem2_source_from_fd(&src, fd), 0);
	assert_non_null(src);
	int got = -1;
	assert_int_equal(pmem2_source_get_fd(src, &got), 0);
	assert_int_equal(got, fd);
	assert_int_equal(pmem2_source_delete(&src), 0);
	assert_null(src);
	close(fd);
}

static void
source_from_fd_of_rdonly_file_succeeds(void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, 4096, O_RDONLY, NULL);
	struct pmem2_source *src = NULL;
	assert_int_equal(pmem2_source_from_fd(&src, fd), 0);
	assert_non_null(src);
	pmem2_source_delete(&src);
	close(fd);
}

static void
source_from_fd_of_empty_file_succeeds(void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, 0, O_RDWR, NULL);
	struct pmem2_source *src = NULL;
	assert_int_equal(pmem2_source_from_fd(&src, fd), 0);
	pmem2_source_delete(&src);
	close(fd);
}

static void
source_from_fd_with_negative_fd_fails_with_invalid_file_handle(void **state)
{
	(void)state;
	struct pmem2_source *src = GARBAGE;
	assert_int_equal(pmem2_source_from_fd(&src, -1),
		PMEM2_E_INVALID_FILE_HANDLE);
	assert_null(src);
	assert_errormsg("invalid file descriptor -1");
	assert_errno(EINVAL);
}

static void
source_from_fd_with_closed_fd_fails_with_invalid_file_handle(void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, 4096, O_RDWR, NULL);
	close(fd);
	struct pmem2_source *src = GARBAGE;
	assert_int_equal(pmem2_source_from_fd(&src, fd),
		PMEM2_E_INVALID_FILE_HANDLE);
	assert_null(src);
	char want[128];
	snprintf(want, sizeof(want),
		"fcntl(fd %d, F_GETFL): Bad file descriptor", fd);
	assert_errormsg(want);
}

static void
source_from_fd_with_wronly_fd_fails_with_invalid_file_handle(void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, 4096, O_WRONLY, NULL);
	struct pmem2_source *src = GARBAGE;
	assert_int_equal(pmem2_source_from_fd(&src, fd),
		PMEM2_E_INVALID_FILE_HANDLE);
	assert_null(src);
	char want[128];
	snprintf(want, sizeof(want), "file descriptor %d is opened write-only "
		"(O_WRONLY); mapping needs read access", fd);
	assert_errormsg(want);
	close(fd);
}

static void
source_from_fd_of_directory_fails_with_invalid_file_type(void **state)
{
	(void)state;
	int fd = open(test_tmpdir(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	struct pmem2_source *src = GARBAGE;
	assert_int_equal(pmem2_source_from_fd(&src, fd),
		PMEM2_E_INVALID_FILE_TYPE);
	assert_null(src);
	char want[128];
	snprintf(want, sizeof(want), "file descriptor %d is a directory", fd);
	assert_errormsg(want);
	close(fd);
}

static void
source_from_fd_of_dev_null_fails_with_invalid_file_type(void **state)
{
	(void)state;
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	assert_true(fd >= 0);
	struct pmem2_source *src = GARBAGE;
	assert_int_equal(pmem2_source_from_fd(&src, fd),
		PMEM2_E_INVALID_FILE_TYPE);
	assert_null(src);
	char want[160];
	snprintf(want, sizeof(want), "file descriptor %d is character device "
		"1:3, which is not a device DAX", fd);
	assert_errormsg(want);
	close(fd);
}

static void
source_from_fd_of_pipe_fails_with_invalid_file_type(void **state)
{
	(void)state;
	int p[2];
	assert_int_equal(pipe(p), 0);
	struct pmem2_source *src = GARBAGE;
	assert_int_equal(pmem2_source_from_fd(&src, p[0]),
		PMEM2_E_INVALID_FILE_TYPE);
	assert_null(src);
	close(p[0]);
	close(p[1]);
}

static void
source_delete_of_a_null_source_succeeds(void **state)
{
	(void)state;
	struct pmem2_source *src = NULL;
	assert_int_equal(pmem2_source_delete(&src), 0);
	assert_null(src);
}

static void
source_get_fd_of_anon_source_fails_with_file_descriptor_not_set(void **state)
{
	(void)state;
	struct pmem2_source *src = NULL;
	assert_int_equal(pmem2_source_from_anon(&src, 4096), 0);
	assert_non_null(src);
	int fd = 1234;
	assert_int_equal(pmem2_source_get_fd(src, &fd),
		PMEM2_E_FILE_DESCRIPTOR_NOT_SET);
	assert_int_equal(fd, 1234);
	assert_errormsg("the source has no file descriptor "
		"(it is anonymous memory)");
	assert_int_equal(pmem2_source_delete(&src), 0);
	assert_null(src);
}

/* what the source recorded is enough for pmem2_map_new */
static void
source_from_fd_of_a_file_maps_the_whole_file(void **state)
{
	(void)state;
	char path[4096];
	int fd = test_tmpfile(NULL, 8192, O_RDWR, path);
	struct pmem2_source *src = test_source_fd(fd);
	struct pmem2_map *map = NULL;
	assert_int_equal(test_map_new(&map, src,
		TEST_MAP_ARGS(PMEM2_GRANULARITY_PAGE)), 0);
	assert_int_equal(pmem2_map_get_size(map), 8192);
	pmem2_map_delete(&map);
	pmem2_source_delete(&src);
	close(fd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(source_from_fd_of_rdwr_file_succeeds_and_get_fd_returns_the_fd),
		cmocka_unit_test(source_from_fd_of_rdonly_file_succeeds),
		cmocka_unit_test(source_from_fd_of_empty_file_succeeds),
		cmocka_unit_test(source_from_fd_with_negative_fd_fails_with_invalid_file_handle),
		cmocka_unit_test(source_from_fd_with_closed_fd_fails_with_invalid_file_handle),
		cmocka_unit_test(source_from_fd_with_wronly_fd_fails_with_invalid_file_handle),
		cmocka_unit_test(source_from_fd_of_directory_fails_with_invalid_file_type),
		cmocka_unit_test(source_from_fd_of_dev_null_fails_with_invalid_file_type),
		cmocka_unit_test(source_from_fd_of_pipe_fails_with_invalid_file_type),
		cmocka_unit_test(source_delete_of_a_null_source_succeeds),
		cmocka_unit_test(source_get_fd_of_anon_source_fails_with_file_descriptor_not_set),
		cmocka_unit_test(source_from_fd_of_a_file_maps_the_whole_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
