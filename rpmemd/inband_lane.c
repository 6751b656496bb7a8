/* inband_lane.c -- one thread per lane: keep reading its CQ (tcp progresses RMA only then), answer persist requests */
#include <errno.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "inband_impl.h"
#include "log.h"
#include "util.h"

int
inband_lane_post_recv(struct inband_lane *lane, unsigned slot)
{
	return fabric_post_recv(&lane->ep, lane_req_buf(lane, slot), LANE_REQ_BUF,
		lane->ib->bufs_mr.desc, &lane->recv_ctx[slot]);
}

/* the connection is gone or unusable: the whole server is, the other lanes stop */
static void
lane_lost(struct inband_lane *lane, int ret)
{
	struct rpmemd_inband *ib = lane->ib;
	if (ret == -ECONNRESET)
		log_msg(LOG_INFO, "in-band: lane %u: %s", lane->idx, err_last());
	else
		log_msg(LOG_ERROR, "in-band: lane %u given up: %s", lane->idx,
			err_last());
	atomic_store(&ib->lost, 1);
	atomic_store(&ib->stop, 1);
}

/* sends the message being filled, if any; its slots' receives are reposted when it completed */
static int
flush_answers(struct inband_lane *lane)
{
	int leader = lane->open_leader;
	if (leader < 0)
		return 0;
	lane->open_leader = -1;
	size_t len = (size_t)lane->nmembers[leader] * PROTO_INBAND_RESP_SIZE;
	return fabric_post_send(&lane->ep, lane_resp_buf(lane, (unsigned)leader), len,
		lane->ib->bufs_mr.desc, &lane->send_ctx[leader]);
}

/*
 * Answers slot's request: the answer joins the message being filled (slot
 * leads a new one when there is none), which leaves when it is full or the
 * batch was served
 */
static int
respond(struct inband_lane *lane, unsigned slot, uint32_t status, uint32_t op,
	uint16_t tag)
{
	if (lane->open_leader < 0) {
		lane->open_leader = (int)slot;
		lane->nmembers[slot] = 0;
	}
	unsigned leader = (unsigned)lane->open_leader;
	unsigned k = lane->nmembers[leader];
	uint8_t *buf = lane_resp_buf(lane, leader) + (size_t)k * PROTO_INBAND_RESP_SIZE;
	int len = proto_inband_encode_resp(buf, PROTO_INBAND_RESP_SIZE, status, op,
		tag);
	if (len < 0)
		return len;
	lane->members[leader][k] = (uint8_t)slot;
	lane->nmembers[leader] = k + 1;
	return k + 1 == PROTO_INBAND_DEPTH ? flush_answers(lane) : 0;
}

/* an answer message left: its slots may take the next requests */
static int
answers_sent(struct inband_lane *lane, unsigned leader)
{
	for (unsigned k = 0; k < lane->nmembers[leader]; k++) {
		int ret = inband_lane_post_recv(lane, lane->members[leader][k]);
		if (ret)
			return ret;
	}
	lane->nmembers[leader] = 0;
	return 0;
}

/* a status for the wire: a positive errno value that fits */
static uint32_t
status_of(int ret)
{
	if (ret >= 0)
		return 0;
	return -ret <= PROTO_INBAND_STATUS_MAX ? (uint32_t)-ret : EIO;
}

/* the range check of the spec: inside the pool, not touching its header */
static int
range_refused(struct inband_lane *lane, const struct proto_inband_req *req)
{
	struct rpmemd_inband *ib = lane->ib;
	if (!proto_range_ok(req->offset, req->length, ib->pool_size)) {
		log_msg(LOG_WARN, "in-band: lane %u (%s): %s of %llu bytes at offset "
			"%llu is outside the %zu-byte pool", lane->idx, lane->ep.peer,
			proto_op_name(req->op), (unsigned long long)req->length,
			(unsigned long long)req->offset, ib->pool_size);
		return 1;
	}
	if (req->offset < ib->hdr_size) {
		log_msg(LOG_WARN, "in-band: lane %u (%s): %s at offset %llu is "
			"inside the %zu-byte pool header", lane->idx, lane->ep.peer,
			proto_op_name(req->op), (unsigned long long)req->offset,
			ib->hdr_size);
		return 1;
	}
	return 0;
}

