/* obj_mem.c -- pmemobj_memcpy, _memmove, _memset and their _persist forms: the primary written through its maps, then the range fanned out */
#include <errno.h>
#include <string.h>

#include "obj_pool.h"

#define MEM_FLAGS (PMEMOBJ_F_MEM_NODRAIN | PMEMOBJ_F_MEM_NONTEMPORAL | \
	PMEMOBJ_F_MEM_TEMPORAL | PMEMOBJ_F_MEM_WC | PMEMOBJ_F_MEM_WB | PMEMOBJ_F_MEM_NOFLUSH)
#define VALID_FLAGS (MEM_FLAGS | PMEMOBJ_F_RELAXED)

/* the PMEMOBJ_F_MEM_* values are PMEM2_F_MEM_*'s: checked once here */
_Static_assert(PMEMOBJ_F_MEM_NODRAIN == PMEM2_F_MEM_NODRAIN &&
	PMEMOBJ_F_MEM_NONTEMPORAL == PMEM2_F_MEM_NONTEMPORAL &&
	PMEMOBJ_F_MEM_TEMPORAL == PMEM2_F_MEM_TEMPORAL && PMEMOBJ_F_MEM_WC == PMEM2_F_MEM_WC &&
	PMEMOBJ_F_MEM_WB == PMEM2_F_MEM_WB && PMEMOBJ_F_MEM_NOFLUSH == PMEM2_F_MEM_NOFLUSH,
	"pmemobj and pmem2 memory flags differ");

enum op { OP_COPY, OP_MOVE, OP_SET };

/* one piece of the primary (within one part) written through that part's map */
static void
write_piece(struct replica_part *part, enum op op, char *dst, const char *src, int c, size_t n,
	unsigned f)
{
	switch (op) {
	case OP_COPY:
		part->memcpy_fn(dst, src, n, f);
		break;
	case OP_MOVE:
		pmem2_get_memmove_fn(part->map)(dst, src, n, f);
		break;
	case OP_SET:
		pmem2_get_memset_fn(part->map)(dst, c, n, f);
		break;
	}
}

/* writes pool range [off, off + len) of the primary, flushed but not drained unless NOFLUSH */
static void
write_primary(struct obj_pool *pool, enum op op, size_t off, const char *src, int c, size_t len,
	unsigned f)
{
	struct replica *rep = &pool->reps[0].local;
	/* a move whose source lies below its destination goes backwards: no byte is read after it was written */
	int backwards = op == OP_MOVE && src < pool->base + off && src + len > pool->base + off;
	if (backwards && rep->nparts > 1) {
		for (unsigned p = rep->nparts; p-- > 0 && len > 0; ) {
			struct replica_part *part = &rep->parts[p];
			if (off + len <= part->pool_off)
				continue;
			size_t start = off > part->pool_off ? off : part->pool_off;
			size_t n = off + len - start;
			write_piece(part, op, pool->base + start, src + (start - off), c, n, f);
			len -= n;
		}
		return;
	}
	for (unsigned p = 0; p < rep->nparts && len > 0; p++) {
		struct replica_part *part = &rep->parts[p];
		if (off >= part->pool_off + part->len)
			continue;
		size_t n = part->pool_off + part->len - off;
		if (n > len)
			n = len;
		write_piece(part, op, pool->base + off, src, c, n, f);
		off += n;
		if (src != NULL)
			src += n;
		len -= n;
	}
}

static void *
mem_op(PMEMobjpool *pop, const char *func, enum op op, void *dest, const void *src, int c,
	size_t len, unsigned flags)
{
	struct obj_pool *pool = obj_pool_arg(pop, func);
	if (pool == NULL)
		return dest;
	if (flags & ~VALID_FLAGS) {
		obj_fail(EINVAL, "%s: unknown flags 0x%x", func, flags & ~VALID_FLAGS);
		return dest;
	}
	size_t off;
	if (obj_range_arg(pool, func, dest, len, &off))
		return dest;
	if (op != OP_SET && src == NULL && len > 0) {
		obj_fail(EINVAL, "%s: src is NULL", func);
		return dest;
	}
	unsigned memflags = flags & (MEM_FLAGS & ~PMEMOBJ_F_MEM_NODRAIN);
	/* the primary is flushed here; the drain comes with the fan-out's persist */
	write_primary(pool, op, off, src, c, len, memflags | PMEM2_F_MEM_NODRAIN);
	if (flags & PMEMOBJ_F_MEM_NOFLUSH)
		return dest;	/* the caller persists the range later, which replicates it */
	enum obj_sync mode = flags & PMEMOBJ_F_MEM_NODRAIN ? OBJ_SYNC_FLUSH : OBJ_SYNC_PERSIST;
	if (mode == OBJ_SYNC_PERSIST)
		pmem2_get_drain_fn(pool->reps[0].local.parts[0].map)();
	obj_fanout(pool, off, len, mode, flags & PMEMOBJ_F_RELAXED, 1, memflags);
	return dest;
}

void *
pmemobj_memcpy(PMEMobjpool *pop, void *dest, const void *src, size_t len, unsigned flags)
{
	return mem_op(pop, "pmemobj_memcpy", OP_COPY, dest, src, 0, len, flags);
}

void *
pmemobj_memmove(PMEMobjpool *pop, void *dest, const void *src, size_t len, unsigned flags)
{
	return mem_op(pop, "pmemobj_memmove", OP_MOVE, dest, src, 0, len, flags);
}

void *
pmemobj_memset(PMEMobjpool *pop, void *dest, int c, size_t len, unsigned flags)
{
	return mem_op(pop, "pmemobj_memset", OP_SET, dest, NULL, c, len, flags);
}

void *
pmemobj_memcpy_persist(PMEMobjpool *pop, void *dest, const void *src, size_t len)
{
	return mem_op(pop, "pmemobj_memcpy_persist", OP_COPY, dest, src, 0, len, 0);
}

void *
pmemobj_memset_persist(PMEMobjpool *pop, void *dest, int c, size_t len)
{
	return mem_op(pop, "pmemobj_memset_persist", OP_SET, dest, NULL, c, len, 0);
}
