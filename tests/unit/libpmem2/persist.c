/* persist.c -- persist/flush/drain: data reaches the file, ranges across maps and holes, which function each granularity gets */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "test_common.h"
#include "test_pmem2.h"

#define MIB (1UL << 20)
#define FILE_SIZE (2 * MIB)

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

/* a SHARED map of fd whose effective granularity is forced to g */
static struct pmem2_map *
map_forced(int fd, int g)
{
	setenv("PMEM2_FORCE_GRANULARITY", Names[g], 1);
	struct pmem2_map *map = test_map_fd(fd,
		TEST_MAP_ARGS(PMEM2_GRANULARITY_PAGE));
	unsetenv("PMEM2_FORCE_GRANULARITY");
	assert_int_equal(pmem2_map_get_store_granularity(map), g);
	return map;
}

static void
assert_file_has(const char *path, size_t offset, const void *data,
	size_t len)
{
	/* another open file description: what the file system holds */
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	char *buf = malloc(len);
	assert_non_null(buf);
	assert_int_equal(pread(fd, buf, len, (off_t)offset), (ssize_t)len);
	assert_memory_equal(buf, data, len);
	free(buf);
	close(fd);
}

static void
persisted_stores_through_a_page_map_are_in_the_file(void **state)
{
	(void)state;
	char path[4096];
	int fd = test_tmpfile(NULL, FILE_SIZE, O_RDWR, path);
	struct pmem2_map *map = test_map_fd(fd,
		TEST_MAP_ARGS(PMEM2_GRANULARITY_PAGE));
	assert_int_equal(pmem2_map_get_store_granularity(map),
		PMEM2_GRANULARITY_PAGE);
	char *addr = pmem2_map_get_address(map);
	char data[10000];
	test_fill_pattern(data, sizeof(data), 21);
	memcpy(addr + 5, data, sizeof(data));
	pmem2_get_persist_fn(map)(addr + 5, sizeof(data));
	assert_file_has(path, 5, data, sizeof(data));

	test_fill_pattern(data, sizeof(data), 22);
	memcpy(addr + MIB - 3, data, sizeof(data));
	pmem2_get_flush_fn(map)(addr + MIB - 3, sizeof(data));
	pmem2_get_drain_fn(map)();
	assert_file_has(path, MIB - 3, data, sizeof(data));
	test_map_delete(&map);
	close(fd);
}

static void
persisted_stores_at_every_granularity_are_in_the_file(void **state)
{
	(void)state;
	char path[4096];
	int fd = test_tmpfile(NULL, FILE_SIZE, O_RDWR, path);
	for (int g = 0; g < 3; g++) {
		struct pmem2_map *map = map_forced(fd, g);
		char *addr = pmem2_map_get_address(map);
		char data[777];
		test_fill_pattern(data, sizeof(data), 30 + (unsigned)g);
		size_t off = 4096 * (size_t)g + 33;
		memcpy(addr + off, data, sizeof(data));
		pmem2_get_persist_fn(map)(addr + off, sizeof(data));
		assert_file_has(path, off, data, sizeof(data));
		test_map_delete(&map);
	}
	close(fd);
}

