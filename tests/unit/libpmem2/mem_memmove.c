/* mem_memmove.c -- pmem2 memmove is exact for overlapping ranges in both directions, every length and misalignment */
#include "mem_common.h"

#define MAP_SIZE ((size_t)1 << 20)
#define AREA ((size_t)64 << 10)		/* overlapping copies stay in [64 KiB, 960 KiB) */

static size_t
area_at(size_t i, size_t misalign)
{
	return AREA + (i % 64) * 12288 + misalign;
}

/* dst below src by dist: a forward copy must not read what it already wrote */
static void
move_down(struct mem_target *t, size_t i, size_t misalign, size_t dist,
	size_t len, unsigned flags)
{
	size_t dst = area_at(i, misalign);
	mem_move(t, dst, dst + dist, len, flags, 0);
}

/* dst above src by dist: only a backward copy is right */
static void
move_up(struct mem_target *t, size_t i, size_t misalign, size_t dist,
	size_t len, unsigned flags)
{
	size_t src = area_at(i, misalign);
	mem_move(t, src + dist, src, len, flags, 0);
}

static void
memmove_of_every_length_up_to_4096_with_overlap_is_exact_both_ways(void **state)
{
	(void)state;
	size_t step = mem_step();
	for (int g = 0; g < NGRANS; g++) {
		struct mem_target t;
		mem_target_open(&t, Grans[g], MAP_SIZE);
		for (size_t len = 0; len <= 4096; len += step) {
			unsigned flags = Flag_sets[(len + len / 64) % NFLAG_SETS];
			size_t dist = len / 3 + 1 + len % 7;
			move_down(&t, len, (len * 7) % 64, dist, len, flags);
			move_up(&t, len + 1, (len * 11) % 64, dist, len, flags);
		}
		mem_target_close(&t);
	}
}

/* every distance below two lines and a few beyond, around each kernel length */
static void
memmove_at_every_overlap_distance_is_exact_both_ways(void **state)
{
	(void)state;
	static const size_t lens[] = { 1, 7, 31, 63, 64, 65, 127, 128, 129, 255,
		256, 257, 300, 511, 1024, 4096 };
	size_t step = mem_step();
	size_t i = 0;
	for (int g = 0; g < NGRANS; g++) {
		struct mem_target t;
		mem_target_open(&t, Grans[g], MAP_SIZE);
		for (size_t dist = 1; dist <= 4200; dist += dist < 140 ? step :
				dist * 3 / 2) {
			for (size_t l = 0; l < sizeof(lens) / sizeof(lens[0]); l++, i++) {
				unsigned flags = Flag_sets[i % NFLAG_SETS];
				move_down(&t, i, i % 64, dist, lens[l], flags);
				move_up(&t, i, (i * 5) % 64, dist, lens[l], flags);
			}
		}
		mem_target_close(&t);
	}
}

static void
memmove_of_every_head_and_tail_misalignment_is_exact_under_every_flag_set(
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
					/* src misalignment differs from dst's by dist */
					size_t dist = 1 + (head * 7 + tail) % 70;
					if (i & 1)
						move_down(&t, i, head, dist, len,
							Flag_sets[f]);
					else
						move_up(&t, i, head - dist % 64 + 64,
							dist, len, Flag_sets[f]);
				}
		mem_target_close(&t);
	}
}

static void
memmove_of_nothing_or_onto_itself_returns_dst_and_writes_nothing(void **state)
{
	(void)state;
	for (int g = 0; g < NGRANS; g++) {
		struct mem_target t;
		mem_target_open(&t, Grans[g], MAP_SIZE);
		for (size_t f = 0; f < NFLAG_SETS; f++) {
			move_down(&t, f, 1, 5, 0, Flag_sets[f]);
			move_up(&t, f, 1, 5, 0, Flag_sets[f]);
			move_up(&t, f, 3, 0, 777, Flag_sets[f]);
		}
		mem_target_close(&t);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(memmove_of_every_length_up_to_4096_with_overlap_is_exact_both_ways),
		cmocka_unit_test(memmove_at_every_overlap_distance_is_exact_both_ways),
		cmocka_unit_test(memmove_of_every_head_and_tail_misalignment_is_exact_under_every_flag_set),
		cmocka_unit_test(memmove_of_nothing_or_onto_itself_returns_dst_and_writes_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
