/* map_registry.c -- the process-wide set of live maps, under one read-write lock */
#include <pthread.h>

#include "map_registry.h"
#include "range_set.h"

static struct range_set Maps = RANGE_SET_INIT;
static pthread_rwlock_t Maps_lock = PTHREAD_RWLOCK_INITIALIZER;

size_t
map_registry_length(const struct pmem2_map *map)
{
	/* maps wrapped by pmem2_map_from_existing reserve nothing of their own */
	return map->reserved_length ? map->reserved_length : map->content_length;
}

int
map_registry_add(struct pmem2_map *map)
{
	uintptr_t start = (uintptr_t)map->addr;
	pthread_rwlock_wrlock(&Maps_lock);
	int ret = range_set_insert(&Maps, start, start + map_registry_length(map), map);
	pthread_rwlock_unlock(&Maps_lock);
	return ret;
}

int
map_registry_remove(struct pmem2_map *map)
{
	pthread_rwlock_wrlock(&Maps_lock);
	int ret = range_set_remove(&Maps, map);
	if (Maps.n == 0)
		range_set_fini(&Maps);	/* nothing left behind at exit */
	pthread_rwlock_unlock(&Maps_lock);
	return ret;
}

void
map_registry_foreach(uintptr_t start, uintptr_t end, map_range_fn *fn, void *arg)
{
	pthread_rwlock_rdlock(&Maps_lock);
	ptrdiff_t i = range_set_first_overlap(&Maps, start, end);
	for (size_t k = i < 0 ? Maps.n : (size_t)i; k < Maps.n; k++) {
		const struct range *r = &Maps.v[k];
		if (r->start >= end)
			break;
		uintptr_t s = start > r->start ? start : r->start;
		uintptr_t e = end < r->end ? end : r->end;
		fn(r->owner, s, e, arg);
	}
	pthread_rwlock_unlock(&Maps_lock);
}
