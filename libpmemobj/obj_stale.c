/* obj_stale.c -- a remote replica that failed: its error is kept (every later call reports it) and "replica k is stale" goes into every local header */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "obj_pool.h"

/* sets the stale bit of replica k in every header of local replica rep */
static int
mark_in(struct obj_rep *rep, unsigned k)
{
	uint8_t buf[POOLSET_HDR_SIZE];
	char why[ERR_MSG_MAX];
	struct obj_hdr h;
	for (unsigned p = 0; p < rep->local.nparts; p++) {
		if (!rep->local.parts[p].has_hdr)
			continue;
		int ret = replica_hdr_read(&rep->local, p, buf);
		if (ret)
			return ret;
		if (obj_hdr_decode(buf, &h, why, sizeof(why)) != 0)
			return err_set(-EINVAL, "%s: part %u: %s", rep->name, p, why);
		if (obj_stale_get(h.stale, k))
			continue;
		obj_stale_set(h.stale, k);
		obj_hdr_encode(&h, buf);
		ret = replica_hdr_write(&rep->local, p, buf);
		if (ret)
			return ret;
	}
	return 0;
}

void
obj_mark_lost(struct obj_pool *pool, struct obj_rep *rep, int errnum, const char *msg)
{
	pthread_mutex_lock(&pool->mark_lock);
	if (atomic_load(&rep->lost)) {
		pthread_mutex_unlock(&pool->mark_lock);
		return;
	}
	rep->lost_errno = errnum != 0 ? errnum : EIO;
	snprintf(rep->lost_msg, sizeof(rep->lost_msg), "%s: %s", rep->name, msg);
	log_msg(LOG_ERROR, "%s; marked stale in the local headers", rep->lost_msg);
	for (unsigned r = 0; r < pool->nreps; r++) {
		if (pool->reps[r].remote)
			continue;
		if (mark_in(&pool->reps[r], rep->r) != 0)
			log_msg(LOG_ERROR, "the stale mark of %s is not in %s: %s", rep->name,
				pool->reps[r].name, err_last());
	}
	/* release: a thread that sees lost set reads a complete message */
	atomic_store_explicit(&rep->lost, 1, memory_order_release);
	pthread_mutex_unlock(&pool->mark_lock);
}

int
obj_lost_error(struct obj_pool *pool)
{
	for (unsigned r = 1; r < pool->nreps; r++) {
		struct obj_rep *rep = &pool->reps[r];
		if (!rep->remote || !atomic_load_explicit(&rep->lost, memory_order_acquire))
			continue;
		return obj_fail(rep->lost_errno,
			"%s (writes no longer reach this replica; it is marked stale: rebuild it with 'rpmempool sync %s')",
			rep->lost_msg, pool->os.path);
	}
	return 0;
}
