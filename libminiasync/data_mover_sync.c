/*
 * data_mover_sync.c -- the synchronous mover: the first poll of a future runs
 * its operation with libc in the polling thread, so the future completes at
 * that poll. It keeps no per-operation state: its record is the mover itself.
 */
#include <stdlib.h>

#include "miniasync.h"

struct data_mover_sync {
	struct vdm base;	/* first: a struct vdm * is a struct data_mover_sync * */
};

static void *
sync_op_new(struct vdm *vdm, const enum vdm_operation_type type)
{
	(void)type;
	return vdm;
}

static int
sync_op_start(void *data, const struct vdm_operation *operation,
	struct future_notifier *n)
{
	(void)data;
	if (n != NULL)
		n->notifier_used = FUTURE_NOTIFIER_NONE;
	op_run(operation, op_libc_memcpy, op_libc_memmove, op_libc_memset);
	return 0;
}

static enum future_state
sync_op_check(void *data, const struct vdm_operation *operation)
{
	(void)data;
	(void)operation;
	return FUTURE_STATE_COMPLETE;
}

static void
sync_op_delete(void *data, const struct vdm_operation *operation,
	struct vdm_operation_output *output)
{
	(void)data;
	vdm_op_output_fill(operation, VDM_SUCCESS, output);
}

/* the polling thread does the work: never asynchronous */
static int
sync_has_property(void *future, enum future_property property)
{
	(void)future;
	(void)property;
	return 0;
}

struct data_mover_sync *
data_mover_sync_new(void)
{
	struct data_mover_sync *dms = malloc(sizeof(*dms));
	if (dms == NULL)
		return NULL;
	dms->base.op_new = sync_op_new;
	dms->base.op_delete = sync_op_delete;
	dms->base.op_start = sync_op_start;
	dms->base.op_check = sync_op_check;
	dms->base.capabilities = 0;
	dms->base.has_property = sync_has_property;
	return dms;
}

struct vdm *
data_mover_sync_get_vdm(struct data_mover_sync *dms)
{
	return dms != NULL ? &dms->base : NULL;
}

void
data_mover_sync_delete(struct data_mover_sync *dms)
{
	free(dms);
}
