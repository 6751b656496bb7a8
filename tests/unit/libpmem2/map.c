/* map.c -- pmem2_map_new / pmem2_map_delete on regular files: ranges, errors, sharing, alignment */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_common.h"
#include "test_pmem2.h"
#include "test_sigsegv.h"

#define MIB (1UL << 20)
#define FILE_SIZE (4 * MIB)

static size_t Page;

static int
setup(void **state)
{
	(void)state;
	Page = (size_t)sysconf(_SC_PAGESIZE);
	return 0;
}

/* a file of size bytes holding the pattern of seed; its path goes to path */
static int
pattern_file(size_t size, unsigned seed, int flags, char *path)
{
	int fd = test_tmpfile(NULL, size, O_RDWR, path);
	char *buf = malloc(size);
	assert_non_null(buf);
	test_fill_pattern(buf, size, seed);
	assert_int_equal(pwrite(fd, buf, size, 0), (ssize_t)size);
	free(buf);
	if (flags == O_RDWR)
		return fd;
	close(fd);
	fd = open(path, flags | O_CLOEXEC);
	assert_true(fd >= 0);
	return fd;
}

/* whether the len bytes at addr equal the file's pattern from offset on */
static void
assert_content(const void *addr, size_t offset, size_t len, unsigned seed,
	size_t file_size)
{
	char *want = malloc(file_size);
	assert_non_null(want);
	test_fill_pattern(want, file_size, seed);
	assert_memory_equal(addr, want + offset, len);
	free(want);
}

static void
map_new_of_rdwr_file_gives_whole_file_with_page_granularity(void **state)
{
	(void)state;
	char path[4096];
	int fd = pattern_file(FILE_SIZE, 1, O_RDWR, path);
	struct pmem2_map *map = test_map_fd(fd,
		TEST_MAP_ARGS(PMEM2_GRANULARITY_PAGE));

	assert_non_null(pmem2_map_get_address(map));
	assert_int_equal(pmem2_map_get_size(map), FILE_SIZE);
	assert_int_equal(pmem2_map_get_store_granularity(map),
		PMEM2_GRANULARITY_PAGE);
	assert_content(pmem2_map_get_address(map), 0, FILE_SIZE, 1, FILE_SIZE);

	memset(pmem2_map_get_address(map), 0xab, Page);
	char buf[64];
	assert_int_equal(pread(fd, buf, sizeof(buf), 0), (ssize_t)sizeof(buf));
	for (size_t i = 0; i < sizeof(buf); i++)
		assert_int_equal((unsigned char)buf[i], 0xab);

	test_map_delete(&map);
	close(fd);
}

static void
map_new_of_rdonly_fd_with_default_prot_fails_with_no_access(void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, FILE_SIZE, O_RDONLY, NULL);
	struct pmem2_map *map = (struct pmem2_map *)(uintptr_t)0x1;
	assert_int_equal(test_map_fd_ret(&map, fd,
		TEST_MAP_ARGS(PMEM2_GRANULARITY_PAGE)), PMEM2_E_NO_ACCESS);
	assert_null(map);
	assert_string_not_equal(pmem2_errormsg(), "");
	close(fd);
}

static void
map_new_with_valid_ranges_maps_the_requested_bytes(void **state)
{
	(void)state;
	char path[4096];
	int fd = pattern_file(FILE_SIZE, 2, O_RDWR, path);
	struct { size_t offset, length, size; } cases[] = {
		{0, 0, FILE_SIZE},
		{0, FILE_SIZE, FILE_SIZE},
		{0, Page, Page},
		{Page, 0, FILE_SIZE - Page},
		{Page, Page, Page},
		{Page, FILE_SIZE - Page, FILE_SIZE - Page},
		{FILE_SIZE - Page, 0, Page},
		{FILE_SIZE - Page, Page, Page},
		{MIB, 2 * MIB, 2 * MIB},
		{3 * Page, 5 * Page, 5 * Page},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct test_map_args a = TEST_MAP_ARGS(PMEM2_GRANULARITY_PAGE);
		a.offset = cases[i].offset;
		a.length = cases[i].length;
		struct pmem2_map *map = test_map_fd(fd, a);
		assert_int_equal(pmem2_map_get_size(map), cases[i].size);
		assert_content(pmem2_map_get_address(map), cases[i].offset,
			cases[i].size, 2, FILE_SIZE);
		test_map_delete(&map);
	}
	close(fd);
}

