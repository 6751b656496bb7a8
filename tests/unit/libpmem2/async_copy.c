/* async_copy.c -- pmem2_memcpy_async, pmem2_memmove_async (overlapping both ways) and pmem2_memset_async leave the right bytes in the map and in the file, at every granularity, with the default, sync and threads movers, waited for by polling and by the runtime */
#include "async_common.h"

#define MAP_SIZE ((size_t)1 << 20)
#define EXT_SIZE ((size_t)512 << 10)

enum op_kind { OP_MEMCPY, OP_MEMMOVE, OP_MEMSET };

/* one call: dst and src are offsets (src into Ext for memcpy, into the map for memmove) */
struct op {
	enum op_kind kind;
	size_t dst;
	size_t src;
	size_t len;
	int c;
};

static const struct op Ops[] = {
	/* memcpy from outside the map: empty, tiny, around a line, around the threshold, pages, large */
	{ OP_MEMCPY, 0, 0, 0, 0 },
	{ OP_MEMCPY, 1, 3, 1, 0 },
	{ OP_MEMCPY, 4096 + 7, 100, 63, 0 },
	{ OP_MEMCPY, 8192, 64, 64, 0 },
	{ OP_MEMCPY, 12288 + 33, 5, 65, 0 },
	{ OP_MEMCPY, 16384 + 1, 0, 255, 0 },
	{ OP_MEMCPY, 20480, 1000, 256, 0 },
	{ OP_MEMCPY, 24576 + 60, 17, 4095, 0 },
	{ OP_MEMCPY, 32768, 4096, 4096, 0 },
	{ OP_MEMCPY, 65536 + 13, 31, 65536 + 13, 0 },
	{ OP_MEMCPY, 200000, 1, 300000, 0 },
	/* memmove inside the map: dst below src (forward copy), overlapping by all but dist */
	{ OP_MEMMOVE, 600000, 600001, 1000, 0 },
	{ OP_MEMMOVE, 610000 + 3, 610000 + 3 + 7, 4096, 0 },
	{ OP_MEMMOVE, 620000, 620000 + 64, 255, 0 },
	{ OP_MEMMOVE, 630000 + 1, 630000 + 1 + 255, 65536, 0 },
	/* dst above src (backward copy) */
	{ OP_MEMMOVE, 700001, 700000, 1000, 0 },
	{ OP_MEMMOVE, 710000 + 3 + 7, 710000 + 3, 4096, 0 },
	{ OP_MEMMOVE, 720000 + 64, 720000, 255, 0 },
	{ OP_MEMMOVE, 800000 + 255, 800000, 65536 + 1, 0 },
	/* memmove without overlap, and onto itself */
	{ OP_MEMMOVE, 900000, 950000, 20000, 0 },
	{ OP_MEMMOVE, 970000, 970000, 100, 0 },
	/* memset */
	{ OP_MEMSET, 0, 0, 0, 0x11 },
	{ OP_MEMSET, 2, 0, 1, 0xff },
	{ OP_MEMSET, 4096 + 5, 0, 63, 0x5a },
	{ OP_MEMSET, 40000, 0, 256, 0 },
	{ OP_MEMSET, 50000 + 9, 0, 8191, 0xa5 },
	{ OP_MEMSET, 300001, 0, 200000, 0x3c },
};
#define NOPS (sizeof(Ops) / sizeof(Ops[0]))

static unsigned char *Ext;	/* what memcpy copies from */

static int
setup(void **state)
{
	(void)state;
	Ext = malloc(EXT_SIZE);
	if (Ext == NULL)
		return -1;
	test_fill_pattern(Ext, EXT_SIZE, 4242);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	free(Ext);
	return 0;
}

/* the call itself; pass changes the memset value so both passes write something new */
static struct pmem2_future
start(struct async_target *t, const struct op *op, int pass)
{
	switch (op->kind) {
	case OP_MEMCPY:
		return pmem2_memcpy_async(t->map, t->base + op->dst,
			Ext + op->src, op->len, 0);
	case OP_MEMMOVE:
		return pmem2_memmove_async(t->map, t->base + op->dst,
			t->base + op->src, op->len, 0);
	case OP_MEMSET:
	default:
		return pmem2_memset_async(t->map, t->base + op->dst,
			op->c ^ pass, op->len, 0);
	}
}

