/* threads_mover.c -- the threads mover's workers run concurrently with the caller; notifiers, a full ring, custom functions, bad arguments */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "miniasync_test.h"

/*
 * A copy function that stops inside the worker until the test releases it:
 * it records which thread ran it, and that the caller's thread was free
 * meanwhile is shown by the caller itself observing it from outside.
 */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int released;
	atomic_int entered;
	atomic_int on_caller_thread;
	pthread_t caller;
} Gate = { .lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER };

static void
gate_reset(void)
{
	Gate.released = 0;
	atomic_store(&Gate.entered, 0);
	atomic_store(&Gate.on_caller_thread, 0);
	Gate.caller = pthread_self();
}

static void
gate_release(void)
{
	pthread_mutex_lock(&Gate.lock);
	Gate.released = 1;
	pthread_cond_broadcast(&Gate.cond);
	pthread_mutex_unlock(&Gate.lock);
}

static void
gate_pass(void)
{
	if (pthread_equal(pthread_self(), Gate.caller))
		atomic_fetch_add(&Gate.on_caller_thread, 1);
	atomic_fetch_add(&Gate.entered, 1);
	/* bounded: a test that fails before releasing must not hang the workers */
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += HANG_GUARD_MS / 1000;
	pthread_mutex_lock(&Gate.lock);
	while (!Gate.released)
		if (pthread_cond_timedwait(&Gate.cond, &Gate.lock, &until) != 0)
			break;
	pthread_mutex_unlock(&Gate.lock);
}

static void *
gated_memcpy(void *dst, const void *src, size_t n, unsigned flags)
{
	gate_pass();
	return memcpy(dst, src, n);
}

static void
the_workers_copy_while_the_caller_goes_on(void **state)
{
	struct data_mover_threads *dmt = data_mover_threads_new(2, 8,
		FUTURE_NOTIFIER_NONE);
	assert_non_null(dmt);
	gate_reset();
	data_mover_threads_set_memcpy_fn(dmt, gated_memcpy);
	char src[32] = "copied by a worker", dst[32] = "";

	struct vdm_operation_future fut = vdm_memcpy(
		data_mover_threads_get_vdm(dmt), dst, src, sizeof(src), 0);
	assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&fut), NULL),
		FUTURE_STATE_RUNNING);
	/* the copy is in progress in a worker, and this thread is not blocked by it */
	assert_true(wait_for_count(&Gate.entered, 1));
	assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&fut), NULL),
		FUTURE_STATE_RUNNING);
	assert_string_equal(dst, "");
	gate_release();
	FUTURE_BUSY_POLL(&fut);
	assert_string_equal(dst, "copied by a worker");
	assert_int_equal(atomic_load(&Gate.on_caller_thread), 0);
	assert_int_equal(atomic_load(&Gate.entered), 1);
	data_mover_threads_delete(dmt);
}

static void
several_workers_run_operations_at_the_same_time(void **state)
{
	struct data_mover_threads *dmt = data_mover_threads_new(3, 8,
		FUTURE_NOTIFIER_NONE);
	assert_non_null(dmt);
	gate_reset();
	data_mover_threads_set_memcpy_fn(dmt, gated_memcpy);
	char src[3][8] = { "one", "two", "three" }, dst[3][8];
	struct vdm_operation_future futs[3];

	for (int i = 0; i < 3; i++) {
		futs[i] = vdm_memcpy(data_mover_threads_get_vdm(dmt), dst[i],
			src[i], 8, 0);
		assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&futs[i]), NULL),
			FUTURE_STATE_RUNNING);
	}
	/* three copies inside the gate at once: three workers, none of them the caller */
	assert_true(wait_for_count(&Gate.entered, 3));
	gate_release();
	for (int i = 0; i < 3; i++) {
		FUTURE_BUSY_POLL(&futs[i]);
		assert_string_equal(dst[i], src[i]);
	}
	assert_int_equal(atomic_load(&Gate.on_caller_thread), 0);
	data_mover_threads_delete(dmt);
}

