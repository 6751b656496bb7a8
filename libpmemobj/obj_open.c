/* obj_open.c -- pmemobj_open, pmemobj_check, pmemobj_close: every replica opened and verified to belong to the pool before it is used */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "obj_pool.h"

/* what the verification found: a damaged or foreign replica (pmemobj_check's 0), not a failure to look */
struct verdict {
	int damaged;
	char why[ERR_MSG_MAX];
};

static int
damaged(struct verdict *v, const char *name, const char *why)
{
	v->damaged = 1;
	return err_set(-EINVAL, "%s: %s", name, why);
}

static int
open_locals(struct obj_pool *pool, struct obj_hdr *hdrs, struct verdict *v)
{
	for (unsigned r = 0; r < pool->nreps; r++) {
		struct obj_rep *rep = &pool->reps[r];
		if (rep->remote)
			continue;
		int ret = obj_rep_local_open(rep);
		if (ret)
			return ret;
		if (r == 0) {
			pool->base = rep->local.addr;
			pool->size = rep->local.size;
		}
		ret = obj_rep_local_read_hdrs(rep, &hdrs[r], v->why, sizeof(v->why));
		if (ret == -EINVAL)
			v->damaged = 1;
		if (ret)
			return ret;
		if (obj_rep_check_hdr(&pool->os, &hdrs[0], r, &hdrs[r], v->why, sizeof(v->why)))
			return damaged(v, rep->name, v->why);
	}
	return obj_sizes_check(pool);
}

/* a stale mark in any local header refuses the pool until the tool rebuilt that replica */
static int
check_stale(struct obj_pool *pool, const struct obj_hdr *hdrs, struct verdict *v)
{
	for (unsigned r = 0; r < pool->nreps; r++) {
		if (pool->reps[r].remote)
			continue;
		for (unsigned k = 0; k < pool->nreps; k++) {
			if (!obj_stale_get(hdrs[r].stale, k))
				continue;
			snprintf(v->why, sizeof(v->why),
				"is stale: writes did not reach it (so says %s); rebuild it with 'rpmempool sync %s'",
				pool->reps[r].name, pool->os.path);
			return damaged(v, pool->reps[k].name, v->why);
		}
	}
	return 0;
}

/* the descriptor in the bytes at buf of replica rep, checked against the primary's (ref NULL: is the primary's) */
static int
check_desc(struct obj_pool *pool, struct obj_rep *rep, const uint8_t *buf,
	struct obj_desc *desc, const struct obj_desc *ref, struct verdict *v)
{
	if (obj_desc_decode(buf, pool->size, desc, v->why, sizeof(v->why)))
		return damaged(v, rep->name, v->why);
	if (ref != NULL && strcmp(desc->layout, ref->layout) != 0) {
		snprintf(v->why, sizeof(v->why), "layout '%.200s' differs from the primary's '%.200s'",
			desc->layout, ref->layout);
		return damaged(v, rep->name, v->why);
	}
	return 0;
}

static int
check_descs(struct obj_pool *pool, const char *layout, struct verdict *v)
{
	struct obj_desc primary, other;
	int ret = check_desc(pool, &pool->reps[0], (uint8_t *)pool->base + OBJ_DESC_OFF,
		&primary, NULL, v);
	if (ret)
		return ret;
	if (layout != NULL && strcmp(layout, primary.layout) != 0)
		return err_set(-EINVAL, "%s: wrong layout: the pool has '%s', '%s' was asked for",
			pool->reps[0].name, primary.layout, layout);
	for (unsigned r = 1; r < pool->nreps; r++) {
		struct obj_rep *rep = &pool->reps[r];
		if (rep->remote)
			continue;
		ret = check_desc(pool, rep, (uint8_t *)rep->local.addr + OBJ_DESC_OFF, &other,
			&primary, v);
		if (ret)
			return ret;
	}
	return 0;
}

