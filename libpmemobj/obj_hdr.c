/* obj_hdr.c -- the part header codec: field by field, little-endian, checksummed */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "bytes.h"
#include "checksum.h"
#include "obj_format.h"
#include "util.h"

static void
put_attr(struct bytes_wr *w, const struct rpmem_pool_attr *a)
{
	bytes_put_mem(w, a->signature, RPMEM_POOL_HDR_SIG_LEN);
	bytes_put_le32(w, a->major);
	bytes_put_le32(w, a->compat_features);
	bytes_put_le32(w, a->incompat_features);
	bytes_put_le32(w, a->ro_compat_features);
	bytes_put_mem(w, a->poolset_uuid, OBJ_UUID_LEN);
	bytes_put_mem(w, a->uuid, OBJ_UUID_LEN);
	bytes_put_mem(w, a->next_uuid, OBJ_UUID_LEN);
	bytes_put_mem(w, a->prev_uuid, OBJ_UUID_LEN);
	bytes_put_mem(w, a->user_flags, RPMEM_POOL_USER_FLAGS_LEN);
}

static void
get_attr(struct bytes_rd *r, struct rpmem_pool_attr *a)
{
	bytes_get_mem(r, a->signature, RPMEM_POOL_HDR_SIG_LEN);
	a->major = bytes_get_le32(r);
	a->compat_features = bytes_get_le32(r);
	a->incompat_features = bytes_get_le32(r);
	a->ro_compat_features = bytes_get_le32(r);
	bytes_get_mem(r, a->poolset_uuid, OBJ_UUID_LEN);
	bytes_get_mem(r, a->uuid, OBJ_UUID_LEN);
	bytes_get_mem(r, a->next_uuid, OBJ_UUID_LEN);
	bytes_get_mem(r, a->prev_uuid, OBJ_UUID_LEN);
	bytes_get_mem(r, a->user_flags, RPMEM_POOL_USER_FLAGS_LEN);
}

void
obj_hdr_encode(const struct obj_hdr *hdr, uint8_t *buf)
{
	memset(buf, 0, POOLSET_HDR_SIZE);
	struct bytes_wr w = bytes_wr_init(buf, OBJ_HDR_CSUM_OFF);
	put_attr(&w, &hdr->attr);
	bytes_put_le32(&w, hdr->part);
	bytes_put_le32(&w, hdr->nparts);
	bytes_put_le64(&w, hdr->crtime);
	bytes_put_le32(&w, hdr->replica);
	bytes_put_le32(&w, hdr->nreplicas);
	bytes_put_mem(&w, hdr->stale, OBJ_STALE_BYTES);
	struct bytes_wr c = bytes_wr_init(buf + OBJ_HDR_CSUM_OFF, 8);
	bytes_put_le64(&c, checksum_fletcher64(buf, OBJ_HDR_CSUM_OFF));
}

int
obj_attr_check(const struct rpmem_pool_attr *attr, char *why, size_t whylen)
{
	if (memcmp(attr->signature, OBJ_HDR_SIG, OBJ_HDR_SIG_LEN) != 0) {
		if (util_is_zero(attr, sizeof(*attr)))
			snprintf(why, whylen, "no pool header (all zero)");
		else
			snprintf(why, whylen, "not a libpmemobj-core pool (signature '%.8s', expected '%s')",
				attr->signature, OBJ_HDR_SIG);
		return -EINVAL;
	}
	if (attr->major != OBJ_FORMAT_MAJOR) {
		snprintf(why, whylen, "pool format version %" PRIu32 " is not supported (this library reads %u)",
			attr->major, OBJ_FORMAT_MAJOR);
		return -EINVAL;
	}
	if (attr->incompat_features & ~OBJ_FEAT_INCOMPAT_KNOWN) {
		snprintf(why, whylen, "unknown incompatible features 0x%" PRIx32,
			attr->incompat_features & ~OBJ_FEAT_INCOMPAT_KNOWN);
		return -EINVAL;
	}
	return 0;
}

int
obj_hdr_decode(const uint8_t *buf, struct obj_hdr *hdr, char *why, size_t whylen)
{
	memset(hdr, 0, sizeof(*hdr));
	struct bytes_rd r = bytes_rd_init(buf, POOLSET_HDR_SIZE);
	get_attr(&r, &hdr->attr);
	hdr->part = bytes_get_le32(&r);
	hdr->nparts = bytes_get_le32(&r);
	hdr->crtime = bytes_get_le64(&r);
	hdr->replica = bytes_get_le32(&r);
	hdr->nreplicas = bytes_get_le32(&r);
	bytes_get_mem(&r, hdr->stale, OBJ_STALE_BYTES);

	/* the signature first: a foreign file says so rather than "bad checksum" */
	int ret = obj_attr_check(&hdr->attr, why, whylen);
	if (ret && memcmp(hdr->attr.signature, OBJ_HDR_SIG, OBJ_HDR_SIG_LEN) != 0)
		return ret;
	struct bytes_rd c = bytes_rd_init(buf + OBJ_HDR_CSUM_OFF, 8);
	uint64_t stored = bytes_get_le64(&c);
	uint64_t computed = checksum_fletcher64(buf, OBJ_HDR_CSUM_OFF);
	if (stored != computed) {
		snprintf(why, whylen, "header checksum mismatch (stored 0x%016" PRIx64
			", computed 0x%016" PRIx64 ")", stored, computed);
		return -EINVAL;
	}
	if (ret)
		return ret;
	if (hdr->nparts == 0 || hdr->nparts > POOLSET_MAX_PARTS || hdr->part >= hdr->nparts) {
		snprintf(why, whylen, "part %" PRIu32 " of %" PRIu32 " is out of range", hdr->part,
			hdr->nparts);
		return -EINVAL;
	}
	if (hdr->nreplicas == 0 || hdr->nreplicas > POOLSET_MAX_REPLICAS ||
			hdr->replica >= hdr->nreplicas) {
		snprintf(why, whylen, "replica %" PRIu32 " of %" PRIu32 " is out of range",
			hdr->replica, hdr->nreplicas);
		return -EINVAL;
	}
	return 0;
}

void
obj_attr_from_hdr(const struct obj_hdr *hdr, struct rpmem_pool_attr *attr)
{
	*attr = hdr->attr;
}
