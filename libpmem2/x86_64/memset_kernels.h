/* memset_kernels.h -- memset for one vector ISA; a memset_<isa>.c defines ISA and includes it */
#ifndef ISA
#error "define ISA (sse2, avx, avx512f) before including memset_kernels.h"
#endif

#include "mem_policy.h"
#include "vec.h"

#define MS_CAT_(a, b) a##_##b
#define MS_CAT(a, b) MS_CAT_(a, b)
#define MS_FN(name) MS_CAT(name, ISA)

ALWAYS_INLINE void
line_fill(char *d, vec_t v, int nt)
{
#pragma GCC unroll 4
	for (int i = 0; i < LINE_VECS; i++) {
		if (nt)
			vec_stream(d + i * VEC_SIZE, v);
		else
			vec_store(d + i * VEC_SIZE, v);
	}
}

ALWAYS_INLINE void
block_fill(char *d, vec_t v, int nt)
{
#pragma GCC unroll 4
	for (int i = 0; i < 4; i++)
		line_fill(d + i * CACHELINE, v, nt);
}

/*
 * The unaligned head and tail are filled exactly with temporal stores (and
 * flushed with fk), the aligned lines between with temporal stores flushed
 * line by line, or with non-temporal stores.
 */
ALWAYS_INLINE void
ms_lines(char *d, uint64_t c8, size_t len, int nt, enum flush_kind fk)
{
	size_t h = (size_t)(-(uintptr_t)d & (CACHELINE - 1));
	if (h) {
		if (h > len)
			h = len;
		set_le64(d, c8, h);
		flush_line(fk, (uintptr_t)d);
		d += h;
		len -= h;
	}
	vec_t v = vec_set1(c8);
	if (nt && wc_barrier()) {
		while (len >= 3 * BLOCK) {
			for (int i = 0; i < 3; i++)
				block_fill(d + i * BLOCK, v, 1);
			store_fence();
			d += 3 * BLOCK;
			len -= 3 * BLOCK;
		}
	}
	while (len >= BLOCK) {
		block_fill(d, v, nt);
		if (!nt) {
			for (int i = 0; i < 4; i++)
				flush_line(fk, (uintptr_t)d + (uintptr_t)i * CACHELINE);
		}
		d += BLOCK;
		len -= BLOCK;
	}
	while (len >= CACHELINE) {
		line_fill(d, v, nt);
		if (!nt)
			flush_line(fk, (uintptr_t)d);
		d += CACHELINE;
		len -= CACHELINE;
	}
	if (len) {
		if (nt && stream_pow2(d, NULL, c8, 1, len))
			return;
		set_le64(d, c8, len);
		flush_line(fk, (uintptr_t)d);
	}
}

ALWAYS_INLINE void
ms_t(char *d, int c, size_t len, enum flush_kind fk)
{
	MEM_TRACE(t);
	if (len <= SMALL_MAX) {
		set_small(d, byte8(c), len);
		flush_range(fk, d, len);
	} else {
		ms_lines(d, byte8(c), len, 0, fk);
	}
}

ALWAYS_INLINE void
ms_nt(char *d, int c, size_t len, enum flush_kind fk)
{
	MEM_TRACE(nt);
	ms_lines(d, byte8(c), len, 1, fk);
}

ALWAYS_INLINE void *
memset_cl(void *dst, int c, size_t len, unsigned flags, enum flush_kind fk)
{
	if (unlikely(len == 0))
		return dst;
	if (flags & PMEM2_F_MEM_NOFLUSH) {
		ms_t(dst, c, len, FLUSH_NONE);
		return dst;
	}
	if (want_temporal(len, flags))
		ms_t(dst, c, len, fk);
	else
		ms_nt(dst, c, len, fk);
	if (!(flags & PMEM2_F_MEM_NODRAIN))
		store_fence();
	return dst;
}

#define MEMSET_CL_DEFINE(insn, kind) \
	void * \
	MS_FN(memset_cl_##insn)(void *dst, int c, size_t len, unsigned flags) \
	{ \
		return memset_cl(dst, c, len, flags, kind); \
	}

MEMSET_CL_DEFINE(clflush, FLUSH_CLFLUSH)
MEMSET_CL_DEFINE(clflushopt, FLUSH_CLFLUSHOPT)
MEMSET_CL_DEFINE(clwb, FLUSH_CLWB)

/* BYTE (eADR): never a cache flush; non-temporal only when asked */
void *
MS_FN(memset_byte)(void *dst, int c, size_t len, unsigned flags)
{
	if (unlikely(len == 0))
		return dst;
	if (flags & PMEM2_F_MEM_NOFLUSH) {
		ms_t(dst, c, len, FLUSH_NONE);
		return dst;
	}
	if (flags & PMEM2_F_MEM_NONTEMPORAL)
		ms_nt(dst, c, len, FLUSH_NONE);
	else
		ms_t(dst, c, len, FLUSH_NONE);
	if (!(flags & PMEM2_F_MEM_NODRAIN))
		store_fence();
	return dst;
}

/* PAGE: the CACHE_LINE choice without flushing; msync follows in the caller */
void *
MS_FN(memset_noflush)(void *dst, int c, size_t len, unsigned flags)
{
	if (unlikely(len == 0))
		return dst;
	if ((flags & PMEM2_F_MEM_NOFLUSH) || want_temporal(len, flags)) {
		ms_t(dst, c, len, FLUSH_NONE);
	} else {
		ms_nt(dst, c, len, FLUSH_NONE);
		store_fence();
	}
	return dst;
}
