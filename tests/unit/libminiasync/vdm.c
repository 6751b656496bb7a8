/* vdm.c -- the inline vdm API over a handmade mover: the operation task's steps, retries, out of memory, capability tests */
#include <string.h>

#include "miniasync_test.h"

/* a mover of our own that records each call, and can refuse to allocate or to start */
struct handmade {
	struct vdm base;
	int refuse_new;
	int refuse_starts;	/* how many op_start calls fail before one succeeds */
	int checks_running;	/* how many op_check calls say RUNNING first */
	int news, starts, checks, deletes;
	struct future_notifier *start_notifier;
	struct vdm_operation started;	/* what op_start was given */
	char record;			/* op_new hands out its address */
};

static void *
hm_new(struct vdm *vdm, const enum vdm_operation_type type)
{
	struct handmade *hm = (struct handmade *)vdm;
	hm->news++;
	return hm->refuse_new ? NULL : &hm->record;
}

static struct handmade *
hm_of(void *data)
{
	return (struct handmade *)((char *)data -
		offsetof(struct handmade, record));
}

static int
hm_start(void *data, const struct vdm_operation *operation,
	struct future_notifier *n)
{
	struct handmade *hm = hm_of(data);
	hm->starts++;
	hm->start_notifier = n;
	if (hm->refuse_starts > 0) {
		hm->refuse_starts--;
		return 1;
	}
	hm->started = *operation;
	if (n != NULL)
		n->notifier_used = FUTURE_NOTIFIER_NONE;
	return 0;
}

static enum future_state
hm_check(void *data, const struct vdm_operation *operation)
{
	struct handmade *hm = hm_of(data);
	hm->checks++;
	if (hm->checks_running > 0) {
		hm->checks_running--;
		return FUTURE_STATE_RUNNING;
	}
	return FUTURE_STATE_COMPLETE;
}

static void
hm_delete(void *data, const struct vdm_operation *operation,
	struct vdm_operation_output *output)
{
	struct handmade *hm = hm_of(data);
	hm->deletes++;
	output->type = operation->type;
	output->result = VDM_SUCCESS;
	output->output.memcpy.dest = operation->data.memcpy.dest;
}

static int
hm_async(void *future, enum future_property property)
{
	return 1;
}

static void
handmade_init(struct handmade *hm, unsigned capabilities)
{
	memset(hm, 0, sizeof(*hm));
	hm->base = (struct vdm){ .op_new = hm_new, .op_delete = hm_delete,
		.op_start = hm_start, .op_check = hm_check,
		.capabilities = capabilities, .has_property = NULL };
}

static void
is_supported_tests_every_bit_of_the_capability(void **state)
{
	struct handmade hm;

	handmade_init(&hm, VDM_F_NO_CACHE_HINT);
	assert_true(vdm_is_supported(&hm.base, VDM_F_NO_CACHE_HINT));
	/* miniasync's logical && said yes here (and no above) */
	assert_false(vdm_is_supported(&hm.base, VDM_F_MEM_DURABLE));
	assert_false(vdm_is_supported(&hm.base, VDM_F_VALID_FLAGS));
	assert_true(vdm_is_supported(&hm.base, 0));

	handmade_init(&hm, VDM_F_MEM_DURABLE);
	assert_true(vdm_is_supported(&hm.base, VDM_F_MEM_DURABLE));
	assert_false(vdm_is_supported(&hm.base, VDM_F_NO_CACHE_HINT));

	handmade_init(&hm, VDM_F_MEM_DURABLE | VDM_F_NO_CACHE_HINT);
	assert_true(vdm_is_supported(&hm.base, VDM_F_MEM_DURABLE));
	assert_true(vdm_is_supported(&hm.base, VDM_F_NO_CACHE_HINT));
	assert_true(vdm_is_supported(&hm.base, VDM_F_VALID_FLAGS));

	handmade_init(&hm, 0);
	assert_true(vdm_is_supported(&hm.base, 0));
	assert_false(vdm_is_supported(&hm.base, VDM_F_MEM_DURABLE));
	assert_false(vdm_is_supported(&hm.base, VDM_F_NO_CACHE_HINT));
}

