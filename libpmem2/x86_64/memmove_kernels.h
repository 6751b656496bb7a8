/* memmove_kernels.h -- memmove for one vector ISA; a memmove_<isa>.c defines ISA and includes it */
#ifndef ISA
#error "define ISA (sse2, avx, avx512f) before including memmove_kernels.h"
#endif

#include "mem_policy.h"
#include "vec.h"

#define MM_CAT_(a, b) a##_##b
#define MM_CAT(a, b) MM_CAT_(a, b)
#define MM_FN(name) MM_CAT(name, ISA)

/*
 * Every kernel copies an unaligned head (up to the first line boundary) and
 * tail exactly with temporal stores, and the 64-byte aligned lines between
 * them whole. Each line is loaded before it is stored and lines go in the
 * copy's direction, so overlap is safe: forward when dst is below src (or
 * apart), backward when dst - src < len.
 */

ALWAYS_INLINE void
line_store(char *d, const char *s)
{
	vec_t v[LINE_VECS];
#pragma GCC unroll 4
	for (int i = 0; i < LINE_VECS; i++)
		v[i] = vec_loadu(s + i * VEC_SIZE);
#pragma GCC unroll 4
	for (int i = 0; i < LINE_VECS; i++)
		vec_store(d + i * VEC_SIZE, v[i]);
}

ALWAYS_INLINE void
line_stream(char *d, const char *s)
{
	vec_t v[LINE_VECS];
#pragma GCC unroll 4
	for (int i = 0; i < LINE_VECS; i++)
		v[i] = vec_loadu(s + i * VEC_SIZE);
#pragma GCC unroll 4
	for (int i = 0; i < LINE_VECS; i++)
		vec_stream(d + i * VEC_SIZE, v[i]);
}

/* four lines, all loads first (more loads in flight) */
ALWAYS_INLINE void
block_store(char *d, const char *s, int nt)
{
	vec_t v[4 * LINE_VECS];
#pragma GCC unroll 16
	for (int i = 0; i < 4 * LINE_VECS; i++)
		v[i] = vec_loadu(s + i * VEC_SIZE);
#pragma GCC unroll 16
	for (int i = 0; i < 4 * LINE_VECS; i++) {
		if (nt)
			vec_stream(d + i * VEC_SIZE, v[i]);
		else
			vec_store(d + i * VEC_SIZE, v[i]);
	}
}

ALWAYS_INLINE void
block_flush(enum flush_kind fk, char *d)
{
	for (int i = 0; i < 4; i++)
		flush_line(fk, (uintptr_t)d + (uintptr_t)i * CACHELINE);
}

/* the part of [d, d + len) before the first line boundary, at most len */
ALWAYS_INLINE size_t
head_len(const char *d, size_t len)
{
	size_t h = (size_t)(-(uintptr_t)d & (CACHELINE - 1));
	return h < len ? h : len;
}

ALWAYS_INLINE void
mm_fwd(char *d, const char *s, size_t len, int nt, enum flush_kind fk)
{
	size_t h = head_len(d, len);
	if (h) {
		copy_le64(d, s, h);
		flush_line(fk, (uintptr_t)d);
		d += h;
		s += h;
		len -= h;
	}
	if (nt && wc_barrier()) {
		while (len >= 3 * BLOCK) {
			for (int i = 0; i < 3; i++)
				block_store(d + i * BLOCK, s + i * BLOCK, 1);
			store_fence();
			d += 3 * BLOCK;
			s += 3 * BLOCK;
			len -= 3 * BLOCK;
		}
	}
	while (len >= BLOCK) {
		block_store(d, s, nt);
		if (!nt)
			block_flush(fk, d);
		d += BLOCK;
		s += BLOCK;
		len -= BLOCK;
	}
	while (len >= CACHELINE) {
		if (nt) {
			line_stream(d, s);
		} else {
			line_store(d, s);
			flush_line(fk, (uintptr_t)d);
		}
		d += CACHELINE;
		s += CACHELINE;
		len -= CACHELINE;
	}
	if (len) {
		if (nt && stream_pow2(d, s, 0, 0, len))
			return;
		copy_le64(d, s, len);
		flush_line(fk, (uintptr_t)d);
	}
}

