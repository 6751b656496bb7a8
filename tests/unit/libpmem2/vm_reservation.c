/* vm_reservation.c -- pmem2_vm_reservation_*: placement, maps inside, extend, shrink, lookups */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "test_common.h"
#include "test_maps.h"
#include "test_pmem2.h"
#include "test_sigsegv.h"

#define MIB (1UL << 20)

static size_t Page;

static int
setup(void **state)
{
	(void)state;
	Page = (size_t)sysconf(_SC_PAGESIZE);
	unsetenv("PMEM2_FORCE_GRANULARITY");
	return 0;
}

/* an address with len free bytes (nothing is mapped there right now) */
static char *
free_area(size_t len)
{
	char *p = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		-1, 0);
	assert_true(p != MAP_FAILED);
	assert_int_equal(munmap(p, len), 0);
	return p;
}

/* whether [addr, addr+len) is free: a MAP_FIXED_NOREPLACE mapping fits there */
static int
is_free(void *addr, size_t len)
{
	void *p = mmap(addr, len, PROT_NONE,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (p == MAP_FAILED)
		return 0;
	munmap(p, len);
	return p == addr;
}

/* whether every page of [addr, addr+len) is mapped (reserved or not) */
static int
is_taken(void *addr, size_t len)
{
	for (size_t off = 0; off < len; off += Page) {
		unsigned char vec;
		if (mincore((char *)addr + off, Page, &vec) != 0)
			return 0;
	}
	return 1;
}

static struct pmem2_vm_reservation *
rsv_new(void *addr, size_t size)
{
	struct pmem2_vm_reservation *rsv = NULL;
	int ret = pmem2_vm_reservation_new(&rsv, addr, size);
	if (ret != 0)
		fail_msg("pmem2_vm_reservation_new(%p, %zu): %d (%s)", addr,
			size, ret, pmem2_errormsg());
	assert_non_null(rsv);
	return rsv;
}

static void
rsv_delete(struct pmem2_vm_reservation **rsv)
{
	assert_int_equal(pmem2_vm_reservation_delete(rsv), 0);
	assert_null(*rsv);
}

/* maps the file behind fd ([offset, offset+length)) at rsv_offset of rsv */
static int
map_into(struct pmem2_map **map, struct pmem2_vm_reservation *rsv,
	size_t rsv_offset, int fd, size_t offset, size_t length)
{
	struct test_map_args a = TEST_MAP_ARGS(PMEM2_GRANULARITY_PAGE);
	a.rsv = rsv;
	a.rsv_offset = rsv_offset;
	a.offset = offset;
	a.length = length;
	*map = (struct pmem2_map *)(uintptr_t)0x1;
	return test_map_fd_ret(map, fd, a);
}

static struct pmem2_map *
map_ok(struct pmem2_vm_reservation *rsv, size_t rsv_offset, int fd)
{
	struct pmem2_map *map;
	int ret = map_into(&map, rsv, rsv_offset, fd, 0, 0);
	if (ret != 0)
		fail_msg("map at reservation offset %zu: %d (%s)", rsv_offset,
			ret, pmem2_errormsg());
	return map;
}

static void
touch(void *addr)
{
	*(volatile char *)addr = 1;
}

static void
vm_reservation_new_at_a_given_address_reserves_exactly_that_range(
	void **state)
{
	(void)state;
	char *addr = free_area(8 * MIB) + 2 * MIB;
	struct pmem2_vm_reservation *rsv = rsv_new(addr, 4 * MIB);
	assert_ptr_equal(pmem2_vm_reservation_get_address(rsv), addr);
	assert_int_equal(pmem2_vm_reservation_get_size(rsv), 4 * MIB);
	assert_true(is_taken(addr, 4 * MIB));
	/* reserved means inaccessible */
	assert_true(test_faults(touch, addr));
	assert_true(test_faults(touch, addr + 4 * MIB - 1));
	rsv_delete(&rsv);
	assert_true(is_free(addr, 4 * MIB));
}

/*
 * Deliberately differs from PMDK 1.12.1, which keeps 2 MiB of extra address
 * space after the reservation (so a neighbour fails with MAPPING_EXISTS).
 */
static void
vm_reservation_new_reserves_nothing_outside_its_range(void **state)
{
	(void)state;
	char *addr = free_area(12 * MIB) + 4 * MIB;
	struct pmem2_vm_reservation *rsv = rsv_new(addr, 4 * MIB);
	assert_true(is_free(addr - 4 * MIB, 4 * MIB));
	assert_true(is_free(addr + 4 * MIB, 4 * MIB));
	/* so reservations can sit side by side */
	struct pmem2_vm_reservation *before = rsv_new(addr - MIB, MIB);
	struct pmem2_vm_reservation *after = rsv_new(addr + 4 * MIB, MIB);
	rsv_delete(&after);
	rsv_delete(&before);
	rsv_delete(&rsv);
	assert_true(is_free(addr - 4 * MIB, 12 * MIB));
}

static void
vm_reservation_new_without_address_is_two_mib_or_one_gib_aligned(void **state)
{
	(void)state;
	struct pmem2_vm_reservation *rsv[4];
	size_t sizes[] = {Page, 2 * MIB, 3 * MIB, 8 * MIB + Page};
	for (int i = 0; i < 4; i++) {
		rsv[i] = rsv_new(NULL, sizes[i]);
		uintptr_t a = (uintptr_t)pmem2_vm_reservation_get_address(
			rsv[i]);
		assert_int_equal(a % (2 * MIB), 0);
		assert_int_equal(pmem2_vm_reservation_get_size(rsv[i]),
			sizes[i]);
		assert_true(is_taken((void *)a, sizes[i]));
	}
	for (int i = 0; i < 4; i++)
		rsv_delete(&rsv[i]);
	/* 2 GiB or more: 1 GiB aligned */
	struct pmem2_vm_reservation *big = rsv_new(NULL, 2048 * MIB);
	assert_int_equal((uintptr_t)pmem2_vm_reservation_get_address(big) %
		(1024 * MIB), 0);
	rsv_delete(&big);
}

static void
vm_reservation_new_over_a_taken_range_fails_with_mapping_exists(
	void **state)
{
	(void)state;
	char *addr = free_area(16 * MIB) + 4 * MIB;
	struct pmem2_vm_reservation *rsv = rsv_new(addr, 4 * MIB);
	struct { long start_mib, len_mib; } cases[] = {
		{0, 4},		/* the same range */
		{-2, 4},	/* overlapping below */
		{2, 4},		/* overlapping above */
		{1, 2},		/* inside */
		{-1, 6},	/* around */
		{3, 1},		/* the last MiB */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pmem2_vm_reservation *r2 =
			(struct pmem2_vm_reservation *)(uintptr_t)0x1;
		char *a = addr + cases[i].start_mib * (long)MIB;
		int ret = pmem2_vm_reservation_new(&r2, a,
			(size_t)cases[i].len_mib * MIB);
		if (ret != PMEM2_E_MAPPING_EXISTS)
			fail_msg("case %zu: %d", i, ret);
		assert_null(r2);
	}
	rsv_delete(&rsv);

	/* the same over a pmem2 map and over a plain user mapping */
	int fd = test_tmpfile(NULL, 2 * MIB, O_RDWR, NULL);
	struct pmem2_map *map = test_map_fd(fd,
		TEST_MAP_ARGS(PMEM2_GRANULARITY_PAGE));
	char *m = pmem2_map_get_address(map);
	assert_int_equal(pmem2_vm_reservation_new(&rsv, m, 2 * MIB),
		PMEM2_E_MAPPING_EXISTS);
	assert_int_equal(pmem2_vm_reservation_new(&rsv, m - MIB, 2 * MIB),
		PMEM2_E_MAPPING_EXISTS);
	assert_int_equal(pmem2_vm_reservation_new(&rsv, m + MIB, 2 * MIB),
		PMEM2_E_MAPPING_EXISTS);
	test_map_delete(&map);
	close(fd);

	char *user = mmap(NULL, MIB, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
		-1, 0);
	assert_true(user != MAP_FAILED);
	assert_int_equal(pmem2_vm_reservation_new(&rsv, user, MIB),
		PMEM2_E_MAPPING_EXISTS);
	/* and the user mapping is intact */
	assert_int_equal(user[0], 0);
	munmap(user, MIB);
}

static void
vm_reservation_new_with_unaligned_address_fails_with_address_unaligned(
	void **state)
{
	(void)state;
	char *addr = free_area(4 * MIB);
	struct pmem2_vm_reservation *rsv =
		(struct pmem2_vm_reservation *)(uintptr_t)0x1;
	assert_int_equal(pmem2_vm_reservation_new(&rsv, addr + 1, MIB),
		PMEM2_E_ADDRESS_UNALIGNED);
	assert_null(rsv);
	assert_int_equal(pmem2_vm_reservation_new(&rsv, addr + Page / 2, MIB),
		PMEM2_E_ADDRESS_UNALIGNED);
	assert_string_not_equal(pmem2_errormsg(), "");
}

static void
vm_reservation_new_with_unaligned_size_fails_with_length_unaligned(
	void **state)
{
	(void)state;
	char *addr = free_area(4 * MIB);
	struct pmem2_vm_reservation *rsv =
		(struct pmem2_vm_reservation *)(uintptr_t)0x1;
	assert_int_equal(pmem2_vm_reservation_new(&rsv, addr, MIB + 1),
		PMEM2_E_LENGTH_UNALIGNED);
	assert_null(rsv);
	assert_int_equal(pmem2_vm_reservation_new(&rsv, NULL, 100),
		PMEM2_E_LENGTH_UNALIGNED);
	assert_null(rsv);
}

static void
map_of_a_whole_file_into_a_reservation_lands_at_the_offset(void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, MIB, O_RDWR, NULL);
	assert_int_equal(pwrite(fd, "whole", 6, 0), 6);
	struct pmem2_vm_reservation *rsv = rsv_new(NULL, 4 * MIB);
	char *base = pmem2_vm_reservation_get_address(rsv);
	size_t offsets[] = {0, Page, MIB, 3 * MIB};
	for (size_t i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
		struct pmem2_map *map = map_ok(rsv, offsets[i], fd);
		assert_ptr_equal(pmem2_map_get_address(map),
			base + offsets[i]);
		assert_int_equal(pmem2_map_get_size(map), MIB);
		assert_string_equal(base + offsets[i], "whole");
		test_map_delete(&map);
	}
	rsv_delete(&rsv);
	close(fd);
}