static void
map_new_with_range_outside_the_file_fails_with_map_range(void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, FILE_SIZE, O_RDWR, NULL);
	size_t far = (size_t)INT64_MAX & ~(Page - 1);
	struct { size_t offset, length; } cases[] = {
		{0, FILE_SIZE + Page},
		{Page, FILE_SIZE},
		{FILE_SIZE - Page, 2 * Page},
		{FILE_SIZE, Page},
		{FILE_SIZE + Page, 0},
		{FILE_SIZE + Page, Page},
		{far, Page},
		{Page, SIZE_MAX & ~(Page - 1)},
		{far, SIZE_MAX & ~(Page - 1)},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct test_map_args a = TEST_MAP_ARGS(PMEM2_GRANULARITY_PAGE);
		a.offset = cases[i].offset;
		a.length = cases[i].length;
		struct pmem2_map *map = (struct pmem2_map *)(uintptr_t)0x1;
		int ret = test_map_fd_ret(&map, fd, a);
		if (ret != PMEM2_E_MAP_RANGE)
			fail_msg("case %zu (offset %zu length %zu): %d",
				i, a.offset, a.length, ret);
		assert_null(map);
	}
	close(fd);
}

static void
map_new_at_offset_equal_to_file_size_fails(void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, FILE_SIZE, O_RDWR, NULL);
	struct test_map_args a = TEST_MAP_ARGS(PMEM2_GRANULARITY_PAGE);
	a.offset = FILE_SIZE;
	struct pmem2_map *map = (struct pmem2_map *)(uintptr_t)0x1;
	/* PMDK returns -EINVAL from mmap of 0 bytes here; any error will do */
	assert_true(test_map_fd_ret(&map, fd, a) < 0);
	assert_null(map);
	close(fd);
}

/* a map of a file at an unaligned offset (or of an unaligned length) fails with want */
static void
check_unaligned(int as_offset, int want)
{
	int fd = test_tmpfile(NULL, FILE_SIZE, O_RDWR, NULL);
	size_t values[] = {1, Page - 1, Page + 1, Page / 2, FILE_SIZE - 1};
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		struct test_map_args a = TEST_MAP_ARGS(PMEM2_GRANULARITY_PAGE);
		if (as_offset)
			a.offset = values[i];
		else
			a.length = values[i];
		struct pmem2_map *map = NULL;
		assert_int_equal(test_map_fd_ret(&map, fd, a), want);
		assert_null(map);
	}
	close(fd);
}

static void
map_new_with_unaligned_offset_fails_with_offset_unaligned(void **state)
{
	(void)state;
	check_unaligned(1, PMEM2_E_OFFSET_UNALIGNED);
}

static void
map_new_with_unaligned_length_fails_with_length_unaligned(void **state)
{
	(void)state;
	check_unaligned(0, PMEM2_E_LENGTH_UNALIGNED);
}

static void
map_new_without_granularity_fails_with_granularity_not_set(void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, FILE_SIZE, O_RDWR, NULL);
	struct pmem2_source *src = test_source_fd(fd);
	struct pmem2_config *cfg;
	assert_int_equal(pmem2_config_new(&cfg), 0);
	struct pmem2_map *map = (struct pmem2_map *)(uintptr_t)0x1;
	assert_int_equal(pmem2_map_new(&map, cfg, src),
		PMEM2_E_GRANULARITY_NOT_SET);
	assert_null(map);
	assert_string_not_equal(pmem2_errormsg(), "");
	/* granularity is checked before anything else: bad offset too */
	assert_int_equal(pmem2_config_set_offset(cfg, 1), 0);
	assert_int_equal(pmem2_map_new(&map, cfg, src),
		PMEM2_E_GRANULARITY_NOT_SET);
	pmem2_config_delete(&cfg);
	pmem2_source_delete(&src);
	close(fd);
}

