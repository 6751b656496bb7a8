/* rpmempool_rebuild.c -- one replica of a pool rebuilt from the reference: made again where needed, emptied of headers, the pool's data copied with progress */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "rpmempool_sync.h"

#define MIB ((double)(1 << 20))
#define REBUILD_SIG "PMOBJSYN"	/* a remote replica being rebuilt */

struct progress {
	const char *name;
	int last_pct;
};

/* a line whenever the whole percent changes */
static int
show_progress(size_t done, size_t total, void *arg)
{
	struct progress *p = arg;
	int pct = total == 0 ? 100 : (int)((double)done * 100 / (double)total);
	if (pct == p->last_pct)
		return 0;
	p->last_pct = pct;
	fprintf(stderr, "rpmempool sync: %s: %d%% (%.1f of %.1f MiB)\n", p->name, pct,
		(double)done / MIB, (double)total / MIB);
	return 0;
}

/* an interrupted rebuild must not look like a good replica: every header zeroed first */
static int
zero_hdrs(struct obj_rep *rep)
{
	uint8_t zero[POOLSET_HDR_SIZE];
	memset(zero, 0, sizeof(zero));
	for (unsigned p = 0; p < rep->local.nparts; p++) {
		if (!rep->local.parts[p].has_hdr)
			continue;
		int ret = replica_hdr_write(&rep->local, p, zero);
		if (ret)
			return ret;
	}
	return 0;
}

static int
make_local(struct sync *s, struct obj_rep *rep)
{
	int ret = obj_rep_local_open(rep);
	if (ret == 0 || ret == -EBUSY)
		return ret;
	/* missing or misshapen parts: whatever is left goes, the parts are made anew */
	obj_rep_close(rep);
	ret = replica_remove(s->os.set, rep->r, REPLICA_UNCONFINED, rep->name, 1);
	if (ret)
		return ret;
	ret = obj_rep_local_create(rep, s->mode, 0);
	/* made by us, kept by us: not undone when the pool is closed */
	rep->created = 0;
	return ret;
}

static int
rebuild_local(struct sync *s, struct obj_rep *rep)
{
	int ret = make_local(s, rep);
	if (ret)
		return ret;
	if (rep->local.size < s->pool_size)
		return err_set(-EINVAL, "%s has %zu usable bytes, fewer than the pool's %zu",
			rep->name, rep->local.size, s->pool_size);
	return zero_hdrs(rep);
}

static int
rebuild_remote(struct sync *s, struct obj_rep *rep)
{
	const struct poolset_replica *sr = &s->os.set->replicas[rep->r];
	errno = 0;
	/* FORCE: parts that are missing or damaged do not stop the removal */
	if (rpmem_remove(sr->target, sr->set_name, RPMEM_REMOVE_FORCE) != 0)
		return err_set(errno ? -errno : -EIO, "%s cannot be removed: %s", rep->name,
			rpmem_errormsg());
	/*
	 * rpmemd wants attributes: until the data is complete they carry
	 * REBUILD_SIG instead of the pool's signature, so an interrupted
	 * rebuild reads as damaged, never as a good replica
	 */
	struct obj_hdr empty;
	memset(&empty, 0, sizeof(empty));
	memcpy(empty.attr.signature, REBUILD_SIG, OBJ_HDR_SIG_LEN);
	memcpy(empty.attr.poolset_uuid, s->ref_hdr.attr.poolset_uuid, OBJ_UUID_LEN);
	empty.attr.incompat_features = s->ref_hdr.attr.incompat_features;
	/* the data is sent from the source's mapping: the pool is created over it */
	struct obj_rep *src = &s->reps[sync_source(s, rep->r)];
	int ret = obj_rep_remote_create(rep, src->local.addr, s->pool_size, 1, &empty);
	rep->created = 0;
	return ret;
}

int
sync_rebuild(struct sync *s, unsigned r)
{
	struct obj_rep *rep = &s->reps[r];
	struct obj_rep *src = &s->reps[sync_source(s, r)];
	if (!src->remote && !src->local_init)
		return err_set(-ENOENT, "%s cannot be rebuilt from %s, which was not rebuilt",
			rep->name, src->name);
	int ret = rep->remote ? rebuild_remote(s, rep) : rebuild_local(s, rep);
	if (ret)
		return ret;
	struct progress p = { rep->name, -1 };
	return obj_rep_copy(src, rep, OBJ_DESC_OFF, s->pool_size - OBJ_DESC_OFF, 0,
		s->progress ? show_progress : NULL, &p);
}