/* performs a decoded request; 0 or -errno, which becomes the status */
static int
perform(struct inband_lane *lane, const struct proto_inband_req *req)
{
	const struct rpmemd_inband_ops *ops = &lane->ib->ops;
	if (range_refused(lane, req))
		return -EINVAL;
	/* nothing to make durable; the answer alone says so */
	if (req->length == 0)
		return 0;
	size_t off = (size_t)req->offset, len = (size_t)req->length;
	int ret;
	switch (req->op) {
	case PROTO_OP_PERSIST_INLINE:
		ret = ops->memcpy_persist(ops->ctx, off, req->data, len);
		break;
	case PROTO_OP_PERSIST:
		ret = ops->persist(ops->ctx, off, len);
		break;
	default:
		ret = ops->deep_persist(ops->ctx, off, len);
		break;
	}
	if (ret)
		log_msg(LOG_ERROR, "in-band: lane %u: %s of %zu bytes at offset %zu "
			"failed: %s", lane->idx, proto_op_name(req->op), len, off,
			strerror(ret < 0 ? -ret : ret));
	return ret > 0 ? -ret : ret;
}

/*
 * A received request: decode, perform, and only then answer, echoing its
 * tag (the client matches answers to requests by it). The requests of a
 * batch are served in the order they came.
 */
static int
serve(struct inband_lane *lane, unsigned slot, size_t len)
{
	const uint8_t *buf = lane_req_buf(lane, slot);
	struct proto_inband_req req;
	if (proto_inband_decode_req(buf, len, &req)) {
		log_msg(LOG_WARN, "in-band: lane %u (%s): malformed request: %s",
			lane->idx, lane->ep.peer, err_last());
		uint32_t op;
		uint16_t tag;
		proto_inband_req_ids(buf, len, &op, &tag);
		return respond(lane, slot, EPROTO, op, tag);
	}
	int ret = perform(lane, &req);
	return respond(lane, slot, status_of(ret), req.op, req.tag);
}

/* which slot ctx is, and whether it is a receive (1) or a send (0); -1: not ours */
static int
slot_of(struct inband_lane *lane, void *ctx, unsigned *slot)
{
	char *c = ctx;
	if (c >= lane->recv_ctx && c < lane->recv_ctx + RPMEMD_INBAND_RECVS) {
		*slot = (unsigned)(c - lane->recv_ctx);
		return 1;
	}
	if (c >= lane->send_ctx && c < lane->send_ctx + RPMEMD_INBAND_RECVS) {
		*slot = (unsigned)(c - lane->send_ctx);
		return 0;
	}
	return -1;
}

static int
complete(struct inband_lane *lane, const struct fi_cq_msg_entry *e)
{
	unsigned slot;
	int kind = slot_of(lane, e->op_context, &slot);
	if (kind < 0)
		return err_set(-EPROTO, "in-band: lane %u: completion of an "
			"unknown operation", lane->idx);
	if (kind == 1)
		return serve(lane, slot, e->len);
	return answers_sent(lane, slot);
}

/*
 * One operation failed without the connection being lost. A receive that
 * failed (sockets: a message larger than the buffer, truncated) is a
 * malformed request: answered with a failure, the lane goes on. (tcp's
 * provider closes the connection itself on such a message; the lane then
 * sees the loss.) Anything else ends the lane.
 */
static int
failed(struct inband_lane *lane, int ret, const struct fi_cq_msg_entry *e)
{
	unsigned slot;
	if (slot_of(lane, e->op_context, &slot) != 1)
		return ret;
	log_msg(LOG_WARN, "in-band: lane %u (%s): malformed request: %s",
		lane->idx, lane->ep.peer, err_last());
	/* what the buffer holds is not known: no op, no tag */
	return respond(lane, slot, ret == -EMSGSIZE ? EMSGSIZE : EPROTO, 0, 0);
}

