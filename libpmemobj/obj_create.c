/* obj_create.c -- pmemobj_create: every replica made (local parts, remote pools through rpmemd), linked by UUIDs, the descriptor replicated; undone on any failure */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "obj_pool.h"

/* the local replicas: made and mapped, the primary first (its size is the pool's) */
static int
create_locals(struct obj_pool *pool, mode_t mode)
{
	int ret = obj_sizes_precheck(pool);
	for (unsigned r = 0; ret == 0 && r < pool->nreps; r++) {
		struct obj_rep *rep = &pool->reps[r];
		if (!rep->remote)
			ret = obj_rep_local_create(rep, mode, r == 0 && pool->os.existing_file);
		if (ret == 0 && r == 0) {
			pool->base = rep->local.addr;
			pool->size = rep->local.size;
		}
	}
	return ret ? ret : obj_sizes_check(pool);
}

/* every replica's header fields: a new pool set UUID and a ring of new replica UUIDs */
static int
make_hdrs(struct obj_pool *pool, struct obj_hdr *hdrs)
{
	unsigned char poolset_uuid[OBJ_UUID_LEN];
	unsigned char (*uuids)[OBJ_UUID_LEN] = calloc(pool->nreps, OBJ_UUID_LEN);
	if (uuids == NULL)
		return err_set(-ENOMEM, "out of memory for %u UUIDs", pool->nreps);
	int ret = obj_uuid_generate(poolset_uuid);
	for (unsigned r = 0; ret == 0 && r < pool->nreps; r++)
		ret = obj_uuid_generate(uuids[r]);
	uint64_t now = (uint64_t)time(NULL);
	for (unsigned r = 0; ret == 0 && r < pool->nreps; r++)
		obj_hdr_for_replica(&hdrs[r], poolset_uuid, (const unsigned char (*)[OBJ_UUID_LEN])uuids,
			pool->nreps, r, pool->os.set->singlehdr, now);
	free(uuids);
	pool->uuid_lo = obj_uuid_lo(poolset_uuid);
	return ret;
}

static int
create_remotes(struct obj_pool *pool, const struct obj_hdr *hdrs)
{
	unsigned nlanes = obj_nlanes_wanted();
	for (unsigned r = 1; r < pool->nreps; r++) {
		struct obj_rep *rep = &pool->reps[r];
		if (!rep->remote)
			continue;
		int ret = obj_rep_remote_create(rep, pool->base, pool->size, nlanes, &hdrs[r]);
		if (ret)
			return ret;
	}
	return obj_pool_lanes_init(pool);
}

/* the descriptor, written to the primary and replicated like any data */
static int
write_desc(struct obj_pool *pool, const char *layout)
{
	struct obj_desc desc;
	memset(&desc, 0, sizeof(desc));
	if (layout != NULL)
		strcpy(desc.layout, layout);
	desc.pool_size = pool->size;
	desc.root_off = OBJ_ROOT_OFF;
	obj_desc_encode(&desc, (uint8_t *)pool->base + OBJ_DESC_OFF);
	if (obj_fanout(pool, OBJ_DESC_OFF, OBJ_DESC_SIZE, OBJ_SYNC_PERSIST, 0, 0, 0) != 0)
		return -errno;
	return 0;
}

/* the local headers last, the primary's at the very end: a valid primary header means a complete pool */
static int
write_local_hdrs(struct obj_pool *pool, const struct obj_hdr *hdrs)
{
	for (unsigned r = pool->nreps; r-- > 0; ) {
		if (pool->reps[r].remote)
			continue;
		int ret = obj_rep_local_write_hdrs(&pool->reps[r], &hdrs[r]);
		if (ret)
			return ret;
	}
	return 0;
}

static void
undo(struct obj_pool *pool)
{
	/* keep the message of the failure, not of the clean-up */
	char msg[ERR_MSG_MAX];
	snprintf(msg, sizeof(msg), "%s", err_last());
	for (unsigned r = pool->nreps; r-- > 0; )
		obj_rep_undo_create(&pool->reps[r]);
	obj_pool_free(pool);
	err_set(0, "%s", msg);
}

PMEMobjpool *
pmemobj_create(const char *path, const char *layout, size_t poolsize, mode_t mode)
{
	if (path == NULL) {
		obj_fail(EINVAL, "pmemobj_create: path is NULL");
		return NULL;
	}
	if (layout != NULL && strlen(layout) >= PMEMOBJ_MAX_LAYOUT) {
		obj_fail(EINVAL, "pmemobj_create: layout name of %zu bytes is longer than %zu (PMEMOBJ_MAX_LAYOUT - 1)",
			strlen(layout), PMEMOBJ_MAX_LAYOUT - 1);
		return NULL;
	}
	struct obj_pool *pool = obj_pool_alloc();
	if (pool == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	int ret = obj_set_load(path, poolsize, 1, &pool->os);
	if (ret) {
		obj_pool_free(pool);
		errno = -ret;
		return NULL;
	}
	struct obj_hdr *hdrs = NULL;
	ret = obj_pool_reps_init(pool);
	if (ret == 0)
		ret = create_locals(pool, mode);
	if (ret == 0) {
		hdrs = calloc(pool->nreps, sizeof(*hdrs));
		ret = hdrs ? make_hdrs(pool, hdrs) : err_set(-ENOMEM, "out of memory for headers");
	}
	if (ret == 0)
		ret = create_remotes(pool, hdrs);
	if (ret == 0)
		ret = write_desc(pool, layout);
	if (ret == 0)
		ret = write_local_hdrs(pool, hdrs);
	if (ret == 0)
		ret = obj_registry_add(pool);
	free(hdrs);
	if (ret) {
		undo(pool);
		errno = -ret;
		return NULL;
	}
	for (unsigned r = 0; r < pool->nreps; r++)
		pool->reps[r].created = 0;
	return (PMEMobjpool *)pool->base;
}
