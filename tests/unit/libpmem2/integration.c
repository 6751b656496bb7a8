/* integration.c -- libpmem2 end to end: configs reused, granularity matrix, deep flush ranges, anonymous sources */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_common.h"
#include "test_pmem2.h"

#define MIB (1UL << 20)
#define FILE_SIZE (4 * MIB)

static size_t Page;

static const char *Gran_names[] = {"BYTE", "CACHE_LINE", "PAGE"};

static int
setup(void **state)
{
	(void)state;
	Page = (size_t)sysconf(_SC_PAGESIZE);
	unsetenv("PMEM2_FORCE_GRANULARITY");
	return 0;
}

static void
one_config_reused_for_two_maps_gives_two_independent_maps(void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, FILE_SIZE, O_RDWR, NULL);
	struct pmem2_source *src = test_source_fd(fd);
	struct pmem2_config *cfg;
	assert_int_equal(pmem2_config_new(&cfg), 0);
	assert_int_equal(pmem2_config_set_required_store_granularity(cfg,
		PMEM2_GRANULARITY_PAGE), 0);
	struct pmem2_map *m1, *m2;
	assert_int_equal(pmem2_map_new(&m1, cfg, src), 0);
	assert_int_equal(pmem2_map_new(&m2, cfg, src), 0);
	char *a1 = pmem2_map_get_address(m1);
	char *a2 = pmem2_map_get_address(m2);
	assert_ptr_not_equal(a1, a2);
	assert_int_equal(pmem2_map_get_size(m1), FILE_SIZE);
	assert_int_equal(pmem2_map_get_size(m2), FILE_SIZE);
	/* both are views of the same shared file */
	strcpy(a1 + 10, "one");
	assert_string_equal(a2 + 10, "one");
	test_map_delete(&m1);
	/* deleting one leaves the other intact */
	strcpy(a2 + 20, "two");
	assert_string_equal(a2 + 20, "two");
	test_map_delete(&m2);
	pmem2_config_delete(&cfg);
	pmem2_source_delete(&src);
	close(fd);
}

static void
one_config_reused_with_two_different_files_maps_each_file(void **state)
{
	(void)state;
	int fd1 = test_tmpfile(NULL, FILE_SIZE, O_RDWR, NULL);
	int fd2 = test_tmpfile(NULL, 2 * FILE_SIZE, O_RDWR, NULL);
	assert_int_equal(pwrite(fd1, "file1", 6, 0), 6);
	assert_int_equal(pwrite(fd2, "file2", 6, 0), 6);
	struct pmem2_source *s1 = test_source_fd(fd1);
	struct pmem2_source *s2 = test_source_fd(fd2);
	struct pmem2_config *cfg;
	assert_int_equal(pmem2_config_new(&cfg), 0);
	assert_int_equal(pmem2_config_set_required_store_granularity(cfg,
		PMEM2_GRANULARITY_PAGE), 0);
	struct pmem2_map *m1, *m2;
	assert_int_equal(pmem2_map_new(&m1, cfg, s1), 0);
	assert_int_equal(pmem2_map_new(&m2, cfg, s2), 0);
	assert_int_equal(pmem2_map_get_size(m1), FILE_SIZE);
	assert_int_equal(pmem2_map_get_size(m2), 2 * FILE_SIZE);
	assert_string_equal(pmem2_map_get_address(m1), "file1");
	assert_string_equal(pmem2_map_get_address(m2), "file2");
	test_map_delete(&m2);
	test_map_delete(&m1);
	pmem2_config_delete(&cfg);
	pmem2_source_delete(&s2);
	pmem2_source_delete(&s1);
	close(fd2);
	close(fd1);
}

