/* runtime.c -- runtime_wait and runtime_wait_multiple: many mixed futures, the caller's order, futures without property, sleeping instead of spinning */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "miniasync_test.h"

static void
runtime_wait_completes_one_future_of_the_threads_mover(void **state)
{
	struct runtime *rt = runtime_new();
	struct data_mover_threads *dmt = data_mover_threads_default();
	assert_non_null(rt);
	assert_non_null(dmt);
	char src[1 << 16], dst[1 << 16];
	test_fill_pattern(src, sizeof(src), 11);

	struct vdm_operation_future fut = vdm_memcpy(
		data_mover_threads_get_vdm(dmt), dst, src, sizeof(src), 0);
	runtime_wait(rt, FUTURE_AS_RUNNABLE(&fut));
	assert_int_equal(FUTURE_STATE(&fut), FUTURE_STATE_COMPLETE);
	assert_int_equal(fut.output.result, VDM_SUCCESS);
	assert_memory_equal(dst, src, sizeof(src));

	/* a complete future returns at once, and its task is not called */
	struct countdown_future done = countdown(0, 1);
	FUTURE_BUSY_POLL(&done);
	runtime_wait(rt, FUTURE_AS_RUNNABLE(&done));
	assert_int_equal(done.data.calls, 1);

	data_mover_threads_delete(dmt);
	runtime_delete(rt);
	runtime_delete(NULL);
}

static void
runtime_wait_passes_a_waker_to_the_future(void **state)
{
	struct runtime *rt = runtime_new();
	assert_non_null(rt);
	struct countdown_future fut = countdown(3, 1);
	runtime_wait(rt, FUTURE_AS_RUNNABLE(&fut));
	assert_int_equal(fut.output.value, 2);
	assert_int_equal(fut.data.calls, 4);
	/* the runtime's own notifier, with a waker in it */
	assert_non_null(fut.data.last_notifier);
	assert_true(fut.data.offered_waker);
	runtime_delete(rt);
}

/* a handmade vdm that has no memory: its futures are FUTURE_INIT_COMPLETE'd */
static void *
no_memory(struct vdm *vdm, const enum vdm_operation_type type)
{
	return NULL;
}

#define NKINDS 6
#define PER_KIND 60
#define NFUTS (NKINDS * PER_KIND)
#define LEN 1024

static void
hundreds_of_mixed_futures_complete_and_stay_in_the_callers_order(void **state)
{
	struct runtime *rt = runtime_new();
	struct data_mover_threads *dmt = data_mover_threads_new(4, 32,
		FUTURE_NOTIFIER_WAKER);
	struct data_mover_threads *dmt_poller = data_mover_threads_new(2, 16,
		FUTURE_NOTIFIER_POLLER);
	struct data_mover_sync *dms = data_mover_sync_new();
	assert_non_null(rt);
	assert_non_null(dmt);
	assert_non_null(dmt_poller);
	assert_non_null(dms);
	struct vdm oom = { .op_new = no_memory };

	static unsigned char src[LEN], dst[NFUTS][LEN];
	static struct vdm_operation_future ops[NFUTS];
	static struct countdown_future counts[NFUTS];
	static struct countdown_future completes[NFUTS];
	struct future *futs[NFUTS], *copy[NFUTS];
	test_fill_pattern(src, LEN, 12);
	memset(dst, 0, sizeof(dst));

	/* the kinds interleaved: threads (waker), threads (poller), sync, oom, handmade, complete */
	for (int i = 0; i < NFUTS; i++) {
		switch (i % NKINDS) {
		case 0:
			ops[i] = vdm_memcpy(data_mover_threads_get_vdm(dmt),
				dst[i], src, LEN, 0);
			futs[i] = FUTURE_AS_RUNNABLE(&ops[i]);
			break;
		case 1:
			ops[i] = vdm_memset(
				data_mover_threads_get_vdm(dmt_poller), dst[i],
				i & 0xff, LEN, 0);
			futs[i] = FUTURE_AS_RUNNABLE(&ops[i]);
			break;
		case 2:
			ops[i] = vdm_memmove(data_mover_sync_get_vdm(dms),
				dst[i], src, LEN, 0);
			futs[i] = FUTURE_AS_RUNNABLE(&ops[i]);
			break;
		case 3:
			ops[i] = vdm_memcpy(&oom, dst[i], src, LEN, 0);
			futs[i] = FUTURE_AS_RUNNABLE(&ops[i]);
			break;
		case 4:
			counts[i] = countdown(i % 7, i);
			futs[i] = FUTURE_AS_RUNNABLE(&counts[i]);
			break;
		default:
			/* no task and has_property NULL: miniasync's sort crashed on these */
			FUTURE_INIT_COMPLETE(&completes[i]);
			completes[i].output.value = i;
			futs[i] = FUTURE_AS_RUNNABLE(&completes[i]);
			break;
		}
	}
	memcpy(copy, futs, sizeof(futs));

	runtime_wait_multiple(rt, futs, NFUTS);

	assert_memory_equal(copy, futs, sizeof(futs));
	for (int i = 0; i < NFUTS; i++) {
		assert_int_equal(futs[i]->context.state, FUTURE_STATE_COMPLETE);
		switch (i % NKINDS) {
		case 0:
		case 2:
			assert_int_equal(ops[i].output.result, VDM_SUCCESS);
			assert_ptr_equal(ops[i].output.output.memcpy.dest, dst[i]);
			assert_memory_equal(dst[i], src, LEN);
			break;
		case 1:
			assert_int_equal(ops[i].output.result, VDM_SUCCESS);
			for (int j = 0; j < LEN; j++)
				assert_int_equal(dst[i][j], i & 0xff);
			break;
		case 3:
			assert_int_equal(ops[i].output.result,
				VDM_ERROR_OUT_OF_MEMORY);
			for (int j = 0; j < LEN; j++)
				assert_int_equal(dst[i][j], 0);
			break;
		case 4:
			assert_int_equal(counts[i].output.value, 2 * i);
			assert_int_equal(counts[i].data.calls, i % 7 + 1);
			break;
		default:
			assert_int_equal(completes[i].output.value, i);
			break;
		}
	}
	data_mover_sync_delete(dms);
	data_mover_threads_delete(dmt_poller);
	data_mover_threads_delete(dmt);
	runtime_delete(rt);
}

