/* replica_internal.h -- what the replica module's files share: opening a part, the layout, message prefixes */
#ifndef COMMON_REPLICA_INTERNAL_H
#define COMMON_REPLICA_INTERNAL_H 1

#include "replica.h"

/* the set's entry of part p of the replica */
static inline const struct poolset_part *
replica_set_part(const struct replica *rep, unsigned p)
{
	return &rep->set->replicas[rep->r].parts[p];
}

/* replica_init's and replica_remove's checks of their arguments: -EINVAL naming the bad one */
int replica_check_args(const struct poolset *set, unsigned r, int dirfd, const char *name);

/*
 * Opens part p of replica r of set with open(2) flags: below dirfd by
 * poolset_open_part_at, or (REPLICA_UNCONFINED) the path as written with
 * mode for O_CREAT. Either way O_CLOEXEC, and the part must be a regular
 * file or a character device. The message names the set (name).
 */
int replica_open_part(const struct poolset *set, unsigned r, int dirfd, const char *name,
	unsigned p, int flags, mode_t mode, int *fd);

/*
 * Sizes the open parts (AUTO only for a character device), creates their
 * pmem2 sources and places them in the pool: rep->size and rep->hdr_size.
 * -EINVAL for a part with no usable bytes or a pool that cannot be mapped
 * contiguously.
 */
int replica_layout(struct replica *rep);

/* ret with "<name>: " put in front of the last message */
int replica_prefix_err(int ret, const char *name);

/* a libpmem2 error code as -errno, with "<name>: part <p>: <what>: <pmem2 message>" */
int replica_pmem2_err(const struct replica *rep, unsigned p, int ret, const char *what);

#endif /* COMMON_REPLICA_INTERNAL_H */
