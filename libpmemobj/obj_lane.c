/* obj_lane.c -- which lane a thread uses in a pool: assigned round robin on its first call, remembered in thread-local storage */
#include "obj_pool.h"

/* a small direct-mapped cache per thread, keyed by the pool's unique id */
#define LANE_CACHE_SLOTS 16

static __thread struct {
	uint64_t id;
	unsigned lane;
} Lane_cache[LANE_CACHE_SLOTS];

unsigned
obj_lane_of_thread(struct obj_pool *pool)
{
	unsigned slot = (unsigned)(pool->id % LANE_CACHE_SLOTS);
	if (Lane_cache[slot].id == pool->id)
		return Lane_cache[slot].lane;
	/* threads beyond nlanes share lanes; the lane's lock serializes them */
	unsigned lane = atomic_fetch_add(&pool->next_lane, 1) % pool->nlanes;
	Lane_cache[slot].id = pool->id;
	Lane_cache[slot].lane = lane;
	return lane;
}
