/* lane.c -- one fabric endpoint per lane: connect, post writes/reads/requests, reap completions with a bound */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rpmem.h"

/* request, response and scratch buffers of a lane, cache-line aligned in one registration */
#define LANE_REQ_SPACE ALIGN_UP((size_t)PROTO_INBAND_REQ_MAX, 64)
#define LANE_RESP_SPACE 64
/* not in the response buffer: a receive is always posted there */
#define LANE_SCRATCH_SPACE 64
#define LANE_SCRATCH_READ 8
#define LANE_SPACE (LANE_REQ_SPACE + LANE_RESP_SPACE + LANE_SCRATCH_SPACE)
#define LANE_COMPLETIONS 16

/* the receive's context is the response buffer; every other post uses the lane */
static void *
recv_ctx(struct rpmem_lane *lane)
{
	return lane->resp;
}

/*
 * A fabric failure on a lane: the connection is no longer trustworthy.
 * The call that finds it fails with ECONNRESET like every later one (the
 * provider's own code, e.g. ENOENT from a flushed queue, means nothing to
 * the caller); the provider's words stay in the message.
 */
static int
lane_lost(struct rpmem_pool *rpp)
{
	char why[ERR_MSG_MAX];
	rpmem_last_copy(why, sizeof(why));
	rpmem_pool_set_lost(rpp, 0, why);
	return err_set(-ECONNRESET, "connection to %s lost: %s", rpp->target, why);
}

/*
 * Reaps completions until at most max_pending posts are outstanding and,
 * when need_resp, the response arrived. Every wait is bounded by the
 * pool's timeout; a timeout or a fabric failure loses the connection.
 */
static int
lane_wait(struct rpmem_pool *rpp, struct rpmem_lane *lane, unsigned max_pending,
	int need_resp)
{
	long long deadline = util_now_ms() + rpp->timeout_ms;
	while (lane->pending > max_pending || (need_resp && !lane->resp_ready)) {
		long long left = deadline - util_now_ms();
		if (left < 0)
			left = 0;
		struct fi_cq_msg_entry e[LANE_COMPLETIONS];
		int n = fabric_cq_wait(&lane->ep, e, LANE_COMPLETIONS,
			left < 100 ? (int)left : 100);
		if (n == -ETIMEDOUT) {
			int ret = rpmem_pool_check(rpp);
			if (ret)
				return ret;
			if (left > 0)
				continue;
			char why[ERR_MSG_MAX];
			snprintf(why, sizeof(why), "no answer from rpmemd within %d ms "
				"(RPMEM_TIMEOUT_MS)", rpp->timeout_ms);
			rpmem_pool_set_lost(rpp, 0, why);
			return err_set(-ETIMEDOUT, "%s", why);
		}
		if (n < 0)
			return lane_lost(rpp);
		for (int i = 0; i < n; i++) {
			if (e[i].op_context == recv_ctx(lane))
				lane->resp_ready = 1;
			else if (lane->pending > 0)
				lane->pending--;
		}
		/* the bound is on silence: a long transfer that progresses is not a lost link */
		if (n > 0)
			deadline = util_now_ms() + rpp->timeout_ms;
	}
	return 0;
}

int
rpmem_lane_quiesce(struct rpmem_pool *rpp, struct rpmem_lane *lane)
{
	return lane_wait(rpp, lane, 0, 0);
}

/* reaps the completions that are there, without waiting */
static int
lane_reap(struct rpmem_pool *rpp, struct rpmem_lane *lane)
{
	struct fi_cq_msg_entry e[LANE_COMPLETIONS];
	int n = fabric_cq_wait(&lane->ep, e, LANE_COMPLETIONS, 0);
	if (n == -ETIMEDOUT)
		return 0;
	if (n < 0)
		return lane_lost(rpp);
	lane->progressed = 1;
	for (int i = 0; i < n; i++) {
		if (e[i].op_context == recv_ctx(lane))
			lane->resp_ready = 1;
		else if (lane->pending > 0)
			lane->pending--;
	}
	return 0;
}

int
rpmem_lane_progress(struct rpmem_pool *rpp, struct rpmem_lane *lane)
{
	return lane->pending == 0 ? 0 : lane_reap(rpp, lane);
}

/* room for one more post: the work queue bounds what is in flight */
static int
lane_room(struct rpmem_pool *rpp, struct rpmem_lane *lane)
{
	if (lane->pending < rpp->wq_size)
		return 0;
	return lane_wait(rpp, lane, rpp->wq_size - 1, 0);
}

