/* pool.c -- the connection state shared by all lanes: the sticky "connection lost" flag and the ssh channel watch */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "rpmem.h"

int
rpmem_pool_set_lost(struct rpmem_pool *rpp, int ret, const char *reason)
{
	int expected = 0;
	if (atomic_compare_exchange_strong(&rpp->lost, &expected, 1)) {
		snprintf(rpp->lost_reason, sizeof(rpp->lost_reason), "%s", reason);
		atomic_store(&rpp->lost, 2);
		log_msg(LOG_ERROR, "connection to %s lost: %s", rpp->target, reason);
	}
	return ret;
}

static int
lost_error(struct rpmem_pool *rpp)
{
	/* a reason being written by another thread is a matter of nanoseconds */
	while (atomic_load(&rpp->lost) == 1)
		;
	return err_set(-ECONNRESET, "connection to %s lost: %s", rpp->target,
		rpp->lost_reason);
}

/* the ssh channel carries nothing between requests: readable means closed or broken */
static void
watch_oob(struct rpmem_pool *rpp)
{
	int fd = rpp->ssh.fd;
	/*
	 * A request that started or ended while we looked explains what we
	 * saw (its answer): only a quiet, unchanged channel may be judged.
	 */
	unsigned seq = atomic_load(&rpp->oob_seq);
	/* one look at both channels per call: every data-path call makes it */
	struct pollfd p[2] = {
		{ .fd = fd, .events = POLLIN },
		{ .fd = atomic_load(&rpp->ssh.err_eof) ? -1 : rpp->ssh.err_fd,
			.events = POLLIN },
	};
	if (poll(p, 2, 0) <= 0)
		return;
	/* a child blocked on a full stderr would stop serving */
	if (p[1].revents)
		rpmem_ssh_drain(&rpp->ssh);
	if (fd < 0 || (seq & 1) || !p[0].revents)
		return;
	char c;
	ssize_t n = recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
	int e = errno;
	if (atomic_load(&rpp->oob_seq) != seq)
		return;
	errno = e;
	if (n > 0)
		rpmem_pool_set_lost(rpp, 0, "rpmemd sent unexpected data on the "
			"out-of-band channel");
	else if (n == 0 || (errno != EAGAIN && errno != EINTR))
		rpmem_pool_set_lost(rpp, 0, "the out-of-band channel (ssh) was closed");
}

int
rpmem_pool_check(struct rpmem_pool *rpp)
{
	/* every call on a pool checks this first: a NULL handle is an argument error, not a crash */
	if (rpp == NULL)
		return err_set(-EINVAL, "rpp is NULL");
	if (atomic_load(&rpp->lost))
		return lost_error(rpp);
	watch_oob(rpp);
	if (atomic_load(&rpp->lost))
		return lost_error(rpp);
	return 0;
}

void
rpmem_pool_free(struct rpmem_pool *rpp)
{
	free(rpp);
}
