/* persist.c -- per-granularity persist/flush/drain/mem* functions and their getters */
#include <sys/mman.h>

#include "arch.h"
#include "map_registry.h"
#include "pmem2.h"

static void
msync_range(struct pmem2_map *map, uintptr_t start, uintptr_t end, void *arg)
{
	int *failed = arg;
	uintptr_t s = ALIGN_DOWN(start, util_pagesize());
	while (msync((void *)s, end - s, MS_SYNC) != 0) {
		if (errno == EINTR)
			continue;
		/* a void persist cannot report: leave the reason where the caller can find it */
		*failed = pmem2_err_sys(-errno, errno, "msync [%p, %p) of map %p",
			(void *)s, (void *)end, (void *)map);
		return;
	}
}

/*
 * msync over the page-rounded range, split along the registered maps it
 * touches; memory outside every map is skipped (it has nothing to write back).
 * Returns 0 or the -errno of the first msync that failed.
 */
int
pmem2_persist_pages_checked(const void *addr, size_t len)
{
	if (len == 0)
		return 0;
	uintptr_t start = ALIGN_DOWN((uintptr_t)addr, util_pagesize());
	uintptr_t end = (uintptr_t)addr + len;
	if (end < start)
		end = UINTPTR_MAX;	/* wrapped: persist up to the end of the address space */
	int failed = 0;
	map_registry_foreach(start, end, msync_range, &failed);
	return failed;
}

static void
persist_pages(const void *addr, size_t len)
{
	(void) pmem2_persist_pages_checked(addr, len);
}

static void
drain_nop(void)
{
}

static void *
memmove_page(void *dst, const void *src, size_t len, unsigned flags)
{
	Pmem2_arch.memmove_noflush(dst, src, len, flags);
	if (!(flags & PMEM2_F_MEM_NOFLUSH))
		persist_pages(dst, len);
	return dst;
}

static void *
memset_page(void *dst, int c, size_t len, unsigned flags)
{
	Pmem2_arch.memset_noflush(dst, c, len, flags);
	if (!(flags & PMEM2_F_MEM_NOFLUSH))
		persist_pages(dst, len);
	return dst;
}

void
pmem2_set_flush_fns(struct pmem2_map *map)
{
	switch (map->effective_granularity) {
	case PMEM2_GRANULARITY_PAGE:
		map->persist_fn = persist_pages;
		map->flush_fn = persist_pages;
		map->drain_fn = drain_nop;
		map->deep_flush_fn = pmem2_deep_flush_page;
		break;
	case PMEM2_GRANULARITY_CACHE_LINE:
		map->persist_fn = Pmem2_arch.persist_cl;
		map->flush_fn = Pmem2_arch.flush_cl;
		map->drain_fn = Pmem2_arch.drain;
		map->deep_flush_fn = pmem2_deep_flush_cache;
		break;
	case PMEM2_GRANULARITY_BYTE:
	default:
		map->persist_fn = Pmem2_arch.persist_byte;
		map->flush_fn = Pmem2_arch.flush_byte;
		map->drain_fn = Pmem2_arch.drain;
		map->deep_flush_fn = pmem2_deep_flush_byte;
		break;
	}
}

void
pmem2_set_mem_fns(struct pmem2_map *map)
{
	switch (map->effective_granularity) {
	case PMEM2_GRANULARITY_PAGE:
		map->memmove_fn = memmove_page;
		map->memset_fn = memset_page;
		break;
	case PMEM2_GRANULARITY_CACHE_LINE:
		map->memmove_fn = Pmem2_arch.memmove_cl;
		map->memset_fn = Pmem2_arch.memset_cl;
		break;
	case PMEM2_GRANULARITY_BYTE:
	default:
		map->memmove_fn = Pmem2_arch.memmove_byte;
		map->memset_fn = Pmem2_arch.memset_byte;
		break;
	}
	map->memcpy_fn = map->memmove_fn;
}

pmem2_persist_fn
pmem2_get_persist_fn(struct pmem2_map *map)
{
	return map->persist_fn;
}

pmem2_flush_fn
pmem2_get_flush_fn(struct pmem2_map *map)
{
	return map->flush_fn;
}

pmem2_drain_fn
pmem2_get_drain_fn(struct pmem2_map *map)
{
	return map->drain_fn;
}

pmem2_memmove_fn
pmem2_get_memmove_fn(struct pmem2_map *map)
{
	return map->memmove_fn;
}

pmem2_memcpy_fn
pmem2_get_memcpy_fn(struct pmem2_map *map)
{
	return map->memcpy_fn;
}

pmem2_memset_fn
pmem2_get_memset_fn(struct pmem2_map *map)
{
	return map->memset_fn;
}
