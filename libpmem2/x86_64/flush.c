/* flush.c -- persist/flush/drain for CACHE_LINE (one function per flush instruction) and BYTE */
#include "flush.h"
#include "memops.h"

#define FLUSHOPS_DEFINE(insn, kind) \
	void \
	flush_##insn(const void *addr, size_t len) \
	{ \
		flush_range(kind, addr, len); \
	} \
	void \
	persist_##insn(const void *addr, size_t len) \
	{ \
		flush_range(kind, addr, len); \
		store_fence(); \
	}

FLUSHOPS_DEFINE(clflush, FLUSH_CLFLUSH)
FLUSHOPS_DEFINE(clflushopt, FLUSH_CLFLUSHOPT)
FLUSHOPS_DEFINE(clwb, FLUSH_CLWB)

/* BYTE (eADR): the caches are persistent, nothing to write back */
void
flush_empty(const void *addr, size_t len)
{
}

/* BYTE persist: order the stores, nothing to write back */
void
persist_fence(const void *addr, size_t len)
{
	store_fence();
}

void
fence_sfence(void)
{
	store_fence();
}
