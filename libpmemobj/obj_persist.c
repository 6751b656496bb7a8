/* obj_persist.c -- pmemobj_persist, _xpersist, _flush, _xflush, _drain: a range of the pool made durable in every replica */
#include <errno.h>

#include "obj_pool.h"

/* the range checks, then the fan-out; -1 with errno for both kinds of failure */
static int
sync_range(PMEMobjpool *pop, const char *func, const void *addr, size_t len, unsigned flags,
	enum obj_sync mode)
{
	struct obj_pool *pool = obj_pool_arg(pop, func);
	if (pool == NULL)
		return -1;
	if (flags & ~PMEMOBJ_F_RELAXED)
		return obj_fail(EINVAL, "%s: unknown flags 0x%x (only PMEMOBJ_F_RELAXED is valid)",
			func, flags & ~PMEMOBJ_F_RELAXED);
	size_t off;
	if (obj_range_arg(pool, func, addr, len, &off))
		return -1;
	return obj_fanout(pool, off, len, mode, flags, 0, 0);
}

void
pmemobj_persist(PMEMobjpool *pop, const void *addr, size_t len)
{
	sync_range(pop, "pmemobj_persist", addr, len, 0, OBJ_SYNC_PERSIST);
}

int
pmemobj_xpersist(PMEMobjpool *pop, const void *addr, size_t len, unsigned flags)
{
	return sync_range(pop, "pmemobj_xpersist", addr, len, flags, OBJ_SYNC_PERSIST);
}

void
pmemobj_flush(PMEMobjpool *pop, const void *addr, size_t len)
{
	sync_range(pop, "pmemobj_flush", addr, len, 0, OBJ_SYNC_FLUSH);
}

int
pmemobj_xflush(PMEMobjpool *pop, const void *addr, size_t len, unsigned flags)
{
	return sync_range(pop, "pmemobj_xflush", addr, len, flags, OBJ_SYNC_FLUSH);
}

void
pmemobj_drain(PMEMobjpool *pop)
{
	struct obj_pool *pool = obj_pool_arg(pop, "pmemobj_drain");
	if (pool == NULL)
		return;
	/* a store fence: the same for every local map; remote flushes completed already */
	pmem2_get_drain_fn(pool->reps[0].local.parts[0].map)();
}
