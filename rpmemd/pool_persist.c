/* pool_persist.c -- durability of the range a client may touch: the first pool_size bytes of the replica */
#include <errno.h>

#include "db_internal.h"
#include "err.h"

/* the client's pool is smaller than the replica: ranges beyond pool_size are refused here */
static int
check_range(const struct rpmemd_pool *pool, size_t offset, size_t len, const char *what)
{
	if (offset > pool->pool_size || len > pool->pool_size - offset)
		return err_set(-EINVAL,
			"pool set '%s': %s of %zu bytes at offset %zu is outside the pool of %zu bytes",
			pool->name, what, len, offset, pool->pool_size);
	return 0;
}

int
rpmemd_pool_persist(struct rpmemd_pool *pool, size_t offset, size_t len)
{
	int ret = check_range(pool, offset, len, "persist");
	return ret ? ret : replica_persist(&pool->rep, offset, len);
}

int
rpmemd_pool_deep_persist(struct rpmemd_pool *pool, size_t offset, size_t len)
{
	int ret = check_range(pool, offset, len, "deep persist");
	return ret ? ret : replica_deep_persist(&pool->rep, offset, len);
}

int
rpmemd_pool_memcpy_persist(struct rpmemd_pool *pool, size_t offset, const void *src, size_t len)
{
	int ret = check_range(pool, offset, len, "copy");
	return ret ? ret : replica_memcpy_persist(&pool->rep, offset, src, len);
}

int
rpmemd_pool_is_pmem(const struct rpmemd_pool *pool)
{
	return replica_is_pmem(&pool->rep);
}
