/* ring.h -- the bounded queue between the threads mover's callers and its workers */
#ifndef LIBMINIASYNC_RING_H
#define LIBMINIASYNC_RING_H 1

#include <pthread.h>
#include <stddef.h>

struct ring {
	pthread_mutex_t lock;
	pthread_cond_t nonempty;	/* workers wait here */
	void **slots;
	size_t size;
	size_t head;			/* the oldest item */
	size_t count;
	unsigned waiting;		/* workers waiting for an item */
	int stopped;
};

/* 0, or a negative errno (-EINVAL for size 0, -ENOMEM) */
int ring_init(struct ring *r, size_t size);
void ring_fini(struct ring *r);

/* queues item without waiting; -1 when the ring is full or stopped */
int ring_try_enqueue(struct ring *r, void *item);

/* waits for an item; NULL once the ring is stopped and empty */
void *ring_dequeue(struct ring *r);

/* wakes every waiting worker; items already queued are still handed out */
void ring_stop(struct ring *r);

#endif /* LIBMINIASYNC_RING_H */
