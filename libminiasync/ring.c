/*
 * ring.c -- the bounded queue of the threads mover: callers never wait (a
 * full ring makes the future retry at its next poll), workers sleep on a
 * condition variable while it is empty. One lock: an operation costs a copy,
 * which dwarfs an uncontended mutex.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "ring.h"

int
ring_init(struct ring *r, size_t size)
{
	if (size == 0 || size > SIZE_MAX / sizeof(void *))
		return -EINVAL;
	r->slots = calloc(size, sizeof(void *));
	if (r->slots == NULL)
		return -ENOMEM;
	int ret = pthread_mutex_init(&r->lock, NULL);
	if (ret != 0)
		goto err_free;
	ret = pthread_cond_init(&r->nonempty, NULL);
	if (ret != 0)
		goto err_mutex;
	r->size = size;
	r->head = 0;
	r->count = 0;
	r->waiting = 0;
	r->stopped = 0;
	return 0;

err_mutex:
	pthread_mutex_destroy(&r->lock);
err_free:
	free(r->slots);
	return -ret;
}

void
ring_fini(struct ring *r)
{
	pthread_cond_destroy(&r->nonempty);
	pthread_mutex_destroy(&r->lock);
	free(r->slots);
}

int
ring_try_enqueue(struct ring *r, void *item)
{
	pthread_mutex_lock(&r->lock);
	if (r->count == r->size || r->stopped) {
		pthread_mutex_unlock(&r->lock);
		return -1;
	}
	r->slots[(r->head + r->count) % r->size] = item;
	r->count++;
	if (r->waiting > 0)
		pthread_cond_signal(&r->nonempty);
	pthread_mutex_unlock(&r->lock);
	return 0;
}

void *
ring_dequeue(struct ring *r)
{
	void *item = NULL;

	pthread_mutex_lock(&r->lock);
	while (r->count == 0 && !r->stopped) {
		r->waiting++;
		pthread_cond_wait(&r->nonempty, &r->lock);
		r->waiting--;
	}
	if (r->count > 0) {
		item = r->slots[r->head];
		r->head = (r->head + 1) % r->size;
		r->count--;
	}
	pthread_mutex_unlock(&r->lock);
	return item;
}

void
ring_stop(struct ring *r)
{
	pthread_mutex_lock(&r->lock);
	r->stopped = 1;
	pthread_cond_broadcast(&r->nonempty);
	pthread_mutex_unlock(&r->lock);
}
