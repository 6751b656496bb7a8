/* miniasync_test.h -- what the libminiasync tests share: a handmade countdown future and a bounded wait */
#ifndef MINIASYNC_TEST_H
#define MINIASYNC_TEST_H 1

#include <sched.h>
#include <stdatomic.h>
#include <time.h>

#include <libminiasync.h>

#include "test_common.h"

/* the hang guard of every wait in these tests: a broken library fails, never hangs */
#define HANG_GUARD_MS 20000

/*
 * A future of our own: RUNNING for polls_left polls, then COMPLETE with
 * output.value = data.value * 2; calls counts the task's invocations,
 * last_notifier and offered_waker record the notifier of the last poll.
 */
struct countdown_data {
	int polls_left;
	int calls;
	int value;
	struct future_notifier *last_notifier;
	int offered_waker;	/* the last poll's notifier had a wake function */
};
struct countdown_output {
	int value;
};
FUTURE(countdown_future, struct countdown_data, struct countdown_output);

static inline enum future_state
countdown_task(struct future_context *ctx, struct future_notifier *notifier)
{
	struct countdown_data *d = future_context_get_data(ctx);
	struct countdown_output *o = future_context_get_output(ctx);

	d->calls++;
	d->last_notifier = notifier;
	d->offered_waker = notifier != NULL && notifier->waker.wake != NULL;
	if (notifier != NULL)
		notifier->notifier_used = FUTURE_NOTIFIER_NONE;
	if (d->polls_left > 0) {
		d->polls_left--;
		return FUTURE_STATE_RUNNING;
	}
	o->value = d->value * 2;
	return FUTURE_STATE_COMPLETE;
}

static inline struct countdown_future
countdown(int polls, int value)
{
	struct countdown_future fut;
	FUTURE_INIT(&fut, countdown_task);
	fut.data = (struct countdown_data){ .polls_left = polls,
		.value = value };
	fut.output.value = -1;
	return fut;
}

/* waits until the atomic int at p is at least min, for HANG_GUARD_MS at most; 1 if it got there */
static inline int
wait_for_count(atomic_int *p, int min)
{
	long long deadline = test_now_ms() + HANG_GUARD_MS;
	while (atomic_load(p) < min) {
		if (test_now_ms() > deadline)
			return 0;
		sched_yield();
	}
	return 1;
}

#endif /* MINIASYNC_TEST_H */
