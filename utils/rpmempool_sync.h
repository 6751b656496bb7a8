/* rpmempool_sync.h -- rpmempool sync's state: the set, the reference replica every other is rebuilt from, and the rebuild of one replica */
#ifndef RPMEMPOOL_SYNC_H
#define RPMEMPOOL_SYNC_H 1

#include <sys/types.h>

#include "rpmempool.h"

struct sync {
	const char *path;
	struct obj_set os;
	struct obj_replica_health *h;	/* the health before the sync */
	unsigned n;
	unsigned ref;			/* the replica rebuilt from (OK) */
	int ref_remote;			/* it is remote: no local replica was good */
	void *scratch;			/* a remote reference is opened over it (pool_size bytes) */
	struct obj_rep *reps;		/* n, each initialized; the reference open throughout */
	struct obj_hdr ref_hdr;
	size_t pool_size;		/* the reference's descriptor says */
	mode_t mode;			/* of the files made: the reference's part 0's */
	int progress;			/* progress lines on stderr */
	int *failed;			/* n: the rebuild of replica r failed */
	int ran;			/* the rebuild ran (the set is verified after) */
};

/*
 * When no local replica is good: the first remote replica whose attributes
 * and descriptor verify, for a pool of the primary's size as the set file
 * gives it, becomes the reference (left open over s->scratch). 0, or
 * -ENOENT (none), or -errno with err_last().
 */
int sync_remote_ref(struct sync *s);

/* the replica r is rebuilt from: the reference, or the primary (rebuilt first) for a remote r when the reference is remote too */
unsigned sync_source(const struct sync *s, unsigned r);

/*
 * Rebuilds replica r from the reference: a local one reopened (or its
 * parts removed and made again when they cannot be opened), a remote one
 * removed and created again through rpmemd with empty attributes; then its
 * headers zeroed (local) and the pool's data copied in chunks. Its headers
 * are written later, by the caller. 0, or -errno with err_last().
 */
int sync_rebuild(struct sync *s, unsigned r);

#endif /* RPMEMPOOL_SYNC_H */
