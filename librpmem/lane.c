/* lane.c -- one fabric endpoint per lane: post writes/reads/requests for a slot, match answers to slots by tag, reap completions with a bound */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lane_layout.h"
#include "rpmem.h"

#define LANE_COMPLETIONS 32

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

/* a peer that breaks the protocol: the connection is lost for good */
static int
lane_broken(struct rpmem_pool *rpp, const char *why)
{
	rpmem_pool_set_lost(rpp, 0, why);
	return err_set(-EPROTO, "%s", why);
}

int
rpmem_lane_post_recv(struct rpmem_pool *rpp, struct rpmem_lane *lane, unsigned i)
{
	return fabric_post_recv(&lane->ep, lane_recv_buf(lane, i),
		PROTO_INBAND_RESP_MAX, rpp->buf_mr.desc, lane_recv_buf(lane, i));
}

/* one answer: to the slot its tag names, which must be awaiting one */
static int
take_answer(struct rpmem_pool *rpp, struct rpmem_lane *lane,
	const struct proto_inband_resp *resp)
{
	if (resp->tag >= PROTO_INBAND_DEPTH || !lane->slots[resp->tag].awaiting) {
		char why[256];
		snprintf(why, sizeof(why), "rpmemd answered %s with tag %u, which "
			"has no request in flight", proto_op_name(resp->op), resp->tag);
		return lane_broken(rpp, why);
	}
	struct rpmem_slot *slot = &lane->slots[resp->tag];
	slot->awaiting = 0;
	slot->answered = 1;
	slot->status = resp->status;
	slot->op = resp->op;
	return 0;
}

/* an answer message in receive buffer i: one or more answers, each to its slot */
static int
take_answers(struct rpmem_pool *rpp, struct rpmem_lane *lane, unsigned i,
	size_t len)
{
	struct proto_inband_resp resps[PROTO_INBAND_DEPTH];
	int n = proto_inband_decode_resps(lane_recv_buf(lane, i), len, resps);
	/* the buffer is free again: the next message may land in it */
	int pret = rpmem_lane_post_recv(rpp, lane, i);
	if (n < 0 || pret)
		return lane_lost(rpp);
	for (int k = 0; k < n; k++) {
		int ret = take_answer(rpp, lane, &resps[k]);
		if (ret)
			return ret;
	}
	return 0;
}

/* what n completions say: posts of a slot done, or answers */
static int
take_completions(struct rpmem_pool *rpp, struct rpmem_lane *lane,
	const struct fi_cq_msg_entry *e, int n)
{
	if (n > 0)
		lane->progress_ms = util_now_ms();
	for (int k = 0; k < n; k++) {
		unsigned i;
		if (lane_recv_index(lane, e[k].op_context, &i)) {
			int ret = take_answers(rpp, lane, i, e[k].len);
			if (ret)
				return ret;
			continue;
		}
		if (!lane_slot_index(lane, e[k].op_context, &i))
			return lane_broken(rpp, "completion of an operation no slot posted");
		if (lane->slots[i].pending > 0)
			lane->slots[i].pending--;
		if (lane->pending > 0)
			lane->pending--;
	}
	return 0;
}

/* the silence outlasted RPMEM_TIMEOUT_MS: the connection is given up */
static int
timed_out(struct rpmem_pool *rpp)
{
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

/*
 * Reaps completions until at most max_pending posts are outstanding and,
 * when need_resp, the synchronous slot's answer arrived. Every wait is
 * bounded by the pool's timeout; a timeout or a fabric failure loses the
 * connection.
 */
static int
lane_wait(struct rpmem_pool *rpp, struct rpmem_lane *lane, unsigned max_pending,
	int need_resp)
{
	long long deadline = util_now_ms() + rpp->timeout_ms;
	while (lane->pending > max_pending ||
			(need_resp && !lane->slots[RPMEM_SYNC_SLOT].answered)) {
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
			return timed_out(rpp);
		}
		if (n < 0)
			return lane_lost(rpp);
		int ret = take_completions(rpp, lane, e, n);
		if (ret)
			return ret;
		/* the bound is on silence: a long transfer that progresses is not a lost link */
		deadline = util_now_ms() + rpp->timeout_ms;
	}
	return 0;
}

