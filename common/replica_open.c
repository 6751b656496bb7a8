/* replica_open.c -- opening a replica's part files (confined below a directory or as written) and an existing replica */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "replica_internal.h"

/* the path as written: the parser already joined relative paths to the set's directory */
static int
open_unconfined(const struct poolset_part *sp, int flags, mode_t mode, int *fd)
{
	/* O_NONBLOCK: a FIFO planted as a part must not block the open */
	int f = open(sp->path, flags | O_NONBLOCK | O_CLOEXEC, mode);
	if (f < 0)
		return err_set_sys(-errno, errno, "part path '%s' cannot be opened", sp->path);
	struct stat st;
	int ret = 0;
	if (fstat(f, &st) != 0)
		ret = err_set_sys(-errno, errno, "part path '%s' cannot be examined", sp->path);
	else if (!S_ISREG(st.st_mode) && !S_ISCHR(st.st_mode))
		ret = err_set(-EINVAL,
			"part path '%s' (line %u) is not a regular file or a character device",
			sp->path, sp->line);
	int fl = ret ? 0 : fcntl(f, F_GETFL);
	if (ret == 0 && (fl < 0 || fcntl(f, F_SETFL, fl & ~O_NONBLOCK) != 0))
		ret = err_set_sys(-errno, errno, "part path '%s' cannot be set blocking", sp->path);
	if (ret) {
		close(f);
		return ret;
	}
	*fd = f;
	return 0;
}

int
replica_open_part(const struct poolset *set, unsigned r, int dirfd, const char *name,
	unsigned p, int flags, mode_t mode, int *fd)
{
	int ret;
	if (dirfd == REPLICA_UNCONFINED)
		ret = open_unconfined(&set->replicas[r].parts[p], flags, mode, fd);
	else
		ret = poolset_open_part_at(dirfd, set, r, p, flags, fd);
	/* EEXIST is an answer replica_create asks for, not a failure to report */
	return ret && ret != -EEXIST ? replica_prefix_err(ret, name) : ret;
}

/* a regular part must be exactly as large as the set says, or the mapping would not match the pool */
static int
check_part_size(struct replica *rep, unsigned p)
{
	const struct poolset_part *sp = replica_set_part(rep, p);
	struct stat st;
	if (fstat(rep->parts[p].fd, &st) != 0)
		return err_set_sys(-errno, errno, "%s: part '%s' cannot be examined", rep->name,
			sp->path);
	if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size == sp->size)
		return 0;
	return err_set(-EINVAL, "%s: part '%s' (line %u) is %lld bytes, the set says %llu",
		rep->name, sp->path, sp->line, (long long)st.st_size,
		(unsigned long long)sp->size);
}

int
replica_open(struct replica *rep)
{
	if (rep->parts == NULL)
		return err_set(-EINVAL, "replica_open: the replica is not initialized");
	for (unsigned p = 0; p < rep->nparts; p++) {
		struct replica_part *part = &rep->parts[p];
		if (part->fd >= 0)
			return err_set(-EINVAL, "%s: part %u is open already", rep->name, p);
		int ret = replica_open_part(rep->set, rep->r, rep->dirfd, rep->name, p, O_RDWR, 0,
			&part->fd);
		if (ret == 0)
			ret = replica_lock_fd(part->fd, rep->name, replica_set_part(rep, p)->path);
		if (ret == 0)
			ret = check_part_size(rep, p);
		if (ret)
			return ret;
	}
	return replica_layout(rep);
}