static void
map_of_part_of_a_file_into_a_reservation_maps_that_part(void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, 4 * MIB, O_RDWR, NULL);
	assert_int_equal(pwrite(fd, "part", 5, (off_t)MIB), 5);
	struct pmem2_vm_reservation *rsv = rsv_new(NULL, 4 * MIB);
	char *base = pmem2_vm_reservation_get_address(rsv);
	struct pmem2_map *map;
	assert_int_equal(map_into(&map, rsv, 2 * MIB, fd, MIB, MIB), 0);
	assert_ptr_equal(pmem2_map_get_address(map), base + 2 * MIB);
	assert_int_equal(pmem2_map_get_size(map), MIB);
	assert_string_equal(base + 2 * MIB, "part");
	/* the rest of the reservation is still inaccessible */
	assert_true(test_faults(touch, base + 2 * MIB - 1));
	assert_true(test_faults(touch, base + 3 * MIB));
	test_map_delete(&map);
	rsv_delete(&rsv);
	close(fd);
}

static void
vm_reservation_delete_with_a_map_inside_fails_with_not_empty(void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, MIB, O_RDWR, NULL);
	struct pmem2_vm_reservation *rsv = rsv_new(NULL, 4 * MIB);
	struct pmem2_vm_reservation *keep = rsv;
	struct pmem2_map *map = map_ok(rsv, 2 * MIB, fd);
	assert_int_equal(pmem2_vm_reservation_delete(&rsv),
		PMEM2_E_VM_RESERVATION_NOT_EMPTY);
	assert_ptr_equal(rsv, keep);
	/* the map is untouched */
	strcpy(pmem2_map_get_address(map), "alive");
	char buf[6];
	assert_int_equal(pread(fd, buf, 6, 0), 6);
	assert_string_equal(buf, "alive");
	test_map_delete(&map);
	rsv_delete(&rsv);
	close(fd);
}

