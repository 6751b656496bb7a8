/*
 * libpmemobj.h -- libpmemobj core, the replication core of libpmemobj:
 * replicated pools (pool set files with local and remote replicas), the
 * root object and the persist calls, source-compatible with PMDK's
 * libpmemobj 1.12 for these calls. No allocator, no transactions: see
 * libpmemobj-core(7). Installed under <includedir>/libpmemobj-core, found
 * with `pkg-config --cflags libpmemobj-core`.
 */
#ifndef LIBPMEMOBJ_H
#define LIBPMEMOBJ_H 1

#include <libpmemobj/base.h>
#include <libpmemobj/pool_base.h>
#include <libpmemobj/types.h>

#endif /* LIBPMEMOBJ_H */
