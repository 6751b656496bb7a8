/* close.c -- rpmem_close: quiesce and shut the lanes, CLOSE over ssh, reap the child, always free the handle */
#include <stdio.h>

#include "rpmem.h"

int
rpmem_close(RPMEMpool *rpp)
{
	if (rpp == NULL)
		return rpmem_fail(__func__, EINVAL, "rpp is NULL");
	/* the lanes first: the daemon may wait for their shutdown before it answers */
	rpmem_fabric_fini(rpp);
	/* even after a fabric loss rpmemd may still answer CLOSE */
	int ret = rpmem_obc_close(rpp, 0);
	char why[3 * ERR_MSG_MAX];
	if (ret) {
		char close_why[ERR_MSG_MAX];
		rpmem_last_copy(close_why, sizeof(close_why));
		/* the first reason explains the failed CLOSE: say it first */
		if (atomic_load(&rpp->lost) == 2)
			snprintf(why, sizeof(why), "connection to %s lost: %s; %s",
				rpp->target, rpp->lost_reason, close_why);
		else
			snprintf(why, sizeof(why), "%s", close_why);
	}
	rpmem_ssh_finish(&rpp->ssh, rpp->timeout_ms);
	rpmem_pool_free(rpp);
	if (ret == 0)
		return 0;
	err_set(0, "%s", why);
	/* a channel closed under our feet means the daemon is gone */
	return rpmem_fail_last(__func__, ret == -EPIPE ? -ECONNRESET : ret);
}