ALWAYS_INLINE void
mm_bwd(char *d, const char *s, size_t len, int nt, enum flush_kind fk)
{
	size_t t = (uintptr_t)(d + len) & (CACHELINE - 1);
	if (t) {
		if (t > len)
			t = len;
		len -= t;
		copy_le64(d + len, s + len, t);
		flush_line(fk, (uintptr_t)(d + len));
	}
	if (nt && wc_barrier()) {
		while (len >= 3 * BLOCK) {
			len -= 3 * BLOCK;
			for (int i = 2; i >= 0; i--)
				block_store(d + len + i * BLOCK, s + len + i * BLOCK, 1);
			store_fence();
		}
	}
	while (len >= BLOCK) {
		len -= BLOCK;
		block_store(d + len, s + len, nt);
		if (!nt)
			block_flush(fk, d + len);
	}
	while (len >= CACHELINE) {
		len -= CACHELINE;
		if (nt) {
			line_stream(d + len, s + len);
		} else {
			line_store(d + len, s + len);
			flush_line(fk, (uintptr_t)(d + len));
		}
	}
	if (len) {
		copy_le64(d, s, len);
		flush_line(fk, (uintptr_t)d);
	}
}

/* temporal stores, flushing each written line with fk */
ALWAYS_INLINE void
mm_t(char *d, const char *s, size_t len, enum flush_kind fk)
{
	MEM_TRACE(t);
	if (len <= SMALL_MAX) {
		copy_small(d, s, len);
		flush_range(fk, d, len);
	} else if ((uintptr_t)d - (uintptr_t)s < len) {
		mm_bwd(d, s, len, 0, fk);
	} else {
		mm_fwd(d, s, len, 0, fk);
	}
}

/* non-temporal stores for whole lines; the unaligned ends flushed with fk */
ALWAYS_INLINE void
mm_nt(char *d, const char *s, size_t len, enum flush_kind fk)
{
	MEM_TRACE(nt);
	if ((uintptr_t)d - (uintptr_t)s < len)
		mm_bwd(d, s, len, 1, fk);
	else
		mm_fwd(d, s, len, 1, fk);
}

ALWAYS_INLINE void *
memmove_cl(void *dst, const void *src, size_t len, unsigned flags,
	enum flush_kind fk)
{
	if (unlikely(len == 0 || dst == src))
		return dst;
	if (flags & PMEM2_F_MEM_NOFLUSH) {
		mm_t(dst, src, len, FLUSH_NONE);
		return dst;
	}
	if (want_temporal(len, flags))
		mm_t(dst, src, len, fk);
	else
		mm_nt(dst, src, len, fk);
	if (!(flags & PMEM2_F_MEM_NODRAIN))
		store_fence();
	return dst;
}

#define MEMMOVE_CL_DEFINE(insn, kind) \
	void * \
	MM_FN(memmove_cl_##insn)(void *dst, const void *src, size_t len, \
		unsigned flags) \
	{ \
		return memmove_cl(dst, src, len, flags, kind); \
	}

MEMMOVE_CL_DEFINE(clflush, FLUSH_CLFLUSH)
MEMMOVE_CL_DEFINE(clflushopt, FLUSH_CLFLUSHOPT)
MEMMOVE_CL_DEFINE(clwb, FLUSH_CLWB)

/* BYTE (eADR): never a cache flush; non-temporal only when asked */
void *
MM_FN(memmove_byte)(void *dst, const void *src, size_t len, unsigned flags)
{
	if (unlikely(len == 0 || dst == src))
		return dst;
	if (flags & PMEM2_F_MEM_NOFLUSH) {
		mm_t(dst, src, len, FLUSH_NONE);
		return dst;
	}
	if (flags & PMEM2_F_MEM_NONTEMPORAL)
		mm_nt(dst, src, len, FLUSH_NONE);
	else
		mm_t(dst, src, len, FLUSH_NONE);
	if (!(flags & PMEM2_F_MEM_NODRAIN))
		store_fence();
	return dst;
}

/* PAGE: the CACHE_LINE choice without flushing; msync follows in the caller */
void *
MM_FN(memmove_noflush)(void *dst, const void *src, size_t len, unsigned flags)
{
	if (unlikely(len == 0 || dst == src))
		return dst;
	if ((flags & PMEM2_F_MEM_NOFLUSH) || want_temporal(len, flags)) {
		mm_t(dst, src, len, FLUSH_NONE);
	} else {
		mm_nt(dst, src, len, FLUSH_NONE);
		store_fence();
	}
	return dst;
}