int
rpmem_lane_quiesce(struct rpmem_pool *rpp, struct rpmem_lane *lane)
{
	return lane_wait(rpp, lane, 0, 0);
}

int
rpmem_lane_reap(struct rpmem_pool *rpp, struct rpmem_lane *lane)
{
	struct fi_cq_msg_entry e[LANE_COMPLETIONS];
	int n = fabric_cq_wait(&lane->ep, e, LANE_COMPLETIONS, 0);
	if (n == -ETIMEDOUT)
		return 0;
	if (n < 0)
		return lane_lost(rpp);
	return take_completions(rpp, lane, e, n);
}

int
rpmem_lane_progress(struct rpmem_pool *rpp, struct rpmem_lane *lane)
{
	return lane->pending == 0 ? 0 : rpmem_lane_reap(rpp, lane);
}

int
rpmem_lane_has_room(const struct rpmem_pool *rpp, const struct rpmem_lane *lane,
	unsigned count)
{
	return lane->pending + count <= rpp->wq_size;
}

/* room for one more post: the work queue bounds what is in flight */
static int
lane_room(struct rpmem_pool *rpp, struct rpmem_lane *lane)
{
	if (lane->pending < rpp->wq_size)
		return 0;
	return lane_wait(rpp, lane, rpp->wq_size - 1, 0);
}

/* one more post of slot in flight */
static void
posted(struct rpmem_lane *lane, unsigned slot)
{
	lane->slots[slot].pending++;
	lane->pending++;
}

/* posts one write or read for slot, reaping first when the provider's queue is full */
static int
post_rma(struct rpmem_pool *rpp, struct rpmem_lane *lane, unsigned slot,
	int is_write, void *buf, size_t len, void *desc, size_t offset)
{
	void *ctx = &lane->slots[slot];
	for (;;) {
		int ret = lane_room(rpp, lane);
		if (ret)
			return ret;
		uint64_t raddr = rpp->raddr + offset;
		ret = is_write ?
			fabric_post_write(&lane->ep, buf, len, desc, raddr, rpp->rkey, ctx) :
			fabric_post_read(&lane->ep, buf, len, desc, raddr, rpp->rkey, ctx);
		if (ret == 0) {
			posted(lane, slot);
			return 0;
		}
		if (ret != -EAGAIN || lane->pending == 0)
			return lane_lost(rpp);
		ret = lane_wait(rpp, lane, lane->pending - 1, 0);
		if (ret)
			return ret;
	}
}

unsigned
rpmem_lane_write_posts(struct rpmem_pool *rpp, size_t length)
{
	size_t n = length / rpp->max_chunk + (length % rpp->max_chunk != 0);
	return n > UINT32_MAX ? UINT32_MAX : (unsigned)n;
}

