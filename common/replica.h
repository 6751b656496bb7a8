/* replica.h -- one local replica of a pool set: its parts opened, locked, laid out and mapped as one contiguous pool */
#ifndef COMMON_REPLICA_H
#define COMMON_REPLICA_H 1

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "libpmem2.h"
#include "poolset.h"

/*
 * The pool a replica makes: pool offset 0 is byte 0 of part 0, its header
 * (when the set keeps headers) included; the headers of parts >= 1 are
 * skipped, so part p contributes its size rounded down to the page size,
 * minus POOLSET_HDR_SIZE when it has a header and p >= 1.
 *
 * Life cycle: replica_init, then replica_create or replica_open, then
 * replica_map; replica_close at the end of every path (also after a failed
 * call, also on a replica only initialized). Every int function returns 0 or
 * -errno with a message (err_last()) that names the set by rep->name
 * (replica_unlink's names the path instead).
 * Minimum part and pool sizes are the caller's business: the layout only
 * computes sizes and refuses what cannot be mapped at all.
 * The functions are not thread-safe for one replica, except the persist and
 * memcpy calls on a mapped replica, which only read it.
 */

#define REPLICA_UNCONFINED (-1)	/* replica_init's dirfd: part paths are used as written */

/* replica_create's flags */
#define REPLICA_REUSE_NONEMPTY 0x1u	/* an existing non-empty part is reused (rpmemd's NOHDRS rule) */

/* one part of a local replica: open, locked, placed, and once mapped, its map */
struct replica_part {
	int fd;			/* -1 when not open */
	int created;		/* made by replica_create: unlinked by replica_undo_create */
	int was_empty;		/* an existing empty file replica_create filled: truncated back */
	int has_hdr;		/* begins with a POOLSET_HDR_SIZE-byte pool header */
	uint64_t file_size;	/* as the set says, or the device's size for AUTO */
	size_t file_off;	/* first file byte in the pool */
	size_t pool_off;	/* where that byte lies in the pool */
	size_t len;		/* bytes of the part in the pool */
	struct pmem2_source *src;	/* from the layout on (header i/o works unmapped) */
	struct pmem2_map *map;
	pmem2_persist_fn persist;
	pmem2_memcpy_fn memcpy_fn;
};

struct replica {
	const struct poolset *set;	/* not owned */
	unsigned r;			/* which replica of set (must be local) */
	int dirfd;			/* >= 0: paths confined below it (rpmemd's rules, poolset_open_part_at);
					   REPLICA_UNCONFINED (-1): paths used as written (libpmemobj) */
	const char *name;		/* names the set in messages, e.g. "pool set 'x.set'"; not owned */
	unsigned nparts;
	struct replica_part *parts;
	size_t size;			/* usable bytes from offset 0, after layout */
	size_t hdr_size;		/* POOLSET_HDR_SIZE, or 0 with OPTION NOHDRS */
	void *addr;			/* pool offset 0 once mapped */
	struct pmem2_vm_reservation *rsv;
	enum pmem2_granularity granularity;	/* the coarsest of the parts', once mapped */
};

/*
 * Prepares rep for replica r of set (which must outlive rep): nothing is
 * opened. dirfd >= 0 confines every part path below it (the set must come
 * from poolset_read_at); REPLICA_UNCONFINED opens the paths as written (the
 * parser already joined relative ones to the set file's directory). name is
 * kept (not copied) for messages. -EINVAL for a replica that does not exist
 * or is remote, a NULL name or a dirfd below -1; -ENOMEM.
 */
int replica_init(struct replica *rep, const struct poolset *set, unsigned r, int dirfd,
	const char *name);

/*
 * Makes the parts: opens each (creating a missing file with mode; confined,
 * files are always made 0600, rpmemd's rule), locks it (flock LOCK_EX:
 * -EBUSY when held elsewhere, this process included), lays the pool out and
 * allocates every regular file's blocks, so a full file system fails here
 * (-ENOSPC), not at a later store. An existing part must be empty (-EEXIST
 * otherwise) unless flags has REPLICA_REUSE_NONEMPTY; a character device
 * (device DAX) is used as it is. Equals replica_create_parts then
 * replica_allocate. After a failure, replica_undo_create removes what this
 * call made and replica_close releases the rest.
 */
