/*
 * mem_policy.c -- white-box: the copy templates choose temporal or non-temporal stores, flushes and
 * fences as PMDK's decision table says, for CACHE_LINE, BYTE and PAGE (noflush) entry points
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "test_common.h"

/*
 * The choice between kernels is not observable through the API, so this
 * test compiles the library's own templates (baseline SSE2, as
 * memmove_sse2.c does) with a trace hook that counts what they do.
 */
static struct {
	unsigned t, nt, flush, fence;
} Trace;
#define MEM_TRACE(event) ((void)Trace.event++)
#define ISA trace
#include "../../../libpmem2/x86_64/memmove_kernels.h"
#include "../../../libpmem2/x86_64/memset_kernels.h"

size_t Pmem2_movnt_threshold = 256;
int Pmem2_wc_barrier;

#define NODRAIN PMEM2_F_MEM_NODRAIN
#define NT PMEM2_F_MEM_NONTEMPORAL
#define TEMP PMEM2_F_MEM_TEMPORAL
#define WC PMEM2_F_MEM_WC
#define WB PMEM2_F_MEM_WB
#define NOFLUSH PMEM2_F_MEM_NOFLUSH
#define ALL PMEM2_F_MEM_VALID_FLAGS

enum gran { G_BYTE, G_CL, G_PAGE };
static const char *const Gran_names[] = { "BYTE", "CACHE_LINE", "PAGE" };

/* PMDK's pmem2_mem_ext table: 1 = non-temporal; columns BYTE 128, BYTE 1024, CL/PAGE 128, CL/PAGE 1024 */
static const struct {
	unsigned flags;
	int nt[4];
} Table[] = {
	{ 0, { 0, 0, 0, 1 } },
	{ NT, { 1, 1, 1, 1 } },
	{ TEMP, { 0, 0, 0, 0 } },
	{ NT | TEMP, { 1, 1, 1, 1 } },
	{ WC, { 0, 0, 1, 1 } },
	{ WB, { 0, 0, 0, 0 } },
	{ NOFLUSH, { 0, 0, 0, 0 } },
	{ ALL, { 0, 0, 0, 0 } },
};

static char *Buf;	/* 64-byte aligned, 16 KiB */

static int
setup(void **state)
{
	(void)state;
	Buf = aligned_alloc(64, 16384);
	if (Buf == NULL)
		return -1;
	test_fill_pattern(Buf, 16384, 5);	/* defined bytes to copy and compare */
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	free(Buf);
	return 0;
}

/* runs memmove (op 0) or memset (op 1) of one granularity, counting what it did */
static void
run(enum gran g, int op, char *dst, size_t len, unsigned flags)
{
	memset(&Trace, 0, sizeof(Trace));
	const char *src = Buf + 8192;
	void *ret;
	if (op == 0)
		ret = g == G_BYTE ? memmove_byte_trace(dst, src, len, flags) :
			g == G_CL ? memmove_cl_clflush_trace(dst, src, len, flags) :
			memmove_noflush_trace(dst, src, len, flags);
	else
		ret = g == G_BYTE ? memset_byte_trace(dst, 0x5a, len, flags) :
			g == G_CL ? memset_cl_clflush_trace(dst, 0x5a, len, flags) :
			memset_noflush_trace(dst, 0x5a, len, flags);
	assert_ptr_equal(ret, dst);
	if (op == 0)
		assert_memory_equal(dst, src, len);
}

/* lines touched by [mis, mis + len) from a line boundary */
static unsigned
lines_touched(size_t mis, size_t len)
{
	return len == 0 ? 0 : (unsigned)((mis + len - 1) / 64 - mis / 64 + 1);
}

/*
 * Flushes of a forward non-temporal copy: the head up to the first line
 * boundary and a tail that is not 4, 8, 16 or 32 bytes are written with
 * ordinary stores and flushed; whole lines are streamed.
 */
static unsigned
nt_flushes(size_t mis, size_t len)
{
	size_t h = (64 - mis) % 64;
	if (h > len)
		h = len;
	size_t tail = (len - h) % 64;
	int streamed = tail == 4 || tail == 8 || tail == 16 || tail == 32;
	return (h != 0) + (tail != 0 && !streamed);
}

/* what one call at Buf + mis must have done, given whether it had to stream (nt) */
static void
expect(enum gran g, int op, size_t mis, size_t len, unsigned flags, int nt)
{
	const char *what = op == 0 ? "memmove" : "memset";
	if (Trace.t + Trace.nt != 1 || Trace.nt != (unsigned)nt)
		fail_msg("%s %s mis %zu len %zu flags 0x%x: %s expected, t %u nt %u",
			Gran_names[g], what, mis, len, flags, nt ? "nt" : "t",
			Trace.t, Trace.nt);
	/* CACHE_LINE flushes what ordinary stores wrote; BYTE and PAGE never */
	unsigned flushes = 0;
	if (g == G_CL && !(flags & NOFLUSH))
		flushes = nt ? nt_flushes(mis, len) : lines_touched(mis, len);
	if (Trace.flush != flushes)
		fail_msg("%s %s mis %zu len %zu flags 0x%x: %u flushes, expected %u",
			Gran_names[g], what, mis, len, flags, Trace.flush, flushes);
	unsigned fences;
	if (g == G_PAGE)
		fences = nt;	/* the non-temporal stores are fenced before msync */
	else
		fences = !(flags & (NODRAIN | NOFLUSH));
	if (Trace.fence != fences)
		fail_msg("%s %s mis %zu len %zu flags 0x%x: %u fences, expected %u",
			Gran_names[g], what, mis, len, flags, Trace.fence, fences);
}

