/* deep_flush.c -- pmem2_deep_flush: range checks and results per granularity on regular files */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "test_common.h"
#include "test_pmem2.h"

#define MIB (1UL << 20)
#define FILE_SIZE (4 * MIB)

static const char *Names[] = {"BYTE", "CACHE_LINE", "PAGE"};
static size_t Page;

static int
setup(void **state)
{
	(void)state;
	Page = (size_t)sysconf(_SC_PAGESIZE);
	unsetenv("PMEM2_FORCE_GRANULARITY");
	return 0;
}

/* a SHARED map of fd at [offset, offset+length) forced to granularity g */
static struct pmem2_map *
map_forced(int fd, int g, size_t offset, size_t length)
{
	setenv("PMEM2_FORCE_GRANULARITY", Names[g], 1);
	struct test_map_args a = TEST_MAP_ARGS(PMEM2_GRANULARITY_PAGE);
	a.offset = offset;
	a.length = length;
	struct pmem2_map *map = test_map_fd(fd, a);
	unsetenv("PMEM2_FORCE_GRANULARITY");
	assert_int_equal(pmem2_map_get_store_granularity(map), g);
	return map;
}

static void
check_ranges(struct pmem2_map *map)
{
	char *addr = pmem2_map_get_address(map);
	size_t size = pmem2_map_get_size(map);
	/* inside: the whole map, slices, single bytes, empty ranges */
	assert_int_equal(pmem2_deep_flush(map, addr, size), 0);
	assert_int_equal(pmem2_deep_flush(map, addr + Page, Page), 0);
	assert_int_equal(pmem2_deep_flush(map, addr + 1, size - 1), 0);
	assert_int_equal(pmem2_deep_flush(map, addr + size - 1, 1), 0);
	assert_int_equal(pmem2_deep_flush(map, addr, 0), 0);
	assert_int_equal(pmem2_deep_flush(map, addr + size, 0), 0);
	/* before the map */
	assert_int_equal(pmem2_deep_flush(map, addr - 1, 0),
		PMEM2_E_DEEP_FLUSH_RANGE);
	assert_int_equal(pmem2_deep_flush(map, addr - Page, Page),
		PMEM2_E_DEEP_FLUSH_RANGE);
	assert_int_equal(pmem2_deep_flush(map, addr - 1, 2),
		PMEM2_E_DEEP_FLUSH_RANGE);
	/* behind it */
	assert_int_equal(pmem2_deep_flush(map, addr + size, 1),
		PMEM2_E_DEEP_FLUSH_RANGE);
	assert_int_equal(pmem2_deep_flush(map, addr + size + Page, Page),
		PMEM2_E_DEEP_FLUSH_RANGE);
	/* overlapping its end, or larger than it */
	assert_int_equal(pmem2_deep_flush(map, addr + size - 1, 2),
		PMEM2_E_DEEP_FLUSH_RANGE);
	assert_int_equal(pmem2_deep_flush(map, addr, size + 1),
		PMEM2_E_DEEP_FLUSH_RANGE);
	assert_int_equal(pmem2_deep_flush(map, addr - Page, size + 2 * Page),
		PMEM2_E_DEEP_FLUSH_RANGE);
}

static void
deep_flush_at_page_granularity_checks_the_range_and_returns_zero(
	void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, FILE_SIZE, O_RDWR, NULL);
	struct pmem2_map *map = test_map_fd(fd,
		TEST_MAP_ARGS(PMEM2_GRANULARITY_PAGE));
	assert_int_equal(pmem2_map_get_store_granularity(map),
		PMEM2_GRANULARITY_PAGE);
	check_ranges(map);
	test_map_delete(&map);
	close(fd);
}

static void
deep_flush_at_forced_cache_line_granularity_on_a_file_returns_zero(
	void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, FILE_SIZE, O_RDWR, NULL);
	struct pmem2_map *map = map_forced(fd, PMEM2_GRANULARITY_CACHE_LINE,
		0, 0);
	check_ranges(map);
	test_map_delete(&map);
	close(fd);
}

static void
deep_flush_at_forced_byte_granularity_on_a_file_returns_zero(void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, FILE_SIZE, O_RDWR, NULL);
	struct pmem2_map *map = map_forced(fd, PMEM2_GRANULARITY_BYTE, 0, 0);
	check_ranges(map);
	test_map_delete(&map);
	close(fd);
}