static atomic_int Wake_calls;
static _Atomic(void *) Wake_data;

static void
count_wake(void *data)
{
	atomic_store(&Wake_data, data);
	atomic_fetch_add(&Wake_calls, 1);
}

static struct future_notifier
notifier_with_waker(void *data)
{
	struct future_notifier n;
	memset(&n, 0, sizeof(n));
	n.waker.data = data;
	n.waker.wake = count_wake;
	n.notifier_used = (enum future_notifier_type)-1;
	return n;
}

static void
a_waker_mover_calls_the_waker_of_the_poll_that_started_the_operation(void **state)
{
	struct data_mover_threads *dmt = data_mover_threads_new(1, 4,
		FUTURE_NOTIFIER_WAKER);
	assert_non_null(dmt);
	atomic_store(&Wake_calls, 0);
	int token;
	struct future_notifier n = notifier_with_waker(&token);
	char src[64], dst[64];
	test_fill_pattern(src, sizeof(src), 4);

	struct vdm_operation_future fut = vdm_memcpy(
		data_mover_threads_get_vdm(dmt), dst, src, sizeof(src), 0);
	future_poll(FUTURE_AS_RUNNABLE(&fut), &n);
	assert_int_equal(n.notifier_used, FUTURE_NOTIFIER_WAKER);
	assert_true(wait_for_count(&Wake_calls, 1));
	assert_ptr_equal(atomic_load(&Wake_data), &token);
	/* the waker may run a moment before the completion is visible: poll until it is */
	FUTURE_BUSY_POLL(&fut);
	assert_memory_equal(dst, src, sizeof(src));
	data_mover_threads_delete(dmt);	/* joins the worker: no wake is pending */
	assert_int_equal(atomic_load(&Wake_calls), 1);
}

static void
a_poller_mover_points_the_notifier_at_the_completion_word(void **state)
{
	struct data_mover_threads *dmt = data_mover_threads_new(1, 4,
		FUTURE_NOTIFIER_POLLER);
	assert_non_null(dmt);
	gate_reset();
	data_mover_threads_set_memcpy_fn(dmt, gated_memcpy);
	atomic_store(&Wake_calls, 0);
	struct future_notifier n = notifier_with_waker(NULL);
	char src[64], dst[64];
	test_fill_pattern(src, sizeof(src), 5);

	struct vdm_operation_future fut = vdm_memcpy(
		data_mover_threads_get_vdm(dmt), dst, src, sizeof(src), 0);
	assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&fut), &n),
		FUTURE_STATE_RUNNING);
	assert_int_equal(n.notifier_used, FUTURE_NOTIFIER_POLLER);
	assert_non_null(n.poller.ptr_to_monitor);
	assert_true(wait_for_count(&Gate.entered, 1));
	/* held inside the copy: the word says not done */
	assert_int_equal(__atomic_load_n(n.poller.ptr_to_monitor,
		__ATOMIC_ACQUIRE), 0);
	gate_release();
	long long deadline = test_now_ms() + HANG_GUARD_MS;
	while (__atomic_load_n(n.poller.ptr_to_monitor, __ATOMIC_ACQUIRE) == 0)
		assert_true(test_now_ms() < deadline);
	/* once the word is set, the next poll completes */
	assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&fut), &n),
		FUTURE_STATE_COMPLETE);
	assert_memory_equal(dst, src, sizeof(src));
	data_mover_threads_delete(dmt);
	assert_int_equal(atomic_load(&Wake_calls), 0);
}

static void
a_mover_without_notifier_says_none_and_never_wakes(void **state)
{
	struct data_mover_threads *dmt = data_mover_threads_new(2, 4,
		FUTURE_NOTIFIER_NONE);
	assert_non_null(dmt);
	atomic_store(&Wake_calls, 0);
	struct future_notifier n = notifier_with_waker(NULL);
	char buf[256];

	struct vdm_operation_future fut = vdm_memset(
		data_mover_threads_get_vdm(dmt), buf, 'z', sizeof(buf), 0);
	future_poll(FUTURE_AS_RUNNABLE(&fut), &n);
	assert_int_equal(n.notifier_used, FUTURE_NOTIFIER_NONE);
	FUTURE_BUSY_POLL(&fut);
	for (size_t i = 0; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 'z');
	data_mover_threads_delete(dmt);
	assert_int_equal(atomic_load(&Wake_calls), 0);
}