/* the remote replicas: opened, their attributes and descriptor checked */
static int
open_remotes(struct obj_pool *pool, struct obj_hdr *hdrs, struct verdict *v)
{
	unsigned nlanes = obj_nlanes_wanted();
	uint8_t *buf = NULL;
	int ret = 0;
	for (unsigned r = 1; ret == 0 && r < pool->nreps; r++) {
		struct obj_rep *rep = &pool->reps[r];
		if (!rep->remote)
			continue;
		ret = obj_rep_remote_open(rep, pool->base, pool->size, nlanes, &hdrs[r]);
		if (ret)
			break;
		if (obj_rep_check_hdr(&pool->os, &hdrs[0], r, &hdrs[r], v->why, sizeof(v->why))) {
			ret = damaged(v, rep->name, v->why);
			break;
		}
		if (buf == NULL && (buf = malloc(OBJ_DESC_SIZE)) == NULL) {
			ret = err_set(-ENOMEM, "out of memory for a descriptor");
			break;
		}
		errno = 0;
		if (rpmem_read(rep->rpp, buf, OBJ_DESC_OFF, OBJ_DESC_SIZE, 0) != 0) {
			ret = err_set(errno ? -errno : -EIO, "%s: its descriptor cannot be read: %s",
				rep->name, rpmem_errormsg());
			break;
		}
		struct obj_desc desc, primary;
		obj_desc_decode((uint8_t *)pool->base + OBJ_DESC_OFF, pool->size, &primary,
			v->why, sizeof(v->why));
		ret = check_desc(pool, rep, buf, &desc, &primary, v);
	}
	free(buf);
	return ret;
}

static int
check_ring(struct obj_pool *pool, const struct obj_hdr *hdrs, struct verdict *v)
{
	unsigned bad;
	if (obj_ring_check(hdrs, pool->nreps, &bad, v->why, sizeof(v->why)))
		return damaged(v, pool->reps[bad].name, v->why);
	return 0;
}

/*
 * Opens and verifies every replica of path: headers, the pool set UUID,
 * the ring, stale marks, descriptors, the layout. *is_damaged tells a
 * damaged or foreign pool from a failure to look at it.
 */
static int
obj_pool_open(const char *path, const char *layout, struct obj_pool **out, int *is_damaged)
{
	struct verdict v = { 0, "" };
	struct obj_pool *pool = obj_pool_alloc();
	if (pool == NULL)
		return -ENOMEM;
	struct obj_hdr *hdrs = NULL;
	int ret = obj_set_load(path, 0, 0, &pool->os);
	if (ret == 0)
		ret = obj_pool_reps_init(pool);
	if (ret == 0) {
		hdrs = calloc(pool->nreps, sizeof(*hdrs));
		if (hdrs == NULL)
			ret = err_set(-ENOMEM, "out of memory for headers");
	}
	if (ret == 0)
		ret = open_locals(pool, hdrs, &v);
	if (ret == 0)
		ret = check_stale(pool, hdrs, &v);
	if (ret == 0)
		ret = check_descs(pool, layout, &v);
	if (ret == 0)
		ret = open_remotes(pool, hdrs, &v);
	if (ret == 0)
		ret = check_ring(pool, hdrs, &v);
	if (ret == 0)
		ret = obj_pool_lanes_init(pool);
	if (ret == 0)
		pool->uuid_lo = obj_uuid_lo(hdrs[0].attr.poolset_uuid);
	free(hdrs);
	*is_damaged = v.damaged;
	if (ret) {
		obj_pool_free(pool);
		return ret;
	}
	*out = pool;
	return 0;
}

PMEMobjpool *
pmemobj_open(const char *path, const char *layout)
{
	if (path == NULL) {
		obj_fail(EINVAL, "pmemobj_open: path is NULL");
		return NULL;
	}
	struct obj_pool *pool;
	int is_damaged;
	int ret = obj_pool_open(path, layout, &pool, &is_damaged);
	if (ret == 0) {
		ret = obj_registry_add(pool);
		if (ret)
			obj_pool_free(pool);
	}
	if (ret) {
		errno = -ret;
		return NULL;
	}
	return (PMEMobjpool *)pool->base;
}

int
pmemobj_check(const char *path, const char *layout)
{
	if (path == NULL)
		return obj_fail(EINVAL, "pmemobj_check: path is NULL");
	struct obj_pool *pool;
	int is_damaged;
	int ret = obj_pool_open(path, layout, &pool, &is_damaged);
	if (ret) {
		errno = -ret;
		return is_damaged ? 0 : -1;
	}
	obj_pool_free(pool);
	return 1;
}

void
pmemobj_close(PMEMobjpool *pop)
{
	struct obj_pool *pool = obj_pool_arg(pop, "pmemobj_close");
	if (pool == NULL)
		return;
	obj_registry_remove(pool);
	obj_pool_free(pool);
}
