/* vdm_op.h -- what every data mover of this project (libminiasync's, libpmem2's default, librpmem's) reads from and writes for an operation */
#ifndef COMMON_VDM_OP_H
#define COMMON_VDM_OP_H 1

#include <stddef.h>

#include <libminiasync/vdm.h>

/* the destination range of the operation (flush: the range to flush) */
static inline void
vdm_op_range(const struct vdm_operation *op, char **dest, size_t *n)
{
	switch (op->type) {
	case VDM_OPERATION_MEMCPY:
		*dest = op->data.memcpy.dest;
		*n = op->data.memcpy.n;
		break;
	case VDM_OPERATION_MEMMOVE:
		*dest = op->data.memmove.dest;
		*n = op->data.memmove.n;
		break;
	case VDM_OPERATION_MEMSET:
		*dest = op->data.memset.str;
		*n = op->data.memset.n;
		break;
	default:
		*dest = op->data.flush.dest;
		*n = op->data.flush.n;
		break;
	}
}

/*
 * The output of a completed operation: its type, result, and destination;
 * a type no mover knows is VDM_ERROR_JOB_CORRUPTED whatever result says.
 */
static inline void
vdm_op_output_fill(const struct vdm_operation *op,
	enum vdm_operation_result result, struct vdm_operation_output *output)
{
	output->type = op->type;
	output->result = result;
	switch (op->type) {
	case VDM_OPERATION_MEMCPY:
		output->output.memcpy.dest = op->data.memcpy.dest;
		break;
	case VDM_OPERATION_MEMMOVE:
		output->output.memmove.dest = op->data.memmove.dest;
		break;
	case VDM_OPERATION_MEMSET:
		output->output.memset.str = op->data.memset.str;
		break;
	case VDM_OPERATION_FLUSH:
		output->output.flush.unused = 0;
		break;
	default:
		output->result = VDM_ERROR_JOB_CORRUPTED;
		break;
	}
}

#endif /* COMMON_VDM_OP_H */
