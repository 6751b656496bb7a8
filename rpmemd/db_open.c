/* db_open.c -- opening an existing pool: its replica's parts as the set file describes them, mapped, headers verified */
#include <errno.h>
#include <string.h>

#include "db_internal.h"
#include "err.h"
#include "log.h"
#include "poolset.h"

/* the stored attributes must still say what the set says about SINGLEHDR */
static int
check_stored_attr(struct rpmemd_pool *pool, const struct rpmem_pool_attr *a)
{
	if (db_attr_is_zero(a))
		return 0;
	return db_attr_check_set(pool, a);
}

int
rpmemd_db_pool_open(struct rpmemd_db *db, const char *name, size_t pool_size,
	struct rpmemd_pool **out, struct rpmem_pool_attr *attr, int *has_attr)
{
	*out = NULL;
	struct rpmemd_pool *pool;
	int ret = db_pool_new(db, name, &pool);
	if (ret)
		return ret;
	ret = replica_open(&pool->rep);
	if (ret == 0)
		ret = db_pool_check_size(pool, pool_size);
	if (ret == 0)
		ret = db_pool_map(pool);
	struct rpmem_pool_attr a;
	memset(&a, 0, sizeof(a));
	if (ret == 0 && !pool->set->nohdrs)
		ret = db_pool_read_hdrs(pool, &a);
	if (ret == 0 && !pool->set->nohdrs)
		ret = check_stored_attr(pool, &a);
	if (ret) {
		db_pool_free(pool);
		return ret;
	}
	if (attr != NULL)
		*attr = a;
	if (has_attr != NULL)
		*has_attr = !pool->set->nohdrs;
	log_msg(LOG_INFO, "pool set '%s' opened: %zu of %zu usable bytes served", name,
		pool_size, pool->size);
	*out = pool;
	return 0;
}
