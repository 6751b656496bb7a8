/* db_open.c -- opening an existing pool: its parts as the set file describes them, mapped, headers verified */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "db_internal.h"
#include "err.h"
#include "log.h"
#include "poolset.h"

/* a regular part must be exactly as large as the set says, or the mapping would not match the pool */
static int
check_part_size(struct rpmemd_pool *pool, unsigned p)
{
	const struct poolset_part *sp = &pool->set->replicas[0].parts[p];
	struct stat st;
	if (fstat(pool->parts[p].fd, &st) != 0)
		return err_set_sys(-errno, errno, "pool set '%s': part '%s' cannot be examined",
			pool->name, sp->path);
	if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size == sp->size)
		return 0;
	return err_set(-EINVAL, "pool set '%s': part '%s' (line %u) is %lld bytes, the set says %llu",
		pool->name, sp->path, sp->line, (long long)st.st_size,
		(unsigned long long)sp->size);
}

static int
open_part(struct rpmemd_pool *pool, unsigned p)
{
	struct rpmemd_part *part = &pool->parts[p];
	int ret = poolset_open_part_at(pool->db->dirfd, pool->set, 0, p, O_RDWR, &part->fd);
	if (ret) {
		char msg[ERR_MSG_MAX];
		snprintf(msg, sizeof(msg), "%s", err_last());
		return err_set(ret, "pool set '%s': %s", pool->name, msg);
	}
	ret = db_lock_fd(part->fd, pool->name, pool->set->replicas[0].parts[p].path);
	return ret ? ret : check_part_size(pool, p);
}

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
	for (unsigned p = 0; ret == 0 && p < pool->nparts; p++)
		ret = open_part(pool, p);
	if (ret == 0)
		ret = db_pool_layout(pool, pool_size);
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
