/* db_remove.c -- removing a pool set's parts (and the set file): nothing is unlinked while the pool is in use */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db_internal.h"
#include "err.h"
#include "log.h"
#include "poolset.h"

/*
 * Opens and locks every part first, so that a pool in use is refused before
 * anything is gone. fds[p] stays -1 for a part that force lets us skip.
 */
static int
lock_parts(struct rpmemd_db *db, const char *name, const struct poolset *set, int force,
	int *fds)
{
	const struct poolset_replica *rep = &set->replicas[0];
	for (unsigned p = 0; p < rep->nparts; p++) {
		int ret = poolset_open_part_at(db->dirfd, set, 0, p, O_RDONLY, &fds[p]);
		if (ret && force) {
			log_msg(LOG_WARN, "pool set '%s': part %u skipped: %s", name, p, err_last());
			continue;
		}
		if (ret) {
			char msg[ERR_MSG_MAX];
			snprintf(msg, sizeof(msg), "%s", err_last());
			return err_set(ret, "pool set '%s': %s", name, msg);
		}
		ret = db_lock_fd(fds[p], name, rep->parts[p].path);
		if (ret)
			return ret;
	}
	return 0;
}

/* a device DAX part is not a file of ours to unlink */
static int
is_device(int fd)
{
	struct stat st;
	return fd >= 0 && fstat(fd, &st) == 0 && S_ISCHR(st.st_mode);
}

static int
unlink_parts(struct rpmemd_db *db, const struct poolset *set, int force, const int *fds)
{
	const struct poolset_replica *rep = &set->replicas[0];
	for (unsigned p = 0; p < rep->nparts; p++) {
		if (is_device(fds[p]) || (fds[p] < 0 && force))
			continue;
		int ret = db_unlink_beneath(db->dirfd, rep->parts[p].path, "part");
		if (ret && !force)
			return ret;
	}
	return 0;
}

static int
remove_parts(struct rpmemd_db *db, const char *name, const struct poolset *set, int force)
{
	if (set->nreplicas > 1)
		return err_set(-EINVAL,
			"pool set '%s': line %u: replicas are not served (a remote pool is one replica)",
			name, set->replicas[1].line);
	unsigned n = set->replicas[0].nparts;
	int *fds = malloc(n * sizeof(*fds));
	if (fds == NULL)
		return err_set(-ENOMEM, "out of memory for the parts of pool set '%s'", name);
	for (unsigned p = 0; p < n; p++)
		fds[p] = -1;
	int ret = lock_parts(db, name, set, force, fds);
	if (ret == 0)
		ret = unlink_parts(db, set, force, fds);
	for (unsigned p = 0; p < n; p++)
		if (fds[p] >= 0)
			close(fds[p]);
	free(fds);
	return ret;
}

int
rpmemd_db_pool_remove(struct rpmemd_db *db, const char *name, int force, int pool_set)
{
	if (name == NULL || name[0] == '\0')
		return err_set(-EINVAL, "empty pool set name");
	int set_fd;
	int ret = poolset_open_beneath(db->dirfd, name, "pool set name", O_RDONLY | O_NONBLOCK, 0,
		&set_fd);
	if (ret)
		return ret;
	ret = db_lock_fd(set_fd, name, "its set file");
	if (ret)
		goto out;
	struct poolset *set;
	ret = poolset_read_at(db->dirfd, name, &set);
	if (ret == 0) {
		ret = remove_parts(db, name, set, force);
		poolset_free(set);
	} else if (force && pool_set) {
		/* an unreadable set file is still removed when asked to with force */
		log_msg(LOG_WARN, "pool set '%s': its parts are not removed: %s", name, err_last());
		ret = 0;
	}
	if (ret == 0 && pool_set)
		ret = db_unlink_beneath(db->dirfd, name, "pool set file");
	if (ret == 0)
		log_msg(LOG_INFO, "pool set '%s' removed%s", name, pool_set ? " with its set file" : "");
out:
	close(set_fd);
	return ret;
}
