/* obj_rep_local.c -- a local replica of a pool: made or opened and mapped through common/replica, its part headers read and written */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "obj_rep.h"
#include "util.h"

/* a file given to pmemobj_create with poolsize 0 may hold anything but a pool header */
static int
check_reusable(struct obj_rep *rep)
{
	uint8_t buf[POOLSET_HDR_SIZE];
	int ret = replica_hdr_read(&rep->local, 0, buf);
	if (ret)
		return ret;
	if (!util_is_zero(buf, sizeof(buf)))
		return err_set(-EEXIST,
			"%s: its first %u bytes are not zero (it may hold a pool): not reused",
			rep->name, POOLSET_HDR_SIZE);
	return 0;
}

int
obj_rep_local_create(struct obj_rep *rep, mode_t mode, int reuse)
{
	int ret = replica_init(&rep->local, rep->os->set, rep->r, REPLICA_UNCONFINED, rep->name);
	if (ret)
		return ret;
	rep->local_init = 1;
	rep->created = 1;
	ret = replica_create_parts(&rep->local, reuse ? REPLICA_REUSE_NONEMPTY : 0, mode);
	if (ret == 0 && reuse)
		ret = check_reusable(rep);
	if (ret == 0)
		ret = replica_allocate(&rep->local);
	if (ret == 0)
		ret = replica_map(&rep->local);
	return ret;
}

int
obj_rep_local_open(struct obj_rep *rep)
{
	int ret = replica_init(&rep->local, rep->os->set, rep->r, REPLICA_UNCONFINED, rep->name);
	if (ret)
		return ret;
	rep->local_init = 1;
	ret = replica_open(&rep->local);
	if (ret == 0)
		ret = replica_map(&rep->local);
	return ret;
}

/* -EINVAL naming part p of the replica, the reason also in why */
static int
part_fail(struct obj_rep *rep, unsigned p, const char *reason, char *why, size_t whylen)
{
	char name[OBJ_NAME_MAX];
	obj_set_name(rep->os, rep->r, p, name, sizeof(name));
	if (why != NULL)
		snprintf(why, whylen, "%s", reason);
	return err_set(-EINVAL, "%s: %s", name, reason);
}

/* part p's header agrees with part 0's except for the part index */
static int
same_replica(const struct obj_hdr *h0, const struct obj_hdr *h, unsigned p, unsigned nparts,
	char *why, size_t whylen)
{
	if (h->part != p || h->nparts != nparts) {
		snprintf(why, whylen, "header says part %u of %u, the pool set has part %u of %u",
			h->part, h->nparts, p, nparts);
		return -EINVAL;
	}
	if (memcmp(&h->attr, &h0->attr, sizeof(h->attr)) != 0 || h->crtime != h0->crtime ||
			h->replica != h0->replica || h->nreplicas != h0->nreplicas) {
		snprintf(why, whylen, "header belongs to another pool or replica than part 0's");
		return -EINVAL;
	}
	return 0;
}

int
obj_rep_local_read_hdrs(struct obj_rep *rep, struct obj_hdr *hdr, char *why, size_t whylen)
{
	uint8_t buf[POOLSET_HDR_SIZE];
	char reason[ERR_MSG_MAX];
	struct obj_hdr h;
	for (unsigned p = 0; p < rep->local.nparts; p++) {
		if (!rep->local.parts[p].has_hdr)
			continue;
		int ret = replica_hdr_read(&rep->local, p, buf);
		if (ret)
			return ret;
		ret = obj_hdr_decode(buf, p == 0 ? hdr : &h, reason, sizeof(reason));
		if (ret == 0 && p > 0)
			ret = same_replica(hdr, &h, p, rep->local.nparts, reason, sizeof(reason));
		else if (ret == 0 && (hdr->part != 0 || hdr->nparts != rep->local.nparts))
			ret = same_replica(hdr, hdr, 0, rep->local.nparts, reason, sizeof(reason));
		if (ret)
			return part_fail(rep, p, reason, why, whylen);
	}
	return 0;
}

int
obj_rep_local_write_hdrs(struct obj_rep *rep, const struct obj_hdr *hdr)
{
	uint8_t buf[POOLSET_HDR_SIZE];
	struct obj_hdr h = *hdr;
	h.nparts = rep->local.nparts;
	/* the parts after the first go first: a valid part 0 header means a complete replica */
	for (unsigned i = rep->local.nparts; i-- > 0; ) {
		if (!rep->local.parts[i].has_hdr)
			continue;
		h.part = i;
		obj_hdr_encode(&h, buf);
		int ret = replica_hdr_write(&rep->local, i, buf);
		if (ret)
			return ret;
	}
	return 0;
}
