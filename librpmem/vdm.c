/* vdm.c -- rpmem_vdm: a data mover whose copies land in the pool's local memory and are then replicated by an asynchronous persist on a free lane */
#include <stdlib.h>
#include <string.h>

#include "rpmem.h"
#include "vdm_op.h"

struct rpmem_vdm {
	struct vdm base;	/* first: what pmem2 and the runtime see */
	_Atomic(struct rpmem_pool *) rpp;
	atomic_uint next_lane;	/* where the search for a free lane starts */
};

enum op_stage { OP_NEW, OP_COPIED, OP_REPLICATING, OP_DONE };

/* one operation: the local copy, then the persist future that replicates it */
struct rpmem_vdm_op {
	struct rpmem_vdm *rv;
	enum op_stage stage;
	int failed;
	struct rpmem_persist_future fut;
};

static int
vdm_has_property(void *future, enum future_property property)
{
	(void)future;
	return property == FUTURE_PROPERTY_ASYNC;
}

static void *
op_new(struct vdm *vdm, const enum vdm_operation_type type)
{
	(void)type;
	struct rpmem_vdm_op *op = calloc(1, sizeof(*op));
	if (op != NULL)
		op->rv = (struct rpmem_vdm *)vdm;
	return op;
}

static void
copy_locally(const struct vdm_operation *o)
{
	switch (o->type) {
	case VDM_OPERATION_MEMCPY:
		memcpy(o->data.memcpy.dest, o->data.memcpy.src, o->data.memcpy.n);
		break;
	case VDM_OPERATION_MEMMOVE:
		memmove(o->data.memmove.dest, o->data.memmove.src, o->data.memmove.n);
		break;
	case VDM_OPERATION_MEMSET:
		memset(o->data.memset.str, o->data.memset.c, o->data.memset.n);
		break;
	default:	/* flush: the data is there already, it only travels */
		break;
	}
}

/*
 * Copies (once), then starts replicating the destination on the first
 * free lane; non-zero when every lane is owned by another future, so that
 * the next poll tries again.
 */
static int
op_start(void *data, const struct vdm_operation *o, struct future_notifier *n)
{
	struct rpmem_vdm_op *op = data;
	if (n != NULL)
		n->notifier_used = FUTURE_NOTIFIER_NONE;
	if (op->stage == OP_NEW) {
		copy_locally(o);
		op->stage = OP_COPIED;
	}
	char *dest;
	size_t len;
	vdm_op_range(o, &dest, &len);
	struct rpmem_pool *rpp = atomic_load(&op->rv->rpp);
	/* no pool yet, or a range it does not hold: copied, not replicated */
	if (rpp == NULL || dest < (char *)rpp->pool_addr ||
			len > rpp->pool_size ||
			(size_t)(dest - (char *)rpp->pool_addr) > rpp->pool_size - len) {
		op->failed = 1;
		op->stage = OP_DONE;
		return 0;
	}
	size_t offset = (size_t)(dest - (char *)rpp->pool_addr);
	for (unsigned i = 0; i < rpp->nlanes; i++) {
		unsigned lane = atomic_fetch_add(&op->rv->next_lane, 1) % rpp->nlanes;
		op->fut = rpmem_persist_async(rpp, offset, len, lane, 0);
		if (future_poll(FUTURE_AS_RUNNABLE(&op->fut), NULL) != FUTURE_STATE_IDLE) {
			op->stage = OP_REPLICATING;
			return 0;
		}
	}
	return 1;
}

static enum future_state
op_check(void *data, const struct vdm_operation *o)
{
	(void)o;
	struct rpmem_vdm_op *op = data;
	if (op->stage == OP_REPLICATING &&
			future_poll(FUTURE_AS_RUNNABLE(&op->fut), NULL) == FUTURE_STATE_COMPLETE) {
		op->failed = op->fut.output.error != 0;
		op->stage = OP_DONE;
	}
	return op->stage == OP_DONE ? FUTURE_STATE_COMPLETE : FUTURE_STATE_RUNNING;
}

static void
op_delete(void *data, const struct vdm_operation *o, struct vdm_operation_output *out)
{
	struct rpmem_vdm_op *op = data;
	/* a mover has no other way to say "not replicated" */
	vdm_op_output_fill(o, op->failed ? VDM_ERROR_JOB_CORRUPTED : VDM_SUCCESS, out);
	free(op);
}

struct rpmem_vdm *
rpmem_vdm_new(void)
{
	struct rpmem_vdm *rv = calloc(1, sizeof(*rv));
	if (rv == NULL) {
		rpmem_fail(__func__, ENOMEM, "out of memory for a data mover");
		return NULL;
	}
	rv->base.op_new = op_new;
	rv->base.op_delete = op_delete;
	rv->base.op_start = op_start;
	rv->base.op_check = op_check;
	rv->base.capabilities = 0;	/* the local copy is not made durable: pmem2 persists it */
	rv->base.has_property = vdm_has_property;
	atomic_init(&rv->rpp, NULL);
	atomic_init(&rv->next_lane, 0);
	return rv;
}

struct vdm *
rpmem_vdm_get_vdm(struct rpmem_vdm *rv)
{
	return rv ? &rv->base : NULL;
}

int
rpmem_vdm_set_pool(struct rpmem_vdm *rv, RPMEMpool *rpp)
{
	if (rv == NULL)
		return rpmem_fail(__func__, EINVAL, "rv is NULL");
	atomic_store(&rv->rpp, rpp);
	return 0;
}

void
rpmem_vdm_delete(struct rpmem_vdm *rv)
{
	free(rv);
}