static void
deep_flush_of_a_partial_map_checks_the_mapped_part_only(void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, FILE_SIZE, O_RDWR, NULL);
	for (int g = 0; g < 3; g++) {
		struct pmem2_map *map = map_forced(fd, g, MIB, 2 * Page);
		assert_int_equal(pmem2_map_get_size(map), 2 * Page);
		check_ranges(map);
		test_map_delete(&map);
	}
	close(fd);
}

static void
deep_flush_of_an_unaligned_file_size_stops_at_the_file_size(void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, 3 * Page + 10, O_RDWR, NULL);
	for (int g = 0; g < 3; g++) {
		struct pmem2_map *map = map_forced(fd, g, 0, 0);
		assert_int_equal(pmem2_map_get_size(map), 3 * Page + 10);
		check_ranges(map);
		char *addr = pmem2_map_get_address(map);
		assert_int_equal(pmem2_deep_flush(map, addr, 4 * Page),
			PMEM2_E_DEEP_FLUSH_RANGE);
		test_map_delete(&map);
	}
	close(fd);
}

static void
deep_flush_of_private_and_wrapped_maps_returns_zero(void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, FILE_SIZE, O_RDWR, NULL);
	struct test_map_args a = TEST_MAP_ARGS(PMEM2_GRANULARITY_PAGE);
	a.sharing = PMEM2_PRIVATE;
	struct pmem2_map *map = test_map_fd(fd, a);
	check_ranges(map);
	test_map_delete(&map);

	char *user = mmap(NULL, FILE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		fd, 0);
	assert_true(user != MAP_FAILED);
	struct pmem2_source *src = test_source_fd(fd);
	for (int g = 0; g < 3; g++) {
		assert_int_equal(pmem2_map_from_existing(&map, src, user + Page,
			MIB, (enum pmem2_granularity)g), 0);
		check_ranges(map);
		test_map_delete(&map);
	}
	pmem2_source_delete(&src);
	munmap(user, FILE_SIZE);
	close(fd);
}

/*
 * Deliberately differs from PMDK 1.12.1, which returns 0 here: its range
 * check computes ptr + size, which wraps around to an address inside the map.
 */
static void
deep_flush_with_a_size_wrapping_the_address_space_fails_with_deep_flush_range(
	void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, FILE_SIZE, O_RDWR, NULL);
	struct pmem2_map *map = test_map_fd(fd,
		TEST_MAP_ARGS(PMEM2_GRANULARITY_PAGE));
	char *addr = pmem2_map_get_address(map);
	assert_int_equal(pmem2_deep_flush(map, addr + 1, SIZE_MAX),
		PMEM2_E_DEEP_FLUSH_RANGE);
	assert_int_equal(pmem2_deep_flush(map, addr + Page, SIZE_MAX - 100),
		PMEM2_E_DEEP_FLUSH_RANGE);
	test_map_delete(&map);
	close(fd);
}

static void
deep_flush_leaves_the_data_in_the_file(void **state)
{
	(void)state;
	char path[4096];
	int fd = test_tmpfile(NULL, FILE_SIZE, O_RDWR, path);
	for (int g = 0; g < 3; g++) {
		struct pmem2_map *map = map_forced(fd, g, 0, 0);
		char *addr = pmem2_map_get_address(map);
		char data[3000];
		test_fill_pattern(data, sizeof(data), 50 + (unsigned)g);
		pmem2_get_memcpy_fn(map)(addr + 999, data, sizeof(data), 0);
		assert_int_equal(pmem2_deep_flush(map, addr + 999,
			sizeof(data)), 0);
		char back[3000];
		assert_int_equal(pread(fd, back, sizeof(back), 999),
			(ssize_t)sizeof(back));
		assert_memory_equal(back, data, sizeof(data));
		test_map_delete(&map);
	}
	close(fd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(deep_flush_at_page_granularity_checks_the_range_and_returns_zero),
		cmocka_unit_test(deep_flush_at_forced_cache_line_granularity_on_a_file_returns_zero),
		cmocka_unit_test(deep_flush_at_forced_byte_granularity_on_a_file_returns_zero),
		cmocka_unit_test(deep_flush_of_a_partial_map_checks_the_mapped_part_only),
		cmocka_unit_test(deep_flush_of_an_unaligned_file_size_stops_at_the_file_size),
		cmocka_unit_test(deep_flush_of_private_and_wrapped_maps_returns_zero),
		cmocka_unit_test(deep_flush_with_a_size_wrapping_the_address_space_fails_with_deep_flush_range),
		cmocka_unit_test(deep_flush_leaves_the_data_in_the_file),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