static void
many_offset_and_length_combinations_map_the_right_bytes(void **state)
{
	(void)state;
	char path[4096];
	int fd = test_tmpfile(NULL, FILE_SIZE, O_RDWR, path);
	char *want = malloc(FILE_SIZE);
	assert_non_null(want);
	test_fill_pattern(want, FILE_SIZE, 77);
	assert_int_equal(pwrite(fd, want, FILE_SIZE, 0), (ssize_t)FILE_SIZE);
	size_t offsets[] = {0, Page, 3 * Page, MIB, 2 * MIB, FILE_SIZE - Page};
	size_t lengths[] = {0, Page, 2 * Page, 5 * Page, MIB, 2 * MIB,
		FILE_SIZE};
	size_t mapped = 0;
	for (size_t i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
		for (size_t j = 0; j < sizeof(lengths) / sizeof(lengths[0]);
				j++) {
			struct test_map_args a =
				TEST_MAP_ARGS(PMEM2_GRANULARITY_PAGE);
			a.offset = offsets[i];
			a.length = lengths[j];
			struct pmem2_map *map = NULL;
			int ret = test_map_fd_ret(&map, fd, a);
			if (a.offset + a.length > FILE_SIZE) {
				assert_int_equal(ret, PMEM2_E_MAP_RANGE);
				assert_null(map);
				continue;
			}
			assert_int_equal(ret, 0);
			size_t size = a.length ? a.length : FILE_SIZE - a.offset;
			assert_int_equal(pmem2_map_get_size(map), size);
			char *addr = pmem2_map_get_address(map);
			assert_memory_equal(addr, want + a.offset, size);
			/* write the last byte through the map, read it back */
			pmem2_get_memset_fn(map)(addr + size - 1, 0xee, 1, 0);
			unsigned char c;
			assert_int_equal(pread(fd, &c, 1,
				(off_t)(a.offset + size - 1)), 1);
			assert_int_equal(c, 0xee);
			want[a.offset + size - 1] = (char)0xee;
			test_map_delete(&map);
			mapped++;
		}
	}
	assert_int_equal(mapped, 33);
	free(want);
	close(fd);
}

/* maps fd requesting req with PMEM2_FORCE_GRANULARITY=force (NULL: unset) */
static int
map_forced(struct pmem2_map **map, int fd, const char *force,
	enum pmem2_granularity req)
{
	if (force)
		setenv("PMEM2_FORCE_GRANULARITY", force, 1);
	else
		unsetenv("PMEM2_FORCE_GRANULARITY");
	*map = (struct pmem2_map *)(uintptr_t)0x1;
	int ret = test_map_fd_ret(map, fd, TEST_MAP_ARGS(req));
	unsetenv("PMEM2_FORCE_GRANULARITY");
	return ret;
}

static void
expect_not_supported(int ret, struct pmem2_map *map, const char *why)
{
	assert_int_equal(ret, PMEM2_E_GRANULARITY_NOT_SUPPORTED);
	assert_null(map);
	if (strstr(pmem2_errormsg(), why) == NULL)
		fail_msg("message \"%s\" does not mention %s",
			pmem2_errormsg(), why);
}

static void
granularity_on_a_regular_file_is_page_and_finer_requests_fail(void **state)
{
	(void)state;
	/* tmpfs never supports MAP_SYNC, whatever the machine has */
	if (access("/dev/shm", W_OK) != 0)
		SKIP_BECAUSE("/dev/shm is not writable");
	int fd = test_tmpfile("/dev/shm", FILE_SIZE, O_RDWR, NULL);
	struct pmem2_map *map;
	int ret = map_forced(&map, fd, NULL, PMEM2_GRANULARITY_BYTE);
	expect_not_supported(ret, map, "MAP_SYNC");
	ret = map_forced(&map, fd, NULL, PMEM2_GRANULARITY_CACHE_LINE);
	expect_not_supported(ret, map, "MAP_SYNC");
	assert_int_equal(map_forced(&map, fd, NULL, PMEM2_GRANULARITY_PAGE), 0);
	assert_int_equal(pmem2_map_get_store_granularity(map),
		PMEM2_GRANULARITY_PAGE);
	test_map_delete(&map);
	close(fd);
}

/*
 * available (forced) x requested: a map succeeds with the available
 * granularity when it is at most as coarse as the requested one
 */
static void
granularity_matrix_with_forced_granularity(void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, FILE_SIZE, O_RDWR, NULL);
	for (int avail = 0; avail < 3; avail++) {
		for (int req = 0; req < 3; req++) {
			struct pmem2_map *map;
			int ret = map_forced(&map, fd, Gran_names[avail],
				(enum pmem2_granularity)req);
			if (avail > req) {
				expect_not_supported(ret, map,
					avail == PMEM2_GRANULARITY_PAGE ?
					"MAP_SYNC" : "eADR");
				continue;
			}
			if (ret != 0)
				fail_msg("available %s requested %s: %d (%s)",
					Gran_names[avail], Gran_names[req],
					ret, pmem2_errormsg());
			assert_int_equal(pmem2_map_get_store_granularity(map),
				avail);
			test_map_delete(&map);
		}
	}
	close(fd);
}