static void
the_library_movers_support_neither_durable_nor_no_cache_hint(void **state)
{
	struct data_mover_sync *dms = data_mover_sync_new();
	struct data_mover_threads *dmt = data_mover_threads_new(1, 4,
		FUTURE_NOTIFIER_NONE);
	assert_non_null(dms);
	assert_non_null(dmt);
	struct vdm *movers[] = { data_mover_sync_get_vdm(dms),
		data_mover_threads_get_vdm(dmt) };

	for (int i = 0; i < 2; i++) {
		assert_int_equal(movers[i]->capabilities, 0);
		assert_false(vdm_is_supported(movers[i], VDM_F_MEM_DURABLE));
		assert_false(vdm_is_supported(movers[i], VDM_F_NO_CACHE_HINT));
		assert_true(vdm_is_supported(movers[i], 0));
	}
	data_mover_threads_delete(dmt);
	data_mover_sync_delete(dms);
}

static void
an_operation_starts_then_is_checked_until_complete_then_deleted_once(void **state)
{
	struct handmade hm;
	handmade_init(&hm, 0);
	hm.checks_running = 2;
	char dst[8], src[8] = "abc";

	struct vdm_operation_future fut = vdm_memcpy(&hm.base, dst, src, 4,
		VDM_F_MEM_DURABLE);
	assert_int_equal(hm.news, 1);
	assert_int_equal(hm.starts, 0);	/* nothing before the first poll */
	assert_int_equal(FUTURE_STATE(&fut), FUTURE_STATE_IDLE);
	assert_ptr_equal(fut.data.vdm, &hm.base);
	assert_ptr_equal(fut.data.data, &hm.record);
	assert_int_equal(fut.data.operation.type, VDM_OPERATION_MEMCPY);
	assert_int_equal(fut.data.operation.data.memcpy.flags,
		VDM_F_MEM_DURABLE);

	struct future_notifier notifier;
	memset(&notifier, 0, sizeof(notifier));
	assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&fut), &notifier),
		FUTURE_STATE_RUNNING);
	assert_int_equal(hm.starts, 1);
	assert_ptr_equal(hm.start_notifier, &notifier);
	assert_ptr_equal(hm.started.data.memcpy.dest, dst);
	assert_ptr_equal(hm.started.data.memcpy.src, src);
	assert_int_equal(hm.started.data.memcpy.n, 4);
	assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&fut), NULL),
		FUTURE_STATE_RUNNING);
	assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&fut), NULL),
		FUTURE_STATE_COMPLETE);
	assert_int_equal(hm.starts, 1);	/* started once */
	assert_int_equal(hm.checks, 3);
	assert_int_equal(hm.deletes, 1);
	assert_int_equal(fut.output.type, VDM_OPERATION_MEMCPY);
	assert_int_equal(fut.output.result, VDM_SUCCESS);
	assert_ptr_equal(fut.output.output.memcpy.dest, dst);

	FUTURE_BUSY_POLL(&fut);
	assert_int_equal(hm.deletes, 1);
	assert_int_equal(hm.checks, 3);
}

static void
a_refused_start_leaves_the_future_idle_and_the_next_poll_retries(void **state)
{
	struct handmade hm;
	handmade_init(&hm, 0);
	hm.refuse_starts = 3;
	char buf[16];

	struct vdm_operation_future fut = vdm_memset(&hm.base, buf, 'x', 16, 0);
	for (int i = 1; i <= 3; i++) {
		assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&fut), NULL),
			FUTURE_STATE_IDLE);
		assert_int_equal(hm.starts, i);
		assert_int_equal(hm.checks, 0);
	}
	assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&fut), NULL),
		FUTURE_STATE_COMPLETE);
	assert_int_equal(hm.starts, 4);
	assert_int_equal(hm.started.type, VDM_OPERATION_MEMSET);
	assert_int_equal(hm.started.data.memset.c, 'x');
	assert_int_equal(hm.deletes, 1);
}

