/* inband_accept.c -- accept the lanes whose connection requests carry the secret, refusing and logging the others */
#include <errno.h>
#include <poll.h>
#include <time.h>

#include "err.h"
#include "inband_impl.h"
#include "keepalive.h"
#include "log.h"
#include "util.h"

/*
 * Opens the lane's endpoint for the request, posts its receives before
 * accepting (the first request may follow the handshake at once), accepts
 * and starts its thread.
 */
static int
lane_accept(struct inband_lane *lane, struct fi_info *req, int timeout_ms)
{
	struct rpmemd_inband *ib = lane->ib;
	int ret = fabric_ep_open(&ib->dom, req, LANE_CQ_SIZE, &lane->ep);
	if (ret)
		return ret;
	lane->ep_open = 1;
	for (unsigned s = 0; s < RPMEMD_INBAND_RECVS; s++)
		if ((ret = inband_lane_post_recv(lane, s)))
			goto err;
	if ((ret = fabric_ep_accept(&lane->ep, timeout_ms)))
		goto err;
	if ((ret = inband_lane_start(lane)))
		goto err;
	return 0;

err:
	fabric_ep_close(&lane->ep);
	lane->ep_open = 0;
	return ret;
}

/*
 * One connection request, waited for at most wait_ms: 0 when it became a
 * lane, 1 when it was refused or its handshake failed (logged, does not
 * count), -ETIMEDOUT when none came or a handshake outlasted left_ms,
 * another negative errno when the listener itself failed.
 */
static int
accept_one(struct rpmemd_inband *ib, int wait_ms, int left_ms)
{
	struct fi_info *req = NULL;
	int ret = fabric_listener_next(&ib->listener, ib->secret,
		PROTO_SECRET_SIZE, wait_ms, &req);
	if (ret == -EACCES) {
		log_msg(LOG_WARN, "in-band: %s", err_last());
		return 1;
	}
	if (ret)
		return ret;

	struct inband_lane *lane = &ib->lanes[ib->naccepted];
	ret = lane_accept(lane, req, left_ms);
	fi_freeinfo(req);
	if (ret) {
		log_msg(LOG_WARN, "in-band: lane %u not set up: %s", lane->idx,
			err_last());
		return ret == -ETIMEDOUT ? ret : 1;
	}
	ib->naccepted++;
	return 0;
}

/* 1 when fd has something to read or was closed */
static int
fd_stirred(int fd)
{
	if (fd < 0)
		return 0;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	return poll(&p, 1, 0) > 0;
}

int
rpmemd_inband_accept(struct rpmemd_inband *ib, int timeout_ms, int watch_fd)
{
	if (timeout_ms < 0)
		return err_set(-EINVAL, "in-band: negative timeout %d ms", timeout_ms);
	if (ib->accept_called)
		return err_set(-EINVAL, "in-band: the lanes were accepted already");
	ib->accept_called = 1;

	long long deadline = util_now_ms() + timeout_ms;
	while (ib->naccepted < ib->nlanes) {
		long long left = deadline - util_now_ms();
		if (left < 0)
			left = 0;
		if (fd_stirred(watch_fd)) {
			inband_lanes_stop(ib);
			return err_set(-ECANCELED, "in-band: the client spoke or left "
				"after %u of %u lanes connected", ib->naccepted, ib->nlanes);
		}
		int wait = left < RPMEMD_INBAND_SLICE_MS ? (int)left : RPMEMD_INBAND_SLICE_MS;
		int ret = accept_one(ib, wait, (int)left);
		if (ret == -ETIMEDOUT && util_now_ms() < deadline)
			continue;	/* a quiet slice: look at watch_fd again */
		if (ret == -ETIMEDOUT || (ret > 0 && util_now_ms() >= deadline)) {
			ret = err_set(-ETIMEDOUT, "in-band: %u of %u lanes connected "
				"within %d ms", ib->naccepted, ib->nlanes, timeout_ms);
			inband_lanes_stop(ib);
			return ret;
		}
		/* the client is gone: no point waiting for its other lanes */
		if (ret == 0 && ib->naccepted < ib->nlanes &&
				atomic_load(&ib->lost))
			ret = err_set(-ECONNRESET, "in-band: a lane was lost before "
				"all %u connected", ib->nlanes);
		if (ret < 0) {
			inband_lanes_stop(ib);
			return ret;
		}
	}
	/* the secret has served its purpose: nobody else may even reach the port */
	fabric_listener_close(&ib->listener);
	ib->listening = 0;
	/* nor stay connected to it; before keepalive, which would count them */
	inband_drop_strangers(ib->listener.addr);
	int armed = rpmemd_keepalive_arm();
	log_msg(LOG_INFO, "in-band: %u lanes connected (keepalive on %d TCP "
		"connections)", ib->nlanes, armed);
	return 0;
}