/* posts one write or read, reaping first when the provider's queue is full */
static int
post_rma(struct rpmem_pool *rpp, struct rpmem_lane *lane, int is_write,
	void *buf, size_t len, void *desc, size_t offset)
{
	for (;;) {
		int ret = lane_room(rpp, lane);
		if (ret)
			return ret;
		uint64_t raddr = rpp->raddr + offset;
		ret = is_write ?
			fabric_post_write(&lane->ep, buf, len, desc, raddr, rpp->rkey, lane) :
			fabric_post_read(&lane->ep, buf, len, desc, raddr, rpp->rkey, lane);
		if (ret == 0) {
			lane->pending++;
			return 0;
		}
		if (ret != -EAGAIN || lane->pending == 0)
			return lane_lost(rpp);
		ret = lane_wait(rpp, lane, lane->pending - 1, 0);
		if (ret)
			return ret;
	}
}

int
rpmem_lane_write(struct rpmem_pool *rpp, struct rpmem_lane *lane,
	size_t offset, size_t length)
{
	while (length > 0) {
		size_t len = length < rpp->max_chunk ? length : rpp->max_chunk;
		int ret = post_rma(rpp, lane, 1, rpp->pool_addr + offset, len,
			rpp->pool_mr.desc, offset);
		if (ret)
			return ret;
		offset += len;
		length -= len;
	}
	return 0;
}

/* a lane's bounce buffer, registered at its first use */
static int
lane_bounce(struct rpmem_pool *rpp, struct rpmem_lane *lane)
{
	if (lane->bounce)
		return 0;
	uint8_t *b = malloc(RPMEM_READ_BOUNCE);
	if (b == NULL)
		return err_set(-ENOMEM, "out of memory for a read buffer");
	int ret = fabric_mr_reg(&rpp->dom, b, RPMEM_READ_BOUNCE,
		FABRIC_MR_LOCAL_ACCESS, &lane->bounce_mr);
	if (ret) {
		free(b);
		return ret;
	}
	lane->bounce = b;
	return 0;
}

int
rpmem_lane_read(struct rpmem_pool *rpp, struct rpmem_lane *lane, void *buf,
	size_t offset, size_t length)
{
	uint8_t *dst = buf;
	uintptr_t start = (uintptr_t)rpp->pool_addr;
	/* into the registered pool directly, else through the bounce buffer */
	if ((uintptr_t)dst >= start && (uintptr_t)dst - start <= rpp->pool_size &&
			length <= rpp->pool_size - ((uintptr_t)dst - start)) {
		int ret = 0;
		for (size_t done = 0; done < length && ret == 0; ) {
			size_t len = length - done < rpp->max_chunk ?
				length - done : rpp->max_chunk;
			ret = post_rma(rpp, lane, 0, dst + done, len, rpp->pool_mr.desc,
				offset + done);
			done += len;
		}
		return ret ? ret : lane_wait(rpp, lane, 0, 0);
	}

	int ret = lane_bounce(rpp, lane);
	if (ret)
		return ret;
	size_t chunk = rpp->max_chunk < RPMEM_READ_BOUNCE ? rpp->max_chunk :
		RPMEM_READ_BOUNCE;
	for (size_t done = 0; done < length; ) {
		size_t len = length - done < chunk ? length - done : chunk;
		ret = post_rma(rpp, lane, 0, lane->bounce, len, lane->bounce_mr.desc,
			offset + done);
		if (ret == 0)
			ret = lane_wait(rpp, lane, 0, 0);
		if (ret)
			return ret;
		memcpy(dst + done, lane->bounce, len);
		done += len;
	}
	return 0;
}

int
rpmem_lane_read_after_write(struct rpmem_pool *rpp, struct rpmem_lane *lane,
	size_t offset, size_t length)
{
	int ret = rpmem_lane_read_after_write_post(rpp, lane, offset, length);
	if (ret)
		return ret;
	/* the read completes after the writes before it (FI_ORDER_RAW); bounded like every wait */
	return lane_wait(rpp, lane, 0, 0);
}