static void
many_files_fill_one_reservation_side_by_side(void **state)
{
	(void)state;
	enum { N = 12 };
	int fds[N];
	struct pmem2_map *maps[N];
	struct pmem2_vm_reservation *rsv = rsv_new(NULL, N * MIB);
	char *base = pmem2_vm_reservation_get_address(rsv);
	for (int i = 0; i < N; i++) {
		fds[i] = test_tmpfile(NULL, MIB, O_RDWR, NULL);
		maps[i] = map_ok(rsv, (size_t)i * MIB, fds[i]);
		assert_ptr_equal(pmem2_map_get_address(maps[i]),
			base + (size_t)i * MIB);
	}
	/* one memset over all of them, one persist */
	memset(base, 0x77, N * MIB);
	pmem2_get_persist_fn(maps[0])(base, N * MIB);
	for (int i = 0; i < N; i++) {
		char c[2];
		assert_int_equal(pread(fds[i], c, 2, MIB - 1), 1);
		assert_int_equal(c[0], 0x77);
	}
	/* walk them in address order */
	struct pmem2_map *cur;
	assert_int_equal(pmem2_vm_reservation_map_find_first(rsv, &cur), 0);
	for (int i = 0; i < N; i++) {
		assert_ptr_equal(cur, maps[i]);
		struct pmem2_map *next = NULL;
		int ret = pmem2_vm_reservation_map_find_next(rsv, cur, &next);
		assert_int_equal(ret, i == N - 1 ?
			PMEM2_E_MAPPING_NOT_FOUND : 0);
		cur = next;
	}
	for (int i = N - 1; i >= 0; i--) {
		test_map_delete(&maps[i]);
		close(fds[i]);
	}
	rsv_delete(&rsv);
}

static void
map_into_too_small_a_space_fails_with_length_out_of_range(void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, 2 * MIB, O_RDWR, NULL);
	struct pmem2_vm_reservation *rsv = rsv_new(NULL, 4 * MIB);
	struct pmem2_map *map;
	size_t bad[] = {2 * MIB + Page, 3 * MIB, 4 * MIB - Page, 4 * MIB,
		8 * MIB};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(map_into(&map, rsv, bad[i], fd, 0, 0),
			PMEM2_E_LENGTH_OUT_OF_RANGE);
		assert_null(map);
	}
	struct pmem2_vm_reservation *small = rsv_new(NULL, MIB);
	assert_int_equal(map_into(&map, small, 0, fd, 0, 0),
		PMEM2_E_LENGTH_OUT_OF_RANGE);
	assert_null(map);
	/* a part that fits does */
	assert_int_equal(map_into(&map, small, 0, fd, 0, MIB), 0);
	test_map_delete(&map);
	rsv_delete(&small);
	/* the exact end fits too */
	map = map_ok(rsv, 2 * MIB, fd);
	test_map_delete(&map);
	rsv_delete(&rsv);
	close(fd);
}

static void
map_into_a_reservation_at_an_unaligned_offset_fails_with_offset_unaligned(
	void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, MIB, O_RDWR, NULL);
	struct pmem2_vm_reservation *rsv = rsv_new(NULL, 4 * MIB);
	struct pmem2_map *map;
	assert_int_equal(map_into(&map, rsv, 1, fd, 0, 0),
		PMEM2_E_OFFSET_UNALIGNED);
	assert_null(map);
	assert_int_equal(map_into(&map, rsv, Page + 100, fd, 0, 0),
		PMEM2_E_OFFSET_UNALIGNED);
	assert_null(map);
	rsv_delete(&rsv);
	close(fd);
}

static void
overlapping_maps_in_a_reservation_fail_with_mapping_exists(void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, 2 * MIB, O_RDWR, NULL);
	struct pmem2_vm_reservation *rsv = rsv_new(NULL, 8 * MIB);
	struct pmem2_map *map = map_ok(rsv, 2 * MIB, fd);
	size_t offsets[] = {2 * MIB, MIB, 3 * MIB, 2 * MIB - Page,
		4 * MIB - Page};
	for (size_t i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
		struct pmem2_map *m2;
		int ret = map_into(&m2, rsv, offsets[i], fd, 0, 0);
		if (ret != PMEM2_E_MAPPING_EXISTS)
			fail_msg("offset %zu: %d", offsets[i], ret);
		assert_null(m2);
	}
	/* a one-page map inside the first one, too */
	struct pmem2_map *m2;
	assert_int_equal(map_into(&m2, rsv, 3 * MIB, fd, 0, Page),
		PMEM2_E_MAPPING_EXISTS);
	/* the failures did not disturb the first map */
	assert_ptr_equal(pmem2_map_get_address(map),
		(char *)pmem2_vm_reservation_get_address(rsv) + 2 * MIB);
	memset(pmem2_map_get_address(map), 1, 2 * MIB);
	/* right before and right after fit */
	struct pmem2_map *below = map_ok(rsv, 0, fd);
	struct pmem2_map *above = map_ok(rsv, 4 * MIB, fd);
	test_map_delete(&above);
	test_map_delete(&below);
	test_map_delete(&map);
	rsv_delete(&rsv);
	close(fd);
}

