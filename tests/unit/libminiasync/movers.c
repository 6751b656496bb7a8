/* movers.c -- memcpy, memmove (overlapping both ways), memset and flush on the sync and the threads mover: data and outputs */
#include <stdlib.h>
#include <string.h>

#include "miniasync_test.h"

#define BUF 8192

/* one mover under test, with the runtime that waits for its futures */
struct world {
	struct data_mover_sync *dms;
	struct data_mover_threads *dmt;
	struct vdm *vdm;
	struct runtime *rt;
	unsigned char *a, *b, *ref;
};

static int
world_new(void **state, int threads)
{
	struct world *w = calloc(1, sizeof(*w));
	if (w == NULL)
		return -1;
	if (threads) {
		w->dmt = data_mover_threads_new(3, 16, FUTURE_NOTIFIER_WAKER);
		w->vdm = data_mover_threads_get_vdm(w->dmt);
	} else {
		w->dms = data_mover_sync_new();
		w->vdm = data_mover_sync_get_vdm(w->dms);
	}
	w->rt = runtime_new();
	w->a = malloc(BUF);
	w->b = malloc(BUF);
	w->ref = malloc(BUF);
	*state = w;
	return w->vdm && w->rt && w->a && w->b && w->ref ? 0 : -1;
}

static int
sync_world(void **state)
{
	return world_new(state, 0);
}

static int
threads_world(void **state)
{
	return world_new(state, 1);
}

static int
world_delete(void **state)
{
	struct world *w = *state;
	data_mover_sync_delete(w->dms);
	data_mover_threads_delete(w->dmt);
	runtime_delete(w->rt);
	free(w->a);
	free(w->b);
	free(w->ref);
	free(w);
	return 0;
}

static void
wait_for(struct world *w, struct vdm_operation_future *fut)
{
	runtime_wait(w->rt, FUTURE_AS_RUNNABLE(fut));
	assert_int_equal(FUTURE_STATE(fut), FUTURE_STATE_COMPLETE);
	assert_int_equal(fut->output.result, VDM_SUCCESS);
}

static void
memcpy_copies_and_says_where(void **state)
{
	struct world *w = *state;
	test_fill_pattern(w->a, BUF, 1);
	memset(w->b, 0, BUF);

	struct vdm_operation_future fut = vdm_memcpy(w->vdm, w->b + 3, w->a + 5,
		BUF - 100, 0);
	wait_for(w, &fut);
	assert_int_equal(fut.output.type, VDM_OPERATION_MEMCPY);
	assert_ptr_equal(fut.output.output.memcpy.dest, w->b + 3);
	assert_memory_equal(w->b + 3, w->a + 5, BUF - 100);
	/* not a byte outside the range */
	assert_int_equal(w->b[0] | w->b[1] | w->b[2], 0);
	assert_int_equal(w->b[BUF - 97], 0);
}

static void
memmove_forward_over_its_own_source_gives_what_libc_gives(void **state)
{
	struct world *w = *state;
	for (size_t shift = 1; shift < 300; shift += 37) {
		test_fill_pattern(w->a, BUF, (unsigned)shift);
		memcpy(w->ref, w->a, BUF);
		memmove(w->ref + shift, w->ref, BUF - 300);

		/* dest above src: a plain forward copy would smear */
		struct vdm_operation_future fut = vdm_memmove(w->vdm,
			w->a + shift, w->a, BUF - 300, 0);
		wait_for(w, &fut);
		assert_int_equal(fut.output.type, VDM_OPERATION_MEMMOVE);
		assert_ptr_equal(fut.output.output.memmove.dest, w->a + shift);
		assert_memory_equal(w->a, w->ref, BUF);
	}
}

static void
memmove_backward_over_its_own_source_gives_what_libc_gives(void **state)
{
	struct world *w = *state;
	for (size_t shift = 1; shift < 300; shift += 41) {
		test_fill_pattern(w->a, BUF, (unsigned)shift + 1000);
		memcpy(w->ref, w->a, BUF);
		memmove(w->ref, w->ref + shift, BUF - 300);

		struct vdm_operation_future fut = vdm_memmove(w->vdm, w->a,
			w->a + shift, BUF - 300, 0);
		wait_for(w, &fut);
		assert_ptr_equal(fut.output.output.memmove.dest, w->a);
		assert_memory_equal(w->a, w->ref, BUF);
	}
}