static void
map_new_of_empty_file_fails_with_source_empty(void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, 0, O_RDWR, NULL);
	struct pmem2_map *map = (struct pmem2_map *)(uintptr_t)0x1;
	assert_int_equal(test_map_fd_ret(&map, fd,
		TEST_MAP_ARGS(PMEM2_GRANULARITY_PAGE)), PMEM2_E_SOURCE_EMPTY);
	assert_null(map);
	close(fd);
}

static void
map_new_of_unaligned_file_size_maps_the_exact_size(void **state)
{
	(void)state;
	char path[4096];
	size_t size = 2 * Page + 100;
	int fd = pattern_file(size, 3, O_RDWR, path);
	struct pmem2_map *map = test_map_fd(fd,
		TEST_MAP_ARGS(PMEM2_GRANULARITY_PAGE));
	assert_int_equal(pmem2_map_get_size(map), size);
	assert_content(pmem2_map_get_address(map), 0, size, 3, size);
	test_map_delete(&map);

	struct test_map_args a = TEST_MAP_ARGS(PMEM2_GRANULARITY_PAGE);
	a.offset = Page;
	map = test_map_fd(fd, a);
	assert_int_equal(pmem2_map_get_size(map), Page + 100);
	assert_content(pmem2_map_get_address(map), Page, Page + 100, 3, size);
	test_map_delete(&map);
	close(fd);
}

static void
map_new_with_length_rounded_beyond_unaligned_file_size_fails_with_map_range(
	void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, 2 * Page + 100, O_RDWR, NULL);
	struct test_map_args a = TEST_MAP_ARGS(PMEM2_GRANULARITY_PAGE);
	a.length = 3 * Page;
	struct pmem2_map *map = NULL;
	assert_int_equal(test_map_fd_ret(&map, fd, a), PMEM2_E_MAP_RANGE);
	assert_null(map);
	close(fd);
}

static void
map_new_shared_writes_are_visible_to_a_second_map_and_the_file(void **state)
{
	(void)state;
	char path[4096];
	int fd = pattern_file(FILE_SIZE, 4, O_RDWR, path);
	struct pmem2_map *m1 = test_map_fd(fd,
		TEST_MAP_ARGS(PMEM2_GRANULARITY_PAGE));
	int fd2 = open(path, O_RDWR | O_CLOEXEC);
	assert_true(fd2 >= 0);
	struct pmem2_map *m2 = test_map_fd(fd2,
		TEST_MAP_ARGS(PMEM2_GRANULARITY_PAGE));
	char *a1 = pmem2_map_get_address(m1);
	char *a2 = pmem2_map_get_address(m2);
	assert_ptr_not_equal(a1, a2);

	memcpy(a1 + 12345, "shared data", 12);
	assert_string_equal(a2 + 12345, "shared data");
	char buf[12];
	assert_int_equal(pread(fd, buf, 12, 12345), 12);
	assert_string_equal(buf, "shared data");

	test_map_delete(&m2);
	test_map_delete(&m1);
	close(fd2);
	close(fd);
}

