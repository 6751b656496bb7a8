/* smoke.c -- libminiasync's basics: a future polled to completion, a two-entry chain, memcpy through both movers, the ABI sizes */
#include <stdlib.h>
#include <string.h>

#include <libminiasync.h>

#include "test_common.h"

/* the x86_64 layouts of miniasync 0.2: programs and libpmem2 poke at these */
_Static_assert(sizeof(struct future_context) == 24, "future_context");
_Static_assert(sizeof(struct future) == 40, "future");
_Static_assert(sizeof(struct future_waker) == 16, "future_waker");
_Static_assert(sizeof(struct future_poller) == 8, "future_poller");
_Static_assert(sizeof(struct future_notifier) == 32, "future_notifier");
_Static_assert(sizeof(struct future_chain_entry) == 80, "future_chain_entry");
_Static_assert(sizeof(struct vdm) == 48, "vdm");
_Static_assert(offsetof(struct vdm, op_new) == 0, "vdm.op_new");
_Static_assert(offsetof(struct vdm, op_delete) == 8, "vdm.op_delete");
_Static_assert(offsetof(struct vdm, op_start) == 16, "vdm.op_start");
_Static_assert(offsetof(struct vdm, op_check) == 24, "vdm.op_check");
_Static_assert(offsetof(struct vdm, capabilities) == 32, "vdm.capabilities");
_Static_assert(offsetof(struct vdm, has_property) == 40, "vdm.has_property");
_Static_assert(sizeof(struct vdm_operation) == 48, "vdm_operation");
_Static_assert(sizeof(struct vdm_operation_data) == 64, "vdm_operation_data");
_Static_assert(sizeof(struct vdm_operation_output) == 16, "vdm_operation_output");
_Static_assert(sizeof(struct vdm_operation_future) == 120, "vdm_operation_future");

/* a future counting down: RUNNING until its counter reaches zero, then COMPLETE */
struct countdown_data {
	int left;
};
struct countdown_output {
	int polls;
};
FUTURE(countdown_future, struct countdown_data, struct countdown_output);

static enum future_state
countdown_impl(struct future_context *ctx, struct future_notifier *notifier)
{
	(void)notifier;
	struct countdown_data *data = future_context_get_data(ctx);
	struct countdown_output *out = future_context_get_output(ctx);
	out->polls++;
	return --data->left > 0 ? FUTURE_STATE_RUNNING : FUTURE_STATE_COMPLETE;
}

static struct countdown_future
countdown(int n)
{
	struct countdown_future f;
	f.data.left = n;
	f.output.polls = 0;
	FUTURE_INIT(&f, countdown_impl);
	return f;
}

static void
future_is_polled_until_its_task_completes(void **state)
{
	(void)state;
	struct countdown_future f = countdown(3);
	assert_int_equal(FUTURE_STATE(&f), FUTURE_STATE_IDLE);
	assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&f), NULL), FUTURE_STATE_RUNNING);
	assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&f), NULL), FUTURE_STATE_RUNNING);
	assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&f), NULL), FUTURE_STATE_COMPLETE);
	/* a complete future's task is not run again */
	assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&f), NULL), FUTURE_STATE_COMPLETE);
	assert_int_equal(FUTURE_OUTPUT(&f)->polls, 3);
	assert_int_equal(future_has_property(FUTURE_AS_RUNNABLE(&f), FUTURE_PROPERTY_ASYNC), 0);
}

/* a chain: count down a, its polls become b's count, b's polls the chain's output */
struct two_data {
	FUTURE_CHAIN_ENTRY(struct countdown_future, a);
	FUTURE_CHAIN_ENTRY_LAST(struct countdown_future, b);
};
struct two_output {
	int b_polls;
};
FUTURE(two_future, struct two_data, struct two_output);

static void
a_to_b(struct future_context *lhs, struct future_context *rhs, void *arg)
{
	struct countdown_output *a = future_context_get_output(lhs);
	struct countdown_data *b = future_context_get_data(rhs);
	b->left = a->polls + *(int *)arg;
}

