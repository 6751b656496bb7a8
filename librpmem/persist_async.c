/* persist_async.c -- rpmem_persist_async, rpmem_deep_persist_async: the persist paths as futures, each holding one slot of its lane from its posting poll until the poll that sees its answer */
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

/* how the range travels: inline, writes then a request, or (APM) writes then a read */
static unsigned
path_of(const struct rpmem_pool *rpp, const struct rpmem_persist_future_data *d)
{
	if (d->op != PROTO_OP_PERSIST)
		return d->op;
	if (!(d->flags & RPMEM_PERSIST_RELAXED) && d->length <= PROTO_INLINE_MAX)
		return PROTO_OP_PERSIST_INLINE;
	return rpp->persist_method == PROTO_PERSIST_APM ? OP_APM_READ : PROTO_OP_PERSIST;
}

/* the posts the path takes in the work queue */
static unsigned
posts_of(struct rpmem_pool *rpp, unsigned op, size_t length)
{
	if (op == PROTO_OP_PERSIST_INLINE)
		return 1;
	return rpmem_lane_write_posts(rpp, length) + 1;
}

/* posts the transfer of the range for slot s of the lane */
static int
post(struct rpmem_pool *rpp, struct rpmem_lane *l, unsigned s,
	const struct rpmem_persist_future_data *d)
{
	if (d->op == PROTO_OP_PERSIST_INLINE)
		return rpmem_lane_request_post(rpp, l, s, d->op, d->offset, d->length,
			rpp->pool_addr + d->offset);
	int ret = rpmem_lane_write(rpp, l, s, d->offset, d->length);
	if (ret)
		return ret;
	if (d->op == OP_APM_READ)
		return rpmem_lane_read_after_write_post(rpp, l, s, d->offset, d->length);
	return rpmem_lane_request_post(rpp, l, s, d->op, d->offset, d->length, NULL);
}

/*
 * A free slot of the lane when the work queue has room for the posts it
 * needs, else -1; under the lane's lock. A lane without futures takes one
 * whatever the room: its posts then wait for the queue, bounded, as the
 * synchronous calls do.
 */
static int
claim(struct rpmem_pool *rpp, struct rpmem_lane *l, unsigned posts)
{
	if (atomic_load(&l->async_held) != 0 && !rpmem_lane_has_room(rpp, l, posts))
		return -1;
	for (unsigned s = 0; s < PROTO_INBAND_DEPTH; s++) {
		if (!l->slots[s].held) {
			l->slots[s].held = 1;
			atomic_fetch_add(&l->async_held, 1);
			return (int)s;
		}
	}
	return -1;
}

static void
release(struct rpmem_lane *l, unsigned s)
{
	l->slots[s].held = 0;
	atomic_fetch_sub(&l->async_held, 1);
}

/*
 * ret failed the lane: when the connection is gone with it, every other
 * future in flight on the lane ends with the same errno
 */
static void
lane_failed(struct rpmem_pool *rpp, struct rpmem_lane *l, int ret)
{
	if (l->async_error == 0 && atomic_load(&rpp->lost))
		l->async_error = ret;
}

/* the error of a future that finds its lane's futures ended by another one's failure */
static int
lane_error(struct rpmem_pool *rpp, struct rpmem_lane *l)
{
	/* the pool is lost: its check says why */
	char why[ERR_MSG_MAX];
	rpmem_pool_check(rpp);
	rpmem_last_copy(why, sizeof(why));
	return err_set(l->async_error, "%s", why);
}

/* the future is done: its output says how it went */
static enum future_state
complete(struct rpmem_persist_future_data *d, struct rpmem_persist_future_output *out,
	int ret)
{
	out->error = 0;
	if (ret) {
		/* the message for rpmem_errormsg() in the polling thread, errno for the output */
		rpmem_fail_last(func_name(d), ret);
		out->error = errno;
	}
	return FUTURE_STATE_COMPLETE;
}