static void
a_mover_out_of_memory_gives_a_complete_future_that_says_so(void **state)
{
	struct handmade hm;
	handmade_init(&hm, 0);
	hm.refuse_new = 1;
	char buf[16];

	struct vdm_operation_future futs[] = {
		vdm_memcpy(&hm.base, buf, buf + 8, 8, 0),
		vdm_memmove(&hm.base, buf, buf + 1, 8, 0),
		vdm_memset(&hm.base, buf, 0, 8, 0),
		vdm_flush(&hm.base, buf, 8, 0),
	};
	const enum vdm_operation_type types[] = { VDM_OPERATION_MEMCPY,
		VDM_OPERATION_MEMMOVE, VDM_OPERATION_MEMSET,
		VDM_OPERATION_FLUSH };
	for (int i = 0; i < 4; i++) {
		assert_int_equal(FUTURE_STATE(&futs[i]), FUTURE_STATE_COMPLETE);
		assert_int_equal(futs[i].output.result,
			VDM_ERROR_OUT_OF_MEMORY);
		assert_int_equal(futs[i].output.type, types[i]);
		FUTURE_BUSY_POLL(&futs[i]);
		assert_int_equal(future_has_property(
			FUTURE_AS_RUNNABLE(&futs[i]), FUTURE_PROPERTY_ASYNC), 0);
	}
	assert_int_equal(hm.news, 4);
	assert_int_equal(hm.starts + hm.checks + hm.deletes, 0);
}

static void
an_operation_future_has_the_property_function_of_its_mover(void **state)
{
	struct handmade hm;
	char buf[8];
	handmade_init(&hm, 0);

	/* none: the default, which says no */
	struct vdm_operation_future plain = vdm_flush(&hm.base, buf, 8, 0);
	assert_non_null(plain.base.has_property);
	assert_int_equal(future_has_property(FUTURE_AS_RUNNABLE(&plain),
		FUTURE_PROPERTY_ASYNC), 0);

	vdm_set_has_property_fn(&hm.base, hm_async);
	assert_ptr_equal(hm.base.has_property, hm_async);
	struct vdm_operation_future async = vdm_flush(&hm.base, buf, 8, 0);
	assert_ptr_equal(async.base.has_property, hm_async);
	assert_int_equal(future_has_property(FUTURE_AS_RUNNABLE(&async),
		FUTURE_PROPERTY_ASYNC), 1);
	FUTURE_BUSY_POLL(&plain);
	FUTURE_BUSY_POLL(&async);
	assert_int_equal(hm.deletes, 2);
}

static void
each_operation_keeps_its_arguments_for_the_mover(void **state)
{
	struct handmade hm;
	handmade_init(&hm, 0);
	char a[8], b[8];

	struct vdm_operation_future f = vdm_memmove(&hm.base, a, b, 7, 2);
	assert_int_equal(f.data.operation.type, VDM_OPERATION_MEMMOVE);
	assert_ptr_equal(f.data.operation.data.memmove.dest, a);
	assert_ptr_equal(f.data.operation.data.memmove.src, b);
	assert_int_equal(f.data.operation.data.memmove.n, 7);
	assert_int_equal(f.data.operation.data.memmove.flags, 2);
	FUTURE_BUSY_POLL(&f);

	f = vdm_memset(&hm.base, a, 0x5c, 6, 1);
	assert_int_equal(f.data.operation.type, VDM_OPERATION_MEMSET);
	assert_ptr_equal(f.data.operation.data.memset.str, a);
	assert_int_equal(f.data.operation.data.memset.c, 0x5c);
	assert_int_equal(f.data.operation.data.memset.n, 6);
	assert_int_equal(f.data.operation.data.memset.flags, 1);
	FUTURE_BUSY_POLL(&f);

	f = vdm_flush(&hm.base, b, 5, 0);
	assert_int_equal(f.data.operation.type, VDM_OPERATION_FLUSH);
	assert_ptr_equal(f.data.operation.data.flush.dest, b);
	assert_int_equal(f.data.operation.data.flush.n, 5);
	FUTURE_BUSY_POLL(&f);
	assert_int_equal(hm.deletes, 3);
	assert_int_equal(hm.started.type, VDM_OPERATION_FLUSH);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(is_supported_tests_every_bit_of_the_capability),
		cmocka_unit_test(the_library_movers_support_neither_durable_nor_no_cache_hint),
		cmocka_unit_test(an_operation_starts_then_is_checked_until_complete_then_deleted_once),
		cmocka_unit_test(a_refused_start_leaves_the_future_idle_and_the_next_poll_retries),
		cmocka_unit_test(a_mover_out_of_memory_gives_a_complete_future_that_says_so),
		cmocka_unit_test(an_operation_future_has_the_property_function_of_its_mover),
		cmocka_unit_test(each_operation_keeps_its_arguments_for_the_mover),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
