/* obj_sizes.c -- the size rules of a pool: the primary at least PMEMOBJ_MIN_POOL, every local replica at least the primary */
#include <errno.h>

#include "obj_pool.h"
#include "util.h"

/* the usable size of local replica r as the set file says, 0 when only its devices can tell (AUTO) */
static uint64_t
planned_size(const struct poolset *set, unsigned r)
{
	uint64_t size;
	if (poolset_replica_size(set, r, util_pagesize(), &size) != 0)
		return 0;
	return size;
}

static int
too_small(const struct obj_rep *rep, uint64_t size, uint64_t primary)
{
	const struct poolset_replica *sr = &rep->os->set->replicas[rep->r];
	return err_set(-EINVAL,
		"%s: the REPLICA of line %u has %llu usable bytes, fewer than the primary's %llu (a replica must be at least as large as the primary)",
		rep->name, sr->line, (unsigned long long)size, (unsigned long long)primary);
}

static int
primary_too_small(const struct obj_rep *rep, uint64_t size)
{
	return err_set(-EINVAL,
		"%s: the pool has %llu usable bytes, below the minimum of %zu (PMEMOBJ_MIN_POOL)",
		rep->name, (unsigned long long)size, PMEMOBJ_MIN_POOL);
}

int
obj_sizes_precheck(struct obj_pool *pool)
{
	const struct poolset *set = pool->os.set;
	uint64_t primary = planned_size(set, 0);
	if (primary == 0)
		return 0;
	if (primary < PMEMOBJ_MIN_POOL)
		return primary_too_small(&pool->reps[0], primary);
	for (unsigned r = 1; r < pool->nreps; r++) {
		if (pool->reps[r].remote)
			continue;
		uint64_t size = planned_size(set, r);
		if (size != 0 && size < primary)
			return too_small(&pool->reps[r], size, primary);
	}
	return 0;
}

int
obj_sizes_check(struct obj_pool *pool)
{
	if (pool->size < PMEMOBJ_MIN_POOL)
		return primary_too_small(&pool->reps[0], pool->size);
	for (unsigned r = 1; r < pool->nreps; r++) {
		struct obj_rep *rep = &pool->reps[r];
		if (!rep->remote && rep->local.size < pool->size)
			return too_small(rep, rep->local.size, pool->size);
	}
	return 0;
}
