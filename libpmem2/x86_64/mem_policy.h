/* mem_policy.h -- what the memmove and memset templates share: the temporal/non-temporal choice and trace hooks */
#ifndef PMEM2_X86_64_MEM_POLICY_H
#define PMEM2_X86_64_MEM_POLICY_H 1

#include <stddef.h>

#include <libpmem2.h>

#include "memops.h"
#include "util.h"

#define BLOCK (4 * 64)		/* four cache lines per loop iteration */

#define MOVNT_FLAGS (PMEM2_F_MEM_NONTEMPORAL | PMEM2_F_MEM_WC)
#define MOV_FLAGS (PMEM2_F_MEM_TEMPORAL | PMEM2_F_MEM_WB)

/* CACHE_LINE and PAGE choose alike: hints first, then the length threshold */
static inline __attribute__((always_inline)) int
want_temporal(size_t len, unsigned flags)
{
	if (flags & MOVNT_FLAGS)
		return 0;
	return (flags & MOV_FLAGS) || len < Pmem2_movnt_threshold;
}

#endif /* PMEM2_X86_64_MEM_POLICY_H */