static void
mem_functions_on_private_map_of_rdonly_fd_work_and_vanish_after_remap(
	void **state)
{
	(void)state;
	char path[4096];
	int fd = test_tmpfile(NULL, FILE_SIZE, O_RDWR, path);
	assert_int_equal(pwrite(fd, "original", 9, 0), 9);
	close(fd);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	struct test_map_args a = TEST_MAP_ARGS(PMEM2_GRANULARITY_PAGE);
	a.sharing = PMEM2_PRIVATE;
	struct pmem2_map *map = test_map_fd(fd, a);
	char *addr = pmem2_map_get_address(map);
	assert_string_equal(addr, "original");

	char src[1000];
	test_fill_pattern(src, sizeof(src), 5);
	pmem2_get_memcpy_fn(map)(addr + 4096, src, sizeof(src), 0);
	pmem2_get_memmove_fn(map)(addr + 4100, addr + 4096, sizeof(src),
		PMEM2_F_MEM_NONTEMPORAL);
	pmem2_get_memset_fn(map)(addr, 'x', 8, PMEM2_F_MEM_NODRAIN);
	pmem2_get_persist_fn(map)(addr, 8192);
	pmem2_get_flush_fn(map)(addr, 8192);
	pmem2_get_drain_fn(map)();
	assert_memory_equal(addr + 4100, src, sizeof(src));
	assert_memory_equal(addr, "xxxxxxxx", 8);
	test_map_delete(&map);

	map = test_map_fd(fd, a);
	addr = pmem2_map_get_address(map);
	assert_string_equal(addr, "original");
	for (size_t i = 0; i < sizeof(src); i++)
		assert_int_equal(addr[4096 + i], 0);
	test_map_delete(&map);
	close(fd);
}

static void
deep_flush_of_the_whole_map_or_a_slice_succeeds(void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, FILE_SIZE, O_RDWR, NULL);
	struct pmem2_map *map = test_map_fd(fd,
		TEST_MAP_ARGS(PMEM2_GRANULARITY_PAGE));
	char *addr = pmem2_map_get_address(map);
	memset(addr, 1, FILE_SIZE);
	assert_int_equal(pmem2_deep_flush(map, addr, FILE_SIZE), 0);
	assert_int_equal(pmem2_deep_flush(map, addr + MIB, MIB), 0);
	assert_int_equal(pmem2_deep_flush(map, addr + FILE_SIZE - 1, 1), 0);
	assert_int_equal(pmem2_deep_flush(map, addr, 0), 0);
	test_map_delete(&map);
	close(fd);
}

static void
deep_flush_outside_the_map_fails_with_deep_flush_range(void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, FILE_SIZE, O_RDWR, NULL);
	struct test_map_args a = TEST_MAP_ARGS(PMEM2_GRANULARITY_PAGE);
	a.offset = MIB;
	a.length = MIB;
	struct pmem2_map *map = test_map_fd(fd, a);
	char *addr = pmem2_map_get_address(map);
	/* before */
	assert_int_equal(pmem2_deep_flush(map, addr - Page, Page),
		PMEM2_E_DEEP_FLUSH_RANGE);
	assert_string_not_equal(pmem2_errormsg(), "");
	/* overlapping the start */
	assert_int_equal(pmem2_deep_flush(map, addr - Page, 2 * Page),
		PMEM2_E_DEEP_FLUSH_RANGE);
	/* behind */
	assert_int_equal(pmem2_deep_flush(map, addr + MIB, Page),
		PMEM2_E_DEEP_FLUSH_RANGE);
	assert_int_equal(pmem2_deep_flush(map, addr + 2 * MIB, Page),
		PMEM2_E_DEEP_FLUSH_RANGE);
	/* overlapping the end */
	assert_int_equal(pmem2_deep_flush(map, addr + MIB - Page, 2 * Page),
		PMEM2_E_DEEP_FLUSH_RANGE);
	assert_int_equal(pmem2_deep_flush(map, addr + MIB - 1, 2),
		PMEM2_E_DEEP_FLUSH_RANGE);
	/* larger than the map */
	assert_int_equal(pmem2_deep_flush(map, addr, MIB + 1),
		PMEM2_E_DEEP_FLUSH_RANGE);
	test_map_delete(&map);
	close(fd);
}

