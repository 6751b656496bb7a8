/*
 * runtime.c -- polls futures in the calling thread until all are complete.
 * Each poll hands the future a waker; when a whole round makes no progress
 * for a while (a short spin), the thread sleeps until a waker fires, at most
 * 1 ms so that futures without a waker still get polled. The caller's array
 * is never reordered: asynchronous futures are polled first by two passes.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include "miniasync.h"

/* rounds without progress before sleeping; a round after a wake usually finds the completion */
#define RUNTIME_SPINS_BEFORE_SLEEP 1000
/* the longest sleep: the delay a future without a waker may see */
#define RUNTIME_SLEEP_NS 1000000L

struct runtime {
	pthread_mutex_t lock;
	pthread_cond_t cond;		/* CLOCK_MONOTONIC */
	atomic_uint_fast64_t wakes;	/* bumped by every waker call */
	atomic_uint sleepers;		/* threads in (or entering) the timed wait */
};

struct runtime *
runtime_new(void)
{
	struct runtime *r = malloc(sizeof(*r));
	if (r == NULL)
		return NULL;

	pthread_condattr_t attr;
	int ret = pthread_condattr_init(&attr);
	if (ret != 0)
		goto err_free;
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	ret = pthread_cond_init(&r->cond, &attr);
	pthread_condattr_destroy(&attr);
	if (ret != 0)
		goto err_free;
	ret = pthread_mutex_init(&r->lock, NULL);
	if (ret != 0)
		goto err_cond;
	atomic_init(&r->wakes, 0);
	atomic_init(&r->sleepers, 0);
	return r;

err_cond:
	pthread_cond_destroy(&r->cond);
err_free:
	free(r);
	errno = ret;
	return NULL;
}

void
runtime_delete(struct runtime *runtime)
{
	if (runtime == NULL)
		return;
	pthread_cond_destroy(&runtime->cond);
	pthread_mutex_destroy(&runtime->lock);
	free(runtime);
}

/* the waker every polled future gets: callable from any thread */
static void
runtime_wake(void *data)
{
	struct runtime *r = data;

	atomic_fetch_add(&r->wakes, 1);
	/* pairs with the sleeper's increment then read of wakes: one of the two sees the other */
	if (atomic_load(&r->sleepers) > 0) {
		pthread_mutex_lock(&r->lock);
		pthread_cond_broadcast(&r->cond);
		pthread_mutex_unlock(&r->lock);
	}
}

/* sleeps at most RUNTIME_SLEEP_NS, not at all if a waker fired since wakes read seen */
static void
runtime_sleep(struct runtime *r, uint_fast64_t seen)
{
	struct timespec until;
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_nsec += RUNTIME_SLEEP_NS;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}

	pthread_mutex_lock(&r->lock);
	atomic_fetch_add(&r->sleepers, 1);
	if (atomic_load(&r->wakes) == seen)
		pthread_cond_timedwait(&r->cond, &r->lock, &until);
	atomic_fetch_sub(&r->sleepers, 1);
	pthread_mutex_unlock(&r->lock);
}

/*
 * Polls each incomplete future whose ASYNC property is async (0 or 1), or
 * every incomplete one when async is -1; returns how many completed.
 */
static size_t
poll_pass(struct future *futs[], size_t nfuts, int async,
	struct future_notifier *notifier)
{
	size_t completed = 0;

	for (size_t i = 0; i < nfuts; i++) {
		struct future *f = futs[i];
		if (f == NULL || f->context.state == FUTURE_STATE_COMPLETE)
			continue;
		if (async >= 0 &&
				future_has_property(f, FUTURE_PROPERTY_ASYNC) != async)
			continue;
		notifier->notifier_used = FUTURE_NOTIFIER_NONE;
		if (future_poll(f, notifier) == FUTURE_STATE_COMPLETE)
			completed++;
	}
	return completed;
}

static size_t
count_pending(struct future *futs[], size_t nfuts)
{
	size_t pending = 0;

	for (size_t i = 0; i < nfuts; i++)
		if (futs[i] != NULL &&
				futs[i]->context.state != FUTURE_STATE_COMPLETE)
			pending++;
	return pending;
}

void
runtime_wait_multiple(struct runtime *runtime, struct future *futs[],
	size_t nfuts)
{
	struct future_notifier notifier;
	notifier.waker.data = runtime;
	notifier.waker.wake = runtime_wake;
	notifier.poller.ptr_to_monitor = NULL;
	notifier.notifier_used = FUTURE_NOTIFIER_NONE;
	notifier.padding = 0;

	unsigned spins = 0;
	for (;;) {
		uint_fast64_t seen = atomic_load(&runtime->wakes);
		size_t completed;

		if (nfuts == 1) {
			completed = poll_pass(futs, nfuts, -1, &notifier);
		} else {
			/* asynchronous ones first: they run while the others are polled */
			completed = poll_pass(futs, nfuts, 1, &notifier);
			completed += poll_pass(futs, nfuts, 0, &notifier);
		}
		if (count_pending(futs, nfuts) == 0)
			return;
		if (completed > 0) {
			spins = 0;
			continue;
		}
		if (++spins < RUNTIME_SPINS_BEFORE_SLEEP) {
			__FUTURE_WAIT();
			continue;
		}
		spins = 0;
		runtime_sleep(runtime, seen);
	}
}

void
runtime_wait(struct runtime *runtime, struct future *fut)
{
	runtime_wait_multiple(runtime, &fut, 1);
}
