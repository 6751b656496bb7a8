/* obj_root.c -- the root object: at a fixed offset after the descriptor, grown in place (zeroed, replicated) up to the end of the pool */
#include <errno.h>
#include <stdatomic.h>
#include <string.h>

#include "bytes.h"
#include "obj_pool.h"

static uint64_t *
root_size_field(struct obj_pool *pool)
{
	return (uint64_t *)(pool->base + OBJ_DESC_OFF + OBJ_DESC_ROOT_SIZE_OFF);
}

static uint64_t
root_size_get(struct obj_pool *pool)
{
	uint8_t buf[8];
	memcpy(buf, root_size_field(pool), sizeof(buf));
	struct bytes_rd r = bytes_rd_init(buf, sizeof(buf));
	return bytes_get_le64(&r);
}

/* one aligned 8-byte store, then replicated: a crash leaves the old size or the new one */
static int
root_size_set(struct obj_pool *pool, uint64_t size)
{
	uint8_t buf[8];
	struct bytes_wr w = bytes_wr_init(buf, sizeof(buf));
	bytes_put_le64(&w, size);
	uint64_t v;
	memcpy(&v, buf, sizeof(v));
	atomic_store((_Atomic uint64_t *)root_size_field(pool), v);
	return obj_fanout(pool, OBJ_DESC_OFF + OBJ_DESC_ROOT_SIZE_OFF, 8, OBJ_SYNC_PERSIST, 0, 0, 0);
}

/* grows the root from cur to size bytes: zeroed and replicated, the constructor run, then the size recorded */
static int
root_grow(struct obj_pool *pool, uint64_t cur, size_t size, pmemobj_constr constructor,
	void *arg)
{
	char *root = pool->base + OBJ_ROOT_OFF;
	memset(root + cur, 0, size - cur);
	if (obj_fanout(pool, OBJ_ROOT_OFF + cur, size - cur, OBJ_SYNC_PERSIST, 0, 0, 0) != 0)
		return -1;
	if (constructor != NULL && constructor((PMEMobjpool *)pool->base, root, arg) != 0)
		return obj_fail(ECANCELED,
			"pmemobj_root_construct: the constructor failed; the root object stays %llu bytes",
			(unsigned long long)cur);
	return root_size_set(pool, size);
}

PMEMoid
pmemobj_root_construct(PMEMobjpool *pop, size_t size, pmemobj_constr constructor, void *arg)
{
	const char *func = constructor ? "pmemobj_root_construct" : "pmemobj_root";
	struct obj_pool *pool = obj_pool_arg(pop, func);
	if (pool == NULL)
		return OID_NULL;
	size_t max = pool->size - OBJ_ROOT_OFF;
	if (size > max) {
		obj_fail(ENOMEM, "%s: a root object of %zu bytes does not fit the pool (at most %zu)",
			func, size, max);
		return OID_NULL;
	}
	pthread_mutex_lock(&pool->root_lock);
	uint64_t cur = root_size_get(pool);
	int ret = 0;
	if (size == 0 && cur == 0)
		ret = obj_fail(EINVAL, "%s: the pool has no root object yet and size is 0", func);
	else if (size > cur)
		ret = root_grow(pool, cur, size, constructor, arg);
	pthread_mutex_unlock(&pool->root_lock);
	if (ret)
		return OID_NULL;
	PMEMoid oid = { pool->uuid_lo, OBJ_ROOT_OFF };
	return oid;
}

PMEMoid
pmemobj_root(PMEMobjpool *pop, size_t size)
{
	return pmemobj_root_construct(pop, size, NULL, NULL);
}

size_t
pmemobj_root_size(PMEMobjpool *pop)
{
	struct obj_pool *pool = obj_pool_arg(pop, "pmemobj_root_size");
	if (pool == NULL)
		return 0;
	return (size_t)root_size_get(pool);
}