static void
persist_and_deep_flush_at_an_unaligned_address_succeed(void **state)
{
	(void)state;
	char path[4096];
	int fd = test_tmpfile(NULL, FILE_SIZE, O_RDWR, path);
	struct pmem2_map *map = test_map_fd(fd,
		TEST_MAP_ARGS(PMEM2_GRANULARITY_PAGE));
	char *addr = pmem2_map_get_address(map);
	memcpy(addr + Page + 123, "unaligned", 10);
	pmem2_get_persist_fn(map)(addr + Page + 123, 10);
	assert_int_equal(pmem2_deep_flush(map, addr + Page + 123, 10), 0);
	assert_int_equal(pmem2_deep_flush(map, addr + 1, FILE_SIZE - 1), 0);
	char buf[10];
	assert_int_equal(pread(fd, buf, 10, (off_t)Page + 123), 10);
	assert_string_equal(buf, "unaligned");
	test_map_delete(&map);
	close(fd);
}

static struct pmem2_source *
anon_source(size_t size)
{
	struct pmem2_source *src;
	assert_int_equal(pmem2_source_from_anon(&src, size), 0);
	assert_non_null(src);
	return src;
}

static void
anon_source_has_no_device_information(void **state)
{
	(void)state;
	struct pmem2_source *src = anon_source(MIB);
	char id[256];
	size_t len = sizeof(id);
	assert_int_equal(pmem2_source_device_id(src, id, &len),
		PMEM2_E_NOSUPP);
	assert_int_equal(pmem2_source_device_id(src, NULL, &len),
		PMEM2_E_NOSUPP);
	uint64_t usc;
	assert_int_equal(pmem2_source_device_usc(src, &usc), PMEM2_E_NOSUPP);
	int node;
	assert_int_equal(pmem2_source_numa_node(src, &node), PMEM2_E_NOSUPP);
	struct pmem2_badblock_context *bb = NULL;
	assert_int_equal(pmem2_badblock_context_new(&bb, src), PMEM2_E_NOSUPP);
	int fd;
	assert_int_equal(pmem2_source_get_fd(src, &fd),
		PMEM2_E_FILE_DESCRIPTOR_NOT_SET);
	pmem2_source_delete(&src);
}

static void
anon_source_reports_its_size_and_page_alignment(void **state)
{
	(void)state;
	struct pmem2_source *src = anon_source(3 * MIB);
	size_t size = 0, align = 0;
	assert_int_equal(pmem2_source_size(src, &size), 0);
	assert_int_equal(size, 3 * MIB);
	assert_int_equal(pmem2_source_alignment(src, &align), 0);
	assert_true(align >= Page);
	assert_int_equal(align & (align - 1), 0);
	pmem2_source_delete(&src);
}

static void
anon_map_always_has_byte_granularity(void **state)
{
	(void)state;
	struct pmem2_source *src = anon_source(MIB);
	const char *force[] = {NULL, "PAGE", "CACHE_LINE"};
	for (int f = 0; f < 3; f++) {
		for (int req = 0; req < 3; req++) {
			if (force[f])
				setenv("PMEM2_FORCE_GRANULARITY", force[f], 1);
			struct pmem2_map *map = NULL;
			int ret = test_map_new(&map, src,
				TEST_MAP_ARGS((enum pmem2_granularity)req));
			unsetenv("PMEM2_FORCE_GRANULARITY");
			assert_int_equal(ret, 0);
			assert_int_equal(pmem2_map_get_store_granularity(map),
				PMEM2_GRANULARITY_BYTE);
			test_map_delete(&map);
		}
	}
	pmem2_source_delete(&src);
}

static void
anon_map_is_zeroed_writable_and_of_the_source_size(void **state)
{
	(void)state;
	struct pmem2_source *src = anon_source(2 * MIB);
	struct pmem2_map *map = NULL;
	assert_int_equal(test_map_new(&map, src,
		TEST_MAP_ARGS(PMEM2_GRANULARITY_BYTE)), 0);
	assert_int_equal(pmem2_map_get_size(map), 2 * MIB);
	char *addr = pmem2_map_get_address(map);
	for (size_t i = 0; i < 2 * MIB; i += 511)
		assert_int_equal(addr[i], 0);
	pmem2_get_memset_fn(map)(addr, 0x11, 2 * MIB, 0);
	pmem2_get_persist_fn(map)(addr, 2 * MIB);
	assert_int_equal(addr[2 * MIB - 1], 0x11);
	test_map_delete(&map);
	pmem2_source_delete(&src);
}