static void
two_complete_futures_without_property_function_do_not_crash(void **state)
{
	struct runtime *rt = runtime_new();
	assert_non_null(rt);
	struct countdown_future a, b;
	FUTURE_INIT_COMPLETE(&a);
	FUTURE_INIT_COMPLETE(&b);
	struct countdown_future c = countdown(2, 0);
	struct future *futs[] = { FUTURE_AS_RUNNABLE(&a), FUTURE_AS_RUNNABLE(&c),
		FUTURE_AS_RUNNABLE(&b) };
	runtime_wait_multiple(rt, futs, 3);
	assert_int_equal(FUTURE_STATE(&c), FUTURE_STATE_COMPLETE);
	assert_ptr_equal(futs[0], &a.base);
	assert_ptr_equal(futs[1], &c.base);
	assert_ptr_equal(futs[2], &b.base);
	runtime_delete(rt);
}

static void
running_futures_without_property_function_are_polled_to_completion(void **state)
{
	struct runtime *rt = runtime_new();
	assert_non_null(rt);
	struct countdown_future a, b;
	FUTURE_INIT_EXT(&a, countdown_task, NULL);
	a.data = (struct countdown_data){ .polls_left = 3, .value = 1 };
	FUTURE_INIT_EXT(&b, countdown_task, NULL);
	b.data = (struct countdown_data){ .polls_left = 5, .value = 2 };
	struct future *futs[] = { FUTURE_AS_RUNNABLE(&a), FUTURE_AS_RUNNABLE(&b) };
	runtime_wait_multiple(rt, futs, 2);
	assert_int_equal(a.output.value, 2);
	assert_int_equal(b.output.value, 4);
	runtime_delete(rt);
}

/*
 * A future whose task never offers a waker and completes only once another
 * thread set a flag: the runtime must come back to it by itself.
 */
struct flag_data {
	atomic_int *flag;
};
struct flag_output {
	int unused;
};
FUTURE(flag_future, struct flag_data, struct flag_output);

static enum future_state
flag_task(struct future_context *ctx, struct future_notifier *n)
{
	struct flag_data *d = future_context_get_data(ctx);
	if (n != NULL)
		n->notifier_used = FUTURE_NOTIFIER_NONE;
	return atomic_load(d->flag) ? FUTURE_STATE_COMPLETE :
		FUTURE_STATE_RUNNING;
}

static void *
set_flag_later(void *arg)
{
	usleep(50000);
	atomic_store((atomic_int *)arg, 1);
	return NULL;
}

static void
a_future_without_waker_still_completes_under_the_runtime(void **state)
{
	struct runtime *rt = runtime_new();
	assert_non_null(rt);
	atomic_int flag = 0;
	struct flag_future fut;
	FUTURE_INIT(&fut, flag_task);
	fut.data.flag = &flag;
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, set_flag_later, &flag), 0);
	runtime_wait(rt, FUTURE_AS_RUNNABLE(&fut));
	assert_int_equal(atomic_load(&flag), 1);
	pthread_join(t, NULL);
	runtime_delete(rt);
}

static atomic_int Slept_in_worker;

static void *
sleeping_memcpy(void *dst, const void *src, size_t n, unsigned flags)
{
	usleep(200000);
	atomic_fetch_add(&Slept_in_worker, 1);
	return memcpy(dst, src, n);
}

