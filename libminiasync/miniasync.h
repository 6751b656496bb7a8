/* miniasync.h -- libminiasync internals: the public API with default visibility, the pieces the movers share */
#ifndef LIBMINIASYNC_MINIASYNC_H
#define LIBMINIASYNC_MINIASYNC_H 1

#include <stddef.h>
#include <stdint.h>

/* the public API keeps default visibility; everything else stays inside the library */
#pragma GCC visibility push(default)
#include <libminiasync.h>
#pragma GCC visibility pop

#include "vdm_op.h"

/* ---- one operation of the threads mover (op_record.c) ---- */

struct op_record {
	struct vdm_operation operation;	/* a copy: the future may move while a worker runs it */
	uint64_t complete;		/* 0, then 1 once done (release); what a poller monitors */
	struct future_waker waker;	/* wake is NULL when nobody asked to be woken */
	struct vdm *vdm;		/* the mover that made it, which runs it */
};

/* a zeroed record, or NULL when memory is short */
struct op_record *op_record_new(void);
void op_record_delete(struct op_record *rec);

/* runs the operation with the given functions (libc's for the sync mover) */
void op_run(const struct vdm_operation *op, memcpy_fn cpy, memmove_fn move,
	memset_fn set);

/* the libc functions with the movers' signatures (flags ignored) */
void *op_libc_memcpy(void *dst, const void *src, size_t n, unsigned flags);
void *op_libc_memmove(void *dst, const void *src, size_t n, unsigned flags);
void *op_libc_memset(void *str, int c, size_t n, unsigned flags);

/* ---- cache write-back (flush.c) ---- */

/* writes [addr, addr + n) back from the CPU caches (clflushopt or clflush), then sfence */
void flush_range(const void *addr, size_t n);

#endif /* LIBMINIASYNC_MINIASYNC_H */
