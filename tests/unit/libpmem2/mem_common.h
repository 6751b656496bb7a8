/* mem_common.h -- what the mem_* and movnt* tests share: a map of each granularity checked against a shadow copy */
#ifndef MEM_COMMON_H
#define MEM_COMMON_H 1

#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "test_common.h"
#include "test_pmem2.h"

#define NODRAIN PMEM2_F_MEM_NODRAIN
#define NT PMEM2_F_MEM_NONTEMPORAL
#define TEMP PMEM2_F_MEM_TEMPORAL
#define WC PMEM2_F_MEM_WC
#define WB PMEM2_F_MEM_WB
#define NOFLUSH PMEM2_F_MEM_NOFLUSH
/* bits outside PMEM2_F_MEM_VALID_FLAGS: ignored, never a crash */
#define INVALID_BIT (1u << 6)
#define INVALID_HIGH (1u << 31)

/* every flag combination the tests run each copy under */
static const unsigned Flag_sets[] = {
	0,
	NODRAIN,
	NT,
	TEMP,
	NT | TEMP,
	NT | NODRAIN,
	WC,
	WB,
	NOFLUSH,
	PMEM2_F_MEM_VALID_FLAGS,
	INVALID_BIT,
	NT | INVALID_BIT | INVALID_HIGH,
};
#define NFLAG_SETS (sizeof(Flag_sets) / sizeof(Flag_sets[0]))

static const enum pmem2_granularity Grans[] = {
	PMEM2_GRANULARITY_BYTE,
	PMEM2_GRANULARITY_CACHE_LINE,
	PMEM2_GRANULARITY_PAGE,
};
#define NGRANS 3
static const char *const Gran_names[] = { "BYTE", "CACHE_LINE", "PAGE" };

/*
 * A map of one effective granularity (BYTE: anonymous; CACHE_LINE and PAGE:
 * a tmpfs file with PMEM2_FORCE_GRANULARITY) and a malloc'ed shadow that
 * always holds what the map should hold.
 */
struct mem_target {
	enum pmem2_granularity gran;
	struct pmem2_map *map;
	char *base;
	size_t size;
	char *shadow;
	int fd;
	char path[PATH_MAX];
	pmem2_memmove_fn memmove_fn;
	pmem2_memcpy_fn memcpy_fn;
	pmem2_memset_fn memset_fn;
	pmem2_drain_fn drain_fn;
	unsigned seed;
};

/* pseudo-random bytes depending on seed, 8 at a time (the tests fill a lot) */
static inline void
mem_fill(void *buf, size_t len, unsigned seed)
{
	uint64_t x = (uint64_t)seed * 0x9e3779b97f4a7c15ull + 0x2545f4914f6cdd1dull;
	char *p = buf;
	for (; len >= 8; len -= 8, p += 8) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		memcpy(p, &x, 8);
	}
	x ^= x << 13;
	memcpy(p, &x, len);
}

static inline void
mem_target_open(struct mem_target *t, enum pmem2_granularity g, size_t size)
{
	memset(t, 0, sizeof(*t));
	t->gran = g;
	t->size = size;
	t->fd = -1;
	if (g == PMEM2_GRANULARITY_BYTE) {
		struct pmem2_source *src;
		assert_int_equal(pmem2_source_from_anon(&src, size), 0);
		int ret = test_map_new(&t->map, src,
			TEST_MAP_ARGS(PMEM2_GRANULARITY_BYTE));
		if (ret != 0)
			fail_msg("anonymous map: %d (%s)", ret, pmem2_errormsg());
		assert_int_equal(pmem2_source_delete(&src), 0);
	} else {
		t->fd = test_tmpfile(NULL, size, O_RDWR, t->path);
		setenv("PMEM2_FORCE_GRANULARITY",
			g == PMEM2_GRANULARITY_PAGE ? "page" : "cache_line", 1);
		t->map = test_map_fd(t->fd, TEST_MAP_ARGS(PMEM2_GRANULARITY_PAGE));
		unsetenv("PMEM2_FORCE_GRANULARITY");
	}
	assert_int_equal(pmem2_map_get_store_granularity(t->map), g);
	assert_true(pmem2_map_get_size(t->map) >= size);
	t->base = pmem2_map_get_address(t->map);
	t->memmove_fn = pmem2_get_memmove_fn(t->map);
	t->memcpy_fn = pmem2_get_memcpy_fn(t->map);
	t->memset_fn = pmem2_get_memset_fn(t->map);
	t->drain_fn = pmem2_get_drain_fn(t->map);
	assert_non_null(t->memmove_fn);
	assert_non_null(t->memcpy_fn);
	assert_non_null(t->memset_fn);
	t->shadow = malloc(size);
	assert_non_null(t->shadow);
	mem_fill(t->shadow, size, 12345u + (unsigned)g);
	memcpy(t->base, t->shadow, size);
}