static void
map_delete_inside_a_reservation_keeps_the_range_reserved(void **state)
{
	(void)state;
	char path[4096];
	int fd = test_tmpfile(NULL, MIB, O_RDWR, path);
	struct pmem2_vm_reservation *rsv = rsv_new(NULL, 4 * MIB);
	char *base = pmem2_vm_reservation_get_address(rsv);
	struct pmem2_map *map = map_ok(rsv, MIB, fd);
	assert_int_equal(test_count_file_mappings(path), 1);
	test_map_delete(&map);
	assert_int_equal(test_count_file_mappings(path), 0);
	/* still reserved and inaccessible */
	assert_true(is_taken(base, 4 * MIB));
	assert_false(is_free(base + MIB, Page));
	assert_true(test_faults(touch, base + MIB));
	struct pmem2_map *found;
	assert_int_equal(pmem2_vm_reservation_map_find_first(rsv, &found),
		PMEM2_E_MAPPING_NOT_FOUND);
	/* and a new map can go there */
	map = map_ok(rsv, MIB, fd);
	assert_ptr_equal(pmem2_map_get_address(map), base + MIB);
	test_map_delete(&map);
	rsv_delete(&rsv);
	close(fd);
}

static void
failed_map_into_a_reservation_leaves_the_range_reserved(void **state)
{
	(void)state;
	char path[4096];
	int fd = test_tmpfile(NULL, MIB, O_RDWR, path);
	struct pmem2_vm_reservation *rsv = rsv_new(NULL, 4 * MIB);
	char *base = pmem2_vm_reservation_get_address(rsv);
	struct test_map_args a = TEST_MAP_ARGS(PMEM2_GRANULARITY_BYTE);
	a.rsv = rsv;
	a.rsv_offset = MIB;
	struct pmem2_map *map;
	assert_int_equal(test_map_fd_ret(&map, fd, a),
		PMEM2_E_GRANULARITY_NOT_SUPPORTED);
	assert_int_equal(test_count_file_mappings(path), 0);
	assert_true(is_taken(base, 4 * MIB));
	assert_true(test_faults(touch, base + MIB));
	map = map_ok(rsv, MIB, fd);
	test_map_delete(&map);
	rsv_delete(&rsv);
	close(fd);
}

static void
vm_reservation_extend_of_an_empty_reservation_grows_it(void **state)
{
	(void)state;
	char *addr = free_area(16 * MIB) + 4 * MIB;
	struct pmem2_vm_reservation *rsv = rsv_new(addr, 2 * MIB);
	assert_int_equal(pmem2_vm_reservation_extend(rsv, 2 * MIB), 0);
	assert_ptr_equal(pmem2_vm_reservation_get_address(rsv), addr);
	assert_int_equal(pmem2_vm_reservation_get_size(rsv), 4 * MIB);
	assert_true(is_taken(addr, 4 * MIB));
	assert_true(test_faults(touch, addr + 3 * MIB));
	/* the new space can hold a map */
	int fd = test_tmpfile(NULL, MIB, O_RDWR, NULL);
	struct pmem2_map *map = map_ok(rsv, 3 * MIB, fd);
	assert_ptr_equal(pmem2_map_get_address(map), addr + 3 * MIB);
	test_map_delete(&map);
	close(fd);
	rsv_delete(&rsv);
	assert_true(is_free(addr, 4 * MIB));
}

static void
vm_reservation_extend_with_a_map_inside_keeps_the_map(void **state)
{
	(void)state;
	char *addr = free_area(16 * MIB) + 4 * MIB;
	int fd = test_tmpfile(NULL, 2 * MIB, O_RDWR, NULL);
	struct pmem2_vm_reservation *rsv = rsv_new(addr, 2 * MIB);
	struct pmem2_map *map = map_ok(rsv, 0, fd);
	strcpy(addr, "kept");
	assert_int_equal(pmem2_vm_reservation_extend(rsv, 2 * MIB), 0);
	assert_int_equal(pmem2_vm_reservation_get_size(rsv), 4 * MIB);
	assert_string_equal(addr, "kept");
	struct pmem2_map *found;
	assert_int_equal(pmem2_vm_reservation_map_find(rsv, 0, Page, &found),
		0);
	assert_ptr_equal(found, map);
	struct pmem2_map *m2 = map_ok(rsv, 2 * MIB, fd);
	assert_string_equal(addr + 2 * MIB, "kept");
	test_map_delete(&m2);
	test_map_delete(&map);
	rsv_delete(&rsv);
	close(fd);
}

/*
 * Deliberately differs from PMDK 1.12.1, whose reservation silently owns
 * 2 MiB beyond its end, so that there is no neighbour to run into.
 */
