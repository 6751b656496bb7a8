/* badblock.h -- the bad-block context shared by the generic, fsdax and device DAX bad-block files */
#ifndef PMEM2_BADBLOCK_H
#define PMEM2_BADBLOCK_H 1

#include <stdbool.h>

#include "pmem2.h"

#define BB_SECTOR 512ULL	/* sysfs badblocks count 512-byte sectors */

/* the bad blocks of a source, found once when the context is made */
struct pmem2_badblock_context {
	struct pmem2_source src;	/* fd stays the user's */
	bool on_region;			/* false: no nd device, no bad blocks */
	char no_region_why[256];
	unsigned long long phys_start;	/* device DAX: address of offset 0 */
	struct pmem2_badblock *bbs;	/* in source offsets, sorted */
	size_t n;
	size_t cap;
	size_t next;
};

/* appends one bad block; 0 or -ENOMEM with a message */
int badblock_add(struct pmem2_badblock_context *ctx, size_t offset,
	size_t length);

/*
 * Calls fn for every "sector count" line of a sysfs badblocks file;
 * stops at the first non-zero return of fn and returns it.
 * -errno with a message when the file cannot be read.
 */
int badblock_read_sysfs(const char *path,
	int (*fn)(void *arg, unsigned long long sector,
		unsigned long long count), void *arg);

/* badblock_fsdax.c: bad blocks of a regular file, through FIEMAP */
int badblock_list_file(struct pmem2_badblock_context *ctx);
/* fallocate punch + reallocate: the file gets fresh blocks */
int badblock_clear_file(struct pmem2_badblock_context *ctx,
	const struct pmem2_badblock *bb);

/* badblock_devdax.c: bad blocks of a device DAX from its region's list */
int badblock_list_devdax(struct pmem2_badblock_context *ctx, unsigned region);
/* through the platform's clear-error command (libndctl) */
int badblock_clear_devdax(struct pmem2_badblock_context *ctx,
	const struct pmem2_badblock *bb);

#endif /* PMEM2_BADBLOCK_H */
