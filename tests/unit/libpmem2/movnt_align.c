/* movnt_align.c -- every head/tail misalignment against guard pages: no access outside the ranges, maps deleted first */
#include "mem_common.h"

#define LINES 4			/* whole lines between head and tail */
#define SPAN (64 + LINES * 64 + 64)

struct fns {
	pmem2_memmove_fn memmove_fn;
	pmem2_memcpy_fn memcpy_fn;
	pmem2_memset_fn memset_fn;
	pmem2_drain_fn drain_fn;
};

static void
fns_of_deleted_map(enum pmem2_granularity g, struct fns *f)
{
	struct mem_target t;
	mem_target_open(&t, g, (size_t)2 << 20);
	f->memmove_fn = t.memmove_fn;
	f->memcpy_fn = t.memcpy_fn;
	f->memset_fn = t.memset_fn;
	f->drain_fn = t.drain_fn;
	mem_target_close(&t);
}

/* one guarded area for destinations, one for sources, one for overlapping moves */
static struct guarded Gd, Gs, Go;

static int
setup(void **state)
{
	(void)state;
	guarded_alloc(&Gd, 8192);
	guarded_alloc(&Gs, 8192);
	guarded_alloc(&Go, 8192);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	guarded_free(&Gd);
	guarded_free(&Gs);
	guarded_free(&Go);
	return 0;
}

/*
 * The copy [dst, dst + len) of [src, src + len) where one range ends right
 * at a guard page and the other starts right after one (swapped by at_end):
 * a kernel that touches a byte outside either range dies with SIGSEGV.
 */
static void
one_copy(const struct fns *f, int op, size_t len, unsigned flags, int at_end)
{
	char *dst = guarded_at(&Gd, len, at_end);
	char *src = guarded_at(&Gs, len, !at_end);
	char expect[8192];
	assert_true(len <= sizeof(expect));
	mem_fill(src, len, (unsigned)(len * 3 + flags));
	mem_fill(dst, len, (unsigned)(len * 5 + flags + 1));
	void *ret;
	switch (op) {
	case 0:
		memcpy(expect, src, len);
		ret = f->memcpy_fn(dst, src, len, flags);
		break;
	case 1:
		memcpy(expect, src, len);
		ret = f->memmove_fn(dst, src, len, flags);
		break;
	default:
		memset(expect, 0xa5, len);
		ret = f->memset_fn(dst, 0xa5, len, flags);
		break;
	}
	if (flags & NODRAIN)
		f->drain_fn();
	assert_ptr_equal(ret, dst);
	if (memcmp(dst, expect, len) != 0)
		fail_msg("op %d len %zu flags 0x%x at_end %d: wrong data", op, len,
			flags, at_end);
}

/* overlapping memmove by dist up or down inside a range at a guard page */
static void
one_overlap(const struct fns *f, size_t len, size_t dist, int up, int at_end,
	unsigned flags)
{
	size_t total = len + dist;
	char *area = guarded_at(&Go, total, at_end);
	char expect[8192];
	assert_true(total <= sizeof(expect));
	mem_fill(area, total, (unsigned)(len + dist + flags));
	memcpy(expect, area, total);
	char *dst = up ? area + dist : area;
	char *src = up ? area : area + dist;
	memmove(expect + (dst - area), expect + (src - area), len);
	assert_ptr_equal(f->memmove_fn(dst, src, len, flags), dst);
	if (flags & NODRAIN)
		f->drain_fn();
	if (memcmp(area, expect, total) != 0)
		fail_msg("memmove %s len %zu dist %zu flags 0x%x: wrong data",
			up ? "up" : "down", len, dist, flags);
}

static void
every_misalignment_at_a_guard_page_touches_only_its_ranges(void **state)
{
	(void)state;
	size_t step = mem_step() > 1 ? 5 : 1;
	for (int g = 0; g < NGRANS; g++) {
		struct fns f;
		fns_of_deleted_map(Grans[g], &f);
		size_t i = 0;
		for (size_t fl = 0; fl < NFLAG_SETS; fl++)
			for (size_t head = 0; head < 64; head += step)
				for (size_t tail = 0; tail < 64; tail += step, i++) {
					size_t len = (64 - head) % 64 + LINES * 64 + tail;
					/*
					 * one end of each range sits at a page boundary
					 * (the guard), the other takes every misalignment
					 */
					one_copy(&f, (int)(i % 3), len, Flag_sets[fl],
						(int)(i & 1));
				}
	}
}

static void
short_copies_of_every_length_at_a_guard_page_touch_only_their_ranges(void **state)
{
	(void)state;
	for (int g = 0; g < NGRANS; g++) {
		struct fns f;
		fns_of_deleted_map(Grans[g], &f);
		for (size_t len = 0; len <= SPAN; len++)
			for (int op = 0; op < 3; op++)
				one_copy(&f, op, len, Flag_sets[(len + (size_t)op) %
					NFLAG_SETS], (int)((len + (size_t)op) & 1));
	}
}

static void
overlapping_memmove_at_a_guard_page_touches_only_its_range(void **state)
{
	(void)state;
	static const size_t dists[] = { 1, 8, 63, 64, 65, 200 };
	size_t step = mem_step() > 1 ? 9 : 1;
	for (int g = 0; g < NGRANS; g++) {
		struct fns f;
		fns_of_deleted_map(Grans[g], &f);
		size_t i = 0;
		for (size_t head = 0; head < 64; head += step)
			for (size_t tail = 0; tail < 64; tail += step, i++) {
				size_t len = (64 - head) % 64 + 2 * 64 + tail;
				/* the end away from the guard page takes every misalignment */
				one_overlap(&f, len + head, dists[i % 6], (int)(i & 1),
					(int)((i >> 1) & 1), Flag_sets[i % NFLAG_SETS]);
			}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_misalignment_at_a_guard_page_touches_only_its_ranges),
		cmocka_unit_test(short_copies_of_every_length_at_a_guard_page_touch_only_their_ranges),
		cmocka_unit_test(overlapping_memmove_at_a_guard_page_touches_only_its_range),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