static void
anon_map_ignores_the_offset(void **state)
{
	(void)state;
	struct pmem2_source *src = anon_source(MIB);
	struct test_map_args a = TEST_MAP_ARGS(PMEM2_GRANULARITY_BYTE);
	a.offset = 4 * Page;
	struct pmem2_map *map = NULL;
	assert_int_equal(test_map_new(&map, src, a), 0);
	assert_int_equal(pmem2_map_get_size(map), MIB);
	test_map_delete(&map);
	pmem2_source_delete(&src);
}

static void
anon_map_with_zero_length_maps_the_whole_source(void **state)
{
	(void)state;
	struct pmem2_source *src = anon_source(MIB);
	struct pmem2_map *map = NULL;
	assert_int_equal(test_map_new(&map, src,
		TEST_MAP_ARGS(PMEM2_GRANULARITY_PAGE)), 0);
	assert_int_equal(pmem2_map_get_size(map), MIB);
	test_map_delete(&map);

	struct test_map_args a = TEST_MAP_ARGS(PMEM2_GRANULARITY_PAGE);
	a.length = 4 * Page;
	assert_int_equal(test_map_new(&map, src, a), 0);
	assert_int_equal(pmem2_map_get_size(map), 4 * Page);
	test_map_delete(&map);
	pmem2_source_delete(&src);
}

static void
anon_map_longer_than_the_source_fails_with_map_range(void **state)
{
	(void)state;
	struct pmem2_source *src = anon_source(MIB);
	struct test_map_args a = TEST_MAP_ARGS(PMEM2_GRANULARITY_BYTE);
	a.length = 2 * MIB;
	struct pmem2_map *map = (struct pmem2_map *)(uintptr_t)0x1;
	assert_int_equal(test_map_new(&map, src, a), PMEM2_E_MAP_RANGE);
	assert_null(map);
	a.length = 1;
	assert_int_equal(test_map_new(&map, src, a), PMEM2_E_LENGTH_UNALIGNED);
	assert_null(map);
	pmem2_source_delete(&src);
}

static void
anon_source_of_zero_bytes_cannot_be_mapped(void **state)
{
	(void)state;
	struct pmem2_source *src = anon_source(0);
	struct pmem2_map *map = (struct pmem2_map *)(uintptr_t)0x1;
	assert_int_equal(test_map_new(&map, src,
		TEST_MAP_ARGS(PMEM2_GRANULARITY_BYTE)), PMEM2_E_SOURCE_EMPTY);
	assert_null(map);
	pmem2_source_delete(&src);
}

static void
anon_map_deep_flush_fails_with_nosupp(void **state)
{
	(void)state;
	struct pmem2_source *src = anon_source(MIB);
	struct pmem2_map *map = NULL;
	assert_int_equal(test_map_new(&map, src,
		TEST_MAP_ARGS(PMEM2_GRANULARITY_BYTE)), 0);
	char *addr = pmem2_map_get_address(map);
	assert_int_equal(pmem2_deep_flush(map, addr, MIB), PMEM2_E_NOSUPP);
	assert_int_equal(pmem2_deep_flush(map, addr + 1, 10), PMEM2_E_NOSUPP);
	/* the range is checked first */
	assert_int_equal(pmem2_deep_flush(map, addr, MIB + 1),
		PMEM2_E_DEEP_FLUSH_RANGE);
	test_map_delete(&map);
	pmem2_source_delete(&src);
}

static void
assert_same_functions(struct pmem2_map *a, struct pmem2_map *b)
{
	assert_ptr_equal(pmem2_get_persist_fn(a), pmem2_get_persist_fn(b));
	assert_ptr_equal(pmem2_get_flush_fn(a), pmem2_get_flush_fn(b));
	assert_ptr_equal(pmem2_get_drain_fn(a), pmem2_get_drain_fn(b));
	assert_ptr_equal(pmem2_get_memmove_fn(a), pmem2_get_memmove_fn(b));
	assert_ptr_equal(pmem2_get_memcpy_fn(a), pmem2_get_memcpy_fn(b));
	assert_ptr_equal(pmem2_get_memset_fn(a), pmem2_get_memset_fn(b));
}

