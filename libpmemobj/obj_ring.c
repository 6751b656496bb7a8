/* obj_ring.c -- the UUIDs that link a set's replicas: each replica's header fields, and the checks that replicas belong together */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "obj_rep.h"

void
obj_hdr_for_replica(struct obj_hdr *hdr, const unsigned char *poolset_uuid,
	const unsigned char (*uuids)[OBJ_UUID_LEN], unsigned nreplicas, unsigned r,
	int singlehdr, uint64_t crtime)
{
	memset(hdr, 0, sizeof(*hdr));
	memcpy(hdr->attr.signature, OBJ_HDR_SIG, OBJ_HDR_SIG_LEN);
	hdr->attr.major = OBJ_FORMAT_MAJOR;
	hdr->attr.incompat_features = singlehdr ? OBJ_FEAT_SINGLEHDR : 0;
	memcpy(hdr->attr.poolset_uuid, poolset_uuid, OBJ_UUID_LEN);
	memcpy(hdr->attr.uuid, uuids[r], OBJ_UUID_LEN);
	memcpy(hdr->attr.next_uuid, uuids[(r + 1) % nreplicas], OBJ_UUID_LEN);
	memcpy(hdr->attr.prev_uuid, uuids[(r + nreplicas - 1) % nreplicas], OBJ_UUID_LEN);
	hdr->crtime = crtime;
	hdr->replica = r;
	hdr->nreplicas = nreplicas;
}

int
obj_rep_check_hdr(const struct obj_set *os, const struct obj_hdr *ref, unsigned r,
	const struct obj_hdr *hdr, char *why, size_t whylen)
{
	char a[OBJ_UUID_STR_LEN], b[OBJ_UUID_STR_LEN];
	int ret = obj_attr_check(&hdr->attr, why, whylen);
	if (ret)
		return ret;
	if (memcmp(hdr->attr.poolset_uuid, ref->attr.poolset_uuid, OBJ_UUID_LEN) != 0) {
		obj_uuid_format(hdr->attr.poolset_uuid, a);
		obj_uuid_format(ref->attr.poolset_uuid, b);
		snprintf(why, whylen, "belongs to another pool set (poolset uuid %s, the primary's is %s)",
			a, b);
		return -EINVAL;
	}
	int singlehdr = (hdr->attr.incompat_features & OBJ_FEAT_SINGLEHDR) != 0;
	if (singlehdr != (os->set->singlehdr != 0)) {
		snprintf(why, whylen, "was created %s OPTION SINGLEHDR, the pool set says %s",
			singlehdr ? "with" : "without", os->set->singlehdr ? "SINGLEHDR" : "nothing");
		return -EINVAL;
	}
	/* remote attributes carry no index: the ring places them */
	if (hdr->nreplicas == 0)
		return 0;
	if (hdr->nreplicas != os->set->nreplicas) {
		snprintf(why, whylen, "belongs to a set of %u replicas, the pool set file has %u",
			hdr->nreplicas, os->set->nreplicas);
		return -EINVAL;
	}
	if (hdr->replica != r) {
		snprintf(why, whylen, "is replica %u of its set, the pool set file puts it at %u",
			hdr->replica, r);
		return -EINVAL;
	}
	return 0;
}

int
obj_ring_check(const struct obj_hdr *hdrs, unsigned n, unsigned *bad, char *why, size_t whylen)
{
	char a[OBJ_UUID_STR_LEN], b[OBJ_UUID_STR_LEN];
	for (unsigned r = 0; r < n; r++) {
		for (unsigned s = 0; s < r; s++)
			if (memcmp(hdrs[r].attr.uuid, hdrs[s].attr.uuid, OBJ_UUID_LEN) == 0) {
				*bad = r;
				obj_uuid_format(hdrs[r].attr.uuid, a);
				snprintf(why, whylen, "has the uuid %s of replica %u (a copy of it?)", a, s);
				return -EINVAL;
			}
	}
	for (unsigned r = 0; r < n; r++) {
		const struct obj_hdr *prev = &hdrs[(r + n - 1) % n];
		const struct obj_hdr *next = &hdrs[(r + 1) % n];
		/* the replica whose own uuid is not where its neighbours expect it is the odd one */
		if (memcmp(prev->attr.next_uuid, hdrs[r].attr.uuid, OBJ_UUID_LEN) != 0 ||
				memcmp(next->attr.prev_uuid, hdrs[r].attr.uuid, OBJ_UUID_LEN) != 0) {
			*bad = r;
			obj_uuid_format(hdrs[r].attr.uuid, a);
			obj_uuid_format(prev->attr.next_uuid, b);
			snprintf(why, whylen,
				"does not fit the ring of replicas (its uuid is %s, replica %u expects %s after it)",
				a, (r + n - 1) % n, b);
			return -EINVAL;
		}
	}
	return 0;
}
