/* vm_reservation.c -- ranges of address space reserved up front, into which maps are placed */
#include <stdlib.h>
#include <sys/mman.h>

#include "pmem2.h"
#include "vm_reservation.h"

#define RSV_ALIGN_HUGE (2UL << 20)
#define RSV_ALIGN_GIANT (1UL << 30)

/* an inaccessible placeholder: it keeps the range ours without committing memory */
static void *
placeholder(void *addr, size_t len, int extra_flags)
{
	return mmap(addr, len, PROT_NONE,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | extra_flags, -1, 0);
}

int
vm_reservation_mend(void *addr, size_t len)
{
	return placeholder(addr, len, MAP_FIXED) == MAP_FAILED ? -errno : 0;
}

/* claims [addr, addr + len) only if nothing is mapped there */
static int
claim_exact(void *addr, size_t len)
{
	void *p = placeholder(addr, len, MAP_FIXED_NOREPLACE);
	if (p == MAP_FAILED) {
		if (errno == EEXIST)
			return pmem2_err(PMEM2_E_MAPPING_EXISTS,
				"[%p, +%zu) overlaps an existing mapping", addr, len);
		return pmem2_err_sys(-errno, errno, "mmap of [%p, +%zu)", addr, len);
	}
	if (p != addr) {
		/* kernels before 4.17 treat MAP_FIXED_NOREPLACE as a hint */
		munmap(p, len);
		return pmem2_err(PMEM2_E_MAPPING_EXISTS,
			"[%p, +%zu) overlaps an existing mapping", addr, len);
	}
	return 0;
}

/* any free range, aligned for huge pages */
static int
claim_aligned(size_t len, void **addr)
{
	size_t align = len >= 2 * RSV_ALIGN_GIANT ? RSV_ALIGN_GIANT : RSV_ALIGN_HUGE;
	if (len > SIZE_MAX - align)
		return pmem2_err(PMEM2_E_LENGTH_OUT_OF_RANGE, "size %zu is too large", len);
	char *p = placeholder(NULL, len + align, 0);
	if (p == MAP_FAILED)
		return pmem2_err_sys(-errno, errno, "mmap of %zu bytes of address space",
			len + align);
	char *a = (char *)ALIGN_UP((uintptr_t)p, align);
	if (a > p)
		munmap(p, (size_t)(a - p));
	munmap(a + len, (size_t)(p + align - a));
	*addr = a;
	return 0;
}

int
pmem2_vm_reservation_new(struct pmem2_vm_reservation **rsv_ptr, void *addr, size_t size)
{
	if (rsv_ptr == NULL)
		return pmem2_err(-EINVAL, "rsv_ptr is NULL");
	*rsv_ptr = NULL;
	size_t page = util_pagesize();
	if ((uintptr_t)addr % page)
		return pmem2_err(PMEM2_E_ADDRESS_UNALIGNED,
			"address %p is not a multiple of the page size %zu", addr, page);
	if (size % page)
		return pmem2_err(PMEM2_E_LENGTH_UNALIGNED,
			"size %zu is not a multiple of the page size %zu", size, page);
	if (size == 0)
		return pmem2_err(PMEM2_E_LENGTH_OUT_OF_RANGE, "size is 0");

	struct pmem2_vm_reservation *rsv = calloc(1, sizeof(*rsv));
	if (rsv == NULL)
		return pmem2_err_sys(-ENOMEM, ENOMEM, "cannot allocate the reservation");
	int ret = addr ? claim_exact(addr, size) : claim_aligned(size, &addr);
	if (ret) {
		free(rsv);
		return ret;
	}
	rsv->addr = addr;
	rsv->size = size;
	pthread_rwlock_init(&rsv->lock, NULL);
	*rsv_ptr = rsv;
	return 0;
}

