/* map.c -- pmem2_map_new, pmem2_map_delete and the address/size/granularity accessors */
#include <stdlib.h>
#include <sys/mman.h>

#include "granularity.h"
#include "map_registry.h"
#include "pmem2.h"
#include "vm_reservation.h"

#define MAP_ALIGN_HUGE (2UL << 20)
#define MAP_ALIGN_GIANT (1UL << 30)

/* where the mapping's bytes come from, after validation */
struct map_plan {
	size_t offset;		/* in the source */
	size_t content;		/* what the user sees */
	size_t reserved;	/* content rounded up to the source alignment */
	size_t align;		/* of the source */
	bool anon;
};

static int
prot_to_mmap(unsigned prot)
{
	int p = PROT_NONE;
	if (prot & PMEM2_PROT_READ)
		p |= PROT_READ;
	if (prot & PMEM2_PROT_WRITE)
		p |= PROT_WRITE;
	if (prot & PMEM2_PROT_EXEC)
		p |= PROT_EXEC;
	return p;
}

static int
mmap_error(int e)
{
	switch (e) {
	case EACCES:
		return PMEM2_E_NO_ACCESS;
	case ENOTSUP:
		return PMEM2_E_NOSUPP;
	case EEXIST:
		return PMEM2_E_MAPPING_EXISTS;
	default:
		return -e;
	}
}

/* checks offset and length against the source, in PMDK's order */
static int
plan_map(const struct pmem2_config *cfg, const struct pmem2_source *src, struct map_plan *p)
{
	size_t size;
	int ret = pmem2_source_alignment(src, &p->align);
	if (ret)
		return ret;
	ret = pmem2_source_size(src, &size);
	if (ret)
		return ret;

	p->anon = src->type == PMEM2_SOURCE_ANON;
	p->offset = p->anon ? 0 : cfg->offset;	/* anonymous memory has no offset */
	if (p->offset % p->align)
		return pmem2_err(PMEM2_E_OFFSET_UNALIGNED,
			"offset %zu is not a multiple of the source alignment %zu",
			p->offset, p->align);
	if (!p->anon && src->ftype == PMEM2_FTYPE_DIR)
		return pmem2_err(PMEM2_E_INVALID_FILE_TYPE, "the source is a directory");
	if (!p->anon && src->ftype == PMEM2_FTYPE_DEVDAX && cfg->sharing == PMEM2_PRIVATE)
		return pmem2_err(PMEM2_E_SRC_DEVDAX_PRIVATE,
			"device DAX cannot be mapped with PMEM2_PRIVATE sharing");
	if (size == 0)
		return pmem2_err(PMEM2_E_SOURCE_EMPTY, "the source is empty (size 0)");
	if (cfg->length % p->align)
		return pmem2_err(PMEM2_E_LENGTH_UNALIGNED,
			"length %zu is not a multiple of the source alignment %zu",
			cfg->length, p->align);

	if (cfg->length != 0) {
		if (p->offset > size || cfg->length > size - p->offset)
			return pmem2_err(PMEM2_E_MAP_RANGE,
				"offset %zu + length %zu is beyond the source size %zu",
				p->offset, cfg->length, size);
		p->content = cfg->length;
	} else {
		if (p->offset >= size)
			return pmem2_err(PMEM2_E_MAP_RANGE,
				"offset %zu is at or beyond the source size %zu",
				p->offset, size);
		p->content = size - p->offset;
	}
	p->reserved = ALIGN_UP(p->content, p->align);
	return 0;
}

/*
 * Reserves address space aligned for huge pages (2 MiB, 1 GiB for maps of
 * 2 GiB and more, or the source alignment if larger): over-reserve, trim.
 */