/* writes through a PRIVATE map of fd never reach a SHARED map of fd2 or the file */
static void
check_private_is_not_visible(int fd, int fd2)
{
	struct test_map_args a = TEST_MAP_ARGS(PMEM2_GRANULARITY_PAGE);
	a.sharing = PMEM2_PRIVATE;
	struct pmem2_map *priv = test_map_fd(fd, a);
	struct pmem2_map *shared = test_map_fd(fd2,
		TEST_MAP_ARGS(PMEM2_GRANULARITY_PAGE));
	char *p = pmem2_map_get_address(priv);
	char *s = pmem2_map_get_address(shared);
	assert_memory_equal(p, s, FILE_SIZE);

	memcpy(p + 777, "private data", 13);
	pmem2_get_persist_fn(priv)(p + 777, 13);
	assert_string_equal(p + 777, "private data");
	assert_memory_not_equal(s + 777, "private data", 13);
	char buf[13];
	assert_int_equal(pread(fd2, buf, 13, 777), 13);
	assert_memory_not_equal(buf, "private data", 13);

	test_map_delete(&shared);
	test_map_delete(&priv);

	/* and a fresh map of the same file does not see them either */
	struct pmem2_map *again = test_map_fd(fd2,
		TEST_MAP_ARGS(PMEM2_GRANULARITY_PAGE));
	assert_memory_not_equal((char *)pmem2_map_get_address(again) + 777,
		"private data", 13);
	test_map_delete(&again);
}

static void
map_new_private_writes_are_not_visible_to_a_shared_map(void **state)
{
	(void)state;
	char path[4096];
	int fd = pattern_file(FILE_SIZE, 5, O_RDWR, path);
	check_private_is_not_visible(fd, fd);
	close(fd);
}

/* a private map of a file opened with flags, looked at through a second, read-write fd */
static void
check_private_through_reopen(int flags, unsigned seed)
{
	char path[4096];
	int fd = pattern_file(FILE_SIZE, seed, flags, path);
	int fd2 = open(path, O_RDWR | O_CLOEXEC);
	assert_true(fd2 >= 0);
	check_private_is_not_visible(fd, fd2);
	close(fd2);
	close(fd);
}

static void
map_new_private_writes_are_not_visible_through_a_reopened_fd(void **state)
{
	(void)state;
	check_private_through_reopen(O_RDWR, 6);
}

static void
map_new_private_of_rdonly_fd_is_writable_and_not_visible(void **state)
{
	(void)state;
	check_private_through_reopen(O_RDONLY, 7);
}

static void
map_new_private_of_a_file_has_byte_granularity(void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, FILE_SIZE, O_RDWR, NULL);
	enum pmem2_granularity req[] = {PMEM2_GRANULARITY_BYTE,
		PMEM2_GRANULARITY_CACHE_LINE, PMEM2_GRANULARITY_PAGE};
	for (size_t i = 0; i < 3; i++) {
		struct test_map_args a = TEST_MAP_ARGS(req[i]);
		a.sharing = PMEM2_PRIVATE;
		struct pmem2_map *map = test_map_fd(fd, a);
		assert_int_equal(pmem2_map_get_store_granularity(map),
			PMEM2_GRANULARITY_BYTE);
		test_map_delete(&map);
	}
	close(fd);
}

static void
map_new_of_two_mib_or_more_is_two_mib_aligned(void **state)
{
	(void)state;
	size_t sizes[] = {2 * MIB, 2 * MIB + Page, 3 * MIB, 8 * MIB};
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		int fd = test_tmpfile(NULL, sizes[i], O_RDWR, NULL);
		/* a few maps in a row, so that a lucky hint cannot pass */
		struct pmem2_map *maps[3];
		for (int j = 0; j < 3; j++) {
			maps[j] = test_map_fd(fd,
				TEST_MAP_ARGS(PMEM2_GRANULARITY_PAGE));
			uintptr_t addr =
				(uintptr_t)pmem2_map_get_address(maps[j]);
			assert_int_equal(addr % (2 * MIB), 0);
			assert_int_equal(pmem2_map_get_size(maps[j]), sizes[i]);
		}
		for (int j = 0; j < 3; j++)
			test_map_delete(&maps[j]);
		close(fd);
	}
}

