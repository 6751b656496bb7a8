/* replica_create.c -- making a replica's parts: the files, their locks, their blocks; and undoing it */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "replica_internal.h"

/* opens part p, making it when missing; an existing one must be empty unless reuse is asked for */
static int
make_part(struct replica *rep, unsigned p, unsigned flags, mode_t mode)
{
	struct replica_part *part = &rep->parts[p];
	const struct poolset_part *sp = replica_set_part(rep, p);
	int ret = replica_open_part(rep->set, rep->r, rep->dirfd, rep->name, p,
		O_RDWR | O_CREAT | O_EXCL, mode, &part->fd);
	if (ret == 0)
		part->created = 1;
	else if (ret == -EEXIST)
		ret = replica_open_part(rep->set, rep->r, rep->dirfd, rep->name, p, O_RDWR, 0,
			&part->fd);
	if (ret)
		return ret;
	ret = replica_lock_fd(part->fd, rep->name, sp->path);
	if (ret || part->created)
		return ret;
	struct stat st;
	if (fstat(part->fd, &st) != 0)
		return err_set_sys(-errno, errno, "%s: part '%s' cannot be examined", rep->name,
			sp->path);
	if (!S_ISREG(st.st_mode))
		return 0;
	if (st.st_size == 0) {
		part->was_empty = 1;
		return 0;
	}
	if (flags & REPLICA_REUSE_NONEMPTY)
		return 0;
	return err_set(-EEXIST, "%s: part '%s' (line %u) exists and is not empty", rep->name,
		sp->path, sp->line);
}

int
replica_create_parts(struct replica *rep, unsigned flags, mode_t mode)
{
	if (rep->parts == NULL)
		return err_set(-EINVAL, "replica_create: the replica is not initialized");
	if (flags & ~REPLICA_REUSE_NONEMPTY)
		return err_set(-EINVAL, "%s: unknown create flags 0x%x", rep->name, flags);
	for (unsigned p = 0; p < rep->nparts; p++) {
		if (rep->parts[p].fd >= 0)
			return err_set(-EINVAL, "%s: part %u is open already", rep->name, p);
		int ret = make_part(rep, p, flags, mode);
		if (ret)
			return ret;
	}
	return replica_layout(rep);
}

/* allocates a regular part's blocks now, so a full file system fails the create, not a later store */
static int
allocate_part(struct replica *rep, unsigned p)
{
	struct replica_part *part = &rep->parts[p];
	struct stat st;
	if (fstat(part->fd, &st) != 0)
		return err_set_sys(-errno, errno, "%s: part %u cannot be examined", rep->name, p);
	if (!S_ISREG(st.st_mode))
		return 0;
	if (part->file_size > (uint64_t)INT64_MAX)
		return err_set(-EFBIG, "%s: part %u size %llu is too large", rep->name, p,
			(unsigned long long)part->file_size);
	int e = posix_fallocate(part->fd, 0, (off_t)part->file_size);
	if (e != 0)
		return err_set_sys(-e, e, "%s: %llu bytes of part '%s' cannot be allocated",
			rep->name, (unsigned long long)part->file_size,
			replica_set_part(rep, p)->path);
	return 0;
}

int
replica_allocate(struct replica *rep)
{
	for (unsigned p = 0; p < rep->nparts; p++) {
		if (rep->parts[p].fd < 0)
			return err_set(-EINVAL, "%s: part %u is not open", rep->name, p);
		int ret = allocate_part(rep, p);
		if (ret)
			return ret;
	}
	return 0;
}

int
replica_create(struct replica *rep, unsigned flags, mode_t mode)
{
	int ret = replica_create_parts(rep, flags, mode);
	return ret ? ret : replica_allocate(rep);
}

int
replica_undo_create(struct replica *rep)
{
	/* nothing may still store into what is about to go */
	replica_unmap(rep);
	int ret = 0;
	for (unsigned p = 0; p < rep->nparts; p++) {
		struct replica_part *part = &rep->parts[p];
		const char *path = replica_set_part(rep, p)->path;
		int r = 0;
		if (part->created)
			r = replica_unlink(rep->dirfd, path, "part");
		else if (part->was_empty && ftruncate(part->fd, 0) != 0)
			r = err_set_sys(-errno, errno, "%s: part '%s' cannot be emptied again",
				rep->name, path);
		if (r && ret == 0)
			ret = r;
		part->created = 0;
		part->was_empty = 0;
	}
	return ret;
}
