/* db.c -- rpmemd's pool database: the poolset-dir, pool records (a locked set file and its replica 0), closing */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db_internal.h"
#include "err.h"
#include "log.h"
#include "poolset.h"

int
rpmemd_db_init(const char *poolset_dir, struct rpmemd_db **out)
{
	*out = NULL;
	struct rpmemd_db *db = calloc(1, sizeof(*db));
	if (db == NULL)
		return err_set(-ENOMEM, "out of memory for the pool database");
	db->dir = strdup(poolset_dir);
	if (db->dir == NULL) {
		free(db);
		return err_set(-ENOMEM, "out of memory for the pool database");
	}
	db->dirfd = open(poolset_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (db->dirfd < 0) {
		int e = errno;
		free(db->dir);
		free(db);
		return err_set_sys(-e, e, "poolset-dir '%s' cannot be opened", poolset_dir);
	}
	log_msg(LOG_INFO, "pool sets are served from '%s'", poolset_dir);
	*out = db;
	return 0;
}

void
rpmemd_db_fini(struct rpmemd_db *db)
{
	if (db == NULL)
		return;
	close(db->dirfd);
	free(db->dir);
	free(db);
}

/* "pool set 'name': " in front of the last message, for messages that name only a part */
static int
in_set(int ret, const char *name)
{
	char msg[ERR_MSG_MAX];
	snprintf(msg, sizeof(msg), "%s", err_last());
	return err_set(ret, "pool set '%s': %s", name, msg);
}

/* a served set is one local replica of parts no smaller than RPMEM_MIN_PART */
static int
check_set(const struct poolset *set, const char *name)
{
	if (set->nreplicas > 1)
		return err_set(-EINVAL,
			"pool set '%s': line %u: replicas are not served (a remote pool is one replica)",
			name, set->replicas[1].line);
	int ret = poolset_check_min_part(set, RPMEM_MIN_PART);
	return ret ? in_set(ret, name) : 0;
}

char *
db_label(const char *name)
{
	char *label;
	return asprintf(&label, "pool set '%s'", name) < 0 ? NULL : label;
}

int
db_pool_new(struct rpmemd_db *db, const char *name, struct rpmemd_pool **out)
{
	*out = NULL;
	if (name == NULL || name[0] == '\0')
		return err_set(-EINVAL, "empty pool set name");
	struct rpmemd_pool *pool = calloc(1, sizeof(*pool));
	if (pool == NULL)
		return err_set(-ENOMEM, "out of memory for pool set '%s'", name);
	pool->db = db;
	pool->set_fd = -1;
	pool->rep.dirfd = REPLICA_UNCONFINED;
	int ret = -ENOMEM;
	pool->name = strdup(name);
	pool->label = db_label(name);
	if (pool->name == NULL || pool->label == NULL) {
		err_set(ret, "out of memory for pool set '%s'", name);
		goto fail;
	}
	/* the set file is locked first: two daemons racing for one set meet here */
	ret = poolset_open_beneath(db->dirfd, name, "pool set name", O_RDONLY | O_NONBLOCK, 0,
		&pool->set_fd);
	if (ret)
		goto fail;
	ret = replica_lock_fd(pool->set_fd, pool->label, "its set file");
	if (ret)
		goto fail;
	ret = poolset_read_at(db->dirfd, name, &pool->set);
	if (ret)
		goto fail;
	ret = check_set(pool->set, name);
	if (ret)
		goto fail;
	ret = replica_init(&pool->rep, pool->set, 0, db->dirfd, pool->label);
	if (ret)
		goto fail;
	*out = pool;
	return 0;
fail:
	db_pool_free(pool);
	return ret;
}

void
db_pool_free(struct rpmemd_pool *pool)
{
	if (pool == NULL)
		return;
	replica_close(&pool->rep);
	if (pool->set_fd >= 0)
		close(pool->set_fd);
	poolset_free(pool->set);
	free(pool->label);
	free(pool->name);
	free(pool);
}

int
db_pool_map(struct rpmemd_pool *pool)
{
	int ret = replica_map(&pool->rep);
	pool->addr = pool->rep.addr;
	return ret;
}

int
rpmemd_db_pool_close(struct rpmemd_pool *pool, int remove)
{
	if (pool == NULL)
		return 0;
	int ret = 0;
	replica_unmap(&pool->rep);
	pool->addr = NULL;
	if (remove && pool->created)
		ret = replica_undo_create(&pool->rep);
	log_msg(LOG_INFO, "pool set '%s' closed%s", pool->name,
		!remove || !pool->created ? "" : ret == 0 ? " and its parts removed" :
		", some of its parts not removed");
	db_pool_free(pool);
	return ret;
}