static void
vm_reservation_extend_into_a_neighbour_fails_with_mapping_exists(
	void **state)
{
	(void)state;
	char *addr = free_area(16 * MIB) + 4 * MIB;
	struct pmem2_vm_reservation *rsv = rsv_new(addr, 2 * MIB);
	char *blk = mmap(addr + 3 * MIB, Page, PROT_READ,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	assert_ptr_equal(blk, addr + 3 * MIB);
	assert_int_equal(pmem2_vm_reservation_extend(rsv, 2 * MIB),
		PMEM2_E_MAPPING_EXISTS);
	assert_int_equal(pmem2_vm_reservation_get_size(rsv), 2 * MIB);
	/* the neighbour is intact and the free part was not taken */
	assert_int_equal(blk[0], 0);
	assert_true(is_free(addr + 2 * MIB, MIB));
	/* a neighbour that is another reservation blocks it too */
	munmap(blk, Page);
	struct pmem2_vm_reservation *next = rsv_new(addr + 2 * MIB, MIB);
	assert_int_equal(pmem2_vm_reservation_extend(rsv, Page),
		PMEM2_E_MAPPING_EXISTS);
	rsv_delete(&next);
	/* once it is gone, extend works */
	assert_int_equal(pmem2_vm_reservation_extend(rsv, 2 * MIB), 0);
	rsv_delete(&rsv);
}

static void
vm_reservation_extend_by_an_unaligned_size_fails_with_length_unaligned(
	void **state)
{
	(void)state;
	struct pmem2_vm_reservation *rsv = rsv_new(NULL, 2 * MIB);
	assert_int_equal(pmem2_vm_reservation_extend(rsv, 1),
		PMEM2_E_LENGTH_UNALIGNED);
	assert_int_equal(pmem2_vm_reservation_extend(rsv, Page + 1),
		PMEM2_E_LENGTH_UNALIGNED);
	assert_int_equal(pmem2_vm_reservation_get_size(rsv), 2 * MIB);
	rsv_delete(&rsv);
}

/*
 * Deliberately differs from PMDK 1.12.1, which leaves what a shrink from
 * the start dropped mapped (and leaks it at delete).
 */
static void
vm_reservation_shrink_from_the_start_or_the_end_releases_that_part(
	void **state)
{
	(void)state;
	char *addr = free_area(16 * MIB) + 4 * MIB;
	struct pmem2_vm_reservation *rsv = rsv_new(addr, 8 * MIB);
	assert_int_equal(pmem2_vm_reservation_shrink(rsv, 0, MIB), 0);
	assert_ptr_equal(pmem2_vm_reservation_get_address(rsv), addr + MIB);
	assert_int_equal(pmem2_vm_reservation_get_size(rsv), 7 * MIB);
	assert_true(is_free(addr, MIB));
	assert_int_equal(pmem2_vm_reservation_shrink(rsv, 5 * MIB, 2 * MIB),
		0);
	assert_ptr_equal(pmem2_vm_reservation_get_address(rsv), addr + MIB);
	assert_int_equal(pmem2_vm_reservation_get_size(rsv), 5 * MIB);
	assert_true(is_free(addr + 6 * MIB, 2 * MIB));
	assert_true(is_taken(addr + MIB, 5 * MIB));
	/* offsets now count from the new start */
	int fd = test_tmpfile(NULL, MIB, O_RDWR, NULL);
	struct pmem2_map *map = map_ok(rsv, 0, fd);
	assert_ptr_equal(pmem2_map_get_address(map), addr + MIB);
	test_map_delete(&map);
	close(fd);
	rsv_delete(&rsv);
	assert_true(is_free(addr, 8 * MIB));
}

static void
vm_reservation_shrink_with_bad_arguments_fails_as_documented(void **state)
{
	(void)state;
	struct pmem2_vm_reservation *rsv = rsv_new(NULL, 4 * MIB);
	void *addr = pmem2_vm_reservation_get_address(rsv);
	size_t sz = 4 * MIB;
	assert_int_equal(pmem2_vm_reservation_shrink(rsv, 1, Page),
		PMEM2_E_OFFSET_UNALIGNED);
	assert_int_equal(pmem2_vm_reservation_shrink(rsv, 0, 1),
		PMEM2_E_LENGTH_UNALIGNED);
	assert_int_equal(pmem2_vm_reservation_shrink(rsv, sz, Page),
		PMEM2_E_OFFSET_OUT_OF_RANGE);
	assert_int_equal(pmem2_vm_reservation_shrink(rsv, sz + Page, Page),
		PMEM2_E_OFFSET_OUT_OF_RANGE);
	assert_int_equal(pmem2_vm_reservation_shrink(rsv, 0, 0),
		PMEM2_E_LENGTH_OUT_OF_RANGE);
	assert_int_equal(pmem2_vm_reservation_shrink(rsv, sz - Page, 2 * Page),
		PMEM2_E_LENGTH_OUT_OF_RANGE);
	/* the middle, or everything */
	assert_int_equal(pmem2_vm_reservation_shrink(rsv, Page, Page),
		PMEM2_E_NOSUPP);
	assert_int_equal(pmem2_vm_reservation_shrink(rsv, MIB, 2 * MIB),
		PMEM2_E_NOSUPP);
	assert_int_equal(pmem2_vm_reservation_shrink(rsv, 0, sz),
		PMEM2_E_NOSUPP);
	/* nothing changed */
	assert_ptr_equal(pmem2_vm_reservation_get_address(rsv), addr);
	assert_int_equal(pmem2_vm_reservation_get_size(rsv), sz);
	assert_true(is_taken(addr, sz));
	rsv_delete(&rsv);
}

static void
vm_reservation_shrink_of_an_occupied_part_fails_with_not_empty(
	void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, MIB, O_RDWR, NULL);
	struct pmem2_vm_reservation *rsv = rsv_new(NULL, 4 * MIB);
	struct pmem2_map *map = map_ok(rsv, MIB, fd);
	assert_int_equal(pmem2_vm_reservation_shrink(rsv, 0, 2 * MIB),
		PMEM2_E_VM_RESERVATION_NOT_EMPTY);
	assert_int_equal(pmem2_vm_reservation_shrink(rsv, 0, MIB + Page),
		PMEM2_E_VM_RESERVATION_NOT_EMPTY);
	assert_int_equal(pmem2_vm_reservation_shrink(rsv, MIB, 3 * MIB),
		PMEM2_E_VM_RESERVATION_NOT_EMPTY);
	assert_int_equal(pmem2_vm_reservation_shrink(rsv, 2 * MIB - Page,
		2 * MIB + Page), PMEM2_E_VM_RESERVATION_NOT_EMPTY);
	assert_int_equal(pmem2_vm_reservation_get_size(rsv), 4 * MIB);
	/* the free parts around it can go */
	assert_int_equal(pmem2_vm_reservation_shrink(rsv, 0, MIB), 0);
	assert_int_equal(pmem2_vm_reservation_shrink(rsv, MIB, 2 * MIB), 0);
	assert_int_equal(pmem2_vm_reservation_get_size(rsv), MIB);
	assert_ptr_equal(pmem2_vm_reservation_get_address(rsv),
		pmem2_map_get_address(map));
	struct pmem2_map *found;
	assert_int_equal(pmem2_vm_reservation_map_find(rsv, 0, MIB, &found), 0);
	assert_ptr_equal(found, map);
	test_map_delete(&map);
	rsv_delete(&rsv);
	close(fd);
}

