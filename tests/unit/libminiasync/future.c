/* future.c -- single futures through the inline API: states, data and output, properties, notifiers, layouts */
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "miniasync_test.h"

static void
a_new_future_is_idle_and_holds_its_data_and_output_after_the_context(void **state)
{
	struct countdown_future fut = countdown(0, 21);
	struct future *base = FUTURE_AS_RUNNABLE(&fut);

	assert_ptr_equal(base, &fut.base);
	assert_int_equal(FUTURE_STATE(&fut), FUTURE_STATE_IDLE);
	assert_int_equal(base->context.data_size, sizeof(fut.data));
	assert_int_equal(base->context.output_size, sizeof(fut.output));
	assert_ptr_equal(future_context_get_data(&base->context), &fut.data);
	assert_ptr_equal(future_context_get_data(&base->context),
		FUTURE_DATA(&fut));
	assert_ptr_equal(future_context_get_output(&base->context),
		FUTURE_OUTPUT(&fut));
	assert_int_equal(future_context_get_size(&base->context),
		sizeof(fut.data) + sizeof(fut.output));
	assert_int_equal(FUTURE_DATA(&fut)->value, 21);
}

static void
polling_goes_from_idle_through_running_to_complete(void **state)
{
	struct countdown_future fut = countdown(2, 21);

	assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&fut), NULL),
		FUTURE_STATE_RUNNING);
	assert_int_equal(FUTURE_STATE(&fut), FUTURE_STATE_RUNNING);
	assert_int_equal(fut.output.value, -1);
	assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&fut), NULL),
		FUTURE_STATE_RUNNING);
	assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&fut), NULL),
		FUTURE_STATE_COMPLETE);
	assert_int_equal(FUTURE_STATE(&fut), FUTURE_STATE_COMPLETE);
	assert_int_equal(FUTURE_OUTPUT(&fut)->value, 42);
	assert_int_equal(fut.data.calls, 3);
}

static void
polling_a_complete_future_does_not_call_its_task_again(void **state)
{
	struct countdown_future fut = countdown(0, 5);

	assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&fut), NULL),
		FUTURE_STATE_COMPLETE);
	for (int i = 0; i < 10; i++)
		assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&fut), NULL),
			FUTURE_STATE_COMPLETE);
	FUTURE_BUSY_POLL(&fut);
	assert_int_equal(fut.data.calls, 1);
	assert_int_equal(fut.output.value, 10);
}

static void
busy_poll_drives_a_future_to_completion(void **state)
{
	struct countdown_future fut = countdown(1000, 7);

	FUTURE_BUSY_POLL(&fut);
	assert_int_equal(FUTURE_STATE(&fut), FUTURE_STATE_COMPLETE);
	assert_int_equal(fut.data.calls, 1001);
	assert_int_equal(fut.output.value, 14);
}

static void
a_future_initialized_complete_has_no_task_and_keeps_its_output(void **state)
{
	struct countdown_future fut;
	memset(&fut, 0xA5, sizeof(fut));
	FUTURE_INIT_COMPLETE(&fut);
	fut.output.value = 99;

	assert_null(fut.base.task);
	assert_null(fut.base.has_property);
	assert_int_equal(FUTURE_STATE(&fut), FUTURE_STATE_COMPLETE);
	assert_int_equal(fut.base.context.data_size, sizeof(fut.data));
	assert_int_equal(fut.base.context.output_size, sizeof(fut.output));
	/* the NULL task is never called */
	assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&fut), NULL),
		FUTURE_STATE_COMPLETE);
	FUTURE_BUSY_POLL(&fut);
	assert_int_equal(FUTURE_OUTPUT(&fut)->value, 99);
	/* and neither is the NULL property function */
	assert_int_equal(future_has_property(FUTURE_AS_RUNNABLE(&fut),
		FUTURE_PROPERTY_ASYNC), 0);
}

static int
always_async(void *future, enum future_property property)
{
	return property == FUTURE_PROPERTY_ASYNC;
}