int
rpmem_lane_request_post(struct rpmem_pool *rpp, struct rpmem_lane *lane,
	uint32_t op, size_t offset, size_t length, const void *data)
{
	int len = proto_inband_encode_req(lane->req, PROTO_INBAND_REQ_MAX, op,
		offset, length, data);
	if (len < 0)
		return len;
	int ret = lane_room(rpp, lane);
	if (ret)
		return ret;
	ret = fabric_post_send(&lane->ep, lane->req, (size_t)len, rpp->buf_mr.desc,
		lane);
	if (ret)
		return lane_lost(rpp);
	lane->pending++;
	return 0;
}

/* the answer arrived: decode it, post the next receive, judge it */
static int
request_finish(struct rpmem_pool *rpp, struct rpmem_lane *lane, uint32_t op,
	size_t offset, size_t length)
{
	struct proto_inband_resp resp;
	int ret = proto_inband_decode_resp(lane->resp, PROTO_INBAND_RESP_SIZE, &resp);
	lane->resp_ready = 0;
	int pret = fabric_post_recv(&lane->ep, lane->resp, PROTO_INBAND_RESP_SIZE,
		rpp->buf_mr.desc, recv_ctx(lane));
	if (ret || pret)
		return lane_lost(rpp);
	if (resp.op != op) {
		char why[256];
		snprintf(why, sizeof(why), "rpmemd answered %s to a %s request",
			proto_op_name(resp.op), proto_op_name(op));
		rpmem_pool_set_lost(rpp, 0, why);
		return err_set(-EPROTO, "%s", why);
	}
	if (resp.status != 0)
		return err_set_sys(-(int)resp.status, (int)resp.status,
			"rpmemd refused %s of offset %zu length %zu",
			proto_op_name(op), offset, length);
	return 0;
}

int
rpmem_lane_request(struct rpmem_pool *rpp, struct rpmem_lane *lane,
	uint32_t op, size_t offset, size_t length, const void *data)
{
	int ret = rpmem_lane_request_post(rpp, lane, op, offset, length, data);
	/* the send's completion too: the request buffer is reused next time */
	if (ret == 0)
		ret = lane_wait(rpp, lane, 0, 1);
	return ret ? ret : request_finish(rpp, lane, op, offset, length);
}

/* 1 while the lane's silence is within the bound, else the pool lost and a negative errno */
static int
still_waiting(struct rpmem_pool *rpp, struct rpmem_lane *lane, long long *deadline)
{
	long long now = util_now_ms();
	if (lane->progressed) {
		/* the bound is on silence, as for the waits */
		lane->progressed = 0;
		*deadline = now + rpp->timeout_ms;
	}
	if (now < *deadline)
		return 1;
	/* the ssh channel first: a dead daemon explains the silence better */
	int ret = rpmem_pool_check(rpp);
	if (ret)
		return ret;
	char why[ERR_MSG_MAX];
	snprintf(why, sizeof(why), "no answer from rpmemd within %d ms "
		"(RPMEM_TIMEOUT_MS)", rpp->timeout_ms);
	rpmem_pool_set_lost(rpp, 0, why);
	return err_set(-ETIMEDOUT, "%s", why);
}

int
rpmem_lane_request_poll(struct rpmem_pool *rpp, struct rpmem_lane *lane,
	uint32_t op, size_t offset, size_t length, long long *deadline)
{
	int ret = lane->resp_ready ? rpmem_lane_progress(rpp, lane) :
		lane_reap(rpp, lane);
	if (ret)
		return ret;
	if (lane->pending == 0 && lane->resp_ready)
		return request_finish(rpp, lane, op, offset, length);
	return still_waiting(rpp, lane, deadline);
}

int
rpmem_lane_read_after_write_post(struct rpmem_pool *rpp, struct rpmem_lane *lane,
	size_t offset, size_t length)
{
	/* any byte written will do; a range shorter than the read is widened inside the pool */
	size_t len = rpp->pool_size < LANE_SCRATCH_READ ? rpp->pool_size : LANE_SCRATCH_READ;
	if (length < len && offset > rpp->pool_size - len)
		offset = rpp->pool_size - len;
	return post_rma(rpp, lane, 0, lane->scratch, len, rpp->buf_mr.desc, offset);
}

int
rpmem_lane_posts_poll(struct rpmem_pool *rpp, struct rpmem_lane *lane,
	long long *deadline)
{
	int ret = rpmem_lane_progress(rpp, lane);
	if (ret)
		return ret;
	return lane->pending == 0 ? 0 : still_waiting(rpp, lane, deadline);
}

/* ---- set-up and teardown of all lanes ---- */

