/* replica_remove.c -- removing a replica's part files: nothing is unlinked while the replica is in use */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "log.h"
#include "replica_internal.h"

int
replica_unlink(int dirfd, const char *path, const char *what)
{
	if (dirfd == REPLICA_UNCONFINED) {
		if (unlink(path) != 0)
			return err_set_sys(-errno, errno, "%s '%s' cannot be removed", what, path);
		return 0;
	}
	const char *slash = strrchr(path, '/');
	if (slash == NULL) {
		if (unlinkat(dirfd, path, 0) != 0)
			return err_set_sys(-errno, errno, "%s '%s' cannot be removed", what, path);
		return 0;
	}
	/* the parent is opened confined, so the unlink cannot reach outside dirfd */
	char *parent = strndup(path, (size_t)(slash - path));
	if (parent == NULL)
		return err_set(-ENOMEM, "out of memory for the directory of '%s'", path);
	int pfd;
	int ret = poolset_open_beneath(dirfd, parent, what, O_RDONLY | O_DIRECTORY, 0, &pfd);
	free(parent);
	if (ret)
		return ret;
	if (unlinkat(pfd, slash + 1, 0) != 0)
		ret = err_set_sys(-errno, errno, "%s '%s' cannot be removed", what, path);
	close(pfd);
	return ret;
}

/*
 * Opens and locks every part first, so that a replica in use is refused
 * before anything is gone. fds[p] stays -1 for a part that force lets us skip.
 */
static int
lock_parts(const struct poolset *set, unsigned r, int dirfd, const char *name, int force,
	int *fds)
{
	const struct poolset_replica *rep = &set->replicas[r];
	for (unsigned p = 0; p < rep->nparts; p++) {
		int ret = replica_open_part(set, r, dirfd, name, p, O_RDONLY, 0, &fds[p]);
		if (ret && force) {
			log_msg(LOG_WARN, "%s: part %u skipped: %s", name, p, err_last());
			continue;
		}
		if (ret)
			return ret;
		ret = replica_lock_fd(fds[p], name, rep->parts[p].path);
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
unlink_parts(const struct poolset *set, unsigned r, int dirfd, int force, const int *fds)
{
	const struct poolset_replica *rep = &set->replicas[r];
	for (unsigned p = 0; p < rep->nparts; p++) {
		if (is_device(fds[p]) || (fds[p] < 0 && force))
			continue;
		int ret = replica_unlink(dirfd, rep->parts[p].path, "part");
		if (ret && !force)
			return ret;
	}
	return 0;
}

int
replica_remove(const struct poolset *set, unsigned r, int dirfd, const char *name, int force)
{
	int ret = replica_check_args(set, r, dirfd, name);
	if (ret)
		return ret;
	unsigned n = set->replicas[r].nparts;
	int *fds = malloc(n * sizeof(*fds));
	if (fds == NULL)
		return err_set(-ENOMEM, "out of memory for the parts of %s", name);
	for (unsigned p = 0; p < n; p++)
		fds[p] = -1;
	ret = lock_parts(set, r, dirfd, name, force, fds);
	if (ret == 0)
		ret = unlink_parts(set, r, dirfd, force, fds);
	for (unsigned p = 0; p < n; p++)
		if (fds[p] >= 0)
			close(fds[p]);
	free(fds);
	return ret;
}
