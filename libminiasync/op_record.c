/*
 * op_record.c -- one operation of a mover: the threads mover's record of it
 * (allocated per operation: glibc's per-thread cache makes that as cheap as
 * a free list of our own, without a lock), running it, and the output a
 * completed operation gives its future.
 */
#include <stdlib.h>
#include <string.h>

#include "miniasync.h"

struct op_record *
op_record_new(void)
{
	return calloc(1, sizeof(struct op_record));
}

void
op_record_delete(struct op_record *rec)
{
	free(rec);
}

void *
op_libc_memcpy(void *dst, const void *src, size_t n, unsigned flags)
{
	(void)flags;
	return memcpy(dst, src, n);
}

void *
op_libc_memmove(void *dst, const void *src, size_t n, unsigned flags)
{
	(void)flags;
	return memmove(dst, src, n);
}

void *
op_libc_memset(void *str, int c, size_t n, unsigned flags)
{
	(void)flags;
	return memset(str, c, n);
}

void
op_run(const struct vdm_operation *op, memcpy_fn cpy, memmove_fn move,
	memset_fn set)
{
	/* n == 0 never touches the pointers, which may then be anything (NULL) */
	switch (op->type) {
	case VDM_OPERATION_MEMCPY:
		if (op->data.memcpy.n > 0)
			cpy(op->data.memcpy.dest, op->data.memcpy.src,
				op->data.memcpy.n, (unsigned)op->data.memcpy.flags);
		break;
	case VDM_OPERATION_MEMMOVE:
		if (op->data.memmove.n > 0)
			move(op->data.memmove.dest, op->data.memmove.src,
				op->data.memmove.n,
				(unsigned)op->data.memmove.flags);
		break;
	case VDM_OPERATION_MEMSET:
		if (op->data.memset.n > 0)
			set(op->data.memset.str, op->data.memset.c,
				op->data.memset.n, (unsigned)op->data.memset.flags);
		break;
	case VDM_OPERATION_FLUSH:
		flush_range(op->data.flush.dest, op->data.flush.n);
		break;
	}
}
