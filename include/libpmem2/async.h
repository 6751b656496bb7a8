/*
 * libpmem2/async.h -- copies into a map as futures run by a virtual data
 * mover (libminiasync), source- and ABI-compatible with PMDK 1.12. Included
 * by <libpmem2.h> when PMEM2_USE_MINIASYNC is defined. See
 * pmem2_memcpy_async(3) and pmem2_config_set_vdm(3).
 */
#ifndef LIBPMEM2_ASYNC_H
#define LIBPMEM2_ASYNC_H 1

#include <libpmem2/base.h>
#include <libminiasync/vdm.h>

#ifdef __cplusplus
extern "C" {
#endif

int pmem2_config_set_vdm(struct pmem2_config *cfg, struct vdm *vdm);

/* the finaliser of a copy: the map's persist function over the copied range */
struct pmem2_persist_future_data {
	struct pmem2_map *map;
	void *ptr;
	size_t size;
};

struct pmem2_persist_future_output {
	uint64_t unused;	/* C forbids empty structs */
};

FUTURE(pmem2_persist_future, struct pmem2_persist_future_data,
	struct pmem2_persist_future_output);

/* persists in the polling thread, so it completes at its first poll */
static inline enum future_state
pmem2_persist_future_impl(struct future_context *ctx,
	struct future_notifier *notifier)
{
	struct pmem2_persist_future_data *data =
		(struct pmem2_persist_future_data *)future_context_get_data(ctx);

	if (notifier != NULL)
		notifier->notifier_used = FUTURE_NOTIFIER_NONE;
	pmem2_get_persist_fn(data->map)(data->ptr, data->size);
	return FUTURE_STATE_COMPLETE;
}

/* every future that may finish a copy; pad keeps room for others (72 bytes) */
union pmem2_finalize_future {
	struct pmem2_persist_future persist;
	struct {
		char data[64];
	} pad;
};

static inline union pmem2_finalize_future
pmem2_persist_future(struct pmem2_map *map, void *ptr, size_t size)
{
	union pmem2_finalize_future fut;

	fut.persist.data.map = map;
	fut.persist.data.ptr = ptr;
	fut.persist.data.size = size;
	fut.persist.output.unused = 0;
	FUTURE_INIT(&fut.persist, pmem2_persist_future_impl);
	return fut;
}

/*
 * A copy is a chain: the mover's operation, then, where the map's
 * granularity and the mover need it, the finaliser (272 bytes).
 */
struct pmem2_future_data {
	FUTURE_CHAIN_ENTRY(struct vdm_operation_future, op);
	FUTURE_CHAIN_ENTRY_LAST(union pmem2_finalize_future, fin);
};

struct pmem2_future_output {
	void *dest;
};

/* 320 bytes, returned by value */
FUTURE(pmem2_future, struct pmem2_future_data, struct pmem2_future_output);

struct pmem2_future pmem2_memcpy_async(struct pmem2_map *map,
	void *pmemdest, const void *src, size_t len, unsigned flags);
struct pmem2_future pmem2_memmove_async(struct pmem2_map *map,
	void *pmemdest, const void *src, size_t len, unsigned flags);
struct pmem2_future pmem2_memset_async(struct pmem2_map *map,
	void *str, int c, size_t n, unsigned flags);

#ifdef __cplusplus
}
#endif
#endif /* LIBPMEM2_ASYNC_H */