static void
a_basic_future_is_async_only_when_its_property_function_says_so(void **state)
{
	struct countdown_future plain = countdown(0, 1);
	assert_int_equal(future_has_property(FUTURE_AS_RUNNABLE(&plain),
		FUTURE_PROPERTY_ASYNC), 0);
	assert_int_equal(future_has_property_default(&plain,
		FUTURE_PROPERTY_ASYNC), 0);

	struct countdown_future async;
	FUTURE_INIT_EXT(&async, countdown_task, always_async);
	async.data = (struct countdown_data){ .value = 1 };
	assert_ptr_equal(async.base.has_property, always_async);
	assert_int_equal(future_has_property(FUTURE_AS_RUNNABLE(&async),
		FUTURE_PROPERTY_ASYNC), 1);
	FUTURE_BUSY_POLL(&async);
	assert_int_equal(async.output.value, 2);
}

/*
 * A handmade asynchronous future: its first poll starts a thread that
 * finishes the work later, and says through the notifier how it will tell:
 * the thread calls the waker (WAKER) or sets the monitored word (POLLER).
 */
struct background_data {
	enum future_notifier_type how;
	struct future_waker waker;	/* copied from the first poll's notifier */
	_Atomic uint64_t done;
	pthread_t thread;
	int started;
	int joined;
};
struct background_output {
	int result;
};
FUTURE(background_future, struct background_data, struct background_output);

static void *
background_work(void *arg)
{
	struct background_data *d = arg;
	usleep(20000);	/* the poller is surely waiting by now */
	atomic_store(&d->done, 1);
	if (d->how == FUTURE_NOTIFIER_WAKER && d->waker.wake != NULL)
		FUTURE_WAKER_WAKE(&d->waker);
	return NULL;
}

static enum future_state
background_task(struct future_context *ctx, struct future_notifier *notifier)
{
	struct background_data *d = future_context_get_data(ctx);

	if (!d->started) {
		if (notifier != NULL) {
			notifier->notifier_used = d->how;
			if (d->how == FUTURE_NOTIFIER_WAKER)
				d->waker = notifier->waker;
			/* the cast drops _Atomic: the word is only read */
			if (d->how == FUTURE_NOTIFIER_POLLER)
				notifier->poller.ptr_to_monitor =
					(uint64_t *)&d->done;
		}
		if (pthread_create(&d->thread, NULL, background_work, d) != 0)
			return FUTURE_STATE_IDLE;
		d->started = 1;
		return FUTURE_STATE_RUNNING;
	}
	if (!atomic_load(&d->done))
		return FUTURE_STATE_RUNNING;
	pthread_join(d->thread, NULL);
	d->joined = 1;
	((struct background_output *)future_context_get_output(ctx))->result = 7;
	return FUTURE_STATE_COMPLETE;
}

static struct background_future
background(enum future_notifier_type how)
{
	struct background_future fut;
	FUTURE_INIT(&fut, background_task);
	memset(&fut.data, 0, sizeof(fut.data));
	fut.data.how = how;
	fut.output.result = 0;
	return fut;
}

struct wake_record {
	atomic_int calls;
	_Atomic(void *) data;
};

static struct wake_record Wakes;

static void
record_wake(void *data)
{
	atomic_store(&Wakes.data, data);
	atomic_fetch_add(&Wakes.calls, 1);
}

static void
a_waker_given_to_a_poll_is_called_when_the_future_can_progress(void **state)
{
	atomic_store(&Wakes.calls, 0);
	atomic_store(&Wakes.data, NULL);
	int token;
	struct future_notifier notifier;
	memset(&notifier, 0, sizeof(notifier));
	notifier.waker = (struct future_waker){ .data = &token,
		.wake = record_wake };

	struct background_future fut = background(FUTURE_NOTIFIER_WAKER);
	assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&fut), &notifier),
		FUTURE_STATE_RUNNING);
	assert_int_equal(notifier.notifier_used, FUTURE_NOTIFIER_WAKER);
	assert_true(wait_for_count(&Wakes.calls, 1));
	assert_ptr_equal(atomic_load(&Wakes.data), &token);
	assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&fut), &notifier),
		FUTURE_STATE_COMPLETE);
	assert_int_equal(fut.output.result, 7);
	assert_int_equal(atomic_load(&Wakes.calls), 1);
}