static int
reserve_aligned(size_t len, size_t src_align, void **addr)
{
	size_t align = len >= 2 * MAP_ALIGN_GIANT ? MAP_ALIGN_GIANT : MAP_ALIGN_HUGE;
	if (src_align > align)
		align = src_align;
	if (len > SIZE_MAX - align)
		return pmem2_err(PMEM2_E_MAP_RANGE, "length %zu is too large to map", len);
	size_t total = len + align;
	char *p = mmap(NULL, total, PROT_NONE,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return pmem2_err_sys(-errno, errno, "mmap of %zu bytes of address space", total);
	char *a = (char *)ALIGN_UP((uintptr_t)p, align);
	if (a > p)
		munmap(p, (size_t)(a - p));
	if (a + len < p + total)
		munmap(a + len, (size_t)(p + total - (a + len)));
	*addr = a;
	return 0;
}

/* maps the source over [addr, addr + reserved), trying MAP_SYNC first for shared files */
static int
map_fixed(void *addr, const struct map_plan *p, const struct pmem2_config *cfg,
	const struct pmem2_source *src, bool *map_sync)
{
	int prot = prot_to_mmap(cfg->protection_flag);
	int fd = p->anon ? -1 : src->fd;
	int flags = MAP_FIXED | (p->anon ? MAP_ANONYMOUS : 0);
	off_t off = (off_t)p->offset;

	*map_sync = false;
	if (cfg->sharing == PMEM2_PRIVATE) {
		flags |= MAP_PRIVATE;
	} else if (!p->anon) {
		if (mmap(addr, p->reserved, prot, flags | MAP_SHARED_VALIDATE | MAP_SYNC,
				fd, off) != MAP_FAILED) {
			*map_sync = true;
			return 0;
		}
		if (errno != EINVAL && errno != ENOTSUP)
			return pmem2_err_sys(mmap_error(errno), errno, "mmap");
		log_msg(LOG_INFO, "MAP_SYNC refused (%d), mapping without it", errno);
		flags |= MAP_SHARED;
	} else {
		flags |= MAP_SHARED;
	}
	if (mmap(addr, p->reserved, prot, flags, fd, off) == MAP_FAILED)
		return pmem2_err_sys(mmap_error(errno), errno, "mmap");
	return 0;
}

/* gives the range back: to the reservation as a placeholder, or to the system */
static void
release_range(struct pmem2_vm_reservation *rsv, void *addr, size_t len)
{
	if (rsv != NULL)
		vm_reservation_mend(addr, len);
	else
		munmap(addr, len);
}

static int
check_reservation(const struct pmem2_config *cfg, const struct map_plan *p, void **addr)
{
	struct pmem2_vm_reservation *rsv = cfg->reserv;
	size_t off = cfg->reserv_offset;
	if (off % util_pagesize())
		return pmem2_err(PMEM2_E_OFFSET_UNALIGNED,
			"reservation offset %zu is not a multiple of the page size %zu",
			off, util_pagesize());
	if (off > rsv->size || p->reserved > rsv->size - off)
		return pmem2_err(PMEM2_E_LENGTH_OUT_OF_RANGE,
			"map of %zu bytes at reservation offset %zu does not fit in the reservation of %zu bytes",
			p->reserved, off, rsv->size);
	*addr = (char *)rsv->addr + off;
	if ((uintptr_t)*addr % p->align)
		return pmem2_err(PMEM2_E_ADDRESS_UNALIGNED,
			"reservation address %p is not aligned to the source alignment %zu",
			*addr, p->align);
	return 0;
}

static void
fill_map(struct pmem2_map *map, void *addr, const struct map_plan *p,
	const struct pmem2_config *cfg, const struct pmem2_source *src,
	enum pmem2_granularity g, bool map_sync)
{
	map->addr = addr;
	map->reserved_length = p->reserved;
	map->content_length = p->content;
	map->effective_granularity = g;
	map->map_sync = map_sync;
	map->reserv = cfg->reserv;
	map->reserv_offset = cfg->reserv_offset;
	map->source = *src;
	map->source.fd = -1;
	pmem2_set_flush_fns(map);
	pmem2_set_mem_fns(map);
	pmem2_map_set_vdm(map, cfg->vdm);
}

int
pmem2_map_new(struct pmem2_map **map_ptr, const struct pmem2_config *cfg,
	const struct pmem2_source *src)
{
	if (map_ptr == NULL)
		return pmem2_err(-EINVAL, "map_ptr is NULL");
	*map_ptr = NULL;
	if (cfg == NULL || src == NULL)
		return pmem2_err(-EINVAL, "%s is NULL", cfg == NULL ? "cfg" : "src");
	if (cfg->requested_max_granularity == PMEM2_GRANULARITY_INVALID)
		return pmem2_err(PMEM2_E_GRANULARITY_NOT_SET,
			"please define the max granularity requested for the mapping (pmem2_config_set_required_store_granularity)");

	struct map_plan p;
	int ret = plan_map(cfg, src, &p);
	if (ret)
		return ret;

	struct pmem2_map *map = calloc(1, sizeof(*map));
	if (map == NULL)
		return pmem2_err_sys(-ENOMEM, ENOMEM, "cannot allocate the map");

	struct pmem2_vm_reservation *rsv = cfg->reserv;
	void *addr = NULL;
	if (rsv != NULL) {
		/* held until the map is in the reservation: no one else maps the same slot */
		pthread_rwlock_wrlock(&rsv->lock);
		ret = check_reservation(cfg, &p, &addr);
		if (ret == 0)
			ret = vm_reservation_check_free(rsv, addr, p.reserved);
		if (ret)
			goto err_unlock;
	} else {
		ret = reserve_aligned(p.reserved, p.align, &addr);
		if (ret)
			goto err_free;
	}

	bool map_sync;
	ret = map_fixed(addr, &p, cfg, src, &map_sync);
	if (ret)
		goto err_release;

	enum pmem2_granularity g = pmem2_min_granularity(
		p.anon || cfg->sharing == PMEM2_PRIVATE, map_sync);
	if (g > cfg->requested_max_granularity) {
		ret = pmem2_err(PMEM2_E_GRANULARITY_NOT_SUPPORTED, "%s",
			pmem2_granularity_unavailable_reason(g));
		goto err_release;
	}

	fill_map(map, addr, &p, cfg, src, g, map_sync);
	ret = map_registry_add(map);
	if (ret) {
		/* the range was just reserved, so only a foreign MAP_FIXED could overlap */
		ret = ret == -EEXIST ?
			pmem2_err(PMEM2_E_MAPPING_EXISTS, "%p overlaps a registered mapping", addr) :
			pmem2_err_sys(ret, -ret, "cannot register the map at %p", addr);
		goto err_release;
	}
	if (rsv != NULL) {
		ret = vm_reservation_insert(rsv, map);
		if (ret) {
			map_registry_remove(map);
			ret = pmem2_err_sys(ret, -ret, "cannot add the map to its reservation");
			goto err_release;
		}
		pthread_rwlock_unlock(&rsv->lock);
	}

	log_msg(LOG_INFO, "mapped %zu bytes at %p, granularity %s%s", p.content, addr,
		pmem2_granularity_name(g), map_sync ? ", MAP_SYNC" : "");
	*map_ptr = map;
	return 0;

err_release:
	release_range(rsv, addr, p.reserved);
err_unlock:
	if (rsv != NULL)
		pthread_rwlock_unlock(&rsv->lock);
err_free:
	free(map);
	return ret;
}

int
pmem2_map_delete(struct pmem2_map **map_ptr)
{
	if (map_ptr == NULL || *map_ptr == NULL)
		return pmem2_err(PMEM2_E_MAPPING_NOT_FOUND, "map is NULL");
	struct pmem2_map *map = *map_ptr;
	if (map_registry_remove(map) != 0)
		return pmem2_err(PMEM2_E_MAPPING_NOT_FOUND,
			"%p is not a live mapping (already deleted?)", (void *)map);

	/* maps made by pmem2_map_from_existing belong to the caller: nothing to unmap */
	if (map->reserved_length != 0) {
		struct pmem2_vm_reservation *rsv = map->reserv;
		int ret;
		if (rsv != NULL) {
			pthread_rwlock_wrlock(&rsv->lock);
			ret = vm_reservation_mend(map->addr, map->reserved_length);
			if (ret == 0)
				vm_reservation_remove(rsv, map);
			pthread_rwlock_unlock(&rsv->lock);
		} else {
			ret = munmap(map->addr, map->reserved_length) ? -errno : 0;
		}
		if (ret) {
			map_registry_add(map);
			return pmem2_err_sys(ret, -ret, "cannot unmap %p", map->addr);
		}
	}
	free(map);
	*map_ptr = NULL;
	return 0;
}

void *
pmem2_map_get_address(struct pmem2_map *map)
{
	return map->addr;
}

size_t
pmem2_map_get_size(struct pmem2_map *map)
{
	return map->content_length;
}

enum pmem2_granularity
pmem2_map_get_store_granularity(struct pmem2_map *map)
{
	return map->effective_granularity;
}