/*
 * The next request of a busy client comes within microseconds, sooner than
 * a sleeping thread wakes up, so a lane polls for a moment first; but lanes
 * that poll at once take the CPUs from the lanes that have work: at most
 * half the CPUs (at least one) poll, the other lanes sleep at once.
 */
static int
spin(struct inband_lane *lane, struct fi_cq_msg_entry *e, size_t max, ssize_t *n)
{
	static atomic_int spinners;
	static int max_spinners;
	if (max_spinners == 0) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);
		max_spinners = cpus > 3 ? (int)(cpus / 2) : 1;
	}
	if (atomic_fetch_add(&spinners, 1) >= max_spinners) {
		atomic_fetch_sub(&spinners, 1);
		return 0;
	}
	int ret = fabric_cq_spin(&lane->ep, e, max, n);
	atomic_fetch_sub(&spinners, 1);
	return ret;
}

/*
 * One slice of waiting: completions, 0 when the lane stayed idle, or a
 * negative errno. Not fabric_cq_wait with the slice as its timeout: that
 * records (and logs) a timeout error every slice of an idle lane. Errors
 * and losses still go through it, for its classification and draining.
 */
static int
lane_wait(struct inband_lane *lane, struct fi_cq_msg_entry *e, size_t max)
{
	/*
	 * Only a failed completion fills e[0] on an error; other errors leave
	 * it as the last batch left it, and failed() must not take a stale
	 * receive context for a failed receive.
	 */
	e[0].op_context = NULL;
	ssize_t n;
	if (spin(lane, e, max, &n))
		return n > 0 ? (int)n : fabric_cq_wait(&lane->ep, e, max, 0);
	n = fi_cq_sread(lane->ep.cq, e, max, NULL, RPMEMD_INBAND_SLICE_MS);
	if (n > 0)
		return (int)n;
	if ((n == -FI_EAGAIN || n == -FI_ETIMEDOUT || n == -FI_EINTR) &&
			fabric_ep_check(&lane->ep) == 0)
		return 0;
	return fabric_cq_wait(&lane->ep, e, max, 0);
}

static void *
lane_main(void *arg)
{
	struct inband_lane *lane = arg;
	struct rpmemd_inband *ib = lane->ib;
	int ret = 0;
	while (ret == 0 && !atomic_load(&ib->stop)) {
		struct fi_cq_msg_entry e[LANE_CQ_SIZE];
		int n = lane_wait(lane, e, ARRAY_SIZE(e));
		if (n == 0 || n == -ETIMEDOUT)
			continue;
		if (n < 0 && n != -ECONNRESET) {
			ret = failed(lane, n, &e[0]);
			if (ret == 0)
				ret = flush_answers(lane);
			continue;
		}
		if (n < 0) {
			ret = n;
			break;
		}
		for (int i = 0; i < n && ret == 0; i++)
			ret = complete(lane, &e[i]);
		/* the batch was served: its answers leave together */
		if (ret == 0)
			ret = flush_answers(lane);
	}
	if (ret)
		lane_lost(lane, ret);
	return NULL;
}

int
inband_lane_start(struct inband_lane *lane)
{
	int ret = pthread_create(&lane->thread, NULL, lane_main, lane);
	if (ret)
		return err_set_sys(-ret, ret, "in-band: cannot start lane %u's thread",
			lane->idx);
	lane->running = 1;
	return 0;
}

void
inband_lanes_stop(struct rpmemd_inband *ib)
{
	atomic_store(&ib->stop, 1);
	for (unsigned i = 0; i < ib->nlanes; i++) {
		struct inband_lane *lane = &ib->lanes[i];
		if (lane->running)
			pthread_join(lane->thread, NULL);
		lane->running = 0;
		if (lane->ep_open)
			fabric_ep_close(&lane->ep);
		lane->ep_open = 0;
	}
}
