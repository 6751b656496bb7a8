/* init.c -- picks the flush instruction and copy kernels once at load (first, simple version) */
#include <cpuid.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"

struct pmem2_arch Pmem2_arch;

enum flush_insn { FLUSH_CLFLUSH, FLUSH_CLFLUSHOPT, FLUSH_CLWB };
static enum flush_insn Flush_insn;
static size_t Movnt_threshold = 256;

static void
flush_lines(const void *addr, size_t len)
{
	if (len == 0)
		return;
	uintptr_t p = (uintptr_t)addr & ~(uintptr_t)63;
	uintptr_t end = (uintptr_t)addr + len;
	for (; p < end; p += 64) {
		switch (Flush_insn) {
		case FLUSH_CLWB:
			__asm__ volatile(".byte 0x66, 0x0f, 0xae, 0x30" :: "a"(p) : "memory");
			break;
		case FLUSH_CLFLUSHOPT:
			__asm__ volatile(".byte 0x66, 0x0f, 0xae, 0x38" :: "a"(p) : "memory");
			break;
		default:
			__asm__ volatile("clflush (%0)" :: "r"(p) : "memory");
		}
	}
}

static void
fence(void)
{
	__asm__ volatile("sfence" ::: "memory");
}

static void
flush_nop(const void *addr, size_t len)
{
}

static void
persist_cl(const void *addr, size_t len)
{
	flush_lines(addr, len);
	fence();
}

static void
persist_byte(const void *addr, size_t len)
{
	fence();
}

static void *
memmove_cl(void *dst, const void *src, size_t len, unsigned flags)
{
	if (len == 0 || src == dst)
		return dst;
	memmove(dst, src, len);
	if (!(flags & PMEM2_F_MEM_NOFLUSH)) {
		flush_lines(dst, len);
		if (!(flags & PMEM2_F_MEM_NODRAIN))
			fence();
	}
	return dst;
}

static void *
memset_cl(void *dst, int c, size_t len, unsigned flags)
{
	if (len == 0)
		return dst;
	memset(dst, c, len);
	if (!(flags & PMEM2_F_MEM_NOFLUSH)) {
		flush_lines(dst, len);
		if (!(flags & PMEM2_F_MEM_NODRAIN))
			fence();
	}
	return dst;
}

static void *
memmove_byte(void *dst, const void *src, size_t len, unsigned flags)
{
	if (len == 0 || src == dst)
		return dst;
	memmove(dst, src, len);
	if (!(flags & (PMEM2_F_MEM_NOFLUSH | PMEM2_F_MEM_NODRAIN)))
		fence();
	return dst;
}

static void *
memset_byte(void *dst, int c, size_t len, unsigned flags)
{
	if (len == 0)
		return dst;
	memset(dst, c, len);
	if (!(flags & (PMEM2_F_MEM_NOFLUSH | PMEM2_F_MEM_NODRAIN)))
		fence();
	return dst;
}

static void *
memmove_noflush(void *dst, const void *src, size_t len, unsigned flags)
{
	if (len == 0 || src == dst)
		return dst;
	return memmove(dst, src, len);
}

static void *
memset_noflush(void *dst, int c, size_t len, unsigned flags)
{
	if (len == 0)
		return dst;
	return memset(dst, c, len);
}

static int
env_is_1(const char *name)
{
	const char *v = getenv(name);
	return v != NULL && strcmp(v, "1") == 0;
}

void
pmem2_arch_init(void)
{
	unsigned a, b, c, d;
	unsigned max = __get_cpuid_max(0, NULL);
	int clflushopt = 0, clwb = 0;
	if (max >= 7) {
		__cpuid_count(7, 0, a, b, c, d);
		clflushopt = (b >> 23) & 1;
		clwb = (b >> 24) & 1;
	}
	Flush_insn = FLUSH_CLFLUSH;
	const char *fname = "clflush";
	if (clflushopt && !env_is_1("PMEM_NO_CLFLUSHOPT")) {
		Flush_insn = FLUSH_CLFLUSHOPT;
		fname = "clflushopt";
	}
	if (clwb && !env_is_1("PMEM_NO_CLWB")) {
		Flush_insn = FLUSH_CLWB;
		fname = "clwb";
	}

	Pmem2_arch.flush = flush_lines;
	Pmem2_arch.fence = fence;
	Pmem2_arch.persist_cl = persist_cl;
	Pmem2_arch.flush_cl = flush_lines;
	Pmem2_arch.persist_byte = persist_byte;
	Pmem2_arch.flush_byte = flush_nop;
	Pmem2_arch.drain = fence;
	Pmem2_arch.memmove_cl = memmove_cl;
	Pmem2_arch.memset_cl = memset_cl;
	Pmem2_arch.memmove_byte = memmove_byte;
	Pmem2_arch.memset_byte = memset_byte;
	Pmem2_arch.memmove_noflush = memmove_noflush;
	Pmem2_arch.memset_noflush = memset_noflush;

	log_msg(LOG_INFO, "flush: %s, memmove/memset: libc, movnt threshold: %zu",
		fname, Movnt_threshold);
}
