/* db_internal.h -- what the pool database's files share: the header codec, the pool record's steps, rpmemd's size rules */
#ifndef RPMEMD_DB_INTERNAL_H
#define RPMEMD_DB_INTERNAL_H 1

#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "poolset.h"

struct rpmemd_db {
	int dirfd;		/* the poolset-dir, O_DIRECTORY */
	char *dir;		/* its path, for messages */
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

/* "pool set 'name'" (malloc'd; NULL without memory): the pool's name in the replica's and the locks' messages */
char *db_label(const char *name);

/*
 * The steps create and open share (db.c): a new pool record for name with the
 * set file opened and locked and the set parsed and checked (one local
 * replica, parts >= RPMEM_MIN_PART); freed with db_pool_free.
 */
int db_pool_new(struct rpmemd_db *db, const char *name, struct rpmemd_pool **pool);
void db_pool_free(struct rpmemd_pool *pool);

/*
 * rpmemd's size rules on a laid-out pool: at least RPMEM_MIN_POOL usable
 * bytes (-EINVAL), a pool_size that is not 0 (-EINVAL) and fits (-EFBIG);
 * sets the pool's size fields.
 */
int db_pool_check_size(struct rpmemd_pool *pool, size_t pool_size);

/* maps the replica and fills pool->addr; the replica is unmapped again by replica_unmap */
int db_pool_map(struct rpmemd_pool *pool);

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

#endif /* RPMEMD_DB_INTERNAL_H */