static void
b_to_chain(struct future_context *lhs, struct future_context *rhs, void *arg)
{
	(void)arg;
	struct countdown_output *b = future_context_get_output(lhs);
	struct two_output *out = future_context_get_output(rhs);
	out->b_polls = b->polls;
}

static void
chain_runs_entries_in_order_through_map_functions(void **state)
{
	(void)state;
	int extra = 2;
	struct two_future f;
	FUTURE_CHAIN_ENTRY_INIT(&f.data.a, countdown(2), a_to_b, &extra);
	FUTURE_CHAIN_ENTRY_INIT(&f.data.b, countdown(100), b_to_chain, NULL);
	f.output.b_polls = 0;
	FUTURE_CHAIN_INIT(&f);
	assert_false(FUTURE_CHAIN_ENTRY_IS_LAST(&f.data.a));
	assert_true(FUTURE_CHAIN_ENTRY_IS_LAST(&f.data.b));

	int polls = 0;
	while (future_poll(FUTURE_AS_RUNNABLE(&f), NULL) != FUTURE_STATE_COMPLETE)
		polls++;
	/* a takes 2 polls, b then counts 2 + 2 = 4; each completion moves on in the same poll */
	assert_int_equal(f.output.b_polls, 4);
	assert_int_equal(polls + 1, 2 + 4 - 1);
	assert_true(FUTURE_CHAIN_ENTRY_IS_PROCESSED(&f.data.a));
	assert_true(FUTURE_CHAIN_ENTRY_IS_PROCESSED(&f.data.b));
}

static void
memcpy_through_sync_mover_completes_at_first_poll(void **state)
{
	(void)state;
	char src[256], dst[256];
	test_fill_pattern(src, sizeof(src), 1);
	memset(dst, 0, sizeof(dst));

	struct data_mover_sync *dms = data_mover_sync_new();
	assert_non_null(dms);
	struct vdm *vdm = data_mover_sync_get_vdm(dms);
	assert_false(vdm_is_supported(vdm, VDM_F_MEM_DURABLE));
	assert_false(vdm_is_supported(vdm, VDM_F_NO_CACHE_HINT));

	struct vdm_operation_future f = vdm_memcpy(vdm, dst, src, sizeof(src), 0);
	assert_int_equal(FUTURE_STATE(&f), FUTURE_STATE_IDLE);
	assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&f), NULL), FUTURE_STATE_COMPLETE);
	assert_memory_equal(dst, src, sizeof(src));
	assert_int_equal(f.output.type, VDM_OPERATION_MEMCPY);
	assert_int_equal(f.output.result, VDM_SUCCESS);
	assert_ptr_equal(f.output.output.memcpy.dest, dst);
	data_mover_sync_delete(dms);
}

static void
memcpy_through_threads_mover_completes_in_runtime_wait(void **state)
{
	(void)state;
	size_t len = 4 << 20;
	char *src = malloc(len), *dst = calloc(1, len);
	assert_non_null(src);
	assert_non_null(dst);
	test_fill_pattern(src, len, 2);

	struct runtime *r = runtime_new();
	assert_non_null(r);
	struct data_mover_threads *dmt = data_mover_threads_default();
	assert_non_null(dmt);
	struct vdm *vdm = data_mover_threads_get_vdm(dmt);

	struct vdm_operation_future f = vdm_memcpy(vdm, dst, src, len, 0);
	assert_int_equal(future_has_property(FUTURE_AS_RUNNABLE(&f), FUTURE_PROPERTY_ASYNC), 1);
	runtime_wait(r, FUTURE_AS_RUNNABLE(&f));
	assert_int_equal(FUTURE_STATE(&f), FUTURE_STATE_COMPLETE);
	assert_int_equal(f.output.result, VDM_SUCCESS);
	assert_ptr_equal(f.output.output.memcpy.dest, dst);
	assert_memory_equal(dst, src, len);

	data_mover_threads_delete(dmt);
	runtime_delete(r);
	free(src);
	free(dst);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(future_is_polled_until_its_task_completes),
		cmocka_unit_test(chain_runs_entries_in_order_through_map_functions),
		cmocka_unit_test(memcpy_through_sync_mover_completes_at_first_poll),
		cmocka_unit_test(memcpy_through_threads_mover_completes_in_runtime_wait),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
