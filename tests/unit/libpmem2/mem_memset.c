/* mem_memset.c -- pmem2 memset fills exactly [dst, dst+len) for every length, alignment, byte value and flag set */
#include "mem_common.h"

#define MAP_SIZE ((size_t)1 << 20)
#define DST ((size_t)64 << 10)

static size_t
dst_at(size_t i, size_t misalign)
{
	return DST + (i % 64) * 12288 + misalign;
}

/* only the low byte of c counts, as for memset(3) */
static const int Values[] = { 0, 0xff, 0x80, 0x5a, -1, -128, 0x1234, 0x7fffff01 };
#define NVALUES (sizeof(Values) / sizeof(Values[0]))

static void
memset_of_every_length_up_to_4096_is_exact(void **state)
{
	(void)state;
	size_t step = mem_step();
	for (int g = 0; g < NGRANS; g++) {
		struct mem_target t;
		mem_target_open(&t, Grans[g], MAP_SIZE);
		for (size_t len = 0; len <= 4096; len += step)
			mem_set(&t, dst_at(len, (len * 7) % 64),
				Values[len % NVALUES], len,
				Flag_sets[(len + len / 64) % NFLAG_SETS]);
		mem_target_close(&t);
	}
}

static void
memset_of_every_head_and_tail_misalignment_is_exact_under_every_flag_set(
	void **state)
{
	(void)state;
	size_t step = mem_step();
	for (int g = 0; g < NGRANS; g++) {
		struct mem_target t;
		mem_target_open(&t, Grans[g], MAP_SIZE);
		size_t i = 0;
		for (size_t f = 0; f < NFLAG_SETS; f++)
			for (size_t head = 0; head < 64; head++)
				for (size_t tail = (head + f) % step; tail < 64;
						tail += step, i++) {
					size_t len = mem_head_tail_len(f, head, tail);
					mem_set(&t, dst_at(i, head), Values[i % NVALUES],
						len, Flag_sets[f]);
				}
		mem_target_close(&t);
	}
}

static void
memset_at_every_kernel_boundary_length_is_exact(void **state)
{
	(void)state;
	static const size_t mis[] = { 0, 1, 8, 31, 32, 63 };
	size_t lens[MEM_BOUNDARY_LENS_MAX];
	size_t n = mem_boundary_lens(lens);
	for (int g = 0; g < NGRANS; g++) {
		struct mem_target t;
		mem_target_open(&t, Grans[g], MAP_SIZE);
		size_t i = 0, nm = mem_step() > 1 ? 1 : 6;
		for (size_t l = 0; l < n; l++)
			for (size_t f = 0; f < NFLAG_SETS; f++)
				for (size_t m = 0; m < nm; m++, i++)
					mem_set(&t, dst_at(i, mis[(m + i) % 6]),
						Values[i % NVALUES], lens[l], Flag_sets[f]);
		mem_target_close(&t);
	}
}

static void
memset_of_nothing_returns_dst_and_writes_nothing(void **state)
{
	(void)state;
	for (int g = 0; g < NGRANS; g++) {
		struct mem_target t;
		mem_target_open(&t, Grans[g], MAP_SIZE);
		for (size_t f = 0; f < NFLAG_SETS; f++)
			mem_set(&t, dst_at(f, f), 0x33, 0, Flag_sets[f]);
		mem_target_close(&t);
	}
}

/* what a file map's memset wrote is in the file, read back with pread */
static void
memset_into_a_file_map_reaches_the_file(void **state)
{
	(void)state;
	for (int g = 1; g < NGRANS; g++) {
		struct mem_target t;
		mem_target_open(&t, Grans[g], MAP_SIZE);
		for (size_t f = 0; f < NFLAG_SETS; f++)
			mem_set(&t, dst_at(f, 4095 % 64) + 4095, Values[f % NVALUES],
				10000, Flag_sets[f]);
		mem_expect_file(&t);
		mem_target_close(&t);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(memset_of_every_length_up_to_4096_is_exact),
		cmocka_unit_test(memset_of_every_head_and_tail_misalignment_is_exact_under_every_flag_set),
		cmocka_unit_test(memset_at_every_kernel_boundary_length_is_exact),
		cmocka_unit_test(memset_of_nothing_returns_dst_and_writes_nothing),
		cmocka_unit_test(memset_into_a_file_map_reaches_the_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
