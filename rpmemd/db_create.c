/* db_create.c -- creating a pool: its replica's parts, rpmemd's size rules, the headers; undone completely on failure */
#include <errno.h>
#include <stdio.h>

#include "db_internal.h"
#include "err.h"
#include "log.h"
#include "poolset.h"

/* rpmemd's files are its own: parts are made 0600 */
#define DB_PART_MODE 0600

static int
create(struct rpmemd_pool *pool, size_t pool_size, const struct rpmem_pool_attr *attr)
{
	int ret = db_attr_check_set(pool, attr);
	/* a NOHDRS pool has nothing that tells it exists: creating it again reuses it, as PMDK does */
	unsigned flags = pool->set->nohdrs ? REPLICA_REUSE_NONEMPTY : 0;
	if (ret == 0)
		ret = replica_create_parts(&pool->rep, flags, DB_PART_MODE);
	/* the size rules before the blocks: a pool too small costs no allocation */
	if (ret == 0)
		ret = db_pool_check_size(pool, pool_size);
	if (ret == 0)
		ret = replica_allocate(&pool->rep);
	if (ret == 0)
		ret = db_pool_map(pool);
	if (ret || pool->set->nohdrs)
		return ret;
	struct rpmem_pool_attr a;
	ret = db_attr_fill_uuids(attr, &a);
	if (ret == 0)
		ret = db_pool_write_hdrs(pool, &a);
	return ret;
}

int
rpmemd_db_pool_create(struct rpmemd_db *db, const char *name, size_t pool_size,
	const struct rpmem_pool_attr *attr, struct rpmemd_pool **out)
{
	*out = NULL;
	struct rpmemd_pool *pool;
	int ret = db_pool_new(db, name, &pool);
	if (ret)
		return ret;
	ret = create(pool, pool_size, attr);
	if (ret) {
		/* keep the first failure's message over any from the cleanup */
		char msg[ERR_MSG_MAX];
		snprintf(msg, sizeof(msg), "%s", err_last());
		replica_undo_create(&pool->rep);
		db_pool_free(pool);
		return err_set(ret, "%s", msg);
	}
	pool->created = 1;
	log_msg(LOG_INFO, "pool set '%s' created: %zu of %zu usable bytes served%s", name,
		pool_size, pool->size, pool->set->nohdrs ? ", no headers" : "");
	*out = pool;
	return 0;
}
