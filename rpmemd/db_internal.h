/* db_internal.h -- what the pool database's files share: the part record, the header codec, mapping, locking */
#ifndef RPMEMD_DB_INTERNAL_H
#define RPMEMD_DB_INTERNAL_H 1

#include <stddef.h>
#include <stdint.h>

#include "libpmem2.h"
#include "db.h"
#include "poolset.h"

struct rpmemd_db {
	int dirfd;		/* the poolset-dir, O_DIRECTORY */
	char *dir;		/* its path, for messages */
};

/* one part of the primary replica, open, locked and (once mapped) placed in the pool */
struct rpmemd_part {
	int fd;			/* -1 when not open */
	int created;		/* this create made the file: unlinked when the create is undone */
	int was_empty;		/* an existing empty file this create filled: truncated back */
	int has_hdr;		/* begins with a pool header (POOLSET_HDR_SIZE bytes) */
	uint64_t file_size;	/* as the set says, or the device's size for AUTO */
	size_t file_off;	/* first file byte in the pool: the header size for parts >= 1 with one */
	size_t pool_off;	/* where that byte is in the pool */
	size_t len;		/* bytes of the part in the pool */
	struct pmem2_source *src;
	struct pmem2_map *map;
	pmem2_persist_fn persist;
	pmem2_memcpy_fn memcpy_fn;
};

/* pool header (doc/rpmemd-pool-format.md) */
#define DB_HDR_MAGIC "RPMDPOOL"
#define DB_HDR_MAGIC_LEN 8
#define DB_HDR_VERSION 1
#define DB_HDR_ATTR_OFF 32	/* the encoded attributes start here */
#define DB_HDR_ATTR_LEN 104	/* struct rpmem_pool_attr, field by field */
#define DB_HDR_CSUM_OFF (POOLSET_HDR_SIZE - 8)
#define POOL_FEAT_SINGLEHDR 0x1u	/* incompat_features bit of a SINGLEHDR pool, as in PMDK */

/* the decoded header of one part */
struct db_hdr {
	uint32_t version;
	uint32_t part;		/* this part's index */
	uint32_t nparts;	/* how many parts the set has */
	struct rpmem_pool_attr attr;
};

/* Fletcher-64 over len bytes (a multiple of 4) read as little-endian 32-bit words */
uint64_t db_hdr_checksum(const uint8_t *buf, size_t len);

/* encodes hdr into the POOLSET_HDR_SIZE bytes at buf (reserved bytes zero, checksum last) */
void db_hdr_encode(const struct db_hdr *hdr, uint8_t *buf);

/*
 * Decodes and verifies the POOLSET_HDR_SIZE bytes at buf of part p: a pure
 * function of its bytes. -EINVAL with a message naming the part for a bad
 * magic, an unknown version, a checksum mismatch or an index other than p.
 */
int db_hdr_decode(const uint8_t *buf, unsigned p, struct db_hdr *hdr);

/* 1 when every byte of the attributes is zero */
int db_attr_is_zero(const struct rpmem_pool_attr *attr);

/* an attribute copy with all-zero poolset_uuid and uuid replaced by random ones */
int db_attr_fill_uuids(const struct rpmem_pool_attr *in, struct rpmem_pool_attr *out);

/*
 * The steps create and open share (db.c): a new pool record for name with the
 * set file opened and locked and the set parsed and checked (one local
 * replica, parts >= RPMEM_MIN_PART); freed with db_pool_free.
 */
int db_pool_new(struct rpmemd_db *db, const char *name, struct rpmemd_pool **pool);
void db_pool_free(struct rpmemd_pool *pool);

/* flock(LOCK_EX | LOCK_NB); -EBUSY naming the pool set when another holder has it */
int db_lock_fd(int fd, const char *set_name, const char *what);

/*
 * Sizes the parts (AUTO only for a character device), places them in the
 * pool and checks the usable size against RPMEM_MIN_POOL (-EINVAL) and
 * pool_size (-EFBIG). The part files must be open.
 */
int db_pool_layout(struct rpmemd_pool *pool, size_t pool_size);

/* maps every part into one reservation (pool_map.c); db_pool_unmap undoes it */
int db_pool_map(struct rpmemd_pool *pool);
void db_pool_unmap(struct rpmemd_pool *pool);

/*
 * Reads and verifies the header of every part that has one (the pool must be
 * mapped): all agree with part 0 and with the set's part count. *attr gets
 * part 0's attributes. -EINVAL naming the pool set and the part otherwise.
 */
int db_pool_read_hdrs(struct rpmemd_pool *pool, struct rpmem_pool_attr *attr);

/*
 * -EINVAL unless the attributes suit the set: attributes (non-zero) exactly
 * when the set keeps headers, and the SINGLEHDR feature bit exactly when the
 * set says OPTION SINGLEHDR.
 */
int db_attr_check_set(const struct rpmemd_pool *pool, const struct rpmem_pool_attr *attr);

/* writes the headers of every part that has one from attr (NULL: zero) and persists them */
int db_pool_write_hdrs(struct rpmemd_pool *pool, const struct rpmem_pool_attr *attr);

/* undoes a create: unlinks the parts it made, empties the empty files it filled (db_create.c) */
int db_pool_undo_create(struct rpmemd_pool *pool);

/* unlinks a path below dirfd without leaving it (the parent is opened confined) */
int db_unlink_beneath(int dirfd, const char *path, const char *what);

#endif /* RPMEMD_DB_INTERNAL_H */
