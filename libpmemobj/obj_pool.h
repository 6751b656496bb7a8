/* obj_pool.h -- an open pool at run time: its replicas, lanes, the registry that finds it, and the fan-out of writes to every replica */
#ifndef OBJ_POOL_H
#define OBJ_POOL_H 1

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "obj_api.h"
#include "librpmem/async.h"
#include "obj_rep.h"

/* one lane: a thread's claim on lane l of every remote replica while a call runs */
struct obj_lane {
	pthread_mutex_t lock;
	struct rpmem_persist_future *futs;	/* one per remote replica, used under lock */
};

struct obj_pool {
	char *base;			/* the primary's pool offset 0: the PMEMobjpool pointer */
	size_t size;			/* the pool size: the primary's usable bytes */
	uint64_t uuid_lo;
	uint64_t id;			/* unique per open, never reused: the lane cache's key */
	struct obj_set os;
	unsigned nreps;
	struct obj_rep *reps;		/* reps[0] is the primary */
	unsigned nremote;
	unsigned nlanes;		/* 0 without remote replicas */
	struct obj_lane *lanes;
	atomic_uint next_lane;
	pthread_mutex_t root_lock;	/* root object growth */
	pthread_mutex_t mark_lock;	/* stale marks in the headers */
	void *user_data;
	struct obj_pool *next;		/* the registry's list */
};

/* obj_open.c / obj_create.c: what both use */
struct obj_pool *obj_pool_alloc(void);
int obj_pool_reps_init(struct obj_pool *pool);
int obj_pool_lanes_init(struct obj_pool *pool);
void obj_pool_free(struct obj_pool *pool);	/* closes every replica, frees */
unsigned obj_nlanes_wanted(void);		/* PMEMOBJ_NLANES or the default */

/* obj_sizes.c: -EINVAL naming the replica unless the primary >= PMEMOBJ_MIN_POOL <= every local replica */
int obj_sizes_precheck(struct obj_pool *pool);	/* from the set file, before anything is made */
int obj_sizes_check(struct obj_pool *pool);	/* once the local replicas are laid out */

/* obj_registry.c: open pools by address and by UUID; a per-thread cache keeps the lookup lock-free */
int obj_registry_add(struct obj_pool *pool);
void obj_registry_remove(struct obj_pool *pool);
struct obj_pool *obj_pool_get(PMEMobjpool *pop);	/* exact; NULL if not open */
struct obj_pool *obj_pool_by_addr(const void *addr);	/* within a pool */
struct obj_pool *obj_pool_by_uuid_lo(uint64_t uuid_lo);

/*
 * The argument checks every call starts with: the pool is open (EINVAL
 * otherwise, message set), and [addr, addr + len) lies in the pool's data,
 * above the header (EINVAL naming the range). They return NULL / -1 with
 * errno set.
 */
struct obj_pool *obj_pool_arg(PMEMobjpool *pop, const char *func);
int obj_range_arg(struct obj_pool *pool, const char *func, const void *addr, size_t len,
	size_t *off);

/* obj_lane.c: this thread's lane of the pool (round robin on first use) */
unsigned obj_lane_of_thread(struct obj_pool *pool);

/* obj_fanout.c */
enum obj_sync {
	OBJ_SYNC_PERSIST,	/* durable everywhere on return */
	OBJ_SYNC_FLUSH,		/* flushed locally (a drain completes it), durable remotely */
};

/*
 * Makes pool range [off, off + len), already written to the primary, reach
 * every replica: remote persists started on this thread's lane, the
 * primary persisted or flushed (unless primary_done), the range copied into
 * every local replica (with the pmem2 memcpy flags memflags), the remote
 * persists completed. flags: PMEMOBJ_F_RELAXED. Returns 0, or -1 with errno
 * and the message set when a replica failed (every other replica was
 * still written); a remote replica that fails is marked lost for good.
 */
int obj_fanout(struct obj_pool *pool, size_t off, size_t len, enum obj_sync mode,
	unsigned flags, int primary_done, unsigned memflags);

/* obj_stale.c: a remote replica that failed: sticky error and a stale mark in the local headers */
void obj_mark_lost(struct obj_pool *pool, struct obj_rep *rep, int errnum, const char *msg);
/* the error of the first lost replica: -1 with errno and the message, 0 when none is lost */
int obj_lost_error(struct obj_pool *pool);

/* errormsg.c: records a message with errno; returns -1 */
int obj_fail(int errnum, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif /* OBJ_POOL_H */
