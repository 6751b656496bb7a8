/* memops.h -- the copy entry points each kernel file defines, and the tunables init.c sets for them */
#ifndef PMEM2_X86_64_MEMOPS_H
#define PMEM2_X86_64_MEMOPS_H 1

#include <stddef.h>

/* internal to the library: direct (not GOT) access from the kernels */
#pragma GCC visibility push(hidden)

/* below this length CACHE_LINE copies without NT/T/WC/WB hints use temporal stores */
extern size_t Pmem2_movnt_threshold;
/* SSE2/AVX non-temporal loops fence every 768 bytes (Intel WC buffer count) */
extern int Pmem2_wc_barrier;

/*
 * Per vector ISA: memmove/memset for CACHE_LINE with each flush instruction,
 * for BYTE (eADR, no cache flush) and for PAGE (stores only, msync follows).
 */
#define MEMOPS_DECLARE(isa) \
	void *memmove_cl_clflush_##isa(void *, const void *, size_t, unsigned); \
	void *memmove_cl_clflushopt_##isa(void *, const void *, size_t, unsigned); \
	void *memmove_cl_clwb_##isa(void *, const void *, size_t, unsigned); \
	void *memmove_byte_##isa(void *, const void *, size_t, unsigned); \
	void *memmove_noflush_##isa(void *, const void *, size_t, unsigned); \
	void *memset_cl_clflush_##isa(void *, int, size_t, unsigned); \
	void *memset_cl_clflushopt_##isa(void *, int, size_t, unsigned); \
	void *memset_cl_clwb_##isa(void *, int, size_t, unsigned); \
	void *memset_byte_##isa(void *, int, size_t, unsigned); \
	void *memset_noflush_##isa(void *, int, size_t, unsigned);

MEMOPS_DECLARE(sse2)
MEMOPS_DECLARE(avx)
MEMOPS_DECLARE(avx512f)
/* PMEM_NO_MOVNT: portable word copies, or libc + flush (PMEM_NO_GENERIC_MEMCPY) */
MEMOPS_DECLARE(generic)
MEMOPS_DECLARE(libc)

/* flush.c */
#define FLUSHOPS_DECLARE(insn) \
	void flush_##insn(const void *addr, size_t len); \
	void persist_##insn(const void *addr, size_t len);

FLUSHOPS_DECLARE(clflush)
FLUSHOPS_DECLARE(clflushopt)
FLUSHOPS_DECLARE(clwb)
void flush_empty(const void *addr, size_t len);
void persist_fence(const void *addr, size_t len);
void fence_sfence(void);

#pragma GCC visibility pop

#endif /* PMEM2_X86_64_MEMOPS_H */
