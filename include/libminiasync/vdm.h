/*
 * vdm.h -- the virtual data mover: an interface (struct vdm) any mover
 * implements to run memcpy, memmove, memset and flush operations, and the
 * inline functions that turn each operation into a future. Header only;
 * source-compatible with pmem's miniasync 0.2. See miniasync_vdm(7).
 */
#ifndef LIBMINIASYNC_VDM_H
#define LIBMINIASYNC_VDM_H 1

#include "future.h"

#ifdef __cplusplus
extern "C" {
#endif

struct vdm;

enum vdm_operation_type {
	VDM_OPERATION_MEMCPY,
	VDM_OPERATION_MEMMOVE,
	VDM_OPERATION_MEMSET,
	VDM_OPERATION_FLUSH,
};

enum vdm_operation_result {
	VDM_SUCCESS,
	VDM_ERROR_OUT_OF_MEMORY,
	VDM_ERROR_JOB_CORRUPTED,
};

struct vdm_operation_data_memcpy {
	void *dest;
	void *src;
	size_t n;
	uint64_t flags;
};

struct vdm_operation_data_memmove {
	void *dest;
	void *src;
	size_t n;
	uint64_t flags;
};

struct vdm_operation_data_memset {
	void *str;
	int c;
	size_t n;
	uint64_t flags;
};

struct vdm_operation_data_flush {
	void *dest;
	size_t n;
	uint64_t flags;
};

/* sized so that struct vdm_operation_data is 64 bytes */
#define VDM_OPERATION_DATA_MAX_SIZE (40)

/* one operation as the mover sees it (48 bytes) */
struct vdm_operation {
	union {
		struct vdm_operation_data_memcpy memcpy;
		struct vdm_operation_data_memmove memmove;
		struct vdm_operation_data_memset memset;
		struct vdm_operation_data_flush flush;
		uint8_t data[VDM_OPERATION_DATA_MAX_SIZE];
	} data;
	enum vdm_operation_type type;
	uint32_t padding;
};

/* the data of an operation's future: the mover's record of it, the mover, the operation */
struct vdm_operation_data {
	void *data;
	struct vdm *vdm;
	struct vdm_operation operation;
};

struct vdm_operation_output_memcpy {
	void *dest;
};

struct vdm_operation_output_memmove {
	void *dest;
};

struct vdm_operation_output_memset {
	void *str;
};

struct vdm_operation_output_flush {
	uint64_t unused;
};

/* the output of an operation's future (16 bytes) */
struct vdm_operation_output {
	enum vdm_operation_type type;
	enum vdm_operation_result result;
	union {
		struct vdm_operation_output_memcpy memcpy;
		struct vdm_operation_output_memmove memmove;
		struct vdm_operation_output_memset memset;
		struct vdm_operation_output_flush flush;
	} output;
};

FUTURE(vdm_operation_future,
	struct vdm_operation_data, struct vdm_operation_output);

/* a new record for one operation, NULL when none can be had */
typedef void *(*vdm_operation_new)(struct vdm *vdm,
	const enum vdm_operation_type type);
/* starts the operation; non-zero: not now, the future stays idle and the next poll retries */
typedef int (*vdm_operation_start)(void *data,
	const struct vdm_operation *operation, struct future_notifier *n);
typedef enum future_state (*vdm_operation_check)(void *data,
	const struct vdm_operation *operation);
/* fills the output of a completed operation and releases its record */
typedef void (*vdm_operation_delete)(void *data,
	const struct vdm_operation *operation,
	struct vdm_operation_output *output);

/* every mover begins with this (48 bytes) */
struct vdm {
	vdm_operation_new op_new;
	vdm_operation_delete op_delete;
	vdm_operation_start op_start;
	vdm_operation_check op_check;
	unsigned capabilities;
	future_has_property_fn has_property;
};

/* the data written is persistent when the future completes */
#define VDM_F_MEM_DURABLE	(1U << 0)
/* the destination should bypass the CPU caches */
#define VDM_F_NO_CACHE_HINT	(1U << 1)
#define VDM_F_VALID_FLAGS	(VDM_F_MEM_DURABLE | VDM_F_NO_CACHE_HINT)

/* 1 when the mover has every capability bit of capability */
static inline int
vdm_is_supported(struct vdm *vdm, unsigned capability)
{
	return (vdm->capabilities & capability) == capability;
}

/* the has_property function the futures of this mover get */
static inline void
vdm_set_has_property_fn(struct vdm *vdm, future_has_property_fn has_property)
{
	vdm->has_property = has_property;
}

/*
 * The task of an operation's future: starts the operation on the first
 * poll that can (IDLE until then), then checks it; once complete, the
 * mover fills the output and releases its record.
 */
static inline enum future_state
vdm_operation_impl(struct future_context *context,
	struct future_notifier *n)
{
	struct vdm_operation_data *fdata =
		(struct vdm_operation_data *)future_context_get_data(context);
	struct vdm *vdm = fdata->vdm;

	if (context->state == FUTURE_STATE_IDLE &&
			vdm->op_start(fdata->data, &fdata->operation, n) != 0)
		return FUTURE_STATE_IDLE;

	enum future_state state = vdm->op_check(fdata->data, &fdata->operation);
	if (state == FUTURE_STATE_COMPLETE) {
		struct vdm_operation_output *output =
			(struct vdm_operation_output *)
			future_context_get_output(context);
		vdm->op_delete(fdata->data, &fdata->operation, output);
		fdata->data = NULL;
	}
	return state;
}

/*
 * Makes future (its operation and output type already set) a future of the
 * mover; when the mover has no record for it, the future is complete at
 * once with VDM_ERROR_OUT_OF_MEMORY.
 */
static inline void
vdm_generic_operation(struct vdm *vdm, struct vdm_operation_future *future)
{
	future_has_property_fn has_property = vdm->has_property != NULL ?
		vdm->has_property : future_has_property_default;

	future->data.vdm = vdm;
	future->data.data = vdm->op_new(vdm, future->data.operation.type);
	if (future->data.data == NULL) {
		FUTURE_INIT_COMPLETE(future);
		future->base.has_property = future_has_property_default;
		future->output.result = VDM_ERROR_OUT_OF_MEMORY;
	} else {
		FUTURE_INIT_EXT(future, vdm_operation_impl, has_property);
	}
}

static inline struct vdm_operation_future
vdm_memcpy(struct vdm *vdm, void *dest, void *src, size_t n, uint64_t flags)
{
	struct vdm_operation_future future;

	future.data.operation.type = VDM_OPERATION_MEMCPY;
	future.data.operation.padding = 0;
	future.data.operation.data.memcpy.dest = dest;
	future.data.operation.data.memcpy.src = src;
	future.data.operation.data.memcpy.n = n;
	future.data.operation.data.memcpy.flags = flags;
	future.output.type = VDM_OPERATION_MEMCPY;
	future.output.result = VDM_SUCCESS;
	future.output.output.memcpy.dest = NULL;
	vdm_generic_operation(vdm, &future);
	return future;
}

static inline struct vdm_operation_future
vdm_memmove(struct vdm *vdm, void *dest, void *src, size_t n, uint64_t flags)
{
	struct vdm_operation_future future;

	future.data.operation.type = VDM_OPERATION_MEMMOVE;
	future.data.operation.padding = 0;
	future.data.operation.data.memmove.dest = dest;
	future.data.operation.data.memmove.src = src;
	future.data.operation.data.memmove.n = n;
	future.data.operation.data.memmove.flags = flags;
	future.output.type = VDM_OPERATION_MEMMOVE;
	future.output.result = VDM_SUCCESS;
	future.output.output.memmove.dest = NULL;
	vdm_generic_operation(vdm, &future);
	return future;
}

static inline struct vdm_operation_future
vdm_memset(struct vdm *vdm, void *str, int c, size_t n, uint64_t flags)
{
	struct vdm_operation_future future;

	future.data.operation.type = VDM_OPERATION_MEMSET;
	future.data.operation.padding = 0;
	future.data.operation.data.memset.str = str;
	future.data.operation.data.memset.c = c;
	future.data.operation.data.memset.n = n;
	future.data.operation.data.memset.flags = flags;
	future.output.type = VDM_OPERATION_MEMSET;
	future.output.result = VDM_SUCCESS;
	future.output.output.memset.str = NULL;
	vdm_generic_operation(vdm, &future);
	return future;
}

/* writes [dest, dest + n) back from the CPU caches to memory */
static inline struct vdm_operation_future
vdm_flush(struct vdm *vdm, void *dest, size_t n, uint64_t flags)
{
	struct vdm_operation_future future;

	future.data.operation.type = VDM_OPERATION_FLUSH;
	future.data.operation.padding = 0;
	future.data.operation.data.flush.dest = dest;
	future.data.operation.data.flush.n = n;
	future.data.operation.data.flush.flags = flags;
	future.output.type = VDM_OPERATION_FLUSH;
	future.output.result = VDM_SUCCESS;
	future.output.output.flush.unused = 0;
	vdm_generic_operation(vdm, &future);
	return future;
}

#ifdef __cplusplus
}
#endif
#endif /* LIBMINIASYNC_VDM_H */
