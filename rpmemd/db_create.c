/* db_create.c -- creating a pool: its part files, their space, the headers; undone completely on failure */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db_internal.h"
#include "err.h"
#include "log.h"
#include "poolset.h"

/* opens part p, making it when missing; an existing one must be empty unless the set keeps no headers */
static int
open_part(struct rpmemd_pool *pool, unsigned p)
{
	struct rpmemd_part *part = &pool->parts[p];
	const struct poolset_part *sp = &pool->set->replicas[0].parts[p];
	int dirfd = pool->db->dirfd;
	int ret = poolset_open_part_at(dirfd, pool->set, 0, p, O_RDWR | O_CREAT | O_EXCL,
		&part->fd);
	if (ret == 0)
		part->created = 1;
	else if (ret == -EEXIST)
		ret = poolset_open_part_at(dirfd, pool->set, 0, p, O_RDWR, &part->fd);
	if (ret)
		return ret;
	ret = db_lock_fd(part->fd, pool->name, sp->path);
	if (ret || part->created)
		return ret;
	struct stat st;
	if (fstat(part->fd, &st) != 0)
		return err_set_sys(-errno, errno, "pool set '%s': part '%s' cannot be examined",
			pool->name, sp->path);
	if (!S_ISREG(st.st_mode))
		return 0;
	if (st.st_size == 0) {
		part->was_empty = 1;
		return 0;
	}
	/* a NOHDRS pool has nothing that tells it exists: creating it again reuses it, as PMDK does */
	if (pool->set->nohdrs)
		return 0;
	return err_set(-EEXIST, "pool set '%s': part '%s' (line %u) exists and is not empty",
		pool->name, sp->path, sp->line);
}

/* allocates every regular part's blocks now, so a full file system fails the create, not a later store */
static int
fill_part(struct rpmemd_pool *pool, unsigned p)
{
	struct rpmemd_part *part = &pool->parts[p];
	struct stat st;
	if (fstat(part->fd, &st) != 0)
		return err_set_sys(-errno, errno, "pool set '%s': part %u cannot be examined",
			pool->name, p);
	if (!S_ISREG(st.st_mode))
		return 0;
	if (part->file_size > (uint64_t)INT64_MAX)
		return err_set(-EFBIG, "pool set '%s': part %u size %llu is too large", pool->name,
			p, (unsigned long long)part->file_size);
	int e = posix_fallocate(part->fd, 0, (off_t)part->file_size);
	if (e != 0)
		return err_set_sys(-e, e, "pool set '%s': %llu bytes of part '%s' cannot be allocated",
			pool->name, (unsigned long long)part->file_size,
			pool->set->replicas[0].parts[p].path);
	return 0;
}

int
db_pool_undo_create(struct rpmemd_pool *pool)
{
	int ret = 0;
	for (unsigned p = 0; p < pool->nparts; p++) {
		struct rpmemd_part *part = &pool->parts[p];
		const char *path = pool->set->replicas[0].parts[p].path;
		int r = 0;
		if (part->created)
			r = db_unlink_beneath(pool->db->dirfd, path, "part");
		else if (part->was_empty && ftruncate(part->fd, 0) != 0)
			r = err_set_sys(-errno, errno, "part '%s' cannot be emptied again", path);
		if (r && ret == 0)
			ret = r;
		part->created = 0;
		part->was_empty = 0;
	}
	return ret;
}

static int
create(struct rpmemd_pool *pool, size_t pool_size, const struct rpmem_pool_attr *attr)
{
	int ret = db_attr_check_set(pool, attr);
	for (unsigned p = 0; ret == 0 && p < pool->nparts; p++)
		ret = open_part(pool, p);
	if (ret == 0)
		ret = db_pool_layout(pool, pool_size);
	for (unsigned p = 0; ret == 0 && p < pool->nparts; p++)
		ret = fill_part(pool, p);
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
		db_pool_unmap(pool);
		db_pool_undo_create(pool);
		db_pool_free(pool);
		return err_set(ret, "%s", msg);
	}
	pool->created = 1;
	log_msg(LOG_INFO, "pool set '%s' created: %zu of %zu usable bytes served%s", name,
		pool_size, pool->size, pool->set->nohdrs ? ", no headers" : "");
	*out = pool;
	return 0;
}