static void
map_new_of_two_gib_or_more_is_one_gib_aligned(void **state)
{
	(void)state;
	/* a sparse file: no memory is used */
	size_t size = 2048 * MIB;
	int fd = test_tmpfile(NULL, size, O_RDWR, NULL);
	for (int j = 0; j < 2; j++) {
		struct pmem2_map *map = test_map_fd(fd,
			TEST_MAP_ARGS(PMEM2_GRANULARITY_PAGE));
		uintptr_t addr = (uintptr_t)pmem2_map_get_address(map);
		assert_int_equal(addr % (1024 * MIB), 0);
		assert_int_equal(pmem2_map_get_size(map), size);
		test_map_delete(&map);
	}
	close(fd);
}

static void
touch(void *addr)
{
	*(volatile char *)addr = 1;
}

static void
map_delete_clears_the_pointer_and_unmaps_the_memory(void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, FILE_SIZE, O_RDWR, NULL);
	struct pmem2_map *map = test_map_fd(fd,
		TEST_MAP_ARGS(PMEM2_GRANULARITY_PAGE));
	char *addr = pmem2_map_get_address(map);
	assert_false(test_faults(touch, addr));
	assert_int_equal(pmem2_map_delete(&map), 0);
	assert_null(map);
	assert_true(test_faults(touch, addr));
	assert_true(test_faults(touch, addr + FILE_SIZE - 1));
	close(fd);
}

static void
map_new_leaves_the_source_usable_after_the_fd_is_closed(void **state)
{
	(void)state;
	char path[4096];
	int fd = pattern_file(FILE_SIZE, 8, O_RDWR, path);
	struct pmem2_map *map = test_map_fd(fd,
		TEST_MAP_ARGS(PMEM2_GRANULARITY_PAGE));
	close(fd);
	char *addr = pmem2_map_get_address(map);
	assert_content(addr, 0, FILE_SIZE, 8, FILE_SIZE);
	memcpy(addr + 100, "after close", 12);
	pmem2_get_persist_fn(map)(addr + 100, 12);
	test_map_delete(&map);

	size_t len;
	char *data = test_read_file(path, &len);
	assert_int_equal(len, FILE_SIZE);
	assert_string_equal(data + 100, "after close");
	free(data);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(map_new_of_rdwr_file_gives_whole_file_with_page_granularity),
		cmocka_unit_test(map_new_of_rdonly_fd_with_default_prot_fails_with_no_access),
		cmocka_unit_test(map_new_with_valid_ranges_maps_the_requested_bytes),
		cmocka_unit_test(map_new_with_range_outside_the_file_fails_with_map_range),
		cmocka_unit_test(map_new_at_offset_equal_to_file_size_fails),
		cmocka_unit_test(map_new_with_unaligned_offset_fails_with_offset_unaligned),
		cmocka_unit_test(map_new_with_unaligned_length_fails_with_length_unaligned),
		cmocka_unit_test(map_new_without_granularity_fails_with_granularity_not_set),
		cmocka_unit_test(map_new_of_empty_file_fails_with_source_empty),
		cmocka_unit_test(map_new_of_unaligned_file_size_maps_the_exact_size),
		cmocka_unit_test(map_new_with_length_rounded_beyond_unaligned_file_size_fails_with_map_range),
		cmocka_unit_test(map_new_shared_writes_are_visible_to_a_second_map_and_the_file),
		cmocka_unit_test(map_new_private_writes_are_not_visible_to_a_shared_map),
		cmocka_unit_test(map_new_private_writes_are_not_visible_through_a_reopened_fd),
		cmocka_unit_test(map_new_private_of_rdonly_fd_is_writable_and_not_visible),
		cmocka_unit_test(map_new_private_of_a_file_has_byte_granularity),
		cmocka_unit_test(map_new_of_two_mib_or_more_is_two_mib_aligned),
		cmocka_unit_test(map_new_of_two_gib_or_more_is_one_gib_aligned),
		cmocka_unit_test(map_delete_clears_the_pointer_and_unmaps_the_memory),
		cmocka_unit_test(map_new_leaves_the_source_usable_after_the_fd_is_closed),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
