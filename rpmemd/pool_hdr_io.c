/* pool_hdr_io.c -- reading, verifying and rewriting the headers of an open pool set's parts */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "db_internal.h"
#include "err.h"
#include "poolset.h"

int
db_attr_check_set(const struct rpmemd_pool *pool, const struct rpmem_pool_attr *attr)
{
	const struct poolset *set = pool->set;
	int has_attr = attr != NULL && !db_attr_is_zero(attr);
	if (has_attr && set->nohdrs)
		return err_set(-EINVAL,
			"pool set '%s' says OPTION NOHDRS but pool attributes were given",
			pool->name);
	if (!has_attr && !set->nohdrs)
		return err_set(-EINVAL,
			"pool set '%s' keeps pool headers but no pool attributes were given (only an OPTION NOHDRS set takes none)",
			pool->name);
	if (!has_attr)
		return 0;
	int single = (attr->incompat_features & POOL_FEAT_SINGLEHDR) != 0;
	if (single != set->singlehdr)
		return err_set(-EINVAL,
			"pool set '%s' %s OPTION SINGLEHDR but incompat_features 0x%x %s the SINGLEHDR bit 0x%x",
			pool->name, set->singlehdr ? "says" : "does not say",
			attr->incompat_features, single ? "has" : "lacks", POOL_FEAT_SINGLEHDR);
	return 0;
}

int
db_pool_write_hdrs(struct rpmemd_pool *pool, const struct rpmem_pool_attr *attr)
{
	struct db_hdr hdr;
	memset(&hdr, 0, sizeof(hdr));
	hdr.version = DB_HDR_VERSION;
	hdr.nparts = pool->rep.nparts;
	if (attr != NULL)
		hdr.attr = *attr;
	uint8_t buf[POOLSET_HDR_SIZE];
	for (unsigned p = 0; p < pool->rep.nparts; p++) {
		if (!pool->rep.parts[p].has_hdr)
			continue;
		hdr.part = p;
		db_hdr_encode(&hdr, buf);
		int ret = replica_hdr_write(&pool->rep, p, buf);
		if (ret)
			return ret;
	}
	return 0;
}

static int
read_hdr(struct rpmemd_pool *pool, unsigned p, struct db_hdr *hdr)
{
	uint8_t buf[POOLSET_HDR_SIZE];
	int ret = replica_hdr_read(&pool->rep, p, buf);
	if (ret)
		return ret;
	ret = db_hdr_decode(buf, p, hdr);
	if (ret) {
		char msg[ERR_MSG_MAX];
		snprintf(msg, sizeof(msg), "%s", err_last());
		return err_set(ret, "pool set '%s': %s", pool->name, msg);
	}
	if (hdr->nparts != pool->rep.nparts)
		return err_set(-EINVAL, "pool set '%s': part %u header says the set has %u parts, the set file lists %u",
			pool->name, p, hdr->nparts, pool->rep.nparts);
	return 0;
}

int
db_pool_read_hdrs(struct rpmemd_pool *pool, struct rpmem_pool_attr *attr)
{
	struct db_hdr first, hdr;
	memset(&first, 0, sizeof(first));
	for (unsigned p = 0; p < pool->rep.nparts; p++) {
		if (!pool->rep.parts[p].has_hdr)
			continue;
		int ret = read_hdr(pool, p, p == 0 ? &first : &hdr);
		if (ret)
			return ret;
		if (p > 0 && memcmp(&hdr.attr, &first.attr, sizeof(hdr.attr)) != 0)
			return err_set(-EINVAL, "pool set '%s': part %u header attributes differ from part 0's",
				pool->name, p);
	}
	*attr = first.attr;
	return 0;
}

int
rpmemd_db_pool_set_attr(struct rpmemd_pool *pool, const struct rpmem_pool_attr *attr)
{
	if (pool->set->nohdrs) {
		if (attr != NULL && !db_attr_is_zero(attr))
			return err_set(-EINVAL,
				"pool set '%s' says OPTION NOHDRS: it keeps no attributes", pool->name);
		return 0;
	}
	/* NULL (zero) attributes are stored as zero; only given ones must match SINGLEHDR */
	if (attr != NULL && !db_attr_is_zero(attr)) {
		int ret = db_attr_check_set(pool, attr);
		if (ret)
			return ret;
	}
	return db_pool_write_hdrs(pool, attr);
}