static void
a_poller_notifier_points_at_the_word_that_says_the_future_is_done(void **state)
{
	struct future_notifier notifier;
	memset(&notifier, 0, sizeof(notifier));

	struct background_future fut = background(FUTURE_NOTIFIER_POLLER);
	assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&fut), &notifier),
		FUTURE_STATE_RUNNING);
	assert_int_equal(notifier.notifier_used, FUTURE_NOTIFIER_POLLER);
	assert_ptr_equal(notifier.poller.ptr_to_monitor, &fut.data.done);

	long long deadline = test_now_ms() + HANG_GUARD_MS;
	while (__atomic_load_n(notifier.poller.ptr_to_monitor,
			__ATOMIC_ACQUIRE) == 0)
		assert_true(test_now_ms() < deadline);
	assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&fut), &notifier),
		FUTURE_STATE_COMPLETE);
	assert_true(fut.data.joined);
}

static void
a_future_polled_without_a_notifier_still_completes(void **state)
{
	struct background_future fut = background(FUTURE_NOTIFIER_WAKER);
	long long deadline = test_now_ms() + HANG_GUARD_MS;
	while (future_poll(FUTURE_AS_RUNNABLE(&fut), NULL) !=
			FUTURE_STATE_COMPLETE)
		assert_true(test_now_ms() < deadline);
	assert_int_equal(fut.output.result, 7);
}

static void
the_structures_have_the_layout_of_miniasync_0_2(void **state)
{
#if defined(__x86_64__)
	assert_int_equal(sizeof(struct future_context), 24);
	assert_int_equal(sizeof(struct future), 40);
	assert_int_equal(sizeof(struct future_waker), 16);
	assert_int_equal(sizeof(struct future_notifier), 32);
	assert_int_equal(sizeof(struct future_chain_entry), 80);
	assert_int_equal(offsetof(struct future_chain_entry, flags), 32);
	assert_int_equal(offsetof(struct future_chain_entry, future), 40);
	assert_int_equal(sizeof(struct vdm), 48);
	assert_int_equal(offsetof(struct vdm, op_new), 0);
	assert_int_equal(offsetof(struct vdm, op_delete), 8);
	assert_int_equal(offsetof(struct vdm, op_start), 16);
	assert_int_equal(offsetof(struct vdm, op_check), 24);
	assert_int_equal(offsetof(struct vdm, capabilities), 32);
	assert_int_equal(offsetof(struct vdm, has_property), 40);
	assert_int_equal(sizeof(struct vdm_operation), 48);
	assert_int_equal(sizeof(struct vdm_operation_data), 64);
	assert_int_equal(sizeof(struct vdm_operation_output), 16);
	assert_int_equal(sizeof(struct vdm_operation_future), 120);
	assert_int_equal(FUTURE_STATE_IDLE, 0);
	assert_int_equal(FUTURE_STATE_COMPLETE, 1);
	assert_int_equal(FUTURE_STATE_RUNNING, 2);
	assert_int_equal(FUTURE_CHAIN_FLAG_ENTRY_LAST, 1);
	assert_int_equal(FUTURE_CHAIN_FLAG_ENTRY_PROCESSED, 2);
	assert_int_equal(VDM_F_MEM_DURABLE, 1);
	assert_int_equal(VDM_F_NO_CACHE_HINT, 2);
#else
	SKIP_BECAUSE("the layouts are checked on x86_64");
#endif
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_new_future_is_idle_and_holds_its_data_and_output_after_the_context),
		cmocka_unit_test(polling_goes_from_idle_through_running_to_complete),
		cmocka_unit_test(polling_a_complete_future_does_not_call_its_task_again),
		cmocka_unit_test(busy_poll_drives_a_future_to_completion),
		cmocka_unit_test(a_future_initialized_complete_has_no_task_and_keeps_its_output),
		cmocka_unit_test(a_basic_future_is_async_only_when_its_property_function_says_so),
		cmocka_unit_test(a_waker_given_to_a_poll_is_called_when_the_future_can_progress),
		cmocka_unit_test(a_poller_notifier_points_at_the_word_that_says_the_future_is_done),
		cmocka_unit_test(a_future_polled_without_a_notifier_still_completes),
		cmocka_unit_test(the_structures_have_the_layout_of_miniasync_0_2),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
