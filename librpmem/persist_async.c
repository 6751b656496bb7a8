/* persist_async.c -- rpmem_persist_async, rpmem_deep_persist_async: the persist paths as futures, posted by their first poll and completed by a later one */
#include "rpmem.h"

/* with APM the writes are made durable by a read: no request, no answer */
#define OP_APM_READ 0

static int
persist_has_property(void *future, enum future_property property)
{
	(void)future;
	return property == FUTURE_PROPERTY_ASYNC;
}

static const char *
func_name(const struct rpmem_persist_future_data *d)
{
	return d->op == PROTO_OP_DEEP_PERSIST ? "rpmem_deep_persist_async" :
		"rpmem_persist_async";
}

/* posts the transfer of the range on the lane: inline, or writes then a request (or APM's read) */
static int
post(struct rpmem_pool *rpp, struct rpmem_lane *l, struct rpmem_persist_future_data *d)
{
	if (d->op == PROTO_OP_PERSIST_INLINE)
		return rpmem_lane_request_post(rpp, l, d->op, d->offset, d->length,
			rpp->pool_addr + d->offset);
	int ret = rpmem_lane_write(rpp, l, d->offset, d->length);
	if (ret)
		return ret;
	if (d->op == OP_APM_READ)
		return rpmem_lane_read_after_write_post(rpp, l, d->offset, d->length);
	return rpmem_lane_request_post(rpp, l, d->op, d->offset, d->length, NULL);
}

/* the future is done: its lane is free again, its output says how it went */
static enum future_state
complete(struct rpmem_persist_future_data *d, struct rpmem_persist_future_output *out,
	int ret)
{
	atomic_store(&d->rpp->lanes[d->lane].async_busy, 0);
	out->error = 0;
	if (ret) {
		/* the message for rpmem_errormsg() in the polling thread, errno for the output */
		rpmem_fail_last(func_name(d), ret);
		out->error = errno;
	}
	return FUTURE_STATE_COMPLETE;
}

static enum future_state
persist_task(struct future_context *ctx, struct future_notifier *n)
{
	struct rpmem_persist_future_data *d = future_context_get_data(ctx);
	struct rpmem_persist_future_output *out = future_context_get_output(ctx);
	/* nothing will wake the caller: the runtime polls it */
	if (n != NULL)
		n->notifier_used = FUTURE_NOTIFIER_NONE;
	struct rpmem_pool *rpp = d->rpp;

	if (d->stage == 0) {
		unsigned known = d->op == PROTO_OP_DEEP_PERSIST ? 0 : RPMEM_PERSIST_RELAXED;
		int ret = rpmem_check_args(rpp, func_name(d), d->offset, d->length,
			d->lane, d->flags, known, 1);
		if (ret) {
			out->error = ret < 0 ? errno : 0;
			return FUTURE_STATE_COMPLETE;
		}
		struct rpmem_lane *l = &rpp->lanes[d->lane];
		int expected = 0;
		/* another future owns the lane: try again at the next poll */
		if (!atomic_compare_exchange_strong(&l->async_busy, &expected, 1))
			return FUTURE_STATE_IDLE;
		if (d->op == PROTO_OP_PERSIST) {
			if (!(d->flags & RPMEM_PERSIST_RELAXED) && d->length <= PROTO_INLINE_MAX)
				d->op = PROTO_OP_PERSIST_INLINE;
			else if (rpp->persist_method == PROTO_PERSIST_APM)
				d->op = OP_APM_READ;
		}
		ret = post(rpp, l, d);
		if (ret)
			return complete(d, out, ret);
		d->stage = 1;
		d->deadline = util_now_ms() + rpp->timeout_ms;
		return FUTURE_STATE_RUNNING;
	}

	struct rpmem_lane *l = &rpp->lanes[d->lane];
	int ret = d->op == OP_APM_READ ? rpmem_lane_posts_poll(rpp, l, &d->deadline) :
		rpmem_lane_request_poll(rpp, l, d->op, d->offset, d->length, &d->deadline);
	if (ret == 1)
		return FUTURE_STATE_RUNNING;
	return complete(d, out, ret);
}

static struct rpmem_persist_future
persist_future(RPMEMpool *rpp, size_t offset, size_t length, unsigned lane,
	unsigned flags, unsigned op)
{
	struct rpmem_persist_future f;
	f.data.rpp = rpp;
	f.data.offset = offset;
	f.data.length = length;
	f.data.lane = lane;
	f.data.flags = flags;
	f.data.op = op;
	f.data.stage = 0;
	f.data.deadline = 0;
	f.output.error = 0;
	f.output.padding = 0;
	FUTURE_INIT_EXT(&f, persist_task, persist_has_property);
	return f;
}

struct rpmem_persist_future
rpmem_persist_async(RPMEMpool *rpp, size_t offset, size_t length, unsigned lane,
	unsigned flags)
{
	return persist_future(rpp, offset, length, lane, flags, PROTO_OP_PERSIST);
}

struct rpmem_persist_future
rpmem_deep_persist_async(RPMEMpool *rpp, size_t offset, size_t length,
	unsigned lane)
{
	return persist_future(rpp, offset, length, lane, 0, PROTO_OP_DEEP_PERSIST);
}