static void
vm_reservation_map_find_returns_the_map_overlapping_the_range(void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, MIB, O_RDWR, NULL);
	struct pmem2_vm_reservation *rsv = rsv_new(NULL, 8 * MIB);
	struct pmem2_map *m1 = map_ok(rsv, MIB, fd);
	struct pmem2_map *m2 = map_ok(rsv, 4 * MIB, fd);
	struct { size_t off, len; struct pmem2_map *want; } cases[] = {
		{MIB, MIB, m1},
		{MIB, Page, m1},
		{2 * MIB - 1, 1, m1},
		{0, MIB + 1, m1},
		{0, 8 * MIB, m1},	/* the first of several */
		{2 * MIB - Page, 3 * MIB, m1},
		{3 * MIB, 2 * MIB, m2},
		{4 * MIB + Page, Page, m2},
		{5 * MIB - 1, 1, m2},
		{0, MIB, NULL},
		{2 * MIB, 2 * MIB, NULL},
		{5 * MIB, 3 * MIB, NULL},
		{8 * MIB, MIB, NULL},
		{64 * MIB, MIB, NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pmem2_map *found = NULL;
		int ret = pmem2_vm_reservation_map_find(rsv, cases[i].off,
			cases[i].len, &found);
		if (cases[i].want == NULL) {
			if (ret != PMEM2_E_MAPPING_NOT_FOUND)
				fail_msg("case %zu: %d", i, ret);
			continue;
		}
		if (ret != 0 || found != cases[i].want)
			fail_msg("case %zu: %d %p", i, ret, (void *)found);
	}
	test_map_delete(&m2);
	test_map_delete(&m1);
	rsv_delete(&rsv);
	close(fd);
}

static void
vm_reservation_map_find_first_last_prev_next_walk_the_maps(void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, MIB, O_RDWR, NULL);
	struct pmem2_vm_reservation *rsv = rsv_new(NULL, 8 * MIB);
	struct pmem2_map *found;
	assert_int_equal(pmem2_vm_reservation_map_find_first(rsv, &found),
		PMEM2_E_MAPPING_NOT_FOUND);
	assert_int_equal(pmem2_vm_reservation_map_find_last(rsv, &found),
		PMEM2_E_MAPPING_NOT_FOUND);
	/* made out of order on purpose */
	struct pmem2_map *m3 = map_ok(rsv, 6 * MIB, fd);
	struct pmem2_map *m1 = map_ok(rsv, 0, fd);
	struct pmem2_map *m2 = map_ok(rsv, 3 * MIB, fd);

	assert_int_equal(pmem2_vm_reservation_map_find_first(rsv, &found), 0);
	assert_ptr_equal(found, m1);
	assert_int_equal(pmem2_vm_reservation_map_find_last(rsv, &found), 0);
	assert_ptr_equal(found, m3);
	assert_int_equal(pmem2_vm_reservation_map_find_next(rsv, m1, &found),
		0);
	assert_ptr_equal(found, m2);
	assert_int_equal(pmem2_vm_reservation_map_find_next(rsv, m2, &found),
		0);
	assert_ptr_equal(found, m3);
	assert_int_equal(pmem2_vm_reservation_map_find_next(rsv, m3, &found),
		PMEM2_E_MAPPING_NOT_FOUND);
	assert_int_equal(pmem2_vm_reservation_map_find_prev(rsv, m3, &found),
		0);
	assert_ptr_equal(found, m2);
	assert_int_equal(pmem2_vm_reservation_map_find_prev(rsv, m2, &found),
		0);
	assert_ptr_equal(found, m1);
	assert_int_equal(pmem2_vm_reservation_map_find_prev(rsv, m1, &found),
		PMEM2_E_MAPPING_NOT_FOUND);

	/* remove the middle one: its neighbours now see each other */
	test_map_delete(&m2);
	assert_int_equal(pmem2_vm_reservation_map_find_next(rsv, m1, &found),
		0);
	assert_ptr_equal(found, m3);
	assert_int_equal(pmem2_vm_reservation_map_find_prev(rsv, m3, &found),
		0);
	assert_ptr_equal(found, m1);
	test_map_delete(&m1);
	assert_int_equal(pmem2_vm_reservation_map_find_first(rsv, &found), 0);
	assert_ptr_equal(found, m3);
	test_map_delete(&m3);
	assert_int_equal(pmem2_vm_reservation_map_find_last(rsv, &found),
		PMEM2_E_MAPPING_NOT_FOUND);
	rsv_delete(&rsv);
	close(fd);
}

