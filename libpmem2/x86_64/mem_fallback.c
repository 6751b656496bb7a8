/* mem_fallback.c -- PMEM_NO_MOVNT copies: portable word copies flushed line by line, or libc + flush */
#include <string.h>

#include "pmem2.h"
#include "flush.h"
#include "memops.h"

enum copier { GENERIC, LIBC };

/*
 * Copies [s, s + len) to d within one cache line: bytes up to an 8-byte
 * boundary of d, then 8-byte words, then bytes. Volatile stores keep the
 * compiler from turning the loops into a libc call, so an 8-byte aligned
 * word is always written by one 8-byte store.
 */
static inline void
words_copy(char *d, const char *s, size_t len)
{
	while (len && ((uintptr_t)d & 7)) {
		*(volatile char *)d++ = *s++;
		len--;
	}
	for (; len >= 8; len -= 8, d += 8, s += 8) {
		uint64_t w;
		memcpy(&w, s, 8);
		*(volatile uint64_t *)d = w;
	}
	while (len--)
		*(volatile char *)d++ = *s++;
}

static inline void
words_set(char *d, uint64_t c8, size_t len)
{
	while (len && ((uintptr_t)d & 7)) {
		*(volatile char *)d++ = (char)c8;
		len--;
	}
	for (; len >= 8; len -= 8, d += 8)
		*(volatile uint64_t *)d = c8;
	while (len--)
		*(volatile char *)d++ = (char)c8;
}

/* line by line in the safe direction, each line flushed once it is written */
ALWAYS_INLINE void
generic_move(char *d, const char *s, size_t len, enum flush_kind fk)
{
	if ((uintptr_t)d - (uintptr_t)s >= len) {
		while (len) {
			size_t n = CACHELINE - ((uintptr_t)d & (CACHELINE - 1));
			if (n > len)
				n = len;
			words_copy(d, s, n);
			flush_line(fk, (uintptr_t)d);
			d += n;
			s += n;
			len -= n;
		}
		return;
	}
	/* dst above an overlapping src: from the end down, bytewise within a line */
	while (len) {
		size_t n = (uintptr_t)(d + len) & (CACHELINE - 1);
		if (n == 0)
			n = CACHELINE;
		if (n > len)
			n = len;
		char *ld = d + len - n;
		const char *ls = s + len - n;
		/* within the line: backwards, words where aligned */
		size_t m = n;
		while (m && ((uintptr_t)(ld + m) & 7)) {
			m--;
			((volatile char *)ld)[m] = ls[m];
		}
		for (; m >= 8; m -= 8) {
			uint64_t w;
			memcpy(&w, ls + m - 8, 8);
			*(volatile uint64_t *)(ld + m - 8) = w;
		}
		while (m) {
			m--;
			((volatile char *)ld)[m] = ls[m];
		}
		flush_line(fk, (uintptr_t)ld);
		len -= n;
	}
}

ALWAYS_INLINE void
generic_set(char *d, int c, size_t len, enum flush_kind fk)
{
	uint64_t c8 = (uint64_t)(unsigned char)c * 0x0101010101010101ull;
	while (len) {
		size_t n = CACHELINE - ((uintptr_t)d & (CACHELINE - 1));
		if (n > len)
			n = len;
		words_set(d, c8, n);
		flush_line(fk, (uintptr_t)d);
		d += n;
		len -= n;
	}
}

ALWAYS_INLINE void
do_move(enum copier cp, void *dst, const void *src, size_t len, enum flush_kind fk)
{
	if (cp == GENERIC) {
		generic_move(dst, src, len, fk);
	} else {
		memmove(dst, src, len);
		flush_range(fk, dst, len);
	}
}

ALWAYS_INLINE void
do_set(enum copier cp, void *dst, int c, size_t len, enum flush_kind fk)
{
	if (cp == GENERIC) {
		generic_set(dst, c, len, fk);
	} else {
		memset(dst, c, len);
		flush_range(fk, dst, len);
	}
}

/* without non-temporal stores the hints only decide about flushing and fencing */
ALWAYS_INLINE void *
move_cl(enum copier cp, void *dst, const void *src, size_t len, unsigned flags,
	enum flush_kind fk)
{
	if (unlikely(len == 0 || dst == src))
		return dst;
	if (flags & PMEM2_F_MEM_NOFLUSH) {
		do_move(cp, dst, src, len, FLUSH_NONE);
		return dst;
	}
	do_move(cp, dst, src, len, fk);
	if (!(flags & PMEM2_F_MEM_NODRAIN))
		store_fence();
	return dst;
}

ALWAYS_INLINE void *
set_cl(enum copier cp, void *dst, int c, size_t len, unsigned flags,
	enum flush_kind fk)
{
	if (unlikely(len == 0))
		return dst;
	if (flags & PMEM2_F_MEM_NOFLUSH) {
		do_set(cp, dst, c, len, FLUSH_NONE);
		return dst;
	}
	do_set(cp, dst, c, len, fk);
	if (!(flags & PMEM2_F_MEM_NODRAIN))
		store_fence();
	return dst;
}

#define FALLBACK_CL_DEFINE(name, cp, insn, kind) \
	void * \
	memmove_cl_##insn##_##name(void *dst, const void *src, size_t len, \
		unsigned flags) \
	{ \
		return move_cl(cp, dst, src, len, flags, kind); \
	} \
	void * \
	memset_cl_##insn##_##name(void *dst, int c, size_t len, unsigned flags) \
	{ \
		return set_cl(cp, dst, c, len, flags, kind); \
	}

/* BYTE fences unless NODRAIN or NOFLUSH; PAGE (noflush) only stores */
#define FALLBACK_DEFINE(name, cp) \
	FALLBACK_CL_DEFINE(name, cp, clflush, FLUSH_CLFLUSH) \
	FALLBACK_CL_DEFINE(name, cp, clflushopt, FLUSH_CLFLUSHOPT) \
	FALLBACK_CL_DEFINE(name, cp, clwb, FLUSH_CLWB) \
	void * \
	memmove_byte_##name(void *dst, const void *src, size_t len, unsigned flags) \
	{ \
		return move_cl(cp, dst, src, len, flags, FLUSH_NONE); \
	} \
	void * \
	memset_byte_##name(void *dst, int c, size_t len, unsigned flags) \
	{ \
		return set_cl(cp, dst, c, len, flags, FLUSH_NONE); \
	} \
	void * \
	memmove_noflush_##name(void *dst, const void *src, size_t len, \
		unsigned flags) \
	{ \
		if (len != 0 && dst != src) \
			do_move(cp, dst, src, len, FLUSH_NONE); \
		return dst; \
	} \
	void * \
	memset_noflush_##name(void *dst, int c, size_t len, unsigned flags) \
	{ \
		if (len != 0) \
			do_set(cp, dst, c, len, FLUSH_NONE); \
		return dst; \
	}

FALLBACK_DEFINE(generic, GENERIC)
FALLBACK_DEFINE(libc, LIBC)