static void
memset_fills_with_the_low_byte_and_says_where(void **state)
{
	struct world *w = *state;
	memset(w->a, 0x11, BUF);

	struct vdm_operation_future fut = vdm_memset(w->vdm, w->a + 1, 0x17f,
		BUF - 2, 0);
	wait_for(w, &fut);
	assert_int_equal(fut.output.type, VDM_OPERATION_MEMSET);
	assert_ptr_equal(fut.output.output.memset.str, w->a + 1);
	assert_int_equal(w->a[0], 0x11);
	assert_int_equal(w->a[BUF - 1], 0x11);
	for (size_t i = 1; i < BUF - 1; i++)
		assert_int_equal(w->a[i], 0x7f);
}

static void
flush_completes_successfully_and_leaves_the_data_alone(void **state)
{
	struct world *w = *state;
	test_fill_pattern(w->a, BUF, 7);
	memcpy(w->ref, w->a, BUF);

	/* unaligned start and length: every line touched is written back, nothing changes */
	struct vdm_operation_future fut = vdm_flush(w->vdm, w->a + 13, BUF - 77,
		0);
	wait_for(w, &fut);
	assert_int_equal(fut.output.type, VDM_OPERATION_FLUSH);
	assert_memory_equal(w->a, w->ref, BUF);

	fut = vdm_flush(w->vdm, w->a, 1, 0);
	wait_for(w, &fut);
	fut = vdm_flush(w->vdm, w->a, 0, 0);
	wait_for(w, &fut);
}

static void
zero_length_operations_complete_without_touching_memory(void **state)
{
	struct world *w = *state;
	struct vdm_operation_future futs[] = {
		vdm_memcpy(w->vdm, NULL, NULL, 0, 0),
		vdm_memmove(w->vdm, NULL, NULL, 0, 0),
		vdm_memset(w->vdm, NULL, 1, 0, 0),
	};
	for (int i = 0; i < 3; i++)
		wait_for(w, &futs[i]);
}

static void
operations_polled_by_hand_complete_too(void **state)
{
	struct world *w = *state;
	test_fill_pattern(w->a, BUF, 3);
	struct vdm_operation_future fut = vdm_memcpy(w->vdm, w->b, w->a, BUF,
		0);
	FUTURE_BUSY_POLL(&fut);
	assert_int_equal(fut.output.result, VDM_SUCCESS);
	assert_memory_equal(w->b, w->a, BUF);
}

static void
the_sync_mover_finishes_at_the_first_poll_and_is_not_async(void **state)
{
	struct world *w = *state;
	test_fill_pattern(w->a, 64, 9);
	struct vdm_operation_future fut = vdm_memcpy(w->vdm, w->b, w->a, 64, 0);
	assert_int_equal(future_has_property(FUTURE_AS_RUNNABLE(&fut),
		FUTURE_PROPERTY_ASYNC), 0);
	struct future_notifier n;
	memset(&n, 0, sizeof(n));
	n.notifier_used = FUTURE_NOTIFIER_WAKER;
	assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&fut), &n),
		FUTURE_STATE_COMPLETE);
	assert_int_equal(n.notifier_used, FUTURE_NOTIFIER_NONE);
	assert_memory_equal(w->b, w->a, 64);
}

static void
threads_mover_futures_are_async(void **state)
{
	struct world *w = *state;
	struct vdm_operation_future fut = vdm_memset(w->vdm, w->a, 0, 64, 0);
	assert_int_equal(future_has_property(FUTURE_AS_RUNNABLE(&fut),
		FUTURE_PROPERTY_ASYNC), 1);
	wait_for(w, &fut);
}

/* the same test once per mover, the name saying which */
#define ON_BOTH(test) \
	{ #test "_on_the_sync_mover", test, sync_world, world_delete, NULL }, \
	{ #test "_on_the_threads_mover", test, threads_world, world_delete, NULL }

int
main(void)
{
	const struct CMUnitTest tests[] = {
		ON_BOTH(memcpy_copies_and_says_where),
		ON_BOTH(memmove_forward_over_its_own_source_gives_what_libc_gives),
		ON_BOTH(memmove_backward_over_its_own_source_gives_what_libc_gives),
		ON_BOTH(memset_fills_with_the_low_byte_and_says_where),
		ON_BOTH(flush_completes_successfully_and_leaves_the_data_alone),
		ON_BOTH(zero_length_operations_complete_without_touching_memory),
		ON_BOTH(operations_polled_by_hand_complete_too),
		cmocka_unit_test_setup_teardown(
			the_sync_mover_finishes_at_the_first_poll_and_is_not_async,
			sync_world, world_delete),
		cmocka_unit_test_setup_teardown(threads_mover_futures_are_async,
			threads_world, world_delete),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