static void
maps_in_two_reservations_are_found_only_in_their_own(void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, MIB, O_RDWR, NULL);
	struct pmem2_vm_reservation *r1 = rsv_new(NULL, 2 * MIB);
	struct pmem2_vm_reservation *r2 = rsv_new(NULL, 2 * MIB);
	struct pmem2_map *m1 = map_ok(r1, 0, fd);
	struct pmem2_map *found;
	assert_int_equal(pmem2_vm_reservation_map_find_first(r2, &found),
		PMEM2_E_MAPPING_NOT_FOUND);
	assert_int_equal(pmem2_vm_reservation_map_find(r2, 0, 2 * MIB, &found),
		PMEM2_E_MAPPING_NOT_FOUND);
	assert_int_equal(pmem2_vm_reservation_delete(&r2), 0);
	assert_int_equal(pmem2_vm_reservation_delete(&r1),
		PMEM2_E_VM_RESERVATION_NOT_EMPTY);
	test_map_delete(&m1);
	rsv_delete(&r1);
	close(fd);
}

static void
map_of_an_unaligned_file_size_takes_whole_pages_of_a_reservation(
	void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, 2 * Page + 100, O_RDWR, NULL);
	struct pmem2_vm_reservation *rsv = rsv_new(NULL, 4 * Page);
	char *base = pmem2_vm_reservation_get_address(rsv);
	struct pmem2_map *map, *m2;
	/* 2 pages + 100 bytes need 3 pages */
	assert_int_equal(map_into(&map, rsv, 2 * Page, fd, 0, 0),
		PMEM2_E_LENGTH_OUT_OF_RANGE);
	map = map_ok(rsv, 0, fd);
	assert_int_equal(pmem2_map_get_size(map), 2 * Page + 100);
	struct pmem2_map *found;
	assert_int_equal(pmem2_vm_reservation_map_find(rsv, 2 * Page, Page,
		&found), 0);
	assert_ptr_equal(found, map);
	assert_int_equal(map_into(&m2, rsv, 2 * Page, fd, 0, Page),
		PMEM2_E_MAPPING_EXISTS);
	assert_int_equal(map_into(&m2, rsv, 3 * Page, fd, 0, Page), 0);
	assert_ptr_equal(pmem2_map_get_address(m2), base + 3 * Page);
	assert_int_equal(pmem2_deep_flush(map, base + 2 * Page + 100, 1),
		PMEM2_E_DEEP_FLUSH_RANGE);
	test_map_delete(&m2);
	test_map_delete(&map);
	assert_true(is_taken(base, 4 * Page));
	rsv_delete(&rsv);
	close(fd);
}

static void
anonymous_and_private_maps_fit_in_a_reservation(void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, MIB, O_RDWR, NULL);
	assert_int_equal(pwrite(fd, "file", 5, 0), 5);
	struct pmem2_vm_reservation *rsv = rsv_new(NULL, 4 * MIB);
	char *base = pmem2_vm_reservation_get_address(rsv);

	struct pmem2_source *anon;
	assert_int_equal(pmem2_source_from_anon(&anon, MIB), 0);
	struct test_map_args a = TEST_MAP_ARGS(PMEM2_GRANULARITY_PAGE);
	a.rsv = rsv;
	a.rsv_offset = MIB;
	struct pmem2_map *am = NULL;
	assert_int_equal(test_map_new(&am, anon, a), 0);
	assert_ptr_equal(pmem2_map_get_address(am), base + MIB);
	assert_int_equal(pmem2_map_get_store_granularity(am),
		PMEM2_GRANULARITY_BYTE);
	assert_int_equal(base[MIB], 0);
	base[MIB] = 'a';

	a.rsv_offset = 2 * MIB;
	a.sharing = PMEM2_PRIVATE;
	struct pmem2_map *pm = test_map_fd(fd, a);
	assert_ptr_equal(pmem2_map_get_address(pm), base + 2 * MIB);
	assert_string_equal(base + 2 * MIB, "file");
	base[2 * MIB] = 'F';
	char c;
	assert_int_equal(pread(fd, &c, 1, 0), 1);
	assert_int_equal(c, 'f');

	test_map_delete(&pm);
	test_map_delete(&am);
	assert_true(is_taken(base, 4 * MIB));
	assert_true(test_faults(touch, base + MIB));
	/* an anonymous map made again in the same place starts zeroed */
	a.rsv_offset = MIB;
	a.sharing = PMEM2_SHARED;
	assert_int_equal(test_map_new(&am, anon, a), 0);
	assert_int_equal(base[MIB], 0);
	test_map_delete(&am);
	pmem2_source_delete(&anon);
	rsv_delete(&rsv);
	close(fd);
}

/* the maps left in rsv, walked with find_first / find_next, are exactly want[] */
static void
assert_walk(struct pmem2_vm_reservation *rsv, struct pmem2_map **want,
	int n)
{
	struct pmem2_map *cur = NULL;
	int ret = pmem2_vm_reservation_map_find_first(rsv, &cur);
	int seen = 0;
	while (ret == 0) {
		while (seen < n && want[seen] == NULL)
			seen++;
		if (seen == n)
			fail_msg("walk found a map that was deleted");
		assert_ptr_equal(cur, want[seen]);
		seen++;
		ret = pmem2_vm_reservation_map_find_next(rsv, cur, &cur);
	}
	assert_int_equal(ret, PMEM2_E_MAPPING_NOT_FOUND);
	while (seen < n && want[seen] == NULL)
		seen++;
	assert_int_equal(seen, n);
}