static void
maps_of_the_same_granularity_share_their_functions(void **state)
{
	(void)state;
	int fd1 = test_tmpfile(NULL, FILE_SIZE, O_RDWR, NULL);
	int fd2 = test_tmpfile(NULL, MIB, O_RDWR, NULL);
	for (int g = 0; g < 3; g++) {
		struct pmem2_map *m1, *m2;
		assert_int_equal(map_forced(&m1, fd1, Gran_names[g],
			PMEM2_GRANULARITY_PAGE), 0);
		assert_int_equal(map_forced(&m2, fd2, Gran_names[g],
			(enum pmem2_granularity)g), 0);
		assert_int_equal(pmem2_map_get_store_granularity(m1), g);
		assert_int_equal(pmem2_map_get_store_granularity(m2), g);
		assert_same_functions(m1, m2);
		test_map_delete(&m2);
		test_map_delete(&m1);
	}
	/* anonymous maps are BYTE: the same functions as forced BYTE */
	struct pmem2_source *src = anon_source(MIB);
	struct pmem2_map *anon = NULL, *byte;
	assert_int_equal(test_map_new(&anon, src,
		TEST_MAP_ARGS(PMEM2_GRANULARITY_PAGE)), 0);
	assert_int_equal(map_forced(&byte, fd1, "BYTE",
		PMEM2_GRANULARITY_BYTE), 0);
	assert_same_functions(anon, byte);
	test_map_delete(&byte);
	test_map_delete(&anon);
	pmem2_source_delete(&src);
	close(fd2);
	close(fd1);
}

static void
functions_still_work_after_map_delete(void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, MIB, O_RDWR, NULL);
	char *buf = malloc(MIB);
	char *src = malloc(MIB);
	assert_non_null(buf);
	assert_non_null(src);
	for (int g = 0; g < 3; g++) {
		struct pmem2_map *map;
		assert_int_equal(map_forced(&map, fd, Gran_names[g],
			PMEM2_GRANULARITY_PAGE), 0);
		pmem2_persist_fn persist = pmem2_get_persist_fn(map);
		pmem2_flush_fn flush = pmem2_get_flush_fn(map);
		pmem2_drain_fn drain = pmem2_get_drain_fn(map);
		pmem2_memcpy_fn mcpy = pmem2_get_memcpy_fn(map);
		pmem2_memmove_fn mmove = pmem2_get_memmove_fn(map);
		pmem2_memset_fn mset = pmem2_get_memset_fn(map);
		test_map_delete(&map);

		test_fill_pattern(src, MIB, (unsigned)g);
		assert_ptr_equal(mcpy(buf, src, MIB, 0), buf);
		assert_memory_equal(buf, src, MIB);
		assert_ptr_equal(mmove(buf + 1, buf, 1000, 0), buf + 1);
		assert_memory_equal(buf + 1, src, 1000);
		assert_ptr_equal(mset(buf + 3, 0x42, 5000,
			PMEM2_F_MEM_NONTEMPORAL), buf + 3);
		for (size_t i = 3; i < 5003; i++)
			assert_int_equal(buf[i], 0x42);
		persist(buf, MIB);
		flush(buf + 7, 100);
		drain();
	}
	free(src);
	free(buf);
	close(fd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(one_config_reused_for_two_maps_gives_two_independent_maps),
		cmocka_unit_test(one_config_reused_with_two_different_files_maps_each_file),
		cmocka_unit_test(many_offset_and_length_combinations_map_the_right_bytes),
		cmocka_unit_test(granularity_on_a_regular_file_is_page_and_finer_requests_fail),
		cmocka_unit_test(granularity_matrix_with_forced_granularity),
		cmocka_unit_test(mem_functions_on_private_map_of_rdonly_fd_work_and_vanish_after_remap),
		cmocka_unit_test(deep_flush_of_the_whole_map_or_a_slice_succeeds),
		cmocka_unit_test(deep_flush_outside_the_map_fails_with_deep_flush_range),
		cmocka_unit_test(persist_and_deep_flush_at_an_unaligned_address_succeed),
		cmocka_unit_test(anon_source_has_no_device_information),
		cmocka_unit_test(anon_source_reports_its_size_and_page_alignment),
		cmocka_unit_test(anon_map_always_has_byte_granularity),
		cmocka_unit_test(anon_map_is_zeroed_writable_and_of_the_source_size),
		cmocka_unit_test(anon_map_ignores_the_offset),
		cmocka_unit_test(anon_map_with_zero_length_maps_the_whole_source),
		cmocka_unit_test(anon_map_longer_than_the_source_fails_with_map_range),
		cmocka_unit_test(anon_source_of_zero_bytes_cannot_be_mapped),
		cmocka_unit_test(anon_map_deep_flush_fails_with_nosupp),
		cmocka_unit_test(maps_of_the_same_granularity_share_their_functions),
		cmocka_unit_test(functions_still_work_after_map_delete),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