static inline void mem_report(struct mem_target *t, size_t lo, size_t hi,
	const char *what);

static inline void
mem_target_close(struct mem_target *t)
{
	if (memcmp(t->base, t->shadow, t->size) != 0)
		mem_report(t, 0, t->size, "at the end of the test");
	test_map_delete(&t->map);
	if (t->fd >= 0)
		close(t->fd);
	free(t->shadow);
}

/* gives [off, off + len) fresh content, in the map and in the shadow alike */
static inline void
mem_refresh(struct mem_target *t, size_t off, size_t len)
{
	mem_fill(t->shadow + off, len, ++t->seed);
	memcpy(t->base + off, t->shadow + off, len);
}

/* [lo, hi) widened by 256 bytes each side, clipped to the map */
static inline int
mem_window_equal(struct mem_target *t, size_t *lo, size_t *hi)
{
	*lo = *lo > 256 ? *lo - 256 : 0;
	*hi = *hi + 256 < t->size ? *hi + 256 : t->size;
	return memcmp(t->base + *lo, t->shadow + *lo, *hi - *lo) == 0;
}

/* fails naming the first byte in [lo, hi) where the map and the shadow differ */
static inline void
mem_report(struct mem_target *t, size_t lo, size_t hi, const char *what)
{
	size_t i = lo;
	while (i < hi && t->base[i] == t->shadow[i])
		i++;
	fail_msg("%s map, %s: byte at offset %zu is 0x%02x, expected 0x%02x",
		Gran_names[t->gran], what, i, (unsigned char)t->base[i],
		(unsigned char)t->shadow[i]);
}

/* NODRAIN leaves the final fence to the caller, as a user would */
static inline void
mem_drain(struct mem_target *t, unsigned flags)
{
	if (flags & NODRAIN)
		t->drain_fn();
}

/* fails unless the map equals the shadow around [lo, hi) */
static inline void
mem_expect(struct mem_target *t, size_t lo, size_t hi, const char *op,
	size_t dst, size_t src, size_t len, unsigned flags)
{
	if (mem_window_equal(t, &lo, &hi))
		return;
	char what[160];
	snprintf(what, sizeof(what), "%s dst %zu src %zu len %zu flags 0x%x",
		op, dst, src, len, flags);
	mem_report(t, lo, hi, what);
}

/* memmove (or memcpy) of len bytes from offset src to offset dst, checked */
static inline void
mem_move(struct mem_target *t, size_t dst, size_t src, size_t len,
	unsigned flags, int use_memcpy)
{
	const char *op = use_memcpy ? "memcpy" : "memmove";
	size_t dist = dst > src ? dst - src : src - dst;
	size_t lo = dst < src ? dst : src;
	size_t hi = (dst > src ? dst : src) + len;
	if (dist < len + 512) {
		mem_refresh(t, lo, hi - lo);
	} else {
		mem_refresh(t, src, len);
		mem_refresh(t, dst, len);
	}
	pmem2_memmove_fn fn = use_memcpy ? t->memcpy_fn : t->memmove_fn;
	void *ret = fn(t->base + dst, t->base + src, len, flags);
	mem_drain(t, flags);
	memmove(t->shadow + dst, t->shadow + src, len);
	if (ret != t->base + dst)
		fail_msg("%s map: %s returned %p, not dst %p", Gran_names[t->gran],
			op, ret, (void *)(t->base + dst));
	if (dist < len + 512) {
		mem_expect(t, lo, hi, op, dst, src, len, flags);
	} else {
		mem_expect(t, dst, dst + len, op, dst, src, len, flags);
		mem_expect(t, src, src + len, op, dst, src, len, flags);
	}
}

