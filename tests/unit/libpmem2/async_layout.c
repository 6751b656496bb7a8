/* async_layout.c -- struct pmem2_future and its parts have PMDK 1.12's sizes and offsets on x86_64 (checked when compiling), and a future the library returns is laid out the way the chain engine walks it */
#include <stddef.h>

#include "async_common.h"

#if defined(__x86_64__)
_Static_assert(sizeof(struct pmem2_future) == 320, "pmem2_future is 320 bytes");
_Static_assert(offsetof(struct pmem2_future, data) == 40, "data follows the 40-byte future head");
_Static_assert(sizeof(struct pmem2_future_data) == 272, "pmem2_future_data is 272 bytes");
_Static_assert(offsetof(struct pmem2_future_data, op) == 0, "op entry first");
_Static_assert(sizeof(((struct pmem2_future_data *)0)->op) == 160, "op entry is 160 bytes");
_Static_assert(offsetof(struct pmem2_future_data, fin) == 160, "fin entry at 160");
_Static_assert(sizeof(((struct pmem2_future_data *)0)->fin) == 112, "fin entry is 112 bytes");
_Static_assert(offsetof(struct pmem2_future, output) == 312, "output at 312");
_Static_assert(sizeof(struct pmem2_future_output) == 8, "output is one pointer");
_Static_assert(sizeof(struct pmem2_persist_future) == 72, "pmem2_persist_future is 72 bytes");
_Static_assert(sizeof(union pmem2_finalize_future) == 72, "pmem2_finalize_future is 72 bytes");
_Static_assert(sizeof(struct pmem2_persist_future_data) == 24, "persist data: map, ptr, size");
_Static_assert(sizeof(struct pmem2_persist_future_output) == 8, "persist output: one word");
_Static_assert(sizeof(struct vdm_operation_future) == 120, "vdm_operation_future is 120 bytes");
_Static_assert(sizeof(struct vdm) == 48, "vdm is 48 bytes");
/* what PMDK's tests read: cpy.data.op.fut.data.operation.data.memcpy.flags */
_Static_assert(offsetof(struct pmem2_future, data.op.fut) == 80, "op future at 80");
_Static_assert(offsetof(struct pmem2_future,
	data.op.fut.data.operation.data.memcpy.flags) == 160, "vdm flags at 160");
_Static_assert(offsetof(struct pmem2_future, data.fin.fut.persist.data) == 280,
	"persist data at 280");
#endif

/* the sizes each context carries are those of the types: the chain walk finds fin right after op */
static void
a_returned_future_carries_the_sizes_the_chain_walk_needs(void **state)
{
	(void)state;
	struct async_target t;
	async_target_open(&t, PMEM2_GRANULARITY_PAGE, MOVER_DEFAULT, 4096);
	struct pmem2_future f = pmem2_memset_async(t.map, t.base, 9, 100, 0);
	assert_int_equal(f.base.context.data_size, sizeof(struct pmem2_future_data));
	assert_int_equal(f.base.context.output_size, sizeof(struct pmem2_future_output));
	assert_int_equal(f.data.op.fut.base.context.data_size,
		sizeof(struct vdm_operation_data));
	assert_int_equal(f.data.op.fut.base.context.output_size,
		sizeof(struct vdm_operation_output));
	assert_int_equal(f.data.fin.fut.persist.base.context.data_size,
		sizeof(struct pmem2_persist_future_data));
	assert_int_equal(f.data.fin.fut.persist.base.context.output_size,
		sizeof(struct pmem2_persist_future_output));
	struct future_chain_entry *op = (struct future_chain_entry *)&f.data.op;
	assert_ptr_equal(future_chain_entry_next(&f.base.context, op),
		(struct future_chain_entry *)&f.data.fin);
	assert_non_null(f.data.fin.fut.persist.base.task);
	async_wait(NULL, &f);
	memset(t.shadow, 9, 100);
	async_target_close(&t);
}

/* the inline persist future completes at its first poll and tells the poller it needs no notifier */
static void
a_persist_future_completes_at_the_first_poll(void **state)
{
	(void)state;
	struct async_target t;
	async_target_open(&t, PMEM2_GRANULARITY_CACHE_LINE, MOVER_DEFAULT, 4096);
	t.base[5] = 'p';
	t.shadow[5] = 'p';
	union pmem2_finalize_future p = pmem2_persist_future(t.map, t.base, 64);
	assert_int_equal(FUTURE_STATE(&p.persist), FUTURE_STATE_IDLE);
	struct future_notifier n;
	memset(&n, 0xff, sizeof(n));
	assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&p.persist), &n),
		FUTURE_STATE_COMPLETE);
	assert_int_equal(n.notifier_used, FUTURE_NOTIFIER_NONE);
	async_target_close(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_returned_future_carries_the_sizes_the_chain_walk_needs),
		cmocka_unit_test(a_persist_future_completes_at_the_first_poll),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
