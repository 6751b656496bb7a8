/* map_registry.h -- every live pmem2_map by address range: overlap checks and PAGE persist */
#ifndef PMEM2_MAP_REGISTRY_H
#define PMEM2_MAP_REGISTRY_H 1

#include "pmem2.h"

/* the address range a map occupies in the registry */
size_t map_registry_length(const struct pmem2_map *map);

/* 0; -EEXIST when the map's range overlaps a registered map; -ENOMEM */
int map_registry_add(struct pmem2_map *map);
/* 0; -ENOENT when map is not registered (map is never dereferenced then) */
int map_registry_remove(struct pmem2_map *map);

typedef void map_range_fn(struct pmem2_map *map, uintptr_t start, uintptr_t end, void *arg);
/*
 * Calls fn under the registry's read lock for every map overlapping
 * [start, end), with the range clipped to that map.
 */
void map_registry_foreach(uintptr_t start, uintptr_t end, map_range_fn *fn, void *arg);

#endif /* PMEM2_MAP_REGISTRY_H */
