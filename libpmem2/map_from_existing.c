/* map_from_existing.c -- wrap a mapping the caller made so libpmem2 can persist and copy into it */
#include <stdlib.h>

#include "map_registry.h"
#include "pmem2.h"

int
pmem2_map_from_existing(struct pmem2_map **map_ptr, const struct pmem2_source *src,
	void *addr, size_t len, enum pmem2_granularity gran)
{
	if (map_ptr == NULL)
		return pmem2_err(-EINVAL, "map is NULL");
	*map_ptr = NULL;
	if (src == NULL)
		return pmem2_err(-EINVAL, "src is NULL");
	if (addr == NULL)
		return pmem2_err(PMEM2_E_ADDRESS_NULL, "addr is NULL");
	if (len == 0)
		return pmem2_err(PMEM2_E_LENGTH_OUT_OF_RANGE, "len is 0");
	if ((uintptr_t)addr > UINTPTR_MAX - len)
		return pmem2_err(PMEM2_E_LENGTH_OUT_OF_RANGE,
			"addr %p + len %zu wraps around the address space", addr, len);
	if ((unsigned)gran > PMEM2_GRANULARITY_PAGE)
		return pmem2_err(PMEM2_E_GRANULARITY_NOT_SUPPORTED,
			"granularity %d is not one of PMEM2_GRANULARITY_BYTE, _CACHE_LINE, _PAGE",
			(int)gran);

	struct pmem2_map *map = calloc(1, sizeof(*map));
	if (map == NULL)
		return pmem2_err_sys(-ENOMEM, ENOMEM, "cannot allocate the map");
	map->addr = addr;
	map->reserved_length = 0;
	map->content_length = len;
	map->effective_granularity = gran;
	map->source = *src;
	map->source.fd = -1;
	pmem2_set_flush_fns(map);
	pmem2_set_mem_fns(map);
	pmem2_map_set_vdm(map, NULL);	/* no config to name one: the default mover */

	int ret = map_registry_add(map);
	if (ret) {
		free(map);
		if (ret == -EEXIST)
			return pmem2_err(PMEM2_E_MAP_EXISTS,
				"[%p, %p) overlaps a registered mapping", addr,
				(void *)((char *)addr + len));
		return pmem2_err_sys(ret, -ret, "cannot register the map");
	}
	*map_ptr = map;
	return 0;
}
