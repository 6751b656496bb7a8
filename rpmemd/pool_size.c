/* pool_size.c -- rpmemd's size rules on a laid-out pool: the minimum pool and the size the client asked for */
#include <errno.h>

#include "db_internal.h"
#include "err.h"

int
db_pool_check_size(struct rpmemd_pool *pool, size_t pool_size)
{
	pool->size = pool->rep.size;
	pool->hdr_size = pool->rep.hdr_size;
	if (pool->size < RPMEM_MIN_POOL)
		return err_set(-EINVAL, "pool set '%s' has %zu usable bytes, below the minimum pool of %zu",
			pool->name, pool->size, RPMEM_MIN_POOL);
	if (pool_size == 0)
		return err_set(-EINVAL, "pool set '%s': the requested pool size is 0", pool->name);
	if (pool->size < pool_size)
		return err_set(-EFBIG, "pool set '%s' has %zu usable bytes, fewer than the %zu requested",
			pool->name, pool->size, pool_size);
	pool->pool_size = pool_size;
	return 0;
}
