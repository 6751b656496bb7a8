/*
 * obj_rep.h -- one replica of a pool, local (common/replica) or remote
 * (librpmem), alone: create, open, its headers read, verified and written,
 * its data copied, undone, closed. pmemobj_create/open build pools from
 * these, and the pool tool (rpmempool) uses them one replica at a time.
 */
#ifndef OBJ_REP_H
#define OBJ_REP_H 1

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "err.h"
#include "librpmem.h"
#include "obj_format.h"
#include "obj_set.h"
#include "replica.h"

struct obj_rep {
	const struct obj_set *os;	/* not owned */
	unsigned r;
	int remote;
	char name[OBJ_NAME_MAX];	/* "replica 2 (line 7, /x/r2.part0)" for messages */
	int created;			/* made by obj_rep_*_create: obj_rep_undo_create removes it */

	/* local */
	int local_init;			/* local is initialized (replica_init succeeded) */
	struct replica local;

	/* remote */
	RPMEMpool *rpp;
	unsigned nlanes;		/* the lanes librpmem gave */

	/* the pool's run time (obj_stale.c): a remote replica that stopped answering */
	atomic_int lost;
	int lost_errno;
	char lost_msg[ERR_MSG_MAX];
};

/* prepares rep for replica r of os (nothing opened); -ENOMEM never: a plain fill */
void obj_rep_init(struct obj_rep *rep, const struct obj_set *os, unsigned r);

/*
 * Local replicas. create: makes the parts with mode (existing empty files
 * are filled; reuse 1: a single file given to pmemobj_create with poolsize
 * 0, whose first POOLSET_HDR_SIZE bytes must be zero, -EEXIST otherwise),
 * locks, allocates and maps them. open: opens, locks and maps the existing
 * parts. Both leave rep->local.addr and rep->local.size set.
 */
int obj_rep_local_create(struct obj_rep *rep, mode_t mode, int reuse);
int obj_rep_local_open(struct obj_rep *rep);

/*
 * Reads and decodes the header of every part of a local replica that has
 * one, and checks that they agree with part 0 (same UUIDs, part index p of
 * the replica's part count, the same set-wide fields). *hdr gets part 0's
 * header. -EINVAL naming the part and the reason (also in why when not
 * NULL), or -errno for an I/O failure.
 */
int obj_rep_local_read_hdrs(struct obj_rep *rep, struct obj_hdr *hdr, char *why,
	size_t whylen);

/* writes hdr (part index and count filled in per part) to every part of a local replica that has a header */
int obj_rep_local_write_hdrs(struct obj_rep *rep, const struct obj_hdr *hdr);

/*
 * Remote replicas: rpmem_create with hdr's attributes, or rpmem_open
 * returning them in *hdr (attr only; the other fields zero), for the pool
 * at pool_addr of pool_size bytes (the primary's mapping: what the remote
 * persists send), asking for nlanes lanes (rep->nlanes gets what librpmem
 * gave). Errors: -errno with a message naming the replica and librpmem's.
 */
int obj_rep_remote_create(struct obj_rep *rep, void *pool_addr, size_t pool_size,
	unsigned nlanes, const struct obj_hdr *hdr);
int obj_rep_remote_open(struct obj_rep *rep, void *pool_addr, size_t pool_size,
	unsigned nlanes, struct obj_hdr *hdr);
/* removes a remote replica's pool parts through rpmemd (rpmem_remove; its pool set file stays) */
int obj_rep_remote_remove(struct obj_rep *rep);
/* rewrites a remote replica's attributes (rpmem_set_attr) */
int obj_rep_remote_set_hdr(struct obj_rep *rep, const struct obj_hdr *hdr);

/* the header fields of replica r in a set of nreplicas whose replica UUIDs are uuids (a ring) */
void obj_hdr_for_replica(struct obj_hdr *hdr, const unsigned char *poolset_uuid,
	const unsigned char (*uuids)[OBJ_UUID_LEN], unsigned nreplicas, unsigned r,
	int singlehdr, uint64_t crtime);

/*
 * Checks hdr of replica r against the primary's (ref) and the set: the
 * same pool set UUID, index r, the set's replica count, the SINGLEHDR
 * feature as the set says. 0, or -EINVAL with the reason in why.
 */
int obj_rep_check_hdr(const struct obj_set *os, const struct obj_hdr *ref, unsigned r,
	const struct obj_hdr *hdr, char *why, size_t whylen);

/*
 * The UUID ring over every replica's header (n of them): each next_uuid is
 * the following replica's uuid and each prev_uuid the preceding one's, no
 * UUID twice. 0, or -EINVAL with *bad the replica that does not fit and
 * the reason in why.
 */
int obj_ring_check(const struct obj_hdr *hdrs, unsigned n, unsigned *bad, char *why,
	size_t whylen);

/*
 * Copies pool bytes [off, off + len) from src to dst in chunks of chunk
 * bytes (0: 4 MiB), calling progress (when not NULL) after each with the
 * bytes done and the total; a non-zero return from progress stops the copy
 * with -ECANCELED. local to local: memcpy + persist; local to remote: dst
 * must have been created or opened with src's mapping as pool_addr (the
 * data is sent from there); remote to local: rpmem_read into dst's mapping,
 * then persist. remote to remote: -ENOTSUP (rebuild a local one first).
 */
typedef int (*obj_progress_fn)(size_t done, size_t total, void *arg);
int obj_rep_copy(struct obj_rep *src, struct obj_rep *dst, size_t off, size_t len,
	size_t chunk, obj_progress_fn progress, void *arg);

/* removes what obj_rep_*_create made (local parts, the remote pool's parts) and closes */
int obj_rep_undo_create(struct obj_rep *rep);

/* closes (unmaps, unlocks, rpmem_close); safe on any state, repeatable */
void obj_rep_close(struct obj_rep *rep);

/* message helpers: the current message with rep's name or a prefix in front */
int obj_err_wrap(int ret, const char *prefix);

#endif /* OBJ_REP_H */
