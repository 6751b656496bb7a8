/* map_from_existing.c -- pmem2_map_from_existing: overlap detection, function pointers, delete keeps the mapping */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "test_common.h"
#include "test_pmem2.h"
#include "test_sigsegv.h"

#define FILE_SIZE (4UL << 20)

static size_t Page;

struct world {
	int fd;
	struct pmem2_source *src;
	char *base;	/* a user mapping of the whole file */
};

static int
setup(void **state)
{
	Page = (size_t)sysconf(_SC_PAGESIZE);
	struct world *w = calloc(1, sizeof(*w));
	assert_non_null(w);
	w->fd = test_tmpfile(NULL, FILE_SIZE, O_RDWR, NULL);
	w->src = test_source_fd(w->fd);
	w->base = mmap(NULL, FILE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		w->fd, 0);
	assert_true(w->base != MAP_FAILED);
	*state = w;
	return 0;
}

static int
teardown(void **state)
{
	struct world *w = *state;
	munmap(w->base, FILE_SIZE);
	pmem2_source_delete(&w->src);
	close(w->fd);
	free(w);
	return 0;
}

static struct pmem2_map *
wrap(struct world *w, size_t off, size_t len, enum pmem2_granularity g)
{
	struct pmem2_map *map = NULL;
	int ret = pmem2_map_from_existing(&map, w->src, w->base + off, len, g);
	if (ret != 0)
		fail_msg("pmem2_map_from_existing: %d (%s)", ret,
			pmem2_errormsg());
	assert_non_null(map);
	return map;
}

static int
wrap_ret(struct world *w, size_t off, size_t len)
{
	/* PMDK leaves *map untouched on failure, so no check of it here */
	struct pmem2_map *map = NULL;
	int ret = pmem2_map_from_existing(&map, w->src, w->base + off, len,
		PMEM2_GRANULARITY_PAGE);
	if (ret == 0)
		test_map_delete(&map);
	return ret;
}

static void
map_from_existing_reports_the_given_address_size_and_granularity(void **state)
{
	struct world *w = *state;
	enum pmem2_granularity g[] = {PMEM2_GRANULARITY_BYTE,
		PMEM2_GRANULARITY_CACHE_LINE, PMEM2_GRANULARITY_PAGE};
	for (size_t i = 0; i < 3; i++) {
		struct pmem2_map *map = wrap(w, Page, 4 * Page, g[i]);
		assert_ptr_equal(pmem2_map_get_address(map), w->base + Page);
		assert_int_equal(pmem2_map_get_size(map), 4 * Page);
		assert_int_equal(pmem2_map_get_store_granularity(map), g[i]);
		test_map_delete(&map);
	}
}

static void
map_from_existing_of_the_same_range_twice_fails_with_map_exists(void **state)
{
	struct world *w = *state;
	struct pmem2_map *map = wrap(w, 4 * Page, 4 * Page,
		PMEM2_GRANULARITY_PAGE);
	assert_int_equal(wrap_ret(w, 4 * Page, 4 * Page), PMEM2_E_MAP_EXISTS);
	assert_string_not_equal(pmem2_errormsg(), "");
	test_map_delete(&map);
}

static void
map_from_existing_overlapping_below_fails_with_map_exists(void **state)
{
	struct world *w = *state;
	struct pmem2_map *map = wrap(w, 4 * Page, 4 * Page,
		PMEM2_GRANULARITY_PAGE);
	assert_int_equal(wrap_ret(w, 3 * Page, 2 * Page), PMEM2_E_MAP_EXISTS);
	assert_int_equal(wrap_ret(w, 0, 5 * Page), PMEM2_E_MAP_EXISTS);
	assert_int_equal(wrap_ret(w, 0, 16 * Page), PMEM2_E_MAP_EXISTS);
	test_map_delete(&map);
}

