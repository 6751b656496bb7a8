/*
 * mover.c -- the default data mover of a map: the operations of its futures
 * run in the polling thread with the map's own copy functions, so the data
 * is persistent when the future completes. Stateless per operation: the
 * record of every operation is the map, so creating one never fails.
 */
#include "pmem2.h"
#include "vdm_op.h"

static void *
default_op_new(struct vdm *vdm, const enum vdm_operation_type type)
{
	(void)type;
	return ((struct pmem2_default_mover *)vdm)->map;
}

/* DURABLE asks for the data to be persistent at completion: non-temporal stores and a fence */
static unsigned
mem_flags(uint64_t vdm_flags)
{
	return (vdm_flags & VDM_F_MEM_DURABLE) ?
		PMEM2_F_MEM_NONTEMPORAL : PMEM2_F_MEM_NOFLUSH;
}

static int
default_op_start(void *data, const struct vdm_operation *op,
	struct future_notifier *n)
{
	struct pmem2_map *map = data;

	if (n != NULL)
		n->notifier_used = FUTURE_NOTIFIER_NONE;
	switch (op->type) {
	case VDM_OPERATION_MEMCPY:
		map->memcpy_fn(op->data.memcpy.dest, op->data.memcpy.src,
			op->data.memcpy.n, mem_flags(op->data.memcpy.flags));
		break;
	case VDM_OPERATION_MEMMOVE:
		map->memmove_fn(op->data.memmove.dest, op->data.memmove.src,
			op->data.memmove.n, mem_flags(op->data.memmove.flags));
		break;
	case VDM_OPERATION_MEMSET:
		map->memset_fn(op->data.memset.str, op->data.memset.c,
			op->data.memset.n, mem_flags(op->data.memset.flags));
		break;
	case VDM_OPERATION_FLUSH:
		/* writing back is what persisting a range means for this map */
		map->persist_fn(op->data.flush.dest, op->data.flush.n);
		break;
	}
	return 0;
}

/* only called after the start, which did the work */
static enum future_state
default_op_check(void *data, const struct vdm_operation *op)
{
	(void)data;
	(void)op;
	return FUTURE_STATE_COMPLETE;
}

static void
default_op_delete(void *data, const struct vdm_operation *op,
	struct vdm_operation_output *output)
{
	(void)data;
	vdm_op_output_fill(op, VDM_SUCCESS, output);
}

/* the polling thread does the work: never asynchronous */
static int
default_has_property(void *future, enum future_property property)
{
	(void)future;
	(void)property;
	return 0;
}

void
pmem2_map_set_vdm(struct pmem2_map *map, struct vdm *vdm)
{
	struct pmem2_default_mover *m = &map->default_mover;

	m->base.op_new = default_op_new;
	m->base.op_delete = default_op_delete;
	m->base.op_start = default_op_start;
	m->base.op_check = default_op_check;
	m->base.capabilities = VDM_F_MEM_DURABLE;
	m->base.has_property = default_has_property;
	m->map = map;
	map->vdm = vdm != NULL ? vdm : &m->base;
}
