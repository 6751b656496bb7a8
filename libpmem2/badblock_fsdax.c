/* badblock_fsdax.c -- bad blocks of a file on an fsdax device: device sectors mapped to file offsets by FIEMAP */
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "badblock.h"
#include "region.h"

#define EXTENTS_PER_CALL 64

/* byte ranges relative to the start of the file system's block device */
struct dev_ranges {
	unsigned long long part_start;	/* bytes: partition start on the disk */
	unsigned long long (*r)[2];	/* [begin, end) */
	size_t n;
};

static int
add_dev_range(void *arg, unsigned long long sector, unsigned long long count)
{
	struct dev_ranges *d = arg;
	unsigned long long b = sector * BB_SECTOR, e = b + count * BB_SECTOR;
	if (e <= d->part_start)
		return 0;	/* before our partition */
	void *p = realloc(d->r, (d->n + 1) * sizeof(*d->r));
	if (p == NULL)
		return pmem2_err_sys(-ENOMEM, ENOMEM,
			"cannot grow the device bad block list");
	d->r = p;
	d->r[d->n][0] = b > d->part_start ? b - d->part_start : 0;
	d->r[d->n][1] = e - d->part_start;
	d->n++;
	return 0;
}

/*
 * The disk keeps the badblocks list; a partition only knows its start.
 * Missing list: the disk reports no bad blocks.
 */
static int
device_ranges(struct pmem2_badblock_context *ctx, struct dev_ranges *d)
{
	char dir[PATH_MAX], path[PATH_MAX + 16];
	int ret = pmem2_source_sysfs_dir(&ctx->src, dir);
	if (ret)
		return pmem2_err_sys(ret, -ret,
			"cannot resolve the sysfs path of the block device");

	snprintf(path, sizeof(path), "%s/partition", dir);
	if (access(path, F_OK) == 0) {
		unsigned long long start;
		snprintf(path, sizeof(path), "%s/start", dir);
		ret = pmem2_sysfs_read_ull(path, &start);
		if (ret)
			return pmem2_err(PMEM2_E_NOSUPP,
				"cannot read the partition start from %s",
				path);
		d->part_start = start * BB_SECTOR;
		dirname(dir);
	}
	snprintf(path, sizeof(path), "%s/badblocks", dir);
	if (access(path, F_OK) != 0) {
		log_msg(LOG_WARN, "%s does not exist: no bad blocks", path);
		return 0;
	}
	return badblock_read_sysfs(path, add_dev_range, d);
}

/* adds the parts of the device bad blocks that one extent maps into the file */
static int
map_extent(struct pmem2_badblock_context *ctx, const struct dev_ranges *d,
	const struct fiemap_extent *ext, size_t blksize)
{
	unsigned long long pb = ext->fe_physical;
	unsigned long long pe = pb + ext->fe_length;
	for (size_t i = 0; i < d->n; i++) {
		unsigned long long b = d->r[i][0] > pb ? d->r[i][0] : pb;
		unsigned long long e = d->r[i][1] < pe ? d->r[i][1] : pe;
		if (b >= e)
			continue;
		/* whole file system blocks: what punching a hole can replace */
		size_t off = ALIGN_DOWN(ext->fe_logical + (b - pb), blksize);
		size_t end = ALIGN_UP(ext->fe_logical + (e - pb), blksize);
		int ret = badblock_add(ctx, off, end - off);
		if (ret)
			return ret;
	}
	return 0;
}

/* these extents have no stable place on the device yet */
#define NO_PHYSICAL (FIEMAP_EXTENT_UNKNOWN | FIEMAP_EXTENT_DELALLOC | \
	FIEMAP_EXTENT_ENCODED | FIEMAP_EXTENT_DATA_INLINE | \
	FIEMAP_EXTENT_NOT_ALIGNED)

static int
walk_extents(struct pmem2_badblock_context *ctx, const struct dev_ranges *d,
	struct fiemap *fm, size_t blksize)
{
	unsigned long long start = 0;
	for (;;) {
		memset(fm, 0, sizeof(*fm));
		fm->fm_start = start;
		fm->fm_length = FIEMAP_MAX_OFFSET - start;
		fm->fm_flags = FIEMAP_FLAG_SYNC;
		fm->fm_extent_count = EXTENTS_PER_CALL;
		if (ioctl(ctx->src.fd, FS_IOC_FIEMAP, fm) != 0) {
			int e = errno;
			return pmem2_err_sys(-e, e, "FIEMAP on fd %d",
				ctx->src.fd);
		}
		if (fm->fm_mapped_extents == 0)
			return 0;
		for (unsigned i = 0; i < fm->fm_mapped_extents; i++) {
			const struct fiemap_extent *ext = &fm->fm_extents[i];
			if (!(ext->fe_flags & NO_PHYSICAL)) {
				int ret = map_extent(ctx, d, ext, blksize);
				if (ret)
					return ret;
			}
			if (ext->fe_flags & FIEMAP_EXTENT_LAST)
				return 0;
			start = ext->fe_logical + ext->fe_length;
		}
	}
}

int
badblock_list_file(struct pmem2_badblock_context *ctx)
{
	struct dev_ranges d = { 0, NULL, 0 };
	int ret = device_ranges(ctx, &d);
	if (ret || d.n == 0)
		goto out;

	struct stat st;
	if (fstat(ctx->src.fd, &st) != 0) {
		int e = errno;
		ret = pmem2_err_sys(-e, e, "fstat");
		goto out;
	}
	size_t blksize = st.st_blksize > 0 ? (size_t)st.st_blksize : 4096;

	/* zeroed: valgrind does not know FS_IOC_FIEMAP fills the extents */
	struct fiemap *fm = calloc(1, sizeof(*fm) +
		EXTENTS_PER_CALL * sizeof(struct fiemap_extent));
	if (fm == NULL) {
		ret = pmem2_err_sys(-ENOMEM, ENOMEM,
			"cannot allocate the FIEMAP buffer");
		goto out;
	}
	ret = walk_extents(ctx, &d, fm, blksize);
	free(fm);
out:
	free(d.r);
	return ret;
}

int
badblock_clear_file(struct pmem2_badblock_context *ctx,
	const struct pmem2_badblock *bb)
{
	off_t off = (off_t)bb->offset, len = (off_t)bb->length;
	int mode = FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE;
	const char *step = "punching a hole";
	/* the hole drops the bad blocks; allocating again gives good ones */
	int ret = fallocate(ctx->src.fd, mode, off, len);
	if (ret == 0) {
		step = "reallocating";
		ret = fallocate(ctx->src.fd, FALLOC_FL_KEEP_SIZE, off, len);
	}
	if (ret == 0)
		return 0;

	int e = errno;
	if (e == EOPNOTSUPP)
		return pmem2_err_sys(PMEM2_E_NOSUPP, e,
			"clearing the bad block at offset %zu length %zu: "
			"%s with fallocate", bb->offset, bb->length, step);
	return pmem2_err_sys(-e, e,
		"clearing the bad block at offset %zu length %zu: %s with "
		"fallocate", bb->offset, bb->length, step);
}