static int
lane_connect(struct rpmem_pool *rpp, struct rpmem_lane *lane,
	const struct proto_open_resp *resp)
{
	/* sends + writes/reads in flight, the receive, and slack */
	size_t cq_size = (size_t)rpp->wq_size + 4;
	int ret = fabric_ep_open(&rpp->dom, rpp->dom.info, cq_size, &lane->ep);
	if (ret)
		return ret;
	ret = fabric_post_recv(&lane->ep, lane->resp, PROTO_INBAND_RESP_SIZE,
		rpp->buf_mr.desc, recv_ctx(lane));
	if (ret)
		return ret;
	return fabric_ep_connect(&lane->ep, resp->secret, PROTO_SECRET_SIZE,
		rpp->timeout_ms);
}

static int
open_domain(struct rpmem_pool *rpp, const struct proto_open_resp *resp)
{
	char port[8];
	snprintf(port, sizeof(port), "%u", resp->port);
	struct fi_info *info;
	int ret = fabric_getinfo(rpp->prov, resp->address, port, 0, &info);
	if (ret)
		return ret;
	ret = fabric_domain_open(info, &rpp->dom);
	fi_freeinfo(info);
	if (ret)
		return ret;
	rpp->dom_open = 1;

	size_t max = rpp->dom.info->ep_attr->max_msg_size;
	rpp->max_chunk = max && max < RPMEM_MAX_CHUNK ? max : RPMEM_MAX_CHUNK;
	/* the provider's transmit queue holds the sends, writes and reads in flight */
	size_t tx = rpp->dom.info->tx_attr->size;
	if (tx > 2 && rpp->wq_size > tx - 1)
		rpp->wq_size = (unsigned)(tx - 1);
	return 0;
}

int
rpmem_fabric_init(struct rpmem_pool *rpp, const struct proto_open_resp *resp)
{
	rpp->raddr = resp->raddr;
	rpp->rkey = resp->rkey;
	int ret = open_domain(rpp, resp);
	if (ret)
		return ret;

	rpp->lanes = calloc(rpp->nlanes, sizeof(*rpp->lanes));
	rpp->bufs_size = (size_t)rpp->nlanes * LANE_SPACE;
	rpp->bufs = aligned_alloc(64, rpp->bufs_size);
	if (rpp->lanes == NULL || rpp->bufs == NULL)
		return err_set(-ENOMEM, "out of memory for %u lanes", rpp->nlanes);
	memset(rpp->bufs, 0, rpp->bufs_size);
	ret = fabric_mr_reg(&rpp->dom, rpp->bufs, rpp->bufs_size,
		FABRIC_MR_LOCAL_ACCESS, &rpp->buf_mr);
	if (ret)
		return ret;

	for (unsigned i = 0; i < rpp->nlanes; i++) {
		struct rpmem_lane *lane = &rpp->lanes[i];
		lane->req = rpp->bufs + (size_t)i * LANE_SPACE;
		lane->resp = lane->req + LANE_REQ_SPACE;
		lane->scratch = lane->resp + LANE_RESP_SPACE;
		ret = lane_connect(rpp, lane, resp);
		if (ret)
			return ret;
	}

	/* after connecting: registering a large pool takes time the daemon may not wait */
	return fabric_mr_reg(&rpp->dom, rpp->pool_addr, rpp->pool_size,
		FABRIC_MR_LOCAL_ACCESS, &rpp->pool_mr);
}

void
rpmem_fabric_fini(struct rpmem_pool *rpp)
{
	for (unsigned i = 0; rpp->lanes && i < rpp->nlanes; i++) {
		struct rpmem_lane *lane = &rpp->lanes[i];
		/* what is still in flight must not be dropped (fabric.md, pitfall 3) */
		if (lane->ep.ep && lane->ep.connected && !atomic_load(&rpp->lost))
			lane_wait(rpp, lane, 0, 0);
		fabric_ep_close(&lane->ep);
		if (lane->bounce) {
			fabric_mr_dereg(&lane->bounce_mr);
			free(lane->bounce);
		}
	}
	if (rpp->pool_mr.mr)
		fabric_mr_dereg(&rpp->pool_mr);
	if (rpp->buf_mr.mr)
		fabric_mr_dereg(&rpp->buf_mr);
	if (rpp->dom_open)
		fabric_domain_close(&rpp->dom);
	rpp->dom_open = 0;
	free(rpp->lanes);
	free(rpp->bufs);
	rpp->lanes = NULL;
	rpp->bufs = NULL;
}