static void
kernel_choice_matches_the_pmdk_table_for_every_granularity(void **state)
{
	(void)state;
	static const size_t lens[] = { 128, 1024 };
	for (int g = G_BYTE; g <= G_PAGE; g++)
		for (int op = 0; op < 2; op++)
			for (size_t r = 0; r < sizeof(Table) / sizeof(Table[0]); r++)
				for (int l = 0; l < 2; l++)
					for (int nodrain = 0; nodrain < 2; nodrain++) {
						unsigned flags = Table[r].flags |
							(nodrain ? NODRAIN : 0);
						int col = (g == G_BYTE ? 0 : 2) + l;
						size_t mis = (r * 7 + (size_t)l) % 3 * 20;
						run(g, op, Buf + mis, lens[l], flags);
						expect(g, op, mis, lens[l], flags,
							Table[r].nt[col]);
					}
}

static void
invalid_flag_bits_change_nothing(void **state)
{
	(void)state;
	static const unsigned junk[] = { 1u << 6, 1u << 15, 1u << 31, ~ALL };
	for (int g = G_BYTE; g <= G_PAGE; g++)
		for (int op = 0; op < 2; op++)
			for (size_t j = 0; j < 4; j++)
				for (size_t r = 0; r < sizeof(Table) / sizeof(Table[0]); r++) {
					unsigned flags = Table[r].flags | junk[j];
					int col = (g == G_BYTE ? 0 : 2) + 1;
					run(g, op, Buf + j, 1024, flags);
					expect(g, op, j, 1024, flags & ALL, Table[r].nt[col]);
				}
}

/* below the threshold temporal, from it on non-temporal; the hints override it */
static void
movnt_threshold_splits_default_copies_at_its_value(void **state)
{
	(void)state;
	static const size_t thresholds[] = { 0, 1, 64, 256, 1024, 4096 };
	for (size_t i = 0; i < sizeof(thresholds) / sizeof(thresholds[0]); i++) {
		size_t thr = thresholds[i];
		Pmem2_movnt_threshold = thr;
		for (int g = G_CL; g <= G_PAGE; g++)
			for (int op = 0; op < 2; op++)
				for (size_t len = thr > 2 ? thr - 2 : 1; len <= thr + 2;
						len++) {
					size_t mis = len % 5;
					run(g, op, Buf + mis, len, 0);
					expect(g, op, mis, len, 0, len >= thr);
					run(g, op, Buf + mis, len, TEMP);
					expect(g, op, mis, len, TEMP, 0);
					run(g, op, Buf + mis, len, WB | NODRAIN);
					expect(g, op, mis, len, WB | NODRAIN, 0);
				}
		/* BYTE ignores the threshold */
		for (int op = 0; op < 2; op++) {
			run(G_BYTE, op, Buf, thr + 1, 0);
			expect(G_BYTE, op, 0, thr + 1, 0, 0);
		}
	}
	Pmem2_movnt_threshold = 256;
}

/* temporal copies flush every line they touch, once */
static void
temporal_copies_flush_each_touched_line_once(void **state)
{
	(void)state;
	for (int op = 0; op < 2; op++)
		for (size_t mis = 0; mis < 64; mis += 7)
			for (size_t len = 1; len <= 1100; len += 37) {
				run(G_CL, op, Buf + mis, len, TEMP);
				expect(G_CL, op, mis, len, TEMP, 0);
			}
}

/* non-temporal copies flush only the partial lines written with ordinary stores */
static void
non_temporal_copies_flush_only_unaligned_ends(void **state)
{
	(void)state;
	for (int op = 0; op < 2; op++)
		for (size_t mis = 0; mis < 64; mis++)
			for (size_t len = 1; len <= 700; len += 13) {
				run(G_CL, op, Buf + mis, len, NT);
				expect(G_CL, op, mis, len, NT, 1);
			}
}

static void
nothing_to_copy_does_nothing(void **state)
{
	(void)state;
	for (int g = G_BYTE; g <= G_PAGE; g++)
		for (size_t r = 0; r < sizeof(Table) / sizeof(Table[0]); r++) {
			run(g, 0, Buf, 0, Table[r].flags);
			assert_int_equal(Trace.t + Trace.nt + Trace.flush + Trace.fence, 0);
			run(g, 1, Buf, 0, Table[r].flags);
			assert_int_equal(Trace.t + Trace.nt + Trace.flush + Trace.fence, 0);
			memset(&Trace, 0, sizeof(Trace));
			void *ret = g == G_BYTE ? memmove_byte_trace(Buf, Buf, 100, 0) :
				g == G_CL ? memmove_cl_clflush_trace(Buf, Buf, 100, 0) :
				memmove_noflush_trace(Buf, Buf, 100, 0);
			assert_ptr_equal(ret, Buf);
			assert_int_equal(Trace.t + Trace.nt + Trace.flush + Trace.fence, 0);
		}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kernel_choice_matches_the_pmdk_table_for_every_granularity),
		cmocka_unit_test(invalid_flag_bits_change_nothing),
		cmocka_unit_test(movnt_threshold_splits_default_copies_at_its_value),
		cmocka_unit_test(temporal_copies_flush_each_touched_line_once),
		cmocka_unit_test(non_temporal_copies_flush_only_unaligned_ends),
		cmocka_unit_test(nothing_to_copy_does_nothing),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
