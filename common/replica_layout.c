/* replica_layout.c -- where each part of a replica lies in the contiguous pool, and how many bytes it has */
#include <errno.h>
#include <stdint.h>
#include <sys/stat.h>

#include "err.h"
#include "replica_internal.h"
#include "util.h"

/* the bytes of part p: as the set says, or the device's size for AUTO */
static int
part_file_size(struct replica *rep, unsigned p)
{
	struct replica_part *part = &rep->parts[p];
	const struct poolset_part *sp = replica_set_part(rep, p);
	if (part->src == NULL) {
		int ret = pmem2_source_from_fd(&part->src, part->fd);
		if (ret)
			return err_set(-pmem2_err_to_errno(ret), "%s: part '%s': %s", rep->name,
				sp->path, pmem2_errormsg());
	}
	if (sp->size != 0) {
		part->file_size = sp->size;
		return 0;
	}
	struct stat st;
	if (fstat(part->fd, &st) != 0)
		return err_set_sys(-errno, errno, "%s: part '%s' cannot be examined", rep->name,
			sp->path);
	if (!S_ISCHR(st.st_mode))
		return err_set(-EINVAL,
			"%s: line %u: AUTO size of part '%s' needs a device DAX, not a regular file",
			rep->name, sp->line, sp->path);
	size_t size;
	int ret = pmem2_source_size(part->src, &size);
	if (ret)
		return err_set(-pmem2_err_to_errno(ret), "%s: size of device '%s': %s", rep->name,
			sp->path, pmem2_errormsg());
	part->file_size = size;
	return 0;
}

/* the part's file offset and length in the pool, from its size and header */
static int
part_place(struct replica *rep, unsigned p, size_t pagesize)
{
	struct replica_part *part = &rep->parts[p];
	const struct poolset_part *sp = replica_set_part(rep, p);
	part->has_hdr = poolset_part_has_hdr(rep->set, p);
	/* part 0's header is the pool's first bytes; later headers are skipped */
	part->file_off = p > 0 && part->has_hdr ? POOLSET_HDR_SIZE : 0;
	if (part->file_off != 0 && pagesize != POOLSET_HDR_SIZE)
		return err_set(-EINVAL,
			"%s: line %u: with %zu-byte pages the data after a %u-byte header cannot be mapped contiguously",
			rep->name, sp->line, pagesize, POOLSET_HDR_SIZE);
	uint64_t usable = part->file_size & ~((uint64_t)pagesize - 1);
	if (usable <= part->file_off || usable - part->file_off > SIZE_MAX)
		return err_set(-EINVAL, "%s: line %u: part size %llu is not usable", rep->name,
			sp->line, (unsigned long long)part->file_size);
	part->len = (size_t)(usable - part->file_off);
	return 0;
}

int
replica_layout(struct replica *rep)
{
	size_t pagesize = util_pagesize();
	size_t off = 0;
	for (unsigned p = 0; p < rep->nparts; p++) {
		struct replica_part *part = &rep->parts[p];
		int ret = part_file_size(rep, p);
		if (ret == 0)
			ret = part_place(rep, p, pagesize);
		if (ret)
			return ret;
		if (off + part->len < off)
			return err_set(-EINVAL, "%s: its size overflows", rep->name);
		part->pool_off = off;
		off += part->len;
	}
	rep->size = off;
	rep->hdr_size = rep->set->nohdrs ? 0 : POOLSET_HDR_SIZE;
	return 0;
}
