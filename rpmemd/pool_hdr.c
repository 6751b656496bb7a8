/* pool_hdr.c -- rpmemd's pool header: encoding, verification and checksum (doc/rpmemd-pool-format.md) */
#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "bytes.h"
#include "checksum.h"
#include "db_internal.h"
#include "err.h"
#include "poolset.h"
#include "util.h"

static void
put_attr(struct bytes_wr *w, const struct rpmem_pool_attr *a)
{
	bytes_put_mem(w, a->signature, sizeof(a->signature));
	bytes_put_le32(w, a->major);
	bytes_put_le32(w, a->compat_features);
	bytes_put_le32(w, a->incompat_features);
	bytes_put_le32(w, a->ro_compat_features);
	bytes_put_mem(w, a->poolset_uuid, sizeof(a->poolset_uuid));
	bytes_put_mem(w, a->uuid, sizeof(a->uuid));
	bytes_put_mem(w, a->next_uuid, sizeof(a->next_uuid));
	bytes_put_mem(w, a->prev_uuid, sizeof(a->prev_uuid));
	bytes_put_mem(w, a->user_flags, sizeof(a->user_flags));
}

static void
get_attr(struct bytes_rd *r, struct rpmem_pool_attr *a)
{
	bytes_get_mem(r, a->signature, sizeof(a->signature));
	a->major = bytes_get_le32(r);
	a->compat_features = bytes_get_le32(r);
	a->incompat_features = bytes_get_le32(r);
	a->ro_compat_features = bytes_get_le32(r);
	bytes_get_mem(r, a->poolset_uuid, sizeof(a->poolset_uuid));
	bytes_get_mem(r, a->uuid, sizeof(a->uuid));
	bytes_get_mem(r, a->next_uuid, sizeof(a->next_uuid));
	bytes_get_mem(r, a->prev_uuid, sizeof(a->prev_uuid));
	bytes_get_mem(r, a->user_flags, sizeof(a->user_flags));
}

void
db_hdr_encode(const struct db_hdr *hdr, uint8_t *buf)
{
	memset(buf, 0, POOLSET_HDR_SIZE);
	struct bytes_wr w = bytes_wr_init(buf, DB_HDR_CSUM_OFF);
	bytes_put_mem(&w, DB_HDR_MAGIC, DB_HDR_MAGIC_LEN);
	bytes_put_le32(&w, hdr->version);
	bytes_put_le32(&w, POOLSET_HDR_SIZE);
	bytes_put_le32(&w, hdr->part);
	bytes_put_le32(&w, hdr->nparts);
	bytes_put_ptr(&w, DB_HDR_ATTR_OFF - 24);	/* reserved, zero */
	put_attr(&w, &hdr->attr);
	struct bytes_wr c = bytes_wr_init(buf + DB_HDR_CSUM_OFF, 8);
	bytes_put_le64(&c, checksum_fletcher64(buf, DB_HDR_CSUM_OFF));
}

int
db_hdr_decode(const uint8_t *buf, unsigned p, struct db_hdr *hdr)
{
	memset(hdr, 0, sizeof(*hdr));
	struct bytes_rd r = bytes_rd_init(buf, POOLSET_HDR_SIZE);
	const uint8_t *magic = bytes_get_ptr(&r, DB_HDR_MAGIC_LEN);
	if (memcmp(magic, DB_HDR_MAGIC, DB_HDR_MAGIC_LEN) != 0)
		return err_set(-EINVAL, "part %u header has no rpmemd pool magic", p);
	hdr->version = bytes_get_le32(&r);
	if (hdr->version != DB_HDR_VERSION)
		return err_set(-EINVAL, "part %u header has format version %u (known: %u)", p,
			hdr->version, DB_HDR_VERSION);
	struct bytes_rd c = bytes_rd_init(buf + DB_HDR_CSUM_OFF, 8);
	uint64_t stored = bytes_get_le64(&c);
	uint64_t computed = checksum_fletcher64(buf, DB_HDR_CSUM_OFF);
	if (stored != computed)
		return err_set(-EINVAL, "part %u header checksum mismatch (stored 0x%016llx, computed 0x%016llx)",
			p, (unsigned long long)stored, (unsigned long long)computed);
	uint32_t size = bytes_get_le32(&r);
	if (size != POOLSET_HDR_SIZE)
		return err_set(-EINVAL, "part %u header size %u (expected %u)", p, size,
			POOLSET_HDR_SIZE);
	hdr->part = bytes_get_le32(&r);
	hdr->nparts = bytes_get_le32(&r);
	if (hdr->part != p)
		return err_set(-EINVAL, "part %u header says it is part %u", p, hdr->part);
	bytes_get_ptr(&r, DB_HDR_ATTR_OFF - 24);
	get_attr(&r, &hdr->attr);
	return 0;
}

int
db_attr_is_zero(const struct rpmem_pool_attr *attr)
{
	return util_is_zero(attr, sizeof(*attr));
}

/* a random version 4 UUID (RFC 4122), as PMDK generates */
static int
random_uuid(unsigned char *uuid, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = getrandom(uuid + got, n - got, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return err_set_sys(-errno, errno, "cannot generate a UUID");
		got += (size_t)r;
	}
	uuid[6] = (unsigned char)((uuid[6] & 0x0f) | 0x40);
	uuid[8] = (unsigned char)((uuid[8] & 0x3f) | 0x80);
	return 0;
}

int
db_attr_fill_uuids(const struct rpmem_pool_attr *in, struct rpmem_pool_attr *out)
{
	*out = *in;
	int ret = 0;
	if (util_is_zero(out->poolset_uuid, sizeof(out->poolset_uuid)))
		ret = random_uuid(out->poolset_uuid, sizeof(out->poolset_uuid));
	if (ret == 0 && util_is_zero(out->uuid, sizeof(out->uuid)))
		ret = random_uuid(out->uuid, sizeof(out->uuid));
	return ret;
}
