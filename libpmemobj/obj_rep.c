/* obj_rep.c -- a replica's record, local or remote: made, closed, its creation undone, its messages */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "obj_rep.h"

void
obj_rep_init(struct obj_rep *rep, const struct obj_set *os, unsigned r)
{
	memset(rep, 0, sizeof(*rep));
	rep->os = os;
	rep->r = r;
	rep->remote = os->set->replicas[r].remote;
	obj_set_name(os, r, 0, rep->name, sizeof(rep->name));
}

int
obj_err_wrap(int ret, const char *prefix)
{
	char msg[ERR_MSG_MAX];
	snprintf(msg, sizeof(msg), "%s", err_last());
	return err_set(ret, "%s: %s", prefix, msg);
}

int
obj_rep_undo_create(struct obj_rep *rep)
{
	int ret = 0;
	int created = rep->created;
	if (rep->remote) {
		obj_rep_close(rep);
		if (created)
			ret = obj_rep_remote_remove(rep);
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