static inline void
mem_set(struct mem_target *t, size_t dst, int c, size_t len, unsigned flags)
{
	mem_refresh(t, dst, len);
	void *ret = t->memset_fn(t->base + dst, c, len, flags);
	mem_drain(t, flags);
	memset(t->shadow + dst, c, len);
	if (ret != t->base + dst)
		fail_msg("%s map: memset returned %p, not dst %p",
			Gran_names[t->gran], ret, (void *)(t->base + dst));
	size_t lo = dst, hi = dst + len;
	if (!mem_window_equal(t, &lo, &hi)) {
		char what[160];
		snprintf(what, sizeof(what),
			"memset dst %zu c 0x%x len %zu flags 0x%x", dst, c, len,
			flags);
		mem_report(t, lo, hi, what);
	}
}

/*
 * The threshold the library runs with (PMEM_MOVNT_THRESHOLD as the
 * library reads it, else 256), so boundary lengths follow the env matrix.
 */
static inline size_t
mem_threshold(void)
{
	const char *v = getenv("PMEM_MOVNT_THRESHOLD");
	if (v == NULL || *v == '\0')
		return 256;
	char *end;
	long long n = strtoll(v, &end, 10);
	if (*end != '\0' || n < 0 || n > (1 << 20))
		return 256;
	return (size_t)n;
}

/*
 * The lengths where the kernels change strategy and the movnt threshold,
 * each less one, itself and plus one, into lens; returns how many.
 */
#define MEM_BOUNDARY_LENS_MAX (3 * 17)	/* 16 kernel lengths and the threshold */
static inline size_t
mem_boundary_lens(size_t lens[MEM_BOUNDARY_LENS_MAX])
{
	static const size_t base[16] = { 1, 2, 4, 8, 16, 32, 64, 128, 192, 256,
		384, 512, 768, 1024, 2304, 4096 };
	size_t thr = mem_threshold();
	size_t n = 0;
	for (size_t i = 0; i <= 16; i++) {
		size_t b = i < 16 ? base[i] : thr;
		if (b > 8192)
			continue;
		if (b > 0)
			lens[n++] = b - 1;
		lens[n++] = b;
		lens[n++] = b + 1;
	}
	return n;
}

/*
 * A length for a destination misaligned by head: the bytes up to its first
 * line boundary, then no whole line, one (the small path) or four (the loop),
 * as f, head and tail pick, then tail bytes.
 */
static inline size_t
mem_head_tail_len(size_t f, size_t head, size_t tail)
{
	static const size_t lines[] = { 0, 1, 4 };
	return (64 - head) % 64 + 64 * lines[(f + head + tail) % 3] + tail;
}

/* the file under a file map holds what the shadow holds (read back with pread) */
static inline void
mem_expect_file(struct mem_target *t)
{
	char *file = malloc(t->size);
	assert_non_null(file);
	assert_int_equal(pread(t->fd, file, t->size, 0), (ssize_t)t->size);
	assert_memory_equal(file, t->shadow, t->size);
	free(file);
}

/* MEM_TEST_QUICK=1 (mem_env_matrix.sh) thins the loops out by this step */
static inline size_t
mem_step(void)
{
	const char *v = getenv("MEM_TEST_QUICK");
	return v != NULL && strcmp(v, "1") == 0 ? 16 : 1;
}

/*
 * Read-write memory of at least len bytes between two PROT_NONE guard
 * pages: a kernel that touches a byte outside the range it was given, placed
 * with guarded_at(), dies with SIGSEGV.
 */
struct guarded {
	char *map;
	size_t maplen;
	char *start;
	char *end;
};

static inline void
guarded_alloc(struct guarded *g, size_t len)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t inner = (len + page - 1) / page * page;
	if (inner == 0)
		inner = page;
	g->maplen = inner + 2 * page;
	g->map = mmap(NULL, g->maplen, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		-1, 0);
	assert_true(g->map != MAP_FAILED);
	assert_int_equal(mprotect(g->map + page, inner, PROT_READ | PROT_WRITE), 0);
	g->start = g->map + page;
	g->end = g->start + inner;
}

/* len bytes ending right at the upper guard page (at_end) or starting right at the lower */
static inline char *
guarded_at(struct guarded *g, size_t len, int at_end)
{
	return at_end ? g->end - len : g->start;
}

static inline void
guarded_free(struct guarded *g)
{
	assert_int_equal(munmap(g->map, g->maplen), 0);
}

#endif /* MEM_COMMON_H */
