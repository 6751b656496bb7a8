/* source_alignment.c -- pmem2_source_alignment: the page size for files and anonymous memory, sysfs align for device DAX */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "test_common.h"
#include "test_pmem2.h"

static void
source_alignment_of_regular_file_is_the_page_size(void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, 4096, O_RDWR, NULL);
	struct pmem2_source *src = test_source_fd(fd);
	size_t align = 0;
	assert_int_equal(pmem2_source_alignment(src, &align), 0);
	assert_int_equal(align, (size_t)sysconf(_SC_PAGESIZE));
	pmem2_source_delete(&src);
	close(fd);
}

static void
source_alignment_of_empty_rdonly_file_is_the_page_size(void **state)
{
	(void)state;
	int fd = test_tmpfile("/tmp", 0, O_RDONLY, NULL);
	struct pmem2_source *src = test_source_fd(fd);
	size_t align = 0;
	assert_int_equal(pmem2_source_alignment(src, &align), 0);
	assert_int_equal(align, (size_t)sysconf(_SC_PAGESIZE));
	pmem2_source_delete(&src);
	close(fd);
}

static void
source_alignment_of_anon_source_is_the_page_size(void **state)
{
	(void)state;
	struct pmem2_source *src;
	assert_int_equal(pmem2_source_from_anon(&src, 1), 0);
	size_t align = 0;
	assert_int_equal(pmem2_source_alignment(src, &align), 0);
	assert_int_equal(align, (size_t)sysconf(_SC_PAGESIZE));
	pmem2_source_delete(&src);
}

static int
open_devdax(void)
{
	DIR *d = opendir("/dev");
	if (d == NULL)
		return -1;
	struct dirent *e;
	int fd = -1;
	while (fd < 0 && (e = readdir(d)) != NULL) {
		char path[300];
		if (strncmp(e->d_name, "dax", 3) != 0)
			continue;
		snprintf(path, sizeof(path), "/dev/%s", e->d_name);
		fd = open(path, O_RDWR | O_CLOEXEC);
	}
	closedir(d);
	return fd;
}

static void
source_alignment_of_devdax_is_a_power_of_two_from_sysfs(void **state)
{
	(void)state;
	int fd = open_devdax();
	if (fd < 0)
		SKIP_BECAUSE("no device DAX on this machine");
	struct pmem2_source *src = test_source_fd(fd);
	size_t align = 0;
	assert_int_equal(pmem2_source_alignment(src, &align), 0);
	assert_true(align >= (size_t)sysconf(_SC_PAGESIZE));
	assert_int_equal(align & (align - 1), 0);
	pmem2_source_delete(&src);
	close(fd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(source_alignment_of_regular_file_is_the_page_size),
		cmocka_unit_test(source_alignment_of_empty_rdonly_file_is_the_page_size),
		cmocka_unit_test(source_alignment_of_anon_source_is_the_page_size),
		cmocka_unit_test(source_alignment_of_devdax_is_a_power_of_two_from_sysfs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
