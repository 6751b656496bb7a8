/* obj_fanout.c -- a written range reaches every replica: remote persists started first, the primary and local replicas written meanwhile, then the remote ones completed */
#include <errno.h>
#include <sched.h>
#include <string.h>

#include "obj_pool.h"

/* passes of polling with nothing completed before the thread yields the CPU */
#define SPIN_PASSES 64

/* flushes pool range [off, off + len) of a mapped local replica, part by part */
static void
local_flush(struct replica *rep, size_t off, size_t len)
{
	for (unsigned p = 0; p < rep->nparts && len > 0; p++) {
		struct replica_part *part = &rep->parts[p];
		if (off >= part->pool_off + part->len)
			continue;
		size_t n = part->pool_off + part->len - off;
		if (n > len)
			n = len;
		pmem2_get_flush_fn(part->map)((char *)rep->addr + off, n);
		off += n;
		len -= n;
	}
}

/* copies len bytes from src to pool offset off of a mapped local replica with pmem2 flags */
static void
local_copy(struct replica *rep, size_t off, const char *src, size_t len, unsigned memflags)
{
	for (unsigned p = 0; p < rep->nparts && len > 0; p++) {
		struct replica_part *part = &rep->parts[p];
		if (off >= part->pool_off + part->len)
			continue;
		size_t n = part->pool_off + part->len - off;
		if (n > len)
			n = len;
		part->memcpy_fn((char *)rep->addr + off, src, n, memflags);
		off += n;
		src += n;
		len -= n;
	}
}

/* starts a persist on every remote replica not lost; the first poll posts it */
static void
remote_start(struct obj_pool *pool, struct obj_lane *lane, unsigned l, size_t off, size_t len,
	unsigned rflags)
{
	unsigned i = 0;
	for (unsigned r = 1; r < pool->nreps; r++) {
		struct obj_rep *rep = &pool->reps[r];
		if (!rep->remote)
			continue;
		struct rpmem_persist_future *f = &lane->futs[i++];
		if (atomic_load_explicit(&rep->lost, memory_order_acquire)) {
			f->base.context.state = FUTURE_STATE_COMPLETE;
			f->output.error = 0;
			continue;
		}
		*f = rpmem_persist_async(rep->rpp, off, len, l, rflags);
		/* a failure at once is reported now, while rpmem_errormsg() still says it */
		if (future_poll(FUTURE_AS_RUNNABLE(f), NULL) == FUTURE_STATE_COMPLETE &&
				f->output.error != 0)
			obj_mark_lost(pool, rep, f->output.error, rpmem_errormsg());
	}
}

/* polls until every remote persist completed; failures mark their replica lost */
static void
remote_finish(struct obj_pool *pool, struct obj_lane *lane)
{
	unsigned pending, passes = 0;
	do {
		pending = 0;
		unsigned i = 0;
		for (unsigned r = 1; r < pool->nreps; r++) {
			struct obj_rep *rep = &pool->reps[r];
			if (!rep->remote)
				continue;
			struct rpmem_persist_future *f = &lane->futs[i++];
			if (f->base.context.state == FUTURE_STATE_COMPLETE)
				continue;
			if (future_poll(FUTURE_AS_RUNNABLE(f), NULL) != FUTURE_STATE_COMPLETE) {
				pending++;
				continue;
			}
			if (f->output.error != 0)
				obj_mark_lost(pool, rep, f->output.error, rpmem_errormsg());
		}
		if (pending && ++passes % SPIN_PASSES == 0)
			sched_yield();
	} while (pending);
}

int
obj_fanout(struct obj_pool *pool, size_t off, size_t len, enum obj_sync mode,
	unsigned flags, int primary_done, unsigned memflags)
{
	if (len == 0)
		return obj_lost_error(pool);
	/* errno is the only failure report of the void calls: untouched by a success */
	int saved_errno = errno;
	struct obj_lane *lane = NULL;
	if (pool->nremote > 0) {
		unsigned l = obj_lane_of_thread(pool);
		lane = &pool->lanes[l];
		pthread_mutex_lock(&lane->lock);
		unsigned rflags = (flags & PMEMOBJ_F_RELAXED) || mode == OBJ_SYNC_FLUSH ?
			RPMEM_PERSIST_RELAXED : 0;
		remote_start(pool, lane, l, off, len, rflags);
	}

	struct replica *primary = &pool->reps[0].local;
	int ret = 0;
	if (!primary_done) {
		if (mode == OBJ_SYNC_PERSIST)
			ret = replica_persist(primary, off, len);
		else
			local_flush(primary, off, len);
	}
	unsigned cflags = memflags | (mode == OBJ_SYNC_FLUSH ? PMEM2_F_MEM_NODRAIN : 0);
	for (unsigned r = 1; r < pool->nreps; r++)
		if (!pool->reps[r].remote)
			local_copy(&pool->reps[r].local, off, pool->base + off, len, cflags);

	if (lane != NULL) {
		remote_finish(pool, lane);
		pthread_mutex_unlock(&lane->lock);
	}
	if (ret)
		return obj_fail(-ret, "%s", err_last());
	ret = obj_lost_error(pool);
	if (ret == 0)
		errno = saved_errno;
	return ret;
}
