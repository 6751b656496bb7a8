/* vec.h -- loads and stores of the vector width one kernel file is built for, and small copies/fills */
#ifndef PMEM2_X86_64_VEC_H
#define PMEM2_X86_64_VEC_H 1

#include <immintrin.h>
#include <stdint.h>
#include <string.h>

#include "flush.h"
#include "memops.h"

/*
 * memmove_avx512f.c and memset_avx512f.c get -mavx512f, the _avx.c files
 * -mavx, the rest plain x86-64 (SSE2); the compiler's own macros say which.
 * SMALL_MAX is the largest length copied with all loads ahead of all stores
 * (four vectors at most), which is safe for any overlap.
 */
#if defined(__AVX512F__)
#define VEC_SIZE 64
typedef __m512i vec_t;
ALWAYS_INLINE vec_t vec_loadu(const char *p) { return _mm512_loadu_si512((const void *)p); }
ALWAYS_INLINE void vec_storeu(char *p, vec_t v) { _mm512_storeu_si512((void *)p, v); }
ALWAYS_INLINE void vec_store(char *p, vec_t v) { _mm512_store_si512((void *)p, v); }
ALWAYS_INLINE void vec_stream(char *p, vec_t v) { _mm512_stream_si512((void *)p, v); }
ALWAYS_INLINE vec_t vec_set1(uint64_t c8) { return _mm512_set1_epi64((long long)c8); }
#elif defined(__AVX__)
#define VEC_SIZE 32
typedef __m256i vec_t;
ALWAYS_INLINE vec_t vec_loadu(const char *p) { return _mm256_loadu_si256((const __m256i *)p); }
ALWAYS_INLINE void vec_storeu(char *p, vec_t v) { _mm256_storeu_si256((__m256i *)p, v); }
ALWAYS_INLINE void vec_store(char *p, vec_t v) { _mm256_store_si256((__m256i *)p, v); }
ALWAYS_INLINE void vec_stream(char *p, vec_t v) { _mm256_stream_si256((__m256i *)p, v); }
ALWAYS_INLINE vec_t vec_set1(uint64_t c8) { return _mm256_set1_epi64x((long long)c8); }
#else
#define VEC_SIZE 16
typedef __m128i vec_t;
ALWAYS_INLINE vec_t vec_loadu(const char *p) { return _mm_loadu_si128((const __m128i *)p); }
ALWAYS_INLINE void vec_storeu(char *p, vec_t v) { _mm_storeu_si128((__m128i *)p, v); }
ALWAYS_INLINE void vec_store(char *p, vec_t v) { _mm_store_si128((__m128i *)p, v); }
ALWAYS_INLINE void vec_stream(char *p, vec_t v) { _mm_stream_si128((__m128i *)p, v); }
ALWAYS_INLINE vec_t vec_set1(uint64_t c8) { return _mm_set1_epi64x((long long)c8); }
#endif

/* SSE2/AVX on Intel: a fence every 12 lines keeps the WC buffers draining */
ALWAYS_INLINE int
wc_barrier(void)
{
#if VEC_SIZE < 64
	return Pmem2_wc_barrier;
#else
	return 0;
#endif
}

#define LINE_VECS (CACHELINE / VEC_SIZE)
#define SMALL_MAX (VEC_SIZE >= 32 ? 4 * VEC_SIZE : CACHELINE)

/* the byte c repeated in a 64-bit word */
ALWAYS_INLINE uint64_t
byte8(int c)
{
	return (uint64_t)(unsigned char)c * 0x0101010101010101ull;
}

/*
 * Exact copy of 0..64 bytes: two (or four) possibly overlapping accesses of
 * the largest width that fits, every load before the first store, so any
 * overlap of d and s is fine. 8-byte aligned words land with 8-byte stores.
 */
ALWAYS_INLINE void
copy_le64(char *d, const char *s, size_t len)
{
	if (len >= 32) {
#ifdef __AVX__
		__m256i a = _mm256_loadu_si256((const __m256i *)s);
		__m256i b = _mm256_loadu_si256((const __m256i *)(s + len - 32));
		_mm256_storeu_si256((__m256i *)d, a);
		_mm256_storeu_si256((__m256i *)(d + len - 32), b);
#else
		__m128i a = _mm_loadu_si128((const __m128i *)s);
		__m128i b = _mm_loadu_si128((const __m128i *)(s + 16));
		__m128i c = _mm_loadu_si128((const __m128i *)(s + len - 32));
		__m128i e = _mm_loadu_si128((const __m128i *)(s + len - 16));
		_mm_storeu_si128((__m128i *)d, a);
		_mm_storeu_si128((__m128i *)(d + 16), b);
		_mm_storeu_si128((__m128i *)(d + len - 32), c);
		_mm_storeu_si128((__m128i *)(d + len - 16), e);
#endif
	} else if (len >= 16) {
		__m128i a = _mm_loadu_si128((const __m128i *)s);
		__m128i b = _mm_loadu_si128((const __m128i *)(s + len - 16));
		_mm_storeu_si128((__m128i *)d, a);
		_mm_storeu_si128((__m128i *)(d + len - 16), b);
	} else if (len >= 8) {
		uint64_t a, b;
		memcpy(&a, s, 8);
		memcpy(&b, s + len - 8, 8);
		memcpy(d, &a, 8);
		memcpy(d + len - 8, &b, 8);
	} else if (len >= 4) {
		uint32_t a, b;
		memcpy(&a, s, 4);
		memcpy(&b, s + len - 4, 4);
		memcpy(d, &a, 4);
		memcpy(d + len - 4, &b, 4);
	} else if (len >= 2) {
		uint16_t a, b;
		memcpy(&a, s, 2);
		memcpy(&b, s + len - 2, 2);
		memcpy(d, &a, 2);
		memcpy(d + len - 2, &b, 2);
	} else if (len == 1) {
		*d = *s;
	}
}

