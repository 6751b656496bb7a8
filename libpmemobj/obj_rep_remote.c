/* obj_rep_remote.c -- a remote replica of a pool: rpmemd's pool created or opened through librpmem with the header fields as its attributes */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
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

/* the remote pool's parts go; its pool set file stays (it is rpmemd's configuration) */
static int
remote_remove(struct obj_rep *rep)
{
	const struct poolset_replica *sr = &rep->os->set->replicas[rep->r];
	errno = 0;
	if (rpmem_remove(sr->target, sr->set_name, 0) != 0)
		return rpmem_failed(rep, "cannot be removed");
	return 0;
}

int
obj_rep_undo_create(struct obj_rep *rep)
{
	int ret = 0;
	int created = rep->created;
	if (rep->remote) {
		obj_rep_close(rep);
		if (created)
			ret = remote_remove(rep);
	} else if (rep->local_init) {
		replica_unmap(&rep->local);
		if (created)
			ret = replica_undo_create(&rep->local);
		obj_rep_close(rep);
	}
	rep->created = 0;
	return ret;
}

void
obj_rep_close(struct obj_rep *rep)
{
	if (rep->rpp != NULL) {
		errno = 0;
		if (rpmem_close(rep->rpp) != 0)
			log_msg(LOG_WARN, "%s: rpmem_close: %s", rep->name, rpmem_errormsg());
		rep->rpp = NULL;
	}
	if (rep->local_init) {
		replica_close(&rep->local);
		rep->local_init = 0;
	}
}