int replica_create(struct replica *rep, unsigned flags, mode_t mode);

/* the first half of replica_create: open or make, lock, lay out; nothing allocated yet */
int replica_create_parts(struct replica *rep, unsigned flags, mode_t mode);

/* the second half: posix_fallocate every regular part to its file_size (-ENOSPC, -EFBIG) */
int replica_allocate(struct replica *rep);

/*
 * Opens the existing parts, locks them (-EBUSY) and lays the pool out. A
 * missing part is -ENOENT naming its path; a regular part whose size is not
 * the set's is -EINVAL; AUTO needs a character device (-EINVAL).
 */
int replica_open(struct replica *rep);

/*
 * Maps every part (after replica_create or replica_open) into one libpmem2
 * vm reservation of rep->size bytes at rep->addr; rep->granularity is the
 * coarsest store granularity of the parts. replica_unmap undoes it (and is
 * a no-op on an unmapped replica).
 */
int replica_map(struct replica *rep);
void replica_unmap(struct replica *rep);

/*
 * Durability of pool range [off, off + len) of a mapped replica, split at
 * part boundaries, each piece through its own part's map. -EINVAL when the
 * range is not within [0, rep->size) or the replica is not mapped.
 * replica_persist uses the maps' persist functions, replica_deep_persist
 * pmem2_deep_flush, replica_memcpy_persist copies src in first (the copy is
 * persistent when it returns).
 */
int replica_persist(struct replica *rep, size_t off, size_t len);
int replica_deep_persist(struct replica *rep, size_t off, size_t len);
int replica_memcpy_persist(struct replica *rep, size_t off, const void *src, size_t len);

/*
 * The POOLSET_HDR_SIZE bytes at file offset 0 of part p, read through its
 * pmem2 source (a media error is an error, not a SIGBUS); works once the
 * replica is created or opened, mapped or not. -EINVAL for p out of range
 * or a part without a header.
 */
int replica_hdr_read(struct replica *rep, unsigned p, void *buf);

/*
 * Writes buf as part p's header and makes it durable: part 0's through the
 * map when mapped (it is pool offset 0), otherwise through the source and
 * fdatasync for a regular file. -EINVAL as replica_hdr_read.
 */
int replica_hdr_write(struct replica *rep, unsigned p, const void *buf);

/*
 * 1 when every part is mapped with store granularity CACHE_LINE or BYTE
 * (data DMA'd or stored into it needs no page write-back to be durable); 0
 * otherwise, and for an unmapped replica.
 */
int replica_is_pmem(const struct replica *rep);

/*
 * Undoes replica_create (after unmapping): unlinks the parts it made and
 * truncates back to 0 the empty files it filled; devices and reused parts
 * are left alone. Returns the first failure, having tried every part.
 */
int replica_undo_create(struct replica *rep);

/* unmaps, unlocks, closes, frees; rep is then as before replica_init (safe on a half-made replica) */
void replica_close(struct replica *rep);

/*
 * Removes the part files of local replica r of set: every part is opened
 * and locked first, so a replica in use anywhere is -EBUSY with nothing
 * unlinked. force: parts that cannot be opened (missing) are skipped with a
 * warning and unlink failures ignored. Device DAX parts are not unlinked.
 * dirfd and name as for replica_init.
 */
int replica_remove(const struct poolset *set, unsigned r, int dirfd, const char *name,
	int force);

/*
 * Helpers the callers share: flock(LOCK_EX | LOCK_NB) of fd (-EBUSY
 * "<name> is in use (<what> locked by another holder)"), and unlinking path
 * below dirfd without leaving it (REPLICA_UNCONFINED: unlink(path)); what
 * names the path in messages.
 */
int replica_lock_fd(int fd, const char *name, const char *what);
int replica_unlink(int dirfd, const char *path, const char *what);

#endif /* COMMON_REPLICA_H */
