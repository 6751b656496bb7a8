/* source_size.c -- pmem2_source_size of regular, O_TMPFILE, anonymous and device DAX sources */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "test_common.h"
#include "test_pmem2.h"

static size_t
size_of_fd(int fd)
{
	struct pmem2_source *src = test_source_fd(fd);
	size_t size = 12345;
	assert_int_equal(pmem2_source_size(src, &size), 0);
	pmem2_source_delete(&src);
	return size;
}

static void
source_size_of_regular_files_is_their_length(void **state)
{
	(void)state;
	const size_t sizes[] = { 0, 1, 4095, 4096, (1 << 20) + 3 };
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		int fd = test_tmpfile(NULL, sizes[i], O_RDWR, NULL);
		assert_int_equal(size_of_fd(fd), sizes[i]);
		close(fd);
	}
}

static void
source_size_of_rdonly_file_is_its_length(void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, 8192, O_RDONLY, NULL);
	assert_int_equal(size_of_fd(fd), 8192);
	close(fd);
}

static void
source_size_follows_the_file_after_the_source_was_made(void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, 4096, O_RDWR, NULL);
	struct pmem2_source *src = test_source_fd(fd);
	assert_int_equal(ftruncate(fd, 3 * 4096), 0);
	size_t size = 0;
	assert_int_equal(pmem2_source_size(src, &size), 0);
	assert_int_equal(size, 3 * 4096);
	pmem2_source_delete(&src);
	close(fd);
}

static void
tmpfile_size(const char *dir)
{
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0) {
		printf("O_TMPFILE unsupported in %s: %s\n", dir,
			strerror(errno));
		return;
	}
	assert_int_equal(ftruncate(fd, 2 * 4096 + 17), 0);
	assert_int_equal(size_of_fd(fd), 2 * 4096 + 17);
	close(fd);
}

static void
source_size_of_o_tmpfile_file_is_its_length(void **state)
{
	(void)state;
	int fd = open("/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	int fd2 = open("/dev/shm", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0 && fd2 < 0)
		SKIP_BECAUSE("neither /tmp nor /dev/shm supports O_TMPFILE");
	if (fd >= 0)
		close(fd);
	if (fd2 >= 0)
		close(fd2);
	tmpfile_size("/tmp");
	tmpfile_size("/dev/shm");
}

static void
source_size_of_anon_source_is_the_requested_size(void **state)
{
	(void)state;
	const size_t sizes[] = { 0, 1, 4096, SIZE_MAX };
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct pmem2_source *src;
		assert_int_equal(pmem2_source_from_anon(&src, sizes[i]), 0);
		size_t size = 12345;
		assert_int_equal(pmem2_source_size(src, &size), 0);
		assert_int_equal(size, sizes[i]);
		pmem2_source_delete(&src);
	}
}

/* the first /dev/daxX.Y, if the machine has one */
static int
open_devdax(char *path, size_t len)
{
	DIR *d = opendir("/dev");
	if (d == NULL)
		return -1;
	struct dirent *e;
	int fd = -1;
	while (fd < 0 && (e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, "dax", 3) != 0)
			continue;
		snprintf(path, len, "/dev/%s", e->d_name);
		fd = open(path, O_RDWR | O_CLOEXEC);
	}
	closedir(d);
	return fd;
}

static void
source_size_of_devdax_is_the_size_in_sysfs(void **state)
{
	(void)state;
	char path[300];
	int fd = open_devdax(path, sizeof(path));
	if (fd < 0)
		SKIP_BECAUSE("no device DAX on this machine");
	struct stat st;
	assert_int_equal(fstat(fd, &st), 0);
	char attr[128];
	snprintf(attr, sizeof(attr), "/sys/dev/char/%u:%u/size",
		major(st.st_rdev), minor(st.st_rdev));
	FILE *f = fopen(attr, "r");
	assert_non_null(f);
	unsigned long long want = 0;
	assert_int_equal(fscanf(f, "%llu", &want), 1);
	fclose(f);
	assert_int_equal(size_of_fd(fd), want);
	close(fd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(source_size_of_regular_files_is_their_length),
		cmocka_unit_test(source_size_of_rdonly_file_is_its_length),
		cmocka_unit_test(source_size_follows_the_file_after_the_source_was_made),
		cmocka_unit_test(source_size_of_o_tmpfile_file_is_its_length),
		cmocka_unit_test(source_size_of_anon_source_is_the_requested_size),
		cmocka_unit_test(source_size_of_devdax_is_the_size_in_sysfs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
