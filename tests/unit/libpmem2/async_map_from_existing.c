/* async_map_from_existing.c -- a map made by pmem2_map_from_existing has a default mover too (durable at CACHE_LINE, copies land in the file), and making and deleting such maps with copies in between does not grow the heap (PMDK 1.12.1 leaked the mover) */
#include <malloc.h>
#include <sys/mman.h>

#include "async_common.h"

#define MAP_SIZE ((size_t)1 << 20)

/* the caller's own shared mapping of a fresh file, and a source for it */
struct existing {
	int fd;
	char *addr;
	struct pmem2_source *src;
};

static void
existing_open(struct existing *e)
{
	e->fd = test_tmpfile(NULL, MAP_SIZE, O_RDWR, NULL);
	e->addr = mmap(NULL, MAP_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, e->fd, 0);
	assert_true(e->addr != MAP_FAILED);
	e->src = test_source_fd(e->fd);
}

static void
existing_close(struct existing *e)
{
	pmem2_source_delete(&e->src);
	munmap(e->addr, MAP_SIZE);
	close(e->fd);
}

static void
a_map_from_an_existing_mapping_copies_through_its_default_mover(void **state)
{
	(void)state;
	static unsigned char data[65536];
	test_fill_pattern(data, sizeof(data), 5);
	for (int g = 0; g < ASYNC_NGRANS; g++) {
		struct existing e;
		existing_open(&e);
		struct pmem2_map *map;
		assert_int_equal(pmem2_map_from_existing(&map, e.src, e.addr, MAP_SIZE,
			Async_grans[g]), 0);

		struct pmem2_future f = pmem2_memcpy_async(map, e.addr + 4097, data,
			sizeof(data), 0);
		struct vdm *v = f.data.op.fut.data.vdm;
		assert_non_null(v);
		assert_int_equal(v->capabilities, VDM_F_MEM_DURABLE);
		assert_non_null(v->has_property);
		assert_int_equal(async_vdm_flags(&f),
			Async_grans[g] == PMEM2_GRANULARITY_CACHE_LINE ? VDM_F_MEM_DURABLE : 0);
		assert_int_equal(async_without_finaliser(&f),
			Async_grans[g] != PMEM2_GRANULARITY_PAGE);
		async_wait(NULL, &f);
		assert_ptr_equal(FUTURE_OUTPUT(&f)->dest, e.addr + 4097);

		struct pmem2_future s = pmem2_memmove_async(map, e.addr + 4096,
			e.addr + 4097, 1000, 0);
		async_wait(NULL, &s);
		test_map_delete(&map);

		unsigned char want[65536 + 1];
		memcpy(want + 1, data, sizeof(data));
		memmove(want, want + 1, 1000);
		unsigned char got[sizeof(want)];
		assert_int_equal(pread(e.fd, got, sizeof(got), 4096), (ssize_t)sizeof(got));
		assert_memory_equal(got, want, sizeof(want));
		existing_close(&e);
	}
}

#define CYCLES 1000

/* one map_from_existing, a copy through its mover, map_delete */
static void
cycle(struct existing *e, int i)
{
	struct pmem2_map *map;
	assert_int_equal(pmem2_map_from_existing(&map, e->src, e->addr, MAP_SIZE,
		Async_grans[i % ASYNC_NGRANS]), 0);
	struct pmem2_future f = pmem2_memset_async(map, e->addr + (size_t)i * 64,
		i & 0xff, 64, 0);
	async_wait(NULL, &f);
	test_map_delete(&map);
}

/* in-use heap bytes are the same after 1000 more cycles (ASan builds also check for leaks at exit) */
static void
maps_from_existing_mappings_leave_no_mover_behind(void **state)
{
	(void)state;
	struct existing e;
	existing_open(&e);
	for (int i = 0; i < 10; i++)	/* first uses may allocate once (errors, logs) */
		cycle(&e, i);
	size_t before = mallinfo2().uordblks;
	for (int i = 0; i < CYCLES; i++)
		cycle(&e, i);
	size_t after = mallinfo2().uordblks;
	assert_int_equal(after, before);
	for (int i = 0; i < CYCLES; i++)
		assert_int_equal((unsigned char)e.addr[(size_t)i * 64], i & 0xff);
	existing_close(&e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_map_from_an_existing_mapping_copies_through_its_default_mover),
		cmocka_unit_test(maps_from_existing_mappings_leave_no_mover_behind),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