static void
operations_beyond_a_full_ring_stay_idle_and_complete_later(void **state)
{
	enum { RING = 4, NOPS = RING + 4 };
	struct data_mover_threads *dmt = data_mover_threads_new(1, RING,
		FUTURE_NOTIFIER_WAKER);
	assert_non_null(dmt);
	gate_reset();
	data_mover_threads_set_memcpy_fn(dmt, gated_memcpy);
	struct vdm *vdm = data_mover_threads_get_vdm(dmt);
	static char src[NOPS + 1][32], dst[NOPS + 1][32];
	for (int i = 0; i <= NOPS; i++) {
		snprintf(src[i], sizeof(src[i]), "operation %d", i);
		memset(dst[i], 0, sizeof(dst[i]));
	}

	/* the only worker takes the first operation and is held in it */
	struct vdm_operation_future first = vdm_memcpy(vdm, dst[NOPS],
		src[NOPS], 32, 0);
	assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&first), NULL),
		FUTURE_STATE_RUNNING);
	assert_true(wait_for_count(&Gate.entered, 1));

	/* the ring takes RING more; the rest cannot start, and say so in the notifier */
	struct vdm_operation_future futs[NOPS];
	int running = 0, idle = 0;
	for (int i = 0; i < NOPS; i++) {
		futs[i] = vdm_memcpy(vdm, dst[i], src[i], 32, 0);
		struct future_notifier n = notifier_with_waker(NULL);
		enum future_state s = future_poll(FUTURE_AS_RUNNABLE(&futs[i]),
			&n);
		if (s == FUTURE_STATE_RUNNING) {
			assert_int_equal(idle, 0);	/* none runs after one stayed idle */
			running++;
		} else {
			assert_int_equal(s, FUTURE_STATE_IDLE);
			assert_int_not_equal(n.notifier_used,
				FUTURE_NOTIFIER_WAKER);
			idle++;
		}
	}
	assert_int_equal(running, RING);
	assert_int_equal(idle, NOPS - RING);
	/* polling again while the worker is held changes nothing */
	for (int i = RING; i < NOPS; i++)
		assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&futs[i]), NULL),
			FUTURE_STATE_IDLE);
	for (int i = 0; i < NOPS; i++)
		assert_string_equal(dst[i], "");

	gate_release();
	FUTURE_BUSY_POLL(&first);
	for (int i = 0; i < NOPS; i++) {
		FUTURE_BUSY_POLL(&futs[i]);
		assert_int_equal(futs[i].output.result, VDM_SUCCESS);
		assert_string_equal(dst[i], src[i]);
	}
	assert_int_equal(atomic_load(&Gate.entered), NOPS + 1);
	data_mover_threads_delete(dmt);
}

static atomic_int Custom_calls;
static atomic_uint Custom_flags;

static void *
custom_memmove(void *dst, const void *src, size_t n, unsigned flags)
{
	atomic_fetch_add(&Custom_calls, 1);
	atomic_store(&Custom_flags, flags);
	return memmove(dst, src, n);
}

static void *
custom_memset(void *str, int c, size_t n, unsigned flags)
{
	atomic_fetch_add(&Custom_calls, 100);
	atomic_store(&Custom_flags, flags);
	return memset(str, c ^ 0xff, n);	/* visibly not libc's */
}

