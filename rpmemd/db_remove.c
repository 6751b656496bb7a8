/* db_remove.c -- removing a pool set's parts (and the set file): nothing is unlinked while the pool is in use */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "db_internal.h"
#include "err.h"
#include "log.h"
#include "poolset.h"

static int
remove_parts(struct rpmemd_db *db, const char *name, const char *label,
	const struct poolset *set, int force)
{
	if (set->nreplicas > 1)
		return err_set(-EINVAL,
			"pool set '%s': line %u: replicas are not served (a remote pool is one replica)",
			name, set->replicas[1].line);
	return replica_remove(set, 0, db->dirfd, label, force);
}

int
rpmemd_db_pool_remove(struct rpmemd_db *db, const char *name, int force, int pool_set)
{
	if (name == NULL || name[0] == '\0')
		return err_set(-EINVAL, "empty pool set name");
	char *label = db_label(name);
	if (label == NULL)
		return err_set(-ENOMEM, "out of memory for pool set '%s'", name);
	int set_fd;
	int ret = poolset_open_beneath(db->dirfd, name, "pool set name", O_RDONLY | O_NONBLOCK, 0,
		&set_fd);
	if (ret) {
		free(label);
		return ret;
	}
	ret = replica_lock_fd(set_fd, label, "its set file");
	if (ret)
		goto out;
	struct poolset *set;
	ret = poolset_read_at(db->dirfd, name, &set);
	if (ret == 0) {
		ret = remove_parts(db, name, label, set, force);
		poolset_free(set);
	} else if (force && pool_set) {
		/* an unreadable set file is still removed when asked to with force */
		log_msg(LOG_WARN, "pool set '%s': its parts are not removed: %s", name, err_last());
		ret = 0;
	}
	if (ret == 0 && pool_set)
		ret = replica_unlink(db->dirfd, name, "pool set file");
	if (ret == 0)
		log_msg(LOG_INFO, "pool set '%s' removed%s", name, pool_set ? " with its set file" : "");
out:
	close(set_fd);
	free(label);
	return ret;
}
