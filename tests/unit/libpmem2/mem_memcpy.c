/* mem_memcpy.c -- pmem2 memcpy copies exactly [src, src+len) to dst for every length, alignment and flag set */
#include "mem_common.h"

#define MAP_SIZE ((size_t)1 << 20)
#define DST ((size_t)64 << 10)		/* destinations: 64 KiB .. 512 KiB */
#define SRC ((size_t)640 << 10)		/* sources: 640 KiB .. 1 MiB */

/* a few different pages, so that not every copy hits the same lines */
static size_t
dst_at(size_t i, size_t misalign)
{
	return DST + (i % 32) * 8192 + misalign;
}

static size_t
src_at(size_t i, size_t misalign)
{
	return SRC + (i % 16) * 8192 + misalign;
}

static void
memcpy_of_every_length_up_to_4096_is_exact(void **state)
{
	(void)state;
	size_t step = mem_step();
	for (int g = 0; g < NGRANS; g++) {
		struct mem_target t;
		mem_target_open(&t, Grans[g], MAP_SIZE);
		for (size_t len = 0; len <= 4096; len += step) {
			unsigned flags = Flag_sets[(len + len / 64) % NFLAG_SETS];
			mem_move(&t, dst_at(len, (len * 7) % 64),
				src_at(len, (len * 13) % 64), len, flags, 1);
		}
		mem_target_close(&t);
	}
}

static void
memcpy_of_every_head_and_tail_misalignment_is_exact_under_every_flag_set(
	void **state)
{
	(void)state;
	size_t step = mem_step();
	for (int g = 0; g < NGRANS; g++) {
		struct mem_target t;
		mem_target_open(&t, Grans[g], MAP_SIZE);
		for (size_t f = 0; f < NFLAG_SETS; f++)
			for (size_t head = 0; head < 64; head++)
				for (size_t tail = (head + f) % step; tail < 64;
						tail += step) {
					size_t len = mem_head_tail_len(f, head, tail);
					size_t s = (head * 5 + tail * 3 + f) % 64;
					mem_move(&t, dst_at(head + tail, head),
						src_at(head * 3 + tail, s), len,
						Flag_sets[f], 1);
				}
		mem_target_close(&t);
	}
}

static void
memcpy_at_every_kernel_boundary_length_is_exact(void **state)
{
	(void)state;
	static const size_t dmis[] = { 0, 1, 31, 63 };
	static const size_t smis[] = { 0, 9, 40 };
	size_t lens[MEM_BOUNDARY_LENS_MAX];
	size_t n = mem_boundary_lens(lens);
	for (int g = 0; g < NGRANS; g++) {
		struct mem_target t;
		mem_target_open(&t, Grans[g], MAP_SIZE);
		size_t i = 0, nd = mem_step() > 1 ? 1 : 4;
		for (size_t l = 0; l < n; l++)
			for (size_t f = 0; f < NFLAG_SETS; f++)
				for (size_t d = 0; d < nd; d++, i++)
					mem_move(&t, dst_at(i, dmis[(d + i) % 4]),
						src_at(i, smis[i % 3]), lens[l],
						Flag_sets[f], 1);
		mem_target_close(&t);
	}
}

static void
memcpy_of_nothing_or_onto_itself_returns_dst_and_writes_nothing(void **state)
{
	(void)state;
	for (int g = 0; g < NGRANS; g++) {
		struct mem_target t;
		mem_target_open(&t, Grans[g], MAP_SIZE);
		for (size_t f = 0; f < NFLAG_SETS; f++) {
			unsigned flags = Flag_sets[f];
			mem_move(&t, dst_at(f, 3), src_at(f, 0), 0, flags, 1);
			mem_move(&t, dst_at(f, 5), dst_at(f, 5), 1000, flags, 1);
			mem_move(&t, dst_at(f, 0), dst_at(f, 0), 64, flags, 0);
			char *p = t.base + dst_at(f, 7);
			assert_ptr_equal(t.memcpy_fn(p, p, 0, flags), p);
			assert_ptr_equal(t.memmove_fn(p, p + 1, 0, flags), p);
		}
		mem_target_close(&t);
	}
}

/* what a file map's memcpy wrote is in the file, read back with pread */
static void
memcpy_into_a_file_map_reaches_the_file(void **state)
{
	(void)state;
	for (int g = 1; g < NGRANS; g++) {
		struct mem_target t;
		mem_target_open(&t, Grans[g], MAP_SIZE);
		for (size_t f = 0; f < NFLAG_SETS; f++)
			mem_move(&t, dst_at(f, 4095 % 64) + 4095, src_at(f, 17),
				10000, Flag_sets[f], 1);
		mem_expect_file(&t);
		mem_target_close(&t);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(memcpy_of_every_length_up_to_4096_is_exact),
		cmocka_unit_test(memcpy_of_every_head_and_tail_misalignment_is_exact_under_every_flag_set),
		cmocka_unit_test(memcpy_at_every_kernel_boundary_length_is_exact),
		cmocka_unit_test(memcpy_of_nothing_or_onto_itself_returns_dst_and_writes_nothing),
		cmocka_unit_test(memcpy_into_a_file_map_reaches_the_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