static void
custom_functions_replace_libc_until_reset_to_null(void **state)
{
	struct data_mover_threads *dmt = data_mover_threads_new(1, 4,
		FUTURE_NOTIFIER_NONE);
	assert_non_null(dmt);
	struct vdm *vdm = data_mover_threads_get_vdm(dmt);
	atomic_store(&Custom_calls, 0);
	data_mover_threads_set_memmove_fn(dmt, custom_memmove);
	data_mover_threads_set_memset_fn(dmt, custom_memset);
	char buf[16] = "abcdefgh";

	struct vdm_operation_future f = vdm_memmove(vdm, buf + 1, buf, 4,
		VDM_F_NO_CACHE_HINT);
	FUTURE_BUSY_POLL(&f);
	assert_string_equal(buf, "aabcdfgh");
	assert_int_equal(atomic_load(&Custom_calls), 1);
	assert_int_equal(atomic_load(&Custom_flags), VDM_F_NO_CACHE_HINT);

	f = vdm_memset(vdm, buf, 0xff ^ 'q', 2, 0);
	FUTURE_BUSY_POLL(&f);
	assert_int_equal(buf[0], 'q');
	assert_int_equal(atomic_load(&Custom_calls), 101);

	data_mover_threads_set_memmove_fn(dmt, NULL);
	data_mover_threads_set_memset_fn(dmt, NULL);
	data_mover_threads_set_memcpy_fn(dmt, NULL);
	f = vdm_memset(vdm, buf, 'r', 1, 0);
	FUTURE_BUSY_POLL(&f);
	f = vdm_memmove(vdm, buf + 2, buf, 2, 0);
	FUTURE_BUSY_POLL(&f);
	f = vdm_memcpy(vdm, buf + 4, buf, 4, 0);
	FUTURE_BUSY_POLL(&f);
	assert_memory_equal(buf, "rqrqrqrq", 8);
	assert_int_equal(atomic_load(&Custom_calls), 101);
	data_mover_threads_delete(dmt);
}

static void
bad_arguments_make_no_mover_and_say_einval(void **state)
{
	errno = 0;
	assert_null(data_mover_threads_new(0, 128, FUTURE_NOTIFIER_WAKER));
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_null(data_mover_threads_new(4, 0, FUTURE_NOTIFIER_WAKER));
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_null(data_mover_threads_new(4, 128,
		(enum future_notifier_type)7));
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_null(data_mover_threads_new(4, (size_t)-1,
		FUTURE_NOTIFIER_NONE));
	assert_true(errno == EINVAL || errno == ENOMEM);
	/* NULL is ignored, as free() does */
	data_mover_threads_delete(NULL);
	data_mover_sync_delete(NULL);
}

static void
the_default_mover_copies_and_wakes(void **state)
{
	struct data_mover_threads *dmt = data_mover_threads_default();
	assert_non_null(dmt);
	atomic_store(&Wake_calls, 0);
	char src[4096], dst[4096];
	test_fill_pattern(src, sizeof(src), 8);
	struct future_notifier n = notifier_with_waker(NULL);
	struct vdm_operation_future fut = vdm_memcpy(
		data_mover_threads_get_vdm(dmt), dst, src, sizeof(src), 0);
	future_poll(FUTURE_AS_RUNNABLE(&fut), &n);
	assert_int_equal(n.notifier_used, FUTURE_NOTIFIER_WAKER);
	FUTURE_BUSY_POLL(&fut);
	assert_memory_equal(dst, src, sizeof(src));
	data_mover_threads_delete(dmt);
	assert_int_equal(atomic_load(&Wake_calls), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_workers_copy_while_the_caller_goes_on),
		cmocka_unit_test(several_workers_run_operations_at_the_same_time),
		cmocka_unit_test(a_waker_mover_calls_the_waker_of_the_poll_that_started_the_operation),
		cmocka_unit_test(a_poller_mover_points_the_notifier_at_the_completion_word),
		cmocka_unit_test(a_mover_without_notifier_says_none_and_never_wakes),
		cmocka_unit_test(operations_beyond_a_full_ring_stay_idle_and_complete_later),
		cmocka_unit_test(custom_functions_replace_libc_until_reset_to_null),
		cmocka_unit_test(bad_arguments_make_no_mover_and_say_einval),
		cmocka_unit_test(the_default_mover_copies_and_wakes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
