/*
 * async.c -- pmem2_memcpy_async, pmem2_memmove_async, pmem2_memset_async:
 * a chain of the mover's operation and, where needed, a persist of the range,
 * so that a completed future means the data is persistent at the map's
 * granularity.
 */
#include <string.h>

#include "pmem2.h"

/* how a copy into map becomes persistent: what the mover is asked for, what follows it */
struct completion {
	uint64_t vdm_flags;
	bool persist;
};

/*
 * BYTE: the caches are persistent, the copy is enough. PAGE: only msync
 * writes the pages back, so always persist afterwards. CACHE_LINE: a
 * durable mover's copy is enough, any other one's needs a persist.
 */
static struct completion
completion_of(struct pmem2_map *map)
{
	bool durable = vdm_is_supported(map->vdm, VDM_F_MEM_DURABLE);

	switch (map->effective_granularity) {
	case PMEM2_GRANULARITY_CACHE_LINE:
		return (struct completion){ durable ? VDM_F_MEM_DURABLE : 0, !durable };
	case PMEM2_GRANULARITY_PAGE:
		return (struct completion){ 0, true };
	case PMEM2_GRANULARITY_BYTE:
	default:
		return (struct completion){ 0, false };
	}
}

/* the operation's destination when it succeeded, NULL when the mover failed it */
static void *
op_result(struct future_context *op_ctx)
{
	struct vdm_operation_data *data = future_context_get_data(op_ctx);
	struct vdm_operation_output *out = future_context_get_output(op_ctx);

	if (out->result != VDM_SUCCESS)
		return NULL;
	if (data->operation.type == VDM_OPERATION_MEMSET)
		return data->operation.data.memset.str;
	return data->operation.data.memcpy.dest;
}

/* the operation was the last entry: the chain's output is its result */
static void
op_done_last(struct future_context *op_ctx, struct future_context *chain_ctx,
	void *arg)
{
	(void)arg;
	struct pmem2_future_output *out = future_context_get_output(chain_ctx);
	out->dest = op_result(op_ctx);
}

/*
 * The finaliser persists the range whether or not the mover succeeded: a
 * mover may have stored some or all of it before it failed (rpmem_vdm(3)
 * copies locally, then fails when it cannot replicate), and persisting
 * bytes nobody changed costs only the flush. The chain's output still
 * says the operation failed: dest NULL.
 */
static void
persist_done(struct future_context *fin_ctx, struct future_context *chain_ctx,
	void *arg)
{
	(void)arg;
	(void)fin_ctx;
	struct pmem2_future_data *data = future_context_get_data(chain_ctx);
	struct pmem2_future_output *out = future_context_get_output(chain_ctx);
	out->dest = op_result(&data->op.fut.base.context);
}

static struct pmem2_future
chain(struct pmem2_map *map, struct vdm_operation_future op, void *dest,
	size_t len, bool persist)
{
	struct pmem2_future fut;

	if (persist) {
		FUTURE_CHAIN_ENTRY_INIT(&fut.data.op, op, NULL, NULL);
		FUTURE_CHAIN_ENTRY_INIT(&fut.data.fin,
			pmem2_persist_future(map, dest, len), persist_done, NULL);
	} else {
		FUTURE_CHAIN_ENTRY_INIT(&fut.data.op, op, op_done_last, NULL);
		fut.data.op.flags |= FUTURE_CHAIN_FLAG_ENTRY_LAST;
		/* never run, but returned by value: no uninitialized bytes */
		memset(&fut.data.fin, 0, sizeof(fut.data.fin));
	}
	fut.output.dest = NULL;	/* set when the chain completes */
	FUTURE_CHAIN_INIT(&fut);
	return fut;
}

/* flags is accepted for PMDK's signature and ignored, as in PMDK: see pmem2_memcpy_async(3) */
struct pmem2_future
pmem2_memcpy_async(struct pmem2_map *map, void *pmemdest, const void *src,
	size_t len, unsigned flags)
{
	(void)flags;
	struct completion c = completion_of(map);
	return chain(map, vdm_memcpy(map->vdm, pmemdest, (void *)src, len,
		c.vdm_flags), pmemdest, len, c.persist);
}

struct pmem2_future
pmem2_memmove_async(struct pmem2_map *map, void *pmemdest, const void *src,
	size_t len, unsigned flags)
{
	(void)flags;
	struct completion c = completion_of(map);
	return chain(map, vdm_memmove(map->vdm, pmemdest, (void *)src, len,
		c.vdm_flags), pmemdest, len, c.persist);
}

struct pmem2_future
pmem2_memset_async(struct pmem2_map *map, void *str, int c, size_t n,
	unsigned flags)
{
	(void)flags;
	struct completion cm = completion_of(map);
	return chain(map, vdm_memset(map->vdm, str, c, n, cm.vdm_flags), str, n,
		cm.persist);
}
