/* arch.h -- the CPU-specific layer: flush, fence and copy kernels, chosen once at load */
#ifndef PMEM2_ARCH_H
#define PMEM2_ARCH_H 1

#include "pmem2.h"

/*
 * Filled once by pmem2_arch_init() from CPUID (with the OS's XCR0 state) and
 * the PMEM_* environment variables. Every member is a plain function, so the
 * pointers handed to users are the same for every map of one granularity and
 * stay valid after the map is gone.
 */
struct pmem2_arch {
	/* write back the cache lines of [addr, addr + len), no fence */
	void (*flush)(const void *addr, size_t len);
	/* order preceding stores and flushes (sfence) */
	void (*fence)(void);

	/* CACHE_LINE granularity: persist = flush + fence, flush = flush */
	pmem2_persist_fn persist_cl;
	pmem2_flush_fn flush_cl;
	/* BYTE granularity (eADR): persist = fence, flush = nothing */
	pmem2_persist_fn persist_byte;
	pmem2_flush_fn flush_byte;
	/* drain for CACHE_LINE and BYTE: fence */
	pmem2_drain_fn drain;

	/*
	 * Copies with the full PMEM2_F_MEM_* semantics of each granularity:
	 * _cl flushes what it wrote (temporal below the threshold, non-temporal
	 * above or when asked) and fences unless NODRAIN or NOFLUSH;
	 * _byte never flushes caches, uses non-temporal stores only for
	 * NONTEMPORAL, and fences unless NODRAIN or NOFLUSH;
	 * _noflush only stores (same temporal/non-temporal choice as _cl) and
	 * fences after non-temporal stores; PAGE granularity msyncs after it.
	 * memmove handles overlap; memcpy is the same function.
	 */
	pmem2_memmove_fn memmove_cl;
	pmem2_memset_fn memset_cl;
	pmem2_memmove_fn memmove_byte;
	pmem2_memset_fn memset_byte;
	pmem2_memmove_fn memmove_noflush;
	pmem2_memset_fn memset_noflush;
};

extern struct pmem2_arch Pmem2_arch;

void pmem2_arch_init(void);

#endif /* PMEM2_ARCH_H */
