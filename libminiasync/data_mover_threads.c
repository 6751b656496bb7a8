/*
 * data_mover_threads.c -- the threads mover: a future's first poll queues its
 * operation on a bounded ring (a full ring leaves the future idle: the next
 * poll retries), worker threads run the operations concurrently with the
 * callers, call the waker of the poll that started each operation, then
 * mark it complete; a poller notifier watches that completion word.
 */
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "miniasync.h"
#include "ring.h"

#define DEFAULT_NTHREADS 12
#define DEFAULT_RINGBUF_SIZE 128

struct data_mover_threads {
	struct vdm base;	/* first: a struct vdm * is a struct data_mover_threads * */
	struct ring ring;
	enum future_notifier_type notifier;
	_Atomic(memcpy_fn) op_memcpy;
	_Atomic(memmove_fn) op_memmove;
	_Atomic(memset_fn) op_memset;
	size_t nthreads;	/* started */
	pthread_t *threads;
};

static void *
threads_op_new(struct vdm *vdm, const enum vdm_operation_type type)
{
	(void)type;
	struct op_record *rec = op_record_new();
	if (rec != NULL)
		rec->vdm = vdm;
	return rec;
}

static int
threads_op_start(void *data, const struct vdm_operation *operation,
	struct future_notifier *n)
{
	struct op_record *rec = data;
	struct data_mover_threads *dmt = (struct data_mover_threads *)rec->vdm;

	rec->operation = *operation;
	rec->complete = 0;
	rec->waker.wake = NULL;
	rec->waker.data = NULL;
	if (n != NULL) {
		n->notifier_used = FUTURE_NOTIFIER_NONE;
		if (dmt->notifier == FUTURE_NOTIFIER_WAKER &&
				n->waker.wake != NULL) {
			rec->waker = n->waker;
			n->notifier_used = FUTURE_NOTIFIER_WAKER;
		} else if (dmt->notifier == FUTURE_NOTIFIER_POLLER) {
			n->poller.ptr_to_monitor = &rec->complete;
			n->notifier_used = FUTURE_NOTIFIER_POLLER;
		}
	}
	if (ring_try_enqueue(&dmt->ring, rec) != 0) {
		/* nothing will signal: the caller has to poll again */
		if (n != NULL) {
			n->notifier_used = FUTURE_NOTIFIER_NONE;
			n->poller.ptr_to_monitor = NULL;
		}
		return 1;
	}
	return 0;
}

static enum future_state
threads_op_check(void *data, const struct vdm_operation *operation)
{
	struct op_record *rec = data;
	(void)operation;
	return __atomic_load_n(&rec->complete, __ATOMIC_ACQUIRE) ?
		FUTURE_STATE_COMPLETE : FUTURE_STATE_RUNNING;
}

static void
threads_op_delete(void *data, const struct vdm_operation *operation,
	struct vdm_operation_output *output)
{
	vdm_op_output_fill(operation, VDM_SUCCESS, output);
	op_record_delete(data);
}

/* the workers do the work: every future of this mover is asynchronous */
static int
threads_has_property(void *future, enum future_property property)
{
	(void)future;
	return property == FUTURE_PROPERTY_ASYNC;
}

static void *
worker(void *arg)
{
	struct data_mover_threads *dmt = arg;
	struct op_record *rec;

	while ((rec = ring_dequeue(&dmt->ring)) != NULL) {
		op_run(&rec->operation, atomic_load(&dmt->op_memcpy),
			atomic_load(&dmt->op_memmove),
			atomic_load(&dmt->op_memset));
		/*
		 * Wake before marking complete: the waiter cannot see the
		 * operation complete (and free the record, or its own waker
		 * data) until the waker has returned. A waiter woken early
		 * finds it running and polls again (the runtime spins then).
		 */
		struct future_waker waker = rec->waker;
		if (waker.wake != NULL)
			waker.wake(waker.data);
		__atomic_store_n(&rec->complete, 1, __ATOMIC_RELEASE);
	}
	return NULL;
}