static void
persist_of_a_range_spanning_two_adjacent_maps_reaches_both_files(
	void **state)
{
	(void)state;
	char p1[4096], p2[4096];
	int fd1 = test_tmpfile(NULL, MIB, O_RDWR, p1);
	int fd2 = test_tmpfile(NULL, MIB, O_RDWR, p2);
	struct pmem2_vm_reservation *rsv;
	assert_int_equal(pmem2_vm_reservation_new(&rsv, NULL, 2 * MIB), 0);
	struct test_map_args a = TEST_MAP_ARGS(PMEM2_GRANULARITY_PAGE);
	a.rsv = rsv;
	a.rsv_offset = 0;
	struct pmem2_map *m1 = test_map_fd(fd1, a);
	a.rsv_offset = MIB;
	struct pmem2_map *m2 = test_map_fd(fd2, a);
	char *addr = pmem2_map_get_address(m1);
	assert_ptr_equal(addr, pmem2_vm_reservation_get_address(rsv));
	assert_ptr_equal(pmem2_map_get_address(m2), addr + MIB);
	assert_ptr_equal(pmem2_get_persist_fn(m1), pmem2_get_persist_fn(m2));

	char data[2 * 8192];
	test_fill_pattern(data, sizeof(data), 40);
	/* one memcpy and one persist across the boundary */
	pmem2_get_memcpy_fn(m1)(addr + MIB - 8192, data, sizeof(data),
		PMEM2_F_MEM_NOFLUSH);
	pmem2_get_persist_fn(m1)(addr + MIB - 8192, sizeof(data));
	assert_file_has(p1, MIB - 8192, data, 8192);
	assert_file_has(p2, 0, data + 8192, 8192);

	/* and the same for the whole reservation */
	memset(addr, 0x61, 2 * MIB);
	pmem2_get_persist_fn(m2)(addr, 2 * MIB);
	char *want = malloc(MIB);
	assert_non_null(want);
	memset(want, 0x61, MIB);
	assert_file_has(p1, 0, want, MIB);
	assert_file_has(p2, 0, want, MIB);
	free(want);

	test_map_delete(&m1);
	test_map_delete(&m2);
	assert_int_equal(pmem2_vm_reservation_delete(&rsv), 0);
	close(fd2);
	close(fd1);
}

static void
persist_across_a_map_and_a_reservation_hole_is_harmless(void **state)
{
	(void)state;
	char path[4096];
	int fd = test_tmpfile(NULL, MIB, O_RDWR, path);
	struct pmem2_vm_reservation *rsv;
	assert_int_equal(pmem2_vm_reservation_new(&rsv, NULL, 3 * MIB), 0);
	struct test_map_args a = TEST_MAP_ARGS(PMEM2_GRANULARITY_PAGE);
	a.rsv = rsv;
	a.rsv_offset = MIB;
	struct pmem2_map *map = test_map_fd(fd, a);
	char *addr = pmem2_map_get_address(map);
	memcpy(addr + 10, "in the middle", 14);
	pmem2_get_persist_fn(map)(pmem2_vm_reservation_get_address(rsv),
		3 * MIB);
	pmem2_get_flush_fn(map)(addr - Page, MIB + 2 * Page);
	assert_file_has(path, 10, "in the middle", 14);
	test_map_delete(&map);
	assert_int_equal(pmem2_vm_reservation_delete(&rsv), 0);
	close(fd);
}

