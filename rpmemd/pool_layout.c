/* pool_layout.c -- where each part of a pool set lies in the contiguous pool, and whether the pool is big enough */
#include <errno.h>
#include <stdint.h>
#include <sys/stat.h>

#include "db_internal.h"
#include "err.h"
#include "poolset.h"
#include "util.h"

/* the bytes of part p: as the set says, or the device's size for AUTO */
static int
part_file_size(struct rpmemd_pool *pool, unsigned p)
{
	struct rpmemd_part *part = &pool->parts[p];
	const struct poolset_part *sp = &pool->set->replicas[0].parts[p];
	int ret = pmem2_source_from_fd(&part->src, part->fd);
	if (ret)
		return err_set(-pmem2_err_to_errno(ret), "pool set '%s': part '%s': %s",
			pool->name, sp->path, pmem2_errormsg());
	if (sp->size != 0) {
		part->file_size = sp->size;
		return 0;
	}
	struct stat st;
	if (fstat(part->fd, &st) != 0)
		return err_set_sys(-errno, errno, "pool set '%s': part '%s' cannot be examined",
			pool->name, sp->path);
	if (!S_ISCHR(st.st_mode))
		return err_set(-EINVAL,
			"pool set '%s': line %u: AUTO size of part '%s' needs a device DAX, not a regular file",
			pool->name, sp->line, sp->path);
	size_t size;
	ret = pmem2_source_size(part->src, &size);
	if (ret)
		return err_set(-pmem2_err_to_errno(ret), "pool set '%s': size of device '%s': %s",
			pool->name, sp->path, pmem2_errormsg());
	part->file_size = size;
	return 0;
}

/* the part's file offset and length in the pool, from its size and header */
static int
part_place(struct rpmemd_pool *pool, unsigned p, size_t pagesize)
{
	struct rpmemd_part *part = &pool->parts[p];
	const struct poolset_part *sp = &pool->set->replicas[0].parts[p];
	part->has_hdr = poolset_part_has_hdr(pool->set, p);
	/* part 0's header is the pool's first bytes; later headers are skipped */
	part->file_off = p > 0 && part->has_hdr ? POOLSET_HDR_SIZE : 0;
	if (part->file_off != 0 && pagesize != POOLSET_HDR_SIZE)
		return err_set(-EINVAL,
			"pool set '%s': line %u: with %zu-byte pages the data after a %u-byte header cannot be mapped contiguously",
			pool->name, sp->line, pagesize, POOLSET_HDR_SIZE);
	uint64_t usable = part->file_size & ~((uint64_t)pagesize - 1);
	if (usable <= part->file_off || usable - part->file_off > SIZE_MAX)
		return err_set(-EINVAL, "pool set '%s': line %u: part size %llu is not usable",
			pool->name, sp->line, (unsigned long long)part->file_size);
	part->len = (size_t)(usable - part->file_off);
	return 0;
}

int
db_pool_layout(struct rpmemd_pool *pool, size_t pool_size)
{
	size_t pagesize = util_pagesize();
	size_t off = 0;
	for (unsigned p = 0; p < pool->nparts; p++) {
		struct rpmemd_part *part = &pool->parts[p];
		int ret = part_file_size(pool, p);
		if (ret == 0)
			ret = part_place(pool, p, pagesize);
		if (ret)
			return ret;
		if (off + part->len < off)
			return err_set(-EINVAL, "pool set '%s': its size overflows", pool->name);
		part->pool_off = off;
		off += part->len;
	}
	pool->size = off;
	pool->hdr_size = pool->set->nohdrs ? 0 : POOLSET_HDR_SIZE;
	if (pool->size < RPMEM_MIN_POOL)
		return err_set(-EINVAL, "pool set '%s' has %zu usable bytes, below the minimum pool of %zu",
			pool->name, pool->size, RPMEM_MIN_POOL);
	if (pool_size == 0)
		return err_set(-EINVAL, "pool set '%s': the requested pool size is 0", pool->name);
	if (pool->size < pool_size)
		return err_set(-EFBIG, "pool set '%s' has %zu usable bytes, fewer than the %zu requested",
			pool->name, pool->size, pool_size);
	pool->pool_size = pool_size;
	return 0;
}