/* stops the ring, lets the workers finish what is queued, and frees everything */
static void
threads_destroy(struct data_mover_threads *dmt)
{
	ring_stop(&dmt->ring);
	for (size_t i = 0; i < dmt->nthreads; i++)
		pthread_join(dmt->threads[i], NULL);
	ring_fini(&dmt->ring);
	free(dmt->threads);
	free(dmt);
}

/* starts the workers with every signal blocked: signals stay with the program's threads */
static int
start_workers(struct data_mover_threads *dmt, size_t nthreads)
{
	sigset_t all, old;
	int ret = 0;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (size_t i = 0; i < nthreads; i++) {
		ret = pthread_create(&dmt->threads[i], NULL, worker, dmt);
		if (ret != 0)
			break;
		dmt->nthreads++;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return ret;
}

struct data_mover_threads *
data_mover_threads_new(size_t nthreads, size_t ringbuf_size,
	enum future_notifier_type desired_notifier)
{
	if (nthreads == 0 || ringbuf_size == 0 ||
			(desired_notifier != FUTURE_NOTIFIER_NONE &&
			desired_notifier != FUTURE_NOTIFIER_WAKER &&
			desired_notifier != FUTURE_NOTIFIER_POLLER)) {
		errno = EINVAL;
		return NULL;
	}
	struct data_mover_threads *dmt = calloc(1, sizeof(*dmt));
	if (dmt == NULL)
		return NULL;
	dmt->base.op_new = threads_op_new;
	dmt->base.op_delete = threads_op_delete;
	dmt->base.op_start = threads_op_start;
	dmt->base.op_check = threads_op_check;
	dmt->base.capabilities = 0;
	dmt->base.has_property = threads_has_property;
	dmt->notifier = desired_notifier;
	atomic_init(&dmt->op_memcpy, op_libc_memcpy);
	atomic_init(&dmt->op_memmove, op_libc_memmove);
	atomic_init(&dmt->op_memset, op_libc_memset);

	int ret = ring_init(&dmt->ring, ringbuf_size);
	if (ret != 0) {
		free(dmt);
		errno = -ret;
		return NULL;
	}
	dmt->threads = calloc(nthreads, sizeof(pthread_t));
	if (dmt->threads == NULL) {
		ret = ENOMEM;
		goto err;
	}
	ret = start_workers(dmt, nthreads);
	if (ret != 0)
		goto err;
	return dmt;

err:
	threads_destroy(dmt);
	errno = ret;
	return NULL;
}

struct data_mover_threads *
data_mover_threads_default(void)
{
	return data_mover_threads_new(DEFAULT_NTHREADS, DEFAULT_RINGBUF_SIZE,
		FUTURE_NOTIFIER_WAKER);
}

struct vdm *
data_mover_threads_get_vdm(struct data_mover_threads *dmt)
{
	return dmt != NULL ? &dmt->base : NULL;
}

void
data_mover_threads_delete(struct data_mover_threads *dmt)
{
	if (dmt != NULL)
		threads_destroy(dmt);
}

void
data_mover_threads_set_memcpy_fn(struct data_mover_threads *dmt,
	memcpy_fn op_memcpy)
{
	atomic_store(&dmt->op_memcpy,
		op_memcpy != NULL ? op_memcpy : op_libc_memcpy);
}

void
data_mover_threads_set_memmove_fn(struct data_mover_threads *dmt,
	memmove_fn op_memmove)
{
	atomic_store(&dmt->op_memmove,
		op_memmove != NULL ? op_memmove : op_libc_memmove);
}

void
data_mover_threads_set_memset_fn(struct data_mover_threads *dmt,
	memset_fn op_memset)
{
	atomic_store(&dmt->op_memset,
		op_memset != NULL ? op_memset : op_libc_memset);
}
