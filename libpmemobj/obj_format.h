/* obj_format.h -- the on-media format of a libpmemobj core pool (doc/libpmemobj-pool-format.md): part headers and the pool descriptor, as pure codecs */
#ifndef OBJ_FORMAT_H
#define OBJ_FORMAT_H 1

#include <stddef.h>
#include <stdint.h>

#include "librpmem.h"
#include "poolset.h"

#define OBJ_HDR_SIG "PMOBJCOR"		/* not PMDK's "PMEMOBJ": neither library takes the other's pool */
#define OBJ_HDR_SIG_LEN 8
#define OBJ_FORMAT_MAJOR 1
#define OBJ_FEAT_SINGLEHDR 0x1u		/* incompat feature: OPTION SINGLEHDR (rpmemd checks it) */
#define OBJ_FEAT_INCOMPAT_KNOWN OBJ_FEAT_SINGLEHDR
#define OBJ_UUID_LEN RPMEM_POOL_HDR_UUID_LEN
#define OBJ_STALE_BYTES (POOLSET_MAX_REPLICAS / 8)

/* header offsets inside the POOLSET_HDR_SIZE bytes at the start of a part */
#define OBJ_HDR_ATTR_LEN 104		/* the struct rpmem_pool_attr fields, in their order */
#define OBJ_HDR_STALE_OFF 128
#define OBJ_HDR_CSUM_OFF (POOLSET_HDR_SIZE - 8)

/* pool offsets */
#define OBJ_DESC_OFF ((size_t)POOLSET_HDR_SIZE)	/* the descriptor, the first replicated bytes */
#define OBJ_DESC_SIZE ((size_t)4096)
#define OBJ_ROOT_OFF (OBJ_DESC_OFF + OBJ_DESC_SIZE)	/* the root object, up to the pool's end */

#define OBJ_DESC_SIG "PMOBJDSC"
#define OBJ_DESC_LAYOUT_OFF 8
#define OBJ_DESC_LAYOUT_LEN 1024	/* PMEMOBJ_MAX_LAYOUT */
#define OBJ_DESC_CSUM_OFF 1056
#define OBJ_DESC_ROOT_SIZE_OFF 1064	/* outside the checksum: one 8-byte store changes it */

/* a decoded part header; attr holds the fields a remote replica keeps too */
struct obj_hdr {
	struct rpmem_pool_attr attr;
	uint32_t part;		/* this part's index in its replica */
	uint32_t nparts;	/* parts of the replica */
	uint64_t crtime;	/* creation, seconds since the epoch */
	uint32_t replica;	/* this replica's index in the set */
	uint32_t nreplicas;	/* replicas of the set, remote ones included */
	uint8_t stale[OBJ_STALE_BYTES];	/* bit k: replica k missed writes */
};

/* a decoded pool descriptor */
struct obj_desc {
	char layout[OBJ_DESC_LAYOUT_LEN];	/* NUL-terminated */
	uint64_t pool_size;
	uint64_t root_off;
	uint64_t root_size;
};

/* encodes hdr into POOLSET_HDR_SIZE bytes at buf, reserved bytes zero, checksum last */
void obj_hdr_encode(const struct obj_hdr *hdr, uint8_t *buf);

/*
 * Decodes and verifies the POOLSET_HDR_SIZE bytes at buf: signature,
 * checksum, format version, known incompat features, indexes in range. A
 * pure function of its bytes: 0, or -EINVAL with the reason in why.
 */
int obj_hdr_decode(const uint8_t *buf, struct obj_hdr *hdr, char *why, size_t whylen);

/* the attributes a remote replica gets, and their check when it gives them back (same reasons) */
void obj_attr_from_hdr(const struct obj_hdr *hdr, struct rpmem_pool_attr *attr);
int obj_attr_check(const struct rpmem_pool_attr *attr, char *why, size_t whylen);

static inline int
obj_stale_get(const uint8_t *stale, unsigned r)
{
	return (stale[r / 8] >> (r % 8)) & 1;
}

static inline void
obj_stale_set(uint8_t *stale, unsigned r)
{
	stale[r / 8] |= (uint8_t)(1u << (r % 8));
}

/* encodes desc into OBJ_DESC_SIZE bytes at buf */
void obj_desc_encode(const struct obj_desc *desc, uint8_t *buf);

/*
 * Decodes and verifies OBJ_DESC_SIZE bytes at buf for a pool of pool_size
 * bytes (0: of the size it says): signature, checksum, a terminated layout,
 * the sizes. 0, or -EINVAL with the reason in why.
 */
int obj_desc_decode(const uint8_t *buf, size_t pool_size, struct obj_desc *desc, char *why,
	size_t whylen);

/* 16 random bytes marked as a version 4 UUID */
int obj_uuid_generate(unsigned char *uuid);

/* the canonical text form, 36 characters and a NUL */
#define OBJ_UUID_STR_LEN 37
void obj_uuid_format(const unsigned char *uuid, char *out);

/* the low 64 bits of the pool set UUID: PMEMoid.pool_uuid_lo */
uint64_t obj_uuid_lo(const unsigned char *uuid);

#endif /* OBJ_FORMAT_H */