int
pmem2_vm_reservation_delete(struct pmem2_vm_reservation **rsv_ptr)
{
	if (rsv_ptr == NULL || *rsv_ptr == NULL)
		return pmem2_err(-EINVAL, "reservation is NULL");
	struct pmem2_vm_reservation *rsv = *rsv_ptr;
	pthread_rwlock_wrlock(&rsv->lock);
	size_t n = rsv->maps.n;
	pthread_rwlock_unlock(&rsv->lock);
	if (n != 0)
		return pmem2_err(PMEM2_E_VM_RESERVATION_NOT_EMPTY,
			"the reservation still holds %zu map(s)", n);
	if (munmap(rsv->addr, rsv->size) != 0)
		return pmem2_err_sys(-errno, errno, "munmap of the reservation");
	range_set_fini(&rsv->maps);
	pthread_rwlock_destroy(&rsv->lock);
	free(rsv);
	*rsv_ptr = NULL;
	return 0;
}

void *
pmem2_vm_reservation_get_address(struct pmem2_vm_reservation *rsv)
{
	pthread_rwlock_rdlock(&rsv->lock);
	void *addr = rsv->addr;
	pthread_rwlock_unlock(&rsv->lock);
	return addr;
}

size_t
pmem2_vm_reservation_get_size(struct pmem2_vm_reservation *rsv)
{
	pthread_rwlock_rdlock(&rsv->lock);
	size_t size = rsv->size;
	pthread_rwlock_unlock(&rsv->lock);
	return size;
}

int
pmem2_vm_reservation_extend(struct pmem2_vm_reservation *rsv, size_t size)
{
	size_t page = util_pagesize();
	if (size % page)
		return pmem2_err(PMEM2_E_LENGTH_UNALIGNED,
			"size %zu is not a multiple of the page size %zu", size, page);
	if (size == 0)
		return 0;
	pthread_rwlock_wrlock(&rsv->lock);
	int ret;
	if (rsv->size > SIZE_MAX - size)
		ret = pmem2_err(PMEM2_E_LENGTH_OUT_OF_RANGE, "size %zu is too large", size);
	else
		ret = claim_exact((char *)rsv->addr + rsv->size, size);
	if (ret == 0)
		rsv->size += size;
	pthread_rwlock_unlock(&rsv->lock);
	return ret;
}

static int
check_shrink(const struct pmem2_vm_reservation *rsv, size_t offset, size_t size)
{
	size_t page = util_pagesize();
	if (offset % page)
		return pmem2_err(PMEM2_E_OFFSET_UNALIGNED,
			"offset %zu is not a multiple of the page size %zu", offset, page);
	if (size % page)
		return pmem2_err(PMEM2_E_LENGTH_UNALIGNED,
			"size %zu is not a multiple of the page size %zu", size, page);
	if (offset >= rsv->size)
		return pmem2_err(PMEM2_E_OFFSET_OUT_OF_RANGE,
			"offset %zu is beyond the reservation size %zu", offset, rsv->size);
	if (size == 0 || size > rsv->size - offset)
		return pmem2_err(PMEM2_E_LENGTH_OUT_OF_RANGE,
			"size %zu at offset %zu does not fit in the reservation size %zu",
			size, offset, rsv->size);
	if (offset == 0 && size == rsv->size)
		return pmem2_err(PMEM2_E_NOSUPP,
			"shrinking the whole reservation is not supported; delete it instead");
	if (offset != 0 && offset + size != rsv->size)
		return pmem2_err(PMEM2_E_NOSUPP,
			"only the start or the end of a reservation can be released");
	uintptr_t start = (uintptr_t)rsv->addr + offset;
	if (range_set_first_overlap(&rsv->maps, start, start + size) >= 0)
		return pmem2_err(PMEM2_E_VM_RESERVATION_NOT_EMPTY,
			"the range to release holds a map");
	return 0;
}

int
pmem2_vm_reservation_shrink(struct pmem2_vm_reservation *rsv, size_t offset, size_t size)
{
	pthread_rwlock_wrlock(&rsv->lock);
	int ret = check_shrink(rsv, offset, size);
	if (ret == 0) {
		char *start = (char *)rsv->addr + offset;
		if (munmap(start, size) != 0) {
			ret = pmem2_err_sys(-errno, errno, "munmap");
		} else {
			if (offset == 0)
				rsv->addr = start + size;
			rsv->size -= size;
		}
	}
	pthread_rwlock_unlock(&rsv->lock);
	return ret;
}

