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
	static const size_t lines[] = { 0, 1, 4 };
	size_t step = mem_step();
	for (int g = 0; g < NGRANS; g++) {
		struct mem_target t;
		mem_target_open(&t, Grans[g], MAP_SIZE);
		size_t i = 0;
		for (size_t f = 0; f < NFLAG_SETS; f++)
			for (size_t head = 0; head < 64; head++)
				for (size_t tail = (head + f) % step; tail < 64;
						tail += step, i++) {
					size_t k = lines[(f + head + tail) % 3];
					size_t len = (64 - head) % 64 + 64 * k + tail;
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
	static const size_t base[] = { 1, 2, 4, 8, 16, 32, 64, 128, 192, 256,
		384, 512, 768, 1024, 2304, 4096 };
	static const size_t mis[] = { 0, 1, 8, 31, 32, 63 };
	size_t thr = mem_threshold();
	for (int g = 0; g < NGRANS; g++) {
		struct mem_target t;
		mem_target_open(&t, Grans[g], MAP_SIZE);
		size_t i = 0, nm = mem_step() > 1 ? 1 : 6;
		for (size_t b = 0; b <= sizeof(base) / sizeof(base[0]); b++) {
			size_t center = b < sizeof(base) / sizeof(base[0]) ?
				base[b] : thr;
			if (center > 8192)
				continue;
			for (size_t len = center ? center - 1 : 0; len <= center + 1;
					len++)
				for (size_t f = 0; f < NFLAG_SETS; f++)
					for (size_t m = 0; m < nm; m++, i++)
						mem_set(&t, dst_at(i, mis[(m + i) % 6]),
							Values[i % NVALUES], len,
							Flag_sets[f]);
		}
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
		char *file = malloc(MAP_SIZE);
		assert_non_null(file);
		assert_int_equal(pread(t.fd, file, MAP_SIZE, 0), (ssize_t)MAP_SIZE);
		assert_memory_equal(file, t.shadow, MAP_SIZE);
		free(file);
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