int
rpmem_lane_write(struct rpmem_pool *rpp, struct rpmem_lane *lane, unsigned slot,
	size_t offset, size_t length)
{
	while (length > 0) {
		size_t len = length < rpp->max_chunk ? length : rpp->max_chunk;
		int ret = post_rma(rpp, lane, slot, 1, rpp->pool_addr + offset, len,
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
	const unsigned s = RPMEM_SYNC_SLOT;
	uint8_t *dst = buf;
	uintptr_t start = (uintptr_t)rpp->pool_addr;
	/* into the registered pool directly, else through the bounce buffer */
	if ((uintptr_t)dst >= start && (uintptr_t)dst - start <= rpp->pool_size &&
			length <= rpp->pool_size - ((uintptr_t)dst - start)) {
		int ret = 0;
		for (size_t done = 0; done < length && ret == 0; ) {
			size_t len = length - done < rpp->max_chunk ?
				length - done : rpp->max_chunk;
			ret = post_rma(rpp, lane, s, 0, dst + done, len,
				rpp->pool_mr.desc, offset + done);
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
		ret = post_rma(rpp, lane, s, 0, lane->bounce, len, lane->bounce_mr.desc,
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
rpmem_lane_read_after_write_post(struct rpmem_pool *rpp, struct rpmem_lane *lane,
	unsigned slot, size_t offset, size_t length)
{
	/* any byte written will do; a range shorter than the read is widened inside the pool */
	size_t len = rpp->pool_size < LANE_SCRATCH_READ ? rpp->pool_size : LANE_SCRATCH_READ;
	if (length < len && offset > rpp->pool_size - len)
		offset = rpp->pool_size - len;
	return post_rma(rpp, lane, slot, 0, lane->slots[slot].scratch, len,
		rpp->buf_mr.desc, offset);
}

int
rpmem_lane_read_after_write(struct rpmem_pool *rpp, struct rpmem_lane *lane,
	size_t offset, size_t length)
{
	int ret = rpmem_lane_read_after_write_post(rpp, lane, RPMEM_SYNC_SLOT,
		offset, length);
	if (ret)
		return ret;
	/* the read completes after the writes before it (FI_ORDER_RAW); bounded like every wait */
	return lane_wait(rpp, lane, 0, 0);
}

int
rpmem_lane_request_post(struct rpmem_pool *rpp, struct rpmem_lane *lane,
	unsigned slot, uint32_t op, size_t offset, size_t length, const void *data)
{
	struct rpmem_slot *sl = &lane->slots[slot];
	int len = proto_inband_encode_req(sl->req, PROTO_INBAND_REQ_MAX, op,
		(uint16_t)slot, offset, length, data);
	if (len < 0)
		return len;
	int ret = lane_room(rpp, lane);
	if (ret)
		return ret;
	/* before the send: its answer may be reaped by the next look at the queue */
	sl->awaiting = 1;
	sl->answered = 0;
	ret = fabric_post_send(&lane->ep, sl->req, (size_t)len, rpp->buf_mr.desc, sl);
	if (ret)
		return lane_lost(rpp);
	posted(lane, slot);
	return 0;
}

int
rpmem_lane_slot_done(const struct rpmem_lane *lane, unsigned slot, int want_answer)
{
	const struct rpmem_slot *sl = &lane->slots[slot];
	return sl->pending == 0 && (!want_answer || sl->answered);
}

int
rpmem_lane_slot_finish(struct rpmem_pool *rpp, struct rpmem_lane *lane,
	unsigned slot, uint32_t op, size_t offset, size_t length)
{
	struct rpmem_slot *sl = &lane->slots[slot];
	sl->answered = 0;
	if (sl->op != op) {
		char why[256];
		snprintf(why, sizeof(why), "rpmemd answered %s to a %s request",
			proto_op_name(sl->op), proto_op_name(op));
		return lane_broken(rpp, why);
	}
	if (sl->status != 0)
		return err_set_sys(-(int)sl->status, (int)sl->status,
			"rpmemd refused %s of offset %zu length %zu",
			proto_op_name(op), offset, length);
	return 0;
}

int
rpmem_lane_request(struct rpmem_pool *rpp, struct rpmem_lane *lane,
	uint32_t op, size_t offset, size_t length, const void *data)
{
	const unsigned s = RPMEM_SYNC_SLOT;
	int ret = rpmem_lane_request_post(rpp, lane, s, op, offset, length, data);
	/* the send's completion too: the request buffer is reused next time */
	if (ret == 0)
		ret = lane_wait(rpp, lane, 0, 1);
	return ret ? ret : rpmem_lane_slot_finish(rpp, lane, s, op, offset, length);
}

int
rpmem_lane_still_waiting(struct rpmem_pool *rpp, struct rpmem_lane *lane,
	long long *deadline)
{
	/* the bound is on silence, as for the waits: any completion of the lane moves it */
	long long quiet_until = lane->progress_ms + rpp->timeout_ms;
	if (quiet_until > *deadline)
		*deadline = quiet_until;
	if (util_now_ms() < *deadline)
		return 1;
	return timed_out(rpp);
}
