/* flush.h -- cache-line write-back and store fence, inlined into every kernel */
#ifndef PMEM2_X86_64_FLUSH_H
#define PMEM2_X86_64_FLUSH_H 1

#include <stddef.h>
#include <stdint.h>

#define CACHELINE 64

/*
 * Zero-cost hook: tests/unit/libpmem2/mem_policy.c compiles the copy
 * templates with MEM_TRACE counting the kernels' decisions (t, nt, flush,
 * fence), which no public interface can observe.
 */
#ifndef MEM_TRACE
#define MEM_TRACE(event) ((void)0)
#endif

/*
 * Which instruction writes a line back. Kernels are instantiated once per
 * kind, so the choice is a compile-time constant inside them; FLUSH_NONE
 * serves the "noflush" (PAGE, NOFLUSH) and "empty" (eADR) flavours.
 */
enum flush_kind {
	FLUSH_NONE,
	FLUSH_CLFLUSH,
	FLUSH_CLFLUSHOPT,
	FLUSH_CLWB,
};

#define ALWAYS_INLINE static inline __attribute__((always_inline))

/*
 * The mnemonics need no -mclwb/-mclflushopt: the assembler takes them as
 * they are, and init.c only selects a kind the CPU reports. The "memory"
 * clobber keeps every earlier store to the line ahead of the flush.
 */
ALWAYS_INLINE void
flush_line(enum flush_kind kind, uintptr_t line)
{
	const char *p = (const char *)line;
	if (kind != FLUSH_NONE)
		MEM_TRACE(flush);
	switch (kind) {
	case FLUSH_CLWB:
		__asm__ volatile("clwb %0" :: "m"(*p) : "memory");
		break;
	case FLUSH_CLFLUSHOPT:
		__asm__ volatile("clflushopt %0" :: "m"(*p) : "memory");
		break;
	case FLUSH_CLFLUSH:
		__asm__ volatile("clflush %0" :: "m"(*p) : "memory");
		break;
	case FLUSH_NONE:
		break;
	}
}

/* every line touched by [addr, addr + len); nothing for len 0 */
ALWAYS_INLINE void
flush_range(enum flush_kind kind, const void *addr, size_t len)
{
	if (kind == FLUSH_NONE || len == 0)
		return;
	uintptr_t end = (uintptr_t)addr + len;
	for (uintptr_t p = (uintptr_t)addr & ~(uintptr_t)(CACHELINE - 1); p < end;
			p += CACHELINE)
		flush_line(kind, p);
}

ALWAYS_INLINE void
store_fence(void)
{
	MEM_TRACE(fence);
	__asm__ volatile("sfence" ::: "memory");
}

#endif /* PMEM2_X86_64_FLUSH_H */