static void
map_from_existing_overlapping_above_fails_with_map_exists(void **state)
{
	struct world *w = *state;
	struct pmem2_map *map = wrap(w, 4 * Page, 4 * Page,
		PMEM2_GRANULARITY_PAGE);
	assert_int_equal(wrap_ret(w, 7 * Page, 2 * Page), PMEM2_E_MAP_EXISTS);
	assert_int_equal(wrap_ret(w, 5 * Page, 10 * Page), PMEM2_E_MAP_EXISTS);
	assert_int_equal(wrap_ret(w, 5 * Page, Page), PMEM2_E_MAP_EXISTS);
	test_map_delete(&map);
}

static void
map_from_existing_next_to_a_map_succeeds(void **state)
{
	struct world *w = *state;
	struct pmem2_map *map = wrap(w, 4 * Page, 4 * Page,
		PMEM2_GRANULARITY_PAGE);
	assert_int_equal(wrap_ret(w, 0, 4 * Page), 0);
	assert_int_equal(wrap_ret(w, 8 * Page, 4 * Page), 0);
	test_map_delete(&map);
	/* once deleted, the range is free again */
	assert_int_equal(wrap_ret(w, 4 * Page, 4 * Page), 0);
}

static void
map_from_existing_over_a_map_new_mapping_fails_with_map_exists(void **state)
{
	struct world *w = *state;
	struct pmem2_map *map = test_map_fd(w->fd,
		TEST_MAP_ARGS(PMEM2_GRANULARITY_PAGE));
	char *addr = pmem2_map_get_address(map);
	struct pmem2_map *m2 = NULL;
	assert_int_equal(pmem2_map_from_existing(&m2, w->src, addr + Page,
		Page, PMEM2_GRANULARITY_PAGE), PMEM2_E_MAP_EXISTS);
	assert_int_equal(pmem2_map_from_existing(&m2, w->src, addr,
		FILE_SIZE, PMEM2_GRANULARITY_PAGE), PMEM2_E_MAP_EXISTS);
	test_map_delete(&map);
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

/* a map_new mapping of fd whose effective granularity is g (forced) */
static struct pmem2_map *
map_new_forced(int fd, enum pmem2_granularity g)
{
	static const char *names[] = {"BYTE", "CACHE_LINE", "PAGE"};
	setenv("PMEM2_FORCE_GRANULARITY", names[g], 1);
	struct pmem2_map *map = test_map_fd(fd,
		TEST_MAP_ARGS(PMEM2_GRANULARITY_PAGE));
	unsetenv("PMEM2_FORCE_GRANULARITY");
	assert_int_equal(pmem2_map_get_store_granularity(map), g);
	return map;
}

static void
map_from_existing_functions_equal_those_of_map_new_at_the_same_granularity(
	void **state)
{
	struct world *w = *state;
	enum pmem2_granularity g[] = {PMEM2_GRANULARITY_BYTE,
		PMEM2_GRANULARITY_CACHE_LINE, PMEM2_GRANULARITY_PAGE};
	for (size_t i = 0; i < 3; i++) {
		struct pmem2_map *fresh = map_new_forced(w->fd, g[i]);
		struct pmem2_map *wrapped = wrap(w, 0, 8 * Page, g[i]);
		assert_same_functions(fresh, wrapped);
		test_map_delete(&wrapped);
		test_map_delete(&fresh);
	}
}

static void
map_from_existing_functions_copy_and_persist_into_the_file(void **state)
{
	struct world *w = *state;
	enum pmem2_granularity g[] = {PMEM2_GRANULARITY_BYTE,
		PMEM2_GRANULARITY_CACHE_LINE, PMEM2_GRANULARITY_PAGE};
	char data[300];
	for (size_t i = 0; i < 3; i++) {
		struct pmem2_map *map = wrap(w, 0, 8 * Page, g[i]);
		test_fill_pattern(data, sizeof(data), (unsigned)i + 10);
		char *dst = w->base + Page + 17;
		pmem2_get_memcpy_fn(map)(dst, data, sizeof(data), 0);
		pmem2_get_memset_fn(map)(dst + 400, 0x3c, 100, 0);
		pmem2_get_persist_fn(map)(dst, 500);
		char back[500];
		assert_int_equal(pread(w->fd, back, 500, (off_t)Page + 17), 500);
		assert_memory_equal(back, data, sizeof(data));
		for (size_t j = 400; j < 500; j++)
			assert_int_equal(back[j], 0x3c);
		test_map_delete(&map);
	}
}

static void
touch(void *addr)
{
	*(volatile char *)addr = 9;
}

static void
map_delete_of_map_from_existing_does_not_unmap(void **state)
{
	struct world *w = *state;
	struct pmem2_map *map = wrap(w, 2 * Page, 2 * Page,
		PMEM2_GRANULARITY_PAGE);
	test_map_delete(&map);
	assert_false(test_faults(touch, w->base + 2 * Page));
	assert_false(test_faults(touch, w->base + 4 * Page - 1));
	w->base[2 * Page] = 'k';
	char c;
	assert_int_equal(pread(w->fd, &c, 1, (off_t)(2 * Page)), 1);
	assert_int_equal(c, 'k');
}

static void
map_from_existing_sees_exactly_the_maps_left_after_many_deletes(void **state)
{
	struct world *w = *state;
	enum { N = 200 };
	struct pmem2_map *maps[N];
	char *addrs[N];
	struct test_map_args a = TEST_MAP_ARGS(PMEM2_GRANULARITY_PAGE);
	a.length = 4 * Page;
	for (int i = 0; i < N; i++) {
		maps[i] = test_map_fd(w->fd, a);
		addrs[i] = pmem2_map_get_address(maps[i]);
	}
	/* delete a pseudo-random half */
	unsigned x = 777;
	int deleted = 0;
	for (int i = 0; i < N; i++) {
		x = x * 1103515245u + 12345u;
		if ((x >> 16) & 1) {
			test_map_delete(&maps[i]);
			deleted++;
		}
	}
	assert_true(deleted > N / 4 && deleted < 3 * N / 4);
	for (int i = 0; i < N; i++) {
		struct pmem2_map *m = NULL;
		int ret = pmem2_map_from_existing(&m, w->src, addrs[i] + Page,
			Page, PMEM2_GRANULARITY_PAGE);
		if (maps[i] != NULL) {
			if (ret != PMEM2_E_MAP_EXISTS)
				fail_msg("map %d is alive but: %d", i, ret);
			continue;
		}
		/* the address range is free for libpmem2 (nothing touches it) */
		if (ret != 0)
			fail_msg("map %d was deleted but: %d (%s)", i, ret,
				pmem2_errormsg());
		test_map_delete(&m);
	}
	for (int i = 0; i < N; i++)
		if (maps[i] != NULL)
			test_map_delete(&maps[i]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(map_from_existing_reports_the_given_address_size_and_granularity, setup, teardown),
		cmocka_unit_test_setup_teardown(map_from_existing_of_the_same_range_twice_fails_with_map_exists, setup, teardown),
		cmocka_unit_test_setup_teardown(map_from_existing_overlapping_below_fails_with_map_exists, setup, teardown),
		cmocka_unit_test_setup_teardown(map_from_existing_overlapping_above_fails_with_map_exists, setup, teardown),
		cmocka_unit_test_setup_teardown(map_from_existing_next_to_a_map_succeeds, setup, teardown),
		cmocka_unit_test_setup_teardown(map_from_existing_over_a_map_new_mapping_fails_with_map_exists, setup, teardown),
		cmocka_unit_test_setup_teardown(map_from_existing_functions_equal_those_of_map_new_at_the_same_granularity, setup, teardown),
		cmocka_unit_test_setup_teardown(map_from_existing_functions_copy_and_persist_into_the_file, setup, teardown),
		cmocka_unit_test_setup_teardown(map_delete_of_map_from_existing_does_not_unmap, setup, teardown),
		cmocka_unit_test_setup_teardown(map_from_existing_sees_exactly_the_maps_left_after_many_deletes, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
