/* db.h -- rpmemd's pool database: pool sets below poolset-dir, created, opened, mapped with libpmem2, removed */
#ifndef RPMEMD_DB_H
#define RPMEMD_DB_H 1

#include <stddef.h>

#include "librpmem.h"
#include "replica.h"

/* the poolset-dir, opened once (O_DIRECTORY); every pool set name resolves below it */
struct rpmemd_db;

/*
 * An open pool set, mapped contiguously: pool offset 0 is byte 0 of part 0
 * (its header included); the headers of parts >= 1 are not mapped. The
 * parts are common/replica.h's replica 0 of the set, confined below
 * poolset-dir.
 */
struct rpmemd_pool {
	void *addr;		/* pool offset 0 */
	size_t size;		/* usable bytes from offset 0 (>= what the client asked) */
	size_t hdr_size;	/* 4096 when the set keeps headers, 0 with OPTION NOHDRS */
	size_t pool_size;	/* what the client asked: the range the persist calls accept */

	/* private below */
	struct rpmemd_db *db;
	char *name;		/* the pool set name as given */
	char *label;		/* "pool set 'name'", the replica's name in messages */
	int set_fd;		/* the set file, flocked while open */
	struct poolset *set;
	struct replica rep;	/* the parts */
	int created;		/* 1 when this pool came from rpmemd_db_pool_create */
};

/* opens poolset_dir (O_DIRECTORY); -ENOENT, -EACCES, -ENOTDIR... with a message */
int rpmemd_db_init(const char *poolset_dir, struct rpmemd_db **db);
void rpmemd_db_fini(struct rpmemd_db *db);

/*
 * Creates the parts of the pool set name (a file below poolset-dir) and maps
 * them. attr NULL: the set must say OPTION NOHDRS; otherwise the headers are
 * written from attr (all-zero poolset_uuid or uuid: random ones are generated).
 * All errors return -errno with err_set: -ENOENT (set missing), -EACCES,
 * -EEXIST (a part not empty), -EBUSY (in use), -EFBIG (usable size <
 * pool_size), -EINVAL (bad name, NOHDRS/attr or SINGLEHDR mismatch, part or
 * pool too small, replicas, AUTO parts), -ENOSPC (nothing is left behind).
 */
int rpmemd_db_pool_create(struct rpmemd_db *db, const char *name, size_t pool_size,
	const struct rpmem_pool_attr *attr, struct rpmemd_pool **pool);

/*
 * Opens and maps the existing pool set name; *attr gets part 0's attributes
 * and *has_attr 1 when the set has headers (0 and zeroed attr with NOHDRS).
 * attr may be NULL when the caller does not want them. Errors as create, and
 * -EINVAL for a corrupt or inconsistent header.
 */
int rpmemd_db_pool_open(struct rpmemd_db *db, const char *name, size_t pool_size,
	struct rpmemd_pool **pool, struct rpmem_pool_attr *attr, int *has_attr);

/* rewrites every header with attr (NULL: all zero) and persists; -EINVAL for a NOHDRS set given attributes */
int rpmemd_db_pool_set_attr(struct rpmemd_pool *pool, const struct rpmem_pool_attr *attr);

/* unmaps, unlocks, closes; remove = 1 also unlinks the parts a create of this pool made */
int rpmemd_db_pool_close(struct rpmemd_pool *pool, int remove);

/*
 * Unlinks every part of the pool set name (force: missing parts and an
 * unparsable set are not errors as far as possible) and with pool_set the
 * set file too; -EBUSY when the pool is open (flocked) anywhere.
 */
int rpmemd_db_pool_remove(struct rpmemd_db *db, const char *name, int force, int pool_set);

/*
 * Durability of pool ranges [offset, offset + len) within the first pool_size
 * bytes (-EINVAL outside them); a range crossing parts is split at the part
 * boundaries. All return 0 or -errno.
 */
int rpmemd_pool_persist(struct rpmemd_pool *pool, size_t offset, size_t len);
int rpmemd_pool_deep_persist(struct rpmemd_pool *pool, size_t offset, size_t len);
/*
 * 1 when every part is mapped so that CPU caches need no flushing for data
 * DMA'd into it to be durable (store granularity CACHE_LINE or BYTE: MAP_SYNC
 * on persistent memory, or PMEM2_FORCE_GRANULARITY saying so); 0 otherwise,
 * and for a pool with no mapped part.
 */
int rpmemd_pool_is_pmem(const struct rpmemd_pool *pool);

/* copies src to the pool at offset and persists it */
int rpmemd_pool_memcpy_persist(struct rpmemd_pool *pool, size_t offset, const void *src,
	size_t len);

#endif /* RPMEMD_DB_H */