/* the first poll: the checks, then a slot of the lane and the posts, or IDLE while none is free */
static enum future_state
start(struct rpmem_persist_future_data *d, struct rpmem_persist_future_output *out)
{
	struct rpmem_pool *rpp = d->rpp;
	unsigned known = d->op == PROTO_OP_DEEP_PERSIST ? 0 : RPMEM_PERSIST_RELAXED;
	int ret = rpmem_check_args(rpp, func_name(d), d->offset, d->length,
		d->lane, d->flags, known, 1);
	if (ret) {
		out->error = ret < 0 ? errno : 0;
		return FUTURE_STATE_COMPLETE;
	}
	struct rpmem_lane *l = &rpp->lanes[d->lane];
	unsigned op = path_of(rpp, d);

	pthread_mutex_lock(&l->async_lock);
	int s = claim(rpp, l, posts_of(rpp, op, d->length));
	if (s < 0) {
		/* the holders' answers may be there: reaped now, their next polls find them */
		ret = rpmem_lane_reap(rpp, l);
		if (ret)
			lane_failed(rpp, l, ret);
		pthread_mutex_unlock(&l->async_lock);
		return ret ? complete(d, out, ret) : FUTURE_STATE_IDLE;
	}
	d->op = op;
	ret = post(rpp, l, (unsigned)s, d);
	if (ret) {
		lane_failed(rpp, l, ret);
		release(l, (unsigned)s);
		pthread_mutex_unlock(&l->async_lock);
		return complete(d, out, ret);
	}
	d->stage = 1 + (unsigned)s;
	d->deadline = util_now_ms() + rpp->timeout_ms;
	pthread_mutex_unlock(&l->async_lock);
	return FUTURE_STATE_RUNNING;
}

/* a later poll: reap the lane for all its futures, then judge this one's slot */
static enum future_state
check(struct rpmem_persist_future_data *d, struct rpmem_persist_future_output *out)
{
	struct rpmem_pool *rpp = d->rpp;
	struct rpmem_lane *l = &rpp->lanes[d->lane];
	unsigned s = d->stage - 1;
	int want_answer = d->op != OP_APM_READ;

	pthread_mutex_lock(&l->async_lock);
	int ret = 0;
	if (!rpmem_lane_slot_done(l, s, want_answer) && l->async_error == 0) {
		ret = rpmem_lane_reap(rpp, l);
		if (ret)
			lane_failed(rpp, l, ret);
	}
	if (rpmem_lane_slot_done(l, s, want_answer)) {
		/* answered, even just before a failure: the range is durable whatever came after */
		ret = want_answer ?
			rpmem_lane_slot_finish(rpp, l, s, d->op, d->offset, d->length) : 0;
	} else if (ret == 0 && l->async_error != 0) {
		ret = lane_error(rpp, l);
	} else if (ret == 0 && atomic_load(&rpp->lost)) {
		/* another lane lost the connection: no answer will come */
		ret = rpmem_pool_check(rpp);
		lane_failed(rpp, l, ret);
	} else if (ret == 0) {
		ret = rpmem_lane_still_waiting(rpp, l, &d->deadline);
		if (ret == 1) {
			pthread_mutex_unlock(&l->async_lock);
			return FUTURE_STATE_RUNNING;
		}
		lane_failed(rpp, l, ret);
	}
	release(l, s);
	pthread_mutex_unlock(&l->async_lock);
	return complete(d, out, ret);
}

static enum future_state
persist_task(struct future_context *ctx, struct future_notifier *n)
{
	struct rpmem_persist_future_data *d = future_context_get_data(ctx);
	struct rpmem_persist_future_output *out = future_context_get_output(ctx);
	/* nothing will wake the caller: the runtime polls it */
	if (n != NULL)
		n->notifier_used = FUTURE_NOTIFIER_NONE;
	return d->stage == 0 ? start(d, out) : check(d, out);
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
