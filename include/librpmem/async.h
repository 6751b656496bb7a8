/*
 * librpmem/async.h -- remote persistence as a miniasync future, and a data
 * mover that replicates what it copies (an extension of this project's
 * librpmem, node LIBRPMEM_1.1; PMDK's librpmem had no asynchronous calls)
 */
#ifndef LIBRPMEM_ASYNC_H
#define LIBRPMEM_ASYNC_H 1

#include <stddef.h>

#include <librpmem.h>
#include <libminiasync/future.h>
#include <libminiasync/vdm.h>

#ifdef __cplusplus
extern "C" {
#endif

/* what a persist future was asked; the last three fields are the library's */
struct rpmem_persist_future_data {
	RPMEMpool *rpp;
	size_t offset;
	size_t length;
	unsigned lane;
	unsigned flags;
	unsigned op;		/* library's: which persist */
	unsigned stage;		/* library's: 0 not posted, 1 + the slot of the lane it holds */
	long long deadline;	/* library's: end of the allowed silence */
};

struct rpmem_persist_future_output {
	/* 0: the range is durable on the remote node; else an errno value (rpmem_persist(3)) */
	int error;
	unsigned padding;
};

FUTURE(rpmem_persist_future, struct rpmem_persist_future_data,
	struct rpmem_persist_future_output);

/*
 * A future that makes [offset, offset + length) of the pool durable on the
 * remote node over lane, as rpmem_persist() (flags 0 or
 * RPMEM_PERSIST_RELAXED) or rpmem_deep_persist() would, without waiting:
 * its first poll posts the transfer, later polls look for the answer. Up to
 * 16 futures are in flight on one lane; a further one stays IDLE.
 */
struct rpmem_persist_future rpmem_persist_async(RPMEMpool *rpp, size_t offset,
	size_t length, unsigned lane, unsigned flags);
struct rpmem_persist_future rpmem_deep_persist_async(RPMEMpool *rpp,
	size_t offset, size_t length, unsigned lane);

/*
 * A data mover (struct vdm) whose memcpy, memmove and memset copy with the
 * CPU into the pool's local memory and then replicate the destination range
 * on a free lane; flush replicates the range. Set its pool with
 * rpmem_vdm_set_pool() once rpmem_create() or rpmem_open() returned it.
 */
struct rpmem_vdm;
struct rpmem_vdm *rpmem_vdm_new(void);
struct vdm *rpmem_vdm_get_vdm(struct rpmem_vdm *rv);
int rpmem_vdm_set_pool(struct rpmem_vdm *rv, RPMEMpool *rpp);
void rpmem_vdm_delete(struct rpmem_vdm *rv);

#ifdef __cplusplus
}
#endif

#endif /* LIBRPMEM_ASYNC_H */