/* what the call must have done, applied to the shadow */
static void
apply(struct async_target *t, const struct op *op, int pass)
{
	switch (op->kind) {
	case OP_MEMCPY:
		memcpy(t->shadow + op->dst, Ext + op->src, op->len);
		break;
	case OP_MEMMOVE:
		memmove(t->shadow + op->dst, t->shadow + op->src, op->len);
		break;
	case OP_MEMSET:
		memset(t->shadow + op->dst, op->c ^ pass, op->len);
		break;
	}
}

static const char *const Op_names[] = { "memcpy", "memmove", "memset" };

/* every op of the list, waited for by polling (rt NULL) or by the runtime; each checked at once */
static void
run_ops(struct async_target *t, struct runtime *rt, int pass)
{
	for (size_t i = 0; i < NOPS; i++) {
		const struct op *op = &Ops[i];
		struct pmem2_future fut = start(t, op, pass);
		async_wait(rt, &fut);
		apply(t, op, pass);
		if (FUTURE_OUTPUT(&fut)->dest != t->base + op->dst)
			fail_msg("%s map, %s mover: %s #%zu completed with dest %p, not %p",
				Async_gran_names[t->gran], Async_mover_names[t->mover],
				Op_names[op->kind], i, FUTURE_OUTPUT(&fut)->dest,
				(void *)(t->base + op->dst));
		size_t lo = op->dst, hi = op->dst + op->len;
		if (op->kind == OP_MEMMOVE && op->src < lo)
			lo = op->src;
		if (memcmp(t->base + lo, t->shadow + lo, hi - lo) != 0) {
			char what[128];
			snprintf(what, sizeof(what), "after %s #%zu (dst %zu src %zu len %zu, %s)",
				Op_names[op->kind], i, op->dst, op->src, op->len,
				rt == NULL ? "busy poll" : "runtime_wait");
			async_expect_shadow(t, (unsigned char *)t->base, what);
		}
	}
}

static void
copies_at_every_granularity(enum async_mover m)
{
	struct runtime *rt = runtime_new();
	assert_non_null(rt);
	for (int g = 0; g < ASYNC_NGRANS; g++) {
		struct async_target t;
		async_target_open(&t, Async_grans[g], m, MAP_SIZE);
		run_ops(&t, NULL, 0);
		run_ops(&t, rt, 1);
		async_target_close(&t);
	}
	runtime_delete(rt);
}

static void
copies_reach_the_map_and_the_file_at_every_granularity_with_the_default_mover(void **state)
{
	(void)state;
	copies_at_every_granularity(MOVER_DEFAULT);
}

static void
copies_reach_the_map_and_the_file_at_every_granularity_with_the_sync_mover(void **state)
{
	(void)state;
	copies_at_every_granularity(MOVER_SYNC);
}

static void
copies_reach_the_map_and_the_file_at_every_granularity_with_the_threads_mover(void **state)
{
	(void)state;
	copies_at_every_granularity(MOVER_THREADS);
}

/* the operation runs when the future is first polled, not when it is made */
static void
nothing_is_written_before_the_first_poll(void **state)
{
	(void)state;
	for (int m = 0; m < ASYNC_NMOVERS; m++) {
		struct async_target t;
		async_target_open(&t, PMEM2_GRANULARITY_PAGE, (enum async_mover)m,
			MAP_SIZE);
		struct pmem2_future cpy = pmem2_memcpy_async(t.map, t.base, Ext, 4096, 0);
		struct pmem2_future set = pmem2_memset_async(t.map, t.base + 8192, 0, 4096, 0);
		assert_int_equal(FUTURE_STATE(&cpy), FUTURE_STATE_IDLE);
		assert_int_equal(FUTURE_STATE(&set), FUTURE_STATE_IDLE);
		assert_null(FUTURE_OUTPUT(&cpy)->dest);
		async_expect_shadow(&t, (unsigned char *)t.base, "before any poll");
		async_wait(NULL, &set);
		async_wait(NULL, &cpy);
		memcpy(t.shadow, Ext, 4096);
		memset(t.shadow + 8192, 0, 4096);
		async_target_close(&t);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(copies_reach_the_map_and_the_file_at_every_granularity_with_the_default_mover),
		cmocka_unit_test(copies_reach_the_map_and_the_file_at_every_granularity_with_the_sync_mover),
		cmocka_unit_test(copies_reach_the_map_and_the_file_at_every_granularity_with_the_threads_mover),
		cmocka_unit_test(nothing_is_written_before_the_first_poll),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
