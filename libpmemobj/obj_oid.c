/* obj_oid.c -- object handles and addresses: pmemobj_direct, _oid, _pool_by_ptr, _pool_by_oid, and the user data pointer */
#include <errno.h>

#include "obj_pool.h"

void *
pmemobj_direct(PMEMoid oid)
{
	if (oid.off == 0 || oid.pool_uuid_lo == 0)
		return NULL;
	struct obj_pool *pool = obj_pool_by_uuid_lo(oid.pool_uuid_lo);
	if (pool == NULL || oid.off >= pool->size)
		return NULL;
	return pool->base + oid.off;
}

PMEMoid
pmemobj_oid(const void *addr)
{
	struct obj_pool *pool = obj_pool_by_addr(addr);
	if (pool == NULL)
		return OID_NULL;
	PMEMoid oid = { pool->uuid_lo, (uint64_t)((const char *)addr - pool->base) };
	return oid;
}

PMEMobjpool *
pmemobj_pool_by_ptr(const void *addr)
{
	struct obj_pool *pool = obj_pool_by_addr(addr);
	return pool ? (PMEMobjpool *)pool->base : NULL;
}

PMEMobjpool *
pmemobj_pool_by_oid(PMEMoid oid)
{
	if (oid.pool_uuid_lo == 0)
		return NULL;
	struct obj_pool *pool = obj_pool_by_uuid_lo(oid.pool_uuid_lo);
	return pool ? (PMEMobjpool *)pool->base : NULL;
}

void
pmemobj_set_user_data(PMEMobjpool *pop, void *data)
{
	struct obj_pool *pool = obj_pool_arg(pop, "pmemobj_set_user_data");
	if (pool != NULL)
		pool->user_data = data;
}

void *
pmemobj_get_user_data(PMEMobjpool *pop)
{
	struct obj_pool *pool = obj_pool_arg(pop, "pmemobj_get_user_data");
	return pool ? pool->user_data : NULL;
}
