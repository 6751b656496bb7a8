/* replica.c -- a local replica's record: making it, releasing it, locking its files, its messages */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "err.h"
#include "replica_internal.h"

int
replica_check_args(const struct poolset *set, unsigned r, int dirfd, const char *name)
{
	if (name == NULL)
		return err_set(-EINVAL, "a replica needs a name for its messages");
	if (set == NULL)
		return err_set(-EINVAL, "%s: no pool set given", name);
	if (dirfd < REPLICA_UNCONFINED)
		return err_set(-EINVAL, "%s: directory descriptor %d is invalid", name, dirfd);
	if (r >= set->nreplicas)
		return err_set(-EINVAL, "%s: replica %u does not exist (the set has %u)", name, r,
			set->nreplicas);
	if (set->replicas[r].remote)
		return err_set(-EINVAL, "%s: line %u: replica %u is remote, not a local replica",
			name, set->replicas[r].line, r);
	return 0;
}

int
replica_init(struct replica *rep, const struct poolset *set, unsigned r, int dirfd,
	const char *name)
{
	memset(rep, 0, sizeof(*rep));
	rep->dirfd = REPLICA_UNCONFINED;
	int ret = replica_check_args(set, r, dirfd, name);
	if (ret)
		return ret;
	unsigned n = set->replicas[r].nparts;
	struct replica_part *parts = calloc(n, sizeof(*parts));
	if (parts == NULL)
		return err_set(-ENOMEM, "out of memory for the parts of %s", name);
	for (unsigned p = 0; p < n; p++)
		parts[p].fd = -1;
	rep->set = set;
	rep->r = r;
	rep->dirfd = dirfd;
	rep->name = name;
	rep->nparts = n;
	rep->parts = parts;
	return 0;
}

void
replica_close(struct replica *rep)
{
	if (rep == NULL)
		return;
	replica_unmap(rep);
	for (unsigned p = 0; p < rep->nparts; p++) {
		struct replica_part *part = &rep->parts[p];
		if (part->src != NULL)
			pmem2_source_delete(&part->src);
		/* closing the only descriptor of the open file description drops its flock */
		if (part->fd >= 0)
			close(part->fd);
	}
	free(rep->parts);
	memset(rep, 0, sizeof(*rep));
	rep->dirfd = REPLICA_UNCONFINED;
}

int
replica_lock_fd(int fd, const char *name, const char *what)
{
	while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno == EINTR)
			continue;
		if (errno == EWOULDBLOCK)
			return err_set(-EBUSY, "%s is in use (%s locked by another holder)", name,
				what);
		return err_set_sys(-errno, errno, "%s: %s cannot be locked", name, what);
	}
	return 0;
}

int
replica_prefix_err(int ret, const char *name)
{
	char msg[ERR_MSG_MAX];
	snprintf(msg, sizeof(msg), "%s", err_last());
	return err_set(ret, "%s: %s", name, msg);
}

int
replica_pmem2_err(const struct replica *rep, unsigned p, int ret, const char *what)
{
	return err_set(-pmem2_err_to_errno(ret), "%s: part %u: %s: %s", rep->name, p, what,
		pmem2_errormsg());
}