static void
maps_deleted_in_shuffled_order_leave_the_others_findable(void **state)
{
	(void)state;
	enum { N = 64 };
	size_t slot = 16 * Page;
	int fd = test_tmpfile(NULL, slot, O_RDWR, NULL);
	struct pmem2_vm_reservation *rsv = rsv_new(NULL, N * slot);
	struct pmem2_map *maps[N];
	int order[N];
	for (int i = 0; i < N; i++) {
		/* every other one first, so the tree is built out of order */
		int k = i < N / 2 ? 2 * i : 2 * (i - N / 2) + 1;
		maps[k] = map_ok(rsv, (size_t)k * slot, fd);
		order[i] = i;
	}
	unsigned x = 12345;
	for (int i = N - 1; i > 0; i--) {
		x = x * 1103515245u + 12345u;
		int j = (int)((x >> 8) % (unsigned)(i + 1));
		int t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	assert_walk(rsv, maps, N);
	for (int i = 0; i < N; i++) {
		int k = order[i];
		test_map_delete(&maps[k]);
		if (i % 8 == 0 || i > N - 4)
			assert_walk(rsv, maps, N);
		struct pmem2_map *found;
		assert_int_equal(pmem2_vm_reservation_map_find(rsv,
			(size_t)k * slot, slot, &found),
			PMEM2_E_MAPPING_NOT_FOUND);
		/* a neighbour still there is still found */
		int nb = k + 1 < N ? k + 1 : k - 1;
		if (maps[nb] != NULL) {
			assert_int_equal(pmem2_vm_reservation_map_find(rsv,
				(size_t)nb * slot, 1, &found), 0);
			assert_ptr_equal(found, maps[nb]);
		}
	}
	rsv_delete(&rsv);
	close(fd);
}

static void
failed_reservation_calls_leave_no_address_space_behind(void **state)
{
	(void)state;
	TEST_SKIP_ADDRESS_SPACE_ACCOUNTING_UNDER_VALGRIND();
	int fd = test_tmpfile(NULL, 2 * MIB, O_RDWR, NULL);
	struct pmem2_vm_reservation *rsv = rsv_new(NULL, 4 * MIB);
	char *base = pmem2_vm_reservation_get_address(rsv);
	struct pmem2_map *map = map_ok(rsv, 0, fd);
	struct pmem2_map *m2;
	struct pmem2_vm_reservation *r2;
	/* warm up */
	assert_int_equal(map_into(&m2, rsv, MIB, fd, 0, 0),
		PMEM2_E_MAPPING_EXISTS);
	size_t before = test_mapped_bytes();
	for (int i = 0; i < 32; i++) {
		assert_int_equal(map_into(&m2, rsv, MIB, fd, 0, 0),
			PMEM2_E_MAPPING_EXISTS);
		assert_int_equal(map_into(&m2, rsv, 3 * MIB, fd, 0, 0),
			PMEM2_E_LENGTH_OUT_OF_RANGE);
		assert_int_equal(pmem2_vm_reservation_new(&r2, base + MIB,
			4 * MIB), PMEM2_E_MAPPING_EXISTS);
		assert_int_equal(pmem2_vm_reservation_new(&r2, NULL, MIB + 1),
			PMEM2_E_LENGTH_UNALIGNED);
		assert_int_equal(pmem2_vm_reservation_shrink(rsv, 0, MIB),
			PMEM2_E_VM_RESERVATION_NOT_EMPTY);
	}
	assert_int_equal(test_mapped_bytes(), before);
	test_map_delete(&map);
	assert_int_equal(test_mapped_bytes(), before);
	rsv_delete(&rsv);
	assert_int_equal(test_mapped_bytes(), before - 4 * MIB);
	close(fd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(vm_reservation_new_at_a_given_address_reserves_exactly_that_range),
		cmocka_unit_test(vm_reservation_new_reserves_nothing_outside_its_range),
		cmocka_unit_test(vm_reservation_new_without_address_is_two_mib_or_one_gib_aligned),
		cmocka_unit_test(vm_reservation_new_over_a_taken_range_fails_with_mapping_exists),
		cmocka_unit_test(vm_reservation_new_with_unaligned_address_fails_with_address_unaligned),
		cmocka_unit_test(vm_reservation_new_with_unaligned_size_fails_with_length_unaligned),
		cmocka_unit_test(map_of_a_whole_file_into_a_reservation_lands_at_the_offset),
		cmocka_unit_test(map_of_part_of_a_file_into_a_reservation_maps_that_part),
		cmocka_unit_test(vm_reservation_delete_with_a_map_inside_fails_with_not_empty),
		cmocka_unit_test(many_files_fill_one_reservation_side_by_side),
		cmocka_unit_test(map_into_too_small_a_space_fails_with_length_out_of_range),
		cmocka_unit_test(map_into_a_reservation_at_an_unaligned_offset_fails_with_offset_unaligned),
		cmocka_unit_test(overlapping_maps_in_a_reservation_fail_with_mapping_exists),
		cmocka_unit_test(map_delete_inside_a_reservation_keeps_the_range_reserved),
		cmocka_unit_test(failed_map_into_a_reservation_leaves_the_range_reserved),
		cmocka_unit_test(vm_reservation_extend_of_an_empty_reservation_grows_it),
		cmocka_unit_test(vm_reservation_extend_with_a_map_inside_keeps_the_map),
		cmocka_unit_test(vm_reservation_extend_into_a_neighbour_fails_with_mapping_exists),
		cmocka_unit_test(vm_reservation_extend_by_an_unaligned_size_fails_with_length_unaligned),
		cmocka_unit_test(vm_reservation_shrink_from_the_start_or_the_end_releases_that_part),
		cmocka_unit_test(vm_reservation_shrink_with_bad_arguments_fails_as_documented),
		cmocka_unit_test(vm_reservation_shrink_of_an_occupied_part_fails_with_not_empty),
		cmocka_unit_test(vm_reservation_map_find_returns_the_map_overlapping_the_range),
		cmocka_unit_test(vm_reservation_map_find_first_last_prev_next_walk_the_maps),
		cmocka_unit_test(maps_in_two_reservations_are_found_only_in_their_own),
		cmocka_unit_test(map_of_an_unaligned_file_size_takes_whole_pages_of_a_reservation),
		cmocka_unit_test(anonymous_and_private_maps_fit_in_a_reservation),
		cmocka_unit_test(maps_deleted_in_shuffled_order_leave_the_others_findable),
		cmocka_unit_test(failed_reservation_calls_leave_no_address_space_behind),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
