/*
 * flush.c -- the FLUSH operation of both movers: write a range back from the
 * CPU caches to memory, with clflushopt where CPUID reports it, else with
 * clflush, then sfence so that the write-backs are ordered before whatever
 * the caller does after the future completes.
 */
#include <pthread.h>
#include <stdint.h>

#include "miniasync.h"

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>

#define LEAF1_EDX_CLFLUSH (1u << 19)
#define LEAF7_EBX_CLFLUSHOPT (1u << 23)

static pthread_once_t Detect_once = PTHREAD_ONCE_INIT;
static int Have_clflushopt;
static int Have_clflush;
static uintptr_t Line = 64;

static void
detect(void)
{
	unsigned eax, ebx, ecx, edx;

	if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx))
		return;
	Have_clflush = (edx & LEAF1_EDX_CLFLUSH) != 0;
	/* EBX[15:8]: the line size clflush works on, in 8-byte units */
	unsigned line = ((ebx >> 8) & 0xff) * 8;
	if (line >= 16 && (line & (line - 1)) == 0)
		Line = line;
	if (__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx))
		Have_clflushopt = (ebx & LEAF7_EBX_CLFLUSHOPT) != 0;
}

__attribute__((target("clflushopt")))
static void
flush_clflushopt(uintptr_t p, uintptr_t end)
{
	for (; p < end; p += Line)
		_mm_clflushopt((void *)p);
}

static void
flush_clflush(uintptr_t p, uintptr_t end)
{
	for (; p < end; p += Line)
		_mm_clflush((void *)p);
}

void
flush_range(const void *addr, size_t n)
{
	pthread_once(&Detect_once, detect);
	if (n > 0) {
		uintptr_t p = (uintptr_t)addr & ~(Line - 1);
		uintptr_t end = (uintptr_t)addr + n;
		if (Have_clflushopt)
			flush_clflushopt(p, end);
		else if (Have_clflush)
			flush_clflush(p, end);
	}
	_mm_sfence();
}

#else

/* no cache write-back instruction known here: order the stores only */
void
flush_range(const void *addr, size_t n)
{
	(void)addr;
	(void)n;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

#endif
