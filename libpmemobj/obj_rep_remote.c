/* obj_rep_remote.c -- a remote replica of a pool: rpmemd's pool created or opened through librpmem with the header fields as its attributes */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "obj_rep.h"

/* librpmem's failure (errno and rpmem_errormsg) as -errno with the replica's name in front */
static int
rpmem_failed(struct obj_rep *rep, const char *what)
{
	int e = errno != 0 ? errno : EIO;
	return err_set(-e, "%s: %s: %s", rep->name, what, rpmem_errormsg());
}

int
obj_rep_remote_create(struct obj_rep *rep, void *pool_addr, size_t pool_size,
	unsigned nlanes, const struct obj_hdr *hdr)
{
	const struct poolset_replica *sr = &rep->os->set->replicas[rep->r];
	struct rpmem_pool_attr attr;
	obj_attr_from_hdr(hdr, &attr);
	rep->nlanes = nlanes;
	errno = 0;
	rep->rpp = rpmem_create(sr->target, sr->set_name, pool_addr, pool_size, &rep->nlanes,
		&attr);
	if (rep->rpp == NULL)
		return rpmem_failed(rep, "cannot be created");
	rep->created = 1;
	return 0;
}

int
obj_rep_remote_open(struct obj_rep *rep, void *pool_addr, size_t pool_size,
	unsigned nlanes, struct obj_hdr *hdr)
{
	const struct poolset_replica *sr = &rep->os->set->replicas[rep->r];
	memset(hdr, 0, sizeof(*hdr));
	rep->nlanes = nlanes;
	errno = 0;
	rep->rpp = rpmem_open(sr->target, sr->set_name, pool_addr, pool_size, &rep->nlanes,
		&hdr->attr);
	if (rep->rpp == NULL)
		return rpmem_failed(rep, "cannot be opened");
	return 0;
}

int
obj_rep_remote_set_hdr(struct obj_rep *rep, const struct obj_hdr *hdr)
{
	struct rpmem_pool_attr attr;
	obj_attr_from_hdr(hdr, &attr);
	errno = 0;
	if (rpmem_set_attr(rep->rpp, &attr) != 0)
		return rpmem_failed(rep, "attributes cannot be written");
	return 0;
}

int
obj_rep_remote_remove(struct obj_rep *rep)
{
	const struct poolset_replica *sr = &rep->os->set->replicas[rep->r];
	errno = 0;
	if (rpmem_remove(sr->target, sr->set_name, 0) != 0)
		return rpmem_failed(rep, "cannot be removed");
	return 0;
}