/* exact copy of 0..SMALL_MAX bytes, every load before the first store */
ALWAYS_INLINE void
copy_small(char *d, const char *s, size_t len)
{
#if VEC_SIZE == 64
	if (len <= 64) {
		copy_le64(d, s, len);
	} else if (len <= 128) {
		vec_t a = vec_loadu(s);
		vec_t b = vec_loadu(s + len - 64);
		vec_storeu(d, a);
		vec_storeu(d + len - 64, b);
	} else {
		vec_t a = vec_loadu(s);
		vec_t b = vec_loadu(s + 64);
		vec_t c = vec_loadu(s + len - 128);
		vec_t e = vec_loadu(s + len - 64);
		vec_storeu(d, a);
		vec_storeu(d + 64, b);
		vec_storeu(d + len - 128, c);
		vec_storeu(d + len - 64, e);
	}
#elif VEC_SIZE == 32
	if (len <= 64) {
		copy_le64(d, s, len);
	} else {
		vec_t a = vec_loadu(s);
		vec_t b = vec_loadu(s + 32);
		vec_t c = vec_loadu(s + len - 64);
		vec_t e = vec_loadu(s + len - 32);
		vec_storeu(d, a);
		vec_storeu(d + 32, b);
		vec_storeu(d + len - 64, c);
		vec_storeu(d + len - 32, e);
	}
#else
	copy_le64(d, s, len);
#endif
}

/* exact fill of 0..64 bytes with the byte pattern c8 */
ALWAYS_INLINE void
set_le64(char *d, uint64_t c8, size_t len)
{
	if (len >= 32) {
#ifdef __AVX__
		__m256i v = _mm256_set1_epi64x((long long)c8);
		_mm256_storeu_si256((__m256i *)d, v);
		_mm256_storeu_si256((__m256i *)(d + len - 32), v);
#else
		__m128i v = _mm_set1_epi64x((long long)c8);
		_mm_storeu_si128((__m128i *)d, v);
		_mm_storeu_si128((__m128i *)(d + 16), v);
		_mm_storeu_si128((__m128i *)(d + len - 32), v);
		_mm_storeu_si128((__m128i *)(d + len - 16), v);
#endif
	} else if (len >= 16) {
		__m128i v = _mm_set1_epi64x((long long)c8);
		_mm_storeu_si128((__m128i *)d, v);
		_mm_storeu_si128((__m128i *)(d + len - 16), v);
	} else if (len >= 8) {
		memcpy(d, &c8, 8);
		memcpy(d + len - 8, &c8, 8);
	} else if (len >= 4) {
		uint32_t v = (uint32_t)c8;
		memcpy(d, &v, 4);
		memcpy(d + len - 4, &v, 4);
	} else if (len >= 2) {
		uint16_t v = (uint16_t)c8;
		memcpy(d, &v, 2);
		memcpy(d + len - 2, &v, 2);
	} else if (len == 1) {
		*d = (char)c8;
	}
}

/* exact fill of 0..SMALL_MAX bytes */
ALWAYS_INLINE void
set_small(char *d, uint64_t c8, size_t len)
{
#if VEC_SIZE == 64
	if (len <= 64) {
		set_le64(d, c8, len);
	} else {
		vec_t v = vec_set1(c8);
		vec_storeu(d, v);
		if (len > 128) {
			vec_storeu(d + 64, v);
			vec_storeu(d + len - 128, v);
		}
		vec_storeu(d + len - 64, v);
	}
#elif VEC_SIZE == 32
	if (len <= 64) {
		set_le64(d, c8, len);
	} else {
		vec_t v = vec_set1(c8);
		vec_storeu(d, v);
		vec_storeu(d + 32, v);
		vec_storeu(d + len - 64, v);
		vec_storeu(d + len - 32, v);
	}
#else
	set_le64(d, c8, len);
#endif
}

/*
 * A non-temporal store of 4, 8, 16 or 32 bytes at d, which is aligned to
 * that size; returns 0 (and stores nothing) for any other length, so the
 * caller falls back to temporal stores and a flush.
 */
ALWAYS_INLINE int
stream_pow2(char *d, const char *s, uint64_t c8, int fill, size_t len)
{
	switch (len) {
	case 4: {
		uint32_t v = (uint32_t)c8;
		if (!fill)
			memcpy(&v, s, 4);
		_mm_stream_si32((int *)d, (int)v);
		return 1;
	}
	case 8: {
		uint64_t v = c8;
		if (!fill)
			memcpy(&v, s, 8);
		_mm_stream_si64((long long *)d, (long long)v);
		return 1;
	}
	case 16: {
		__m128i v = fill ? _mm_set1_epi64x((long long)c8) :
			_mm_loadu_si128((const __m128i *)s);
		_mm_stream_si128((__m128i *)d, v);
		return 1;
	}
	case 32: {
#ifdef __AVX__
		__m256i v = fill ? _mm256_set1_epi64x((long long)c8) :
			_mm256_loadu_si256((const __m256i *)s);
		_mm256_stream_si256((__m256i *)d, v);
#else
		__m128i a = fill ? _mm_set1_epi64x((long long)c8) :
			_mm_loadu_si128((const __m128i *)s);
		__m128i b = fill ? a : _mm_loadu_si128((const __m128i *)(s + 16));
		_mm_stream_si128((__m128i *)d, a);
		_mm_stream_si128((__m128i *)(d + 16), b);
#endif
		return 1;
	}
	default:
		return 0;
	}
}

#endif /* PMEM2_X86_64_VEC_H */
