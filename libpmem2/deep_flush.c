/* deep_flush.c -- pmem2_deep_flush: push a range past the memory controller's queues */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "arch.h"
#include "pmem2.h"

/* writes "1" to the region's deep_flush control unless it reads "0" (not needed there) */
static int
region_deep_flush(unsigned region)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "/sys/bus/nd/devices/region%u/deep_flush", region);
	int fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT) {
			log_msg(LOG_INFO, "%s absent: the platform needs no deep flush", path);
			return 0;
		}
		return pmem2_err_sys(-errno, errno, "open %s", path);
	}
	char c;
	int ret = 0;
	if (pread(fd, &c, 1, 0) != 1)
		ret = pmem2_err_sys(-errno, errno, "read %s", path);
	else if (c != '0' && pwrite(fd, "1", 1, 0) != 1)
		ret = pmem2_err_sys(-errno, errno, "write %s", path);
	close(fd);
	return ret;
}

/* PAGE: the data reaches the medium only through msync, so do it and report failures */
int
pmem2_deep_flush_page(struct pmem2_map *map, void *ptr, size_t size)
{
	return pmem2_persist_pages_checked(ptr, size);
}

int
pmem2_deep_flush_cache(struct pmem2_map *map, void *ptr, size_t size)
{
	if (map->source.type == PMEM2_SOURCE_FD && map->source.ftype == PMEM2_FTYPE_DEVDAX) {
		Pmem2_arch.persist_cl(ptr, size);
		unsigned region;
		int ret = pmem2_source_region_id(&map->source, &region);
		if (ret)
			return ret;
		return region_deep_flush(region);
	}
	/* a file system DAX file: msync makes the file system flush its own state too */
	uintptr_t start = ALIGN_DOWN((uintptr_t)ptr, util_pagesize());
	if (msync((void *)start, (uintptr_t)ptr + size - start, MS_SYNC) != 0)
		return pmem2_err_sys(-errno, errno, "msync");
	return 0;
}

int
pmem2_deep_flush_byte(struct pmem2_map *map, void *ptr, size_t size)
{
	if (map->source.type == PMEM2_SOURCE_ANON)
		return pmem2_err(PMEM2_E_NOSUPP,
			"deep flush is not supported on anonymous memory");
	return pmem2_deep_flush_cache(map, ptr, size);
}

int
pmem2_deep_flush(struct pmem2_map *map, void *ptr, size_t size)
{
	uintptr_t start = (uintptr_t)map->addr;
	uintptr_t end = start + map->content_length;
	uintptr_t p = (uintptr_t)ptr;
	if (p < start || p > end || size > end - p)
		return pmem2_err(PMEM2_E_DEEP_FLUSH_RANGE,
			"deep flush range [%p, +%zu) is outside the map [%p, %p)",
			ptr, size, (void *)start, (void *)end);
	if (size == 0)
		return 0;
	return map->deep_flush_fn(map, ptr, size);
}