static void
persist_at_page_granularity_outside_any_map_is_harmless(void **state)
{
	(void)state;
	char path[4096];
	int fd = test_tmpfile(NULL, FILE_SIZE, O_RDWR, path);
	struct pmem2_map *map = test_map_fd(fd,
		TEST_MAP_ARGS(PMEM2_GRANULARITY_PAGE));
	pmem2_persist_fn persist = pmem2_get_persist_fn(map);
	pmem2_flush_fn flush = pmem2_get_flush_fn(map);

	/* heap memory */
	char *heap = malloc(3 * Page);
	assert_non_null(heap);
	memset(heap, 1, 3 * Page);
	persist(heap + 1, 3 * Page - 1);
	flush(heap, 10);
	free(heap);

	/* a user mapping of the same file, not known to libpmem2 */
	char *user = mmap(NULL, FILE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		fd, 0);
	assert_true(user != MAP_FAILED);
	persist(user, FILE_SIZE);
	munmap(user, FILE_SIZE);

	/* memory that is not mapped at all */
	char *gone = mmap(NULL, 4 * Page, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(gone != MAP_FAILED);
	assert_int_equal(munmap(gone, 4 * Page), 0);
	persist(gone, 4 * Page);
	flush(gone + 1, Page);

	/* a range holding the map and unmapped memory after it */
	char *addr = pmem2_map_get_address(map);
	char *after = mmap(addr + FILE_SIZE, Page, PROT_NONE,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (after == addr + FILE_SIZE) {
		munmap(after, Page);
		memcpy(addr + FILE_SIZE - 4, "tail", 4);
		persist(addr + FILE_SIZE - 4, 4 + Page);
		assert_file_has(path, FILE_SIZE - 4, "tail", 4);
	} else if (after != MAP_FAILED) {
		munmap(after, Page);	/* a kernel that took it as a hint */
	}
	test_map_delete(&map);
	close(fd);
}

static void
persist_of_zero_bytes_does_nothing(void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, FILE_SIZE, O_RDWR, NULL);
	for (int g = 0; g < 3; g++) {
		struct pmem2_map *map = map_forced(fd, g);
		char *addr = pmem2_map_get_address(map);
		pmem2_get_persist_fn(map)(addr, 0);
		pmem2_get_persist_fn(map)(addr + FILE_SIZE, 0);
		pmem2_get_flush_fn(map)(addr + 1, 0);
		test_map_delete(&map);
	}
	close(fd);
}

struct functions {
	void *persist, *flush, *drain, *memmove, *memcpy, *memset;
};

static struct functions
functions_of(int fd, int g)
{
	struct pmem2_map *map = map_forced(fd, g);
	struct functions f = {
		.persist = (void *)pmem2_get_persist_fn(map),
		.flush = (void *)pmem2_get_flush_fn(map),
		.drain = (void *)pmem2_get_drain_fn(map),
		.memmove = (void *)pmem2_get_memmove_fn(map),
		.memcpy = (void *)pmem2_get_memcpy_fn(map),
		.memset = (void *)pmem2_get_memset_fn(map),
	};
	test_map_delete(&map);
	assert_non_null(f.persist);
	assert_non_null(f.flush);
	assert_non_null(f.drain);
	assert_non_null(f.memmove);
	assert_non_null(f.memcpy);
	assert_non_null(f.memset);
	return f;
}

/*
 * reference 1.4: persist is msync / flush+fence / fence, flush is msync /
 * line flush / nothing, so every persist differs, PAGE flush is PAGE
 * persist, and the copy functions differ by granularity
 */
static void
each_granularity_gets_its_own_persist_flush_and_copy_functions(void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, FILE_SIZE, O_RDWR, NULL);
	struct functions byte = functions_of(fd, PMEM2_GRANULARITY_BYTE);
	struct functions cl = functions_of(fd, PMEM2_GRANULARITY_CACHE_LINE);
	struct functions page = functions_of(fd, PMEM2_GRANULARITY_PAGE);

	assert_ptr_not_equal(byte.persist, cl.persist);
	assert_ptr_not_equal(byte.persist, page.persist);
	assert_ptr_not_equal(cl.persist, page.persist);

	assert_ptr_equal(page.flush, page.persist);
	assert_ptr_not_equal(cl.flush, cl.persist);
	assert_ptr_not_equal(byte.flush, byte.persist);
	assert_ptr_not_equal(byte.flush, cl.flush);

	assert_ptr_not_equal(byte.memmove, cl.memmove);
	assert_ptr_not_equal(byte.memmove, page.memmove);
	assert_ptr_not_equal(cl.memmove, page.memmove);
	assert_ptr_not_equal(byte.memset, cl.memset);
	assert_ptr_not_equal(byte.memset, page.memset);
	assert_ptr_not_equal(cl.memset, page.memset);

	/* reference 1.4: memcpy and memmove share one implementation */
	assert_ptr_equal(byte.memcpy, byte.memmove);
	assert_ptr_equal(cl.memcpy, cl.memmove);
	assert_ptr_equal(page.memcpy, page.memmove);

	/* and a second map of the same granularity gets the same ones */
	struct functions again = functions_of(fd, PMEM2_GRANULARITY_CACHE_LINE);
	assert_memory_equal(&again, &cl, sizeof(cl));
	close(fd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(persisted_stores_through_a_page_map_are_in_the_file),
		cmocka_unit_test(persisted_stores_at_every_granularity_are_in_the_file),
		cmocka_unit_test(persist_of_a_range_spanning_two_adjacent_maps_reaches_both_files),
		cmocka_unit_test(persist_across_a_map_and_a_reservation_hole_is_harmless),
		cmocka_unit_test(persist_at_page_granularity_outside_any_map_is_harmless),
		cmocka_unit_test(persist_of_zero_bytes_does_nothing),
		cmocka_unit_test(each_granularity_gets_its_own_persist_flush_and_copy_functions),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