int
vm_reservation_check_free(struct pmem2_vm_reservation *rsv, void *addr, size_t len)
{
	uintptr_t s = (uintptr_t)addr;
	if (range_set_first_overlap(&rsv->maps, s, s + len) >= 0)
		return pmem2_err(PMEM2_E_MAPPING_EXISTS,
			"[%p, +%zu) overlaps a map already in the reservation", addr, len);
	return 0;
}

int
vm_reservation_insert(struct pmem2_vm_reservation *rsv, struct pmem2_map *map)
{
	uintptr_t s = (uintptr_t)map->addr;
	return range_set_insert(&rsv->maps, s, s + map->reserved_length, map);
}

void
vm_reservation_remove(struct pmem2_vm_reservation *rsv, struct pmem2_map *map)
{
	range_set_remove(&rsv->maps, map);
}

/* the map at index i, or MAPPING_NOT_FOUND; under the read lock */
static int
map_at(struct pmem2_vm_reservation *rsv, ptrdiff_t i, struct pmem2_map **map)
{
	*map = NULL;
	if (i < 0 || (size_t)i >= rsv->maps.n)
		return pmem2_err(PMEM2_E_MAPPING_NOT_FOUND, "no such map in the reservation");
	*map = rsv->maps.v[i].owner;
	return 0;
}

/* the index of map inside rsv, or -1 */
static ptrdiff_t
index_of(struct pmem2_vm_reservation *rsv, struct pmem2_map *map)
{
	return range_set_index_of(&rsv->maps, map);
}

int
pmem2_vm_reservation_map_find(struct pmem2_vm_reservation *rsv, size_t reserv_offset,
	size_t len, struct pmem2_map **map)
{
	pthread_rwlock_rdlock(&rsv->lock);
	ptrdiff_t i = -1;
	if (reserv_offset < rsv->size && len != 0) {
		uintptr_t s = (uintptr_t)rsv->addr + reserv_offset;
		size_t left = rsv->size - reserv_offset;
		i = range_set_first_overlap(&rsv->maps, s, s + (len < left ? len : left));
	}
	int ret = map_at(rsv, i, map);
	pthread_rwlock_unlock(&rsv->lock);
	return ret;
}

static int
find_neighbour(struct pmem2_vm_reservation *rsv, struct pmem2_map *map,
	ptrdiff_t step, struct pmem2_map **out)
{
	pthread_rwlock_rdlock(&rsv->lock);
	ptrdiff_t i = index_of(rsv, map);
	int ret = map_at(rsv, i < 0 ? -1 : i + step, out);
	pthread_rwlock_unlock(&rsv->lock);
	return ret;
}

int
pmem2_vm_reservation_map_find_prev(struct pmem2_vm_reservation *rsv,
	struct pmem2_map *map, struct pmem2_map **prev_map)
{
	return find_neighbour(rsv, map, -1, prev_map);
}

int
pmem2_vm_reservation_map_find_next(struct pmem2_vm_reservation *rsv,
	struct pmem2_map *map, struct pmem2_map **next_map)
{
	return find_neighbour(rsv, map, 1, next_map);
}

int
pmem2_vm_reservation_map_find_first(struct pmem2_vm_reservation *rsv,
	struct pmem2_map **map)
{
	pthread_rwlock_rdlock(&rsv->lock);
	int ret = map_at(rsv, 0, map);
	pthread_rwlock_unlock(&rsv->lock);
	return ret;
}

int
pmem2_vm_reservation_map_find_last(struct pmem2_vm_reservation *rsv,
	struct pmem2_map **map)
{
	pthread_rwlock_rdlock(&rsv->lock);
	int ret = map_at(rsv, (ptrdiff_t)rsv->maps.n - 1, map);
	pthread_rwlock_unlock(&rsv->lock);
	return ret;
}