static double
seconds(clockid_t clock)
{
	struct timespec ts;
	clock_gettime(clock, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * A behaviour check, not a benchmark: while the only worker sleeps 200 ms
 * inside the copy, a runtime that spins would burn one core for the whole
 * wait (process CPU time close to the wall time, or more); one that sleeps
 * on the waker uses a few milliseconds of short spins and 1 ms timed waits.
 * Half the wall time separates the two by a wide margin on a loaded machine
 * too: load slows the spinner's polls but not its CPU consumption.
 */
static void
the_runtime_sleeps_instead_of_spinning_while_a_waker_future_runs(void **state)
{
	struct runtime *rt = runtime_new();
	struct data_mover_threads *dmt = data_mover_threads_new(1, 4,
		FUTURE_NOTIFIER_WAKER);
	assert_non_null(rt);
	assert_non_null(dmt);
	data_mover_threads_set_memcpy_fn(dmt, sleeping_memcpy);
	atomic_store(&Slept_in_worker, 0);
	char src[64] = "after a nap", dst[64] = "";

	struct vdm_operation_future fut = vdm_memcpy(
		data_mover_threads_get_vdm(dmt), dst, src, sizeof(src), 0);
	double wall0 = seconds(CLOCK_MONOTONIC);
	double cpu0 = seconds(CLOCK_PROCESS_CPUTIME_ID);
	runtime_wait(rt, FUTURE_AS_RUNNABLE(&fut));
	double wall = seconds(CLOCK_MONOTONIC) - wall0;
	double cpu = seconds(CLOCK_PROCESS_CPUTIME_ID) - cpu0;

	printf("waited %.1f ms, process CPU time %.1f ms\n", wall * 1e3,
		cpu * 1e3);
	assert_int_equal(atomic_load(&Slept_in_worker), 1);
	assert_string_equal(dst, "after a nap");
	assert_true(wall >= 0.19);
	assert_true(cpu < wall * 0.5);
	data_mover_threads_delete(dmt);
	runtime_delete(rt);
}

/* several threads wait on one runtime at once, each for its own futures */
struct waiter {
	struct runtime *rt;
	struct vdm *vdm;
	unsigned char src[4096], dst[32][4096];
	int ok;
};

static void *
waiter_run(void *arg)
{
	struct waiter *w = arg;
	struct vdm_operation_future ops[32];
	struct future *futs[32];
	for (int round = 0; round < 20; round++) {
		for (int i = 0; i < 32; i++) {
			w->src[0] = (unsigned char)round;
			ops[i] = vdm_memcpy(w->vdm, w->dst[i], w->src,
				sizeof(w->src), 0);
			futs[i] = FUTURE_AS_RUNNABLE(&ops[i]);
		}
		runtime_wait_multiple(w->rt, futs, 32);
		for (int i = 0; i < 32; i++)
			if (memcmp(w->dst[i], w->src, sizeof(w->src)) != 0)
				return NULL;
	}
	w->ok = 1;
	return NULL;
}

static void
threads_sharing_a_runtime_each_get_their_futures_completed(void **state)
{
	struct runtime *rt = runtime_new();
	struct data_mover_threads *dmt = data_mover_threads_new(2, 16,
		FUTURE_NOTIFIER_WAKER);
	assert_non_null(rt);
	assert_non_null(dmt);
	enum { NWAITERS = 3 };
	struct waiter *w = calloc(NWAITERS, sizeof(*w));
	pthread_t t[NWAITERS];
	assert_non_null(w);
	for (int i = 0; i < NWAITERS; i++) {
		w[i].rt = rt;
		w[i].vdm = data_mover_threads_get_vdm(dmt);
		test_fill_pattern(w[i].src, sizeof(w[i].src), (unsigned)i);
		assert_int_equal(pthread_create(&t[i], NULL, waiter_run, &w[i]),
			0);
	}
	for (int i = 0; i < NWAITERS; i++) {
		pthread_join(t[i], NULL);
		assert_true(w[i].ok);
	}
	free(w);
	data_mover_threads_delete(dmt);
	runtime_delete(rt);
}

static void
waiting_for_no_futures_returns_at_once(void **state)
{
	struct runtime *rt = runtime_new();
	assert_non_null(rt);
	runtime_wait_multiple(rt, NULL, 0);
	runtime_delete(rt);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(runtime_wait_completes_one_future_of_the_threads_mover),
		cmocka_unit_test(runtime_wait_passes_a_waker_to_the_future),
		cmocka_unit_test(hundreds_of_mixed_futures_complete_and_stay_in_the_callers_order),
		cmocka_unit_test(two_complete_futures_without_property_function_do_not_crash),
		cmocka_unit_test(running_futures_without_property_function_are_polled_to_completion),
		cmocka_unit_test(a_future_without_waker_still_completes_under_the_runtime),
		cmocka_unit_test(the_runtime_sleeps_instead_of_spinning_while_a_waker_future_runs),
		cmocka_unit_test(threads_sharing_a_runtime_each_get_their_futures_completed),
		cmocka_unit_test(waiting_for_no_futures_returns_at_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
