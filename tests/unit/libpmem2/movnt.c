/* movnt.c -- the mem* pointers of every granularity keep working on malloc'ed memory after their map is deleted */
#include "mem_common.h"

#define GUARD 64
#define MAXLEN 4096

struct fns {
	enum pmem2_granularity gran;
	pmem2_memmove_fn memmove_fn;
	pmem2_memcpy_fn memcpy_fn;
	pmem2_memset_fn memset_fn;
	pmem2_drain_fn drain_fn;
	pmem2_persist_fn persist_fn;
	pmem2_flush_fn flush_fn;
};

/* the functions of a granularity, taken from a map that is then deleted */
static void
fns_of_deleted_map(enum pmem2_granularity g, struct fns *f)
{
	struct mem_target t;
	mem_target_open(&t, g, (size_t)2 << 20);
	f->gran = g;
	f->memmove_fn = t.memmove_fn;
	f->memcpy_fn = t.memcpy_fn;
	f->memset_fn = t.memset_fn;
	f->drain_fn = t.drain_fn;
	f->persist_fn = pmem2_get_persist_fn(t.map);
	f->flush_fn = pmem2_get_flush_fn(t.map);
	mem_target_close(&t);
}

/* buf holds GUARD bytes of 0xee, len bytes of the copy, GUARD bytes of 0xee */
static void
check_guarded(const char *buf, const char *expect, size_t len, const char *what,
	size_t size, unsigned flags, enum pmem2_granularity g)
{
	for (size_t i = 0; i < GUARD; i++) {
		if ((unsigned char)buf[i] != 0xee ||
				(unsigned char)buf[GUARD + len + i] != 0xee)
			fail_msg("%s %s len %zu flags 0x%x wrote outside [dst, dst+len)",
				Gran_names[g], what, size, flags);
	}
	if (memcmp(buf + GUARD, expect, len) != 0)
		fail_msg("%s %s len %zu flags 0x%x: wrong data", Gran_names[g],
			what, size, flags);
}

static void
copies_of_power_of_two_lengths_on_malloced_memory_stay_in_bounds(void **state)
{
	(void)state;
	char *src = malloc(MAXLEN);
	char *dst = malloc(MAXLEN + 2 * GUARD);
	char *expect = malloc(MAXLEN);
	assert_non_null(src);
	assert_non_null(dst);
	assert_non_null(expect);
	for (int g = 0; g < NGRANS; g++) {
		struct fns f;
		fns_of_deleted_map(Grans[g], &f);
		for (size_t len = 0; len <= MAXLEN; len = len ? len * 2 : 1)
			for (size_t fl = 0; fl < NFLAG_SETS; fl++) {
				unsigned flags = Flag_sets[fl];
				mem_fill(src, len, (unsigned)(len + fl));
				memset(dst, 0xee, MAXLEN + 2 * GUARD);
				assert_ptr_equal(f.memcpy_fn(dst + GUARD, src, len,
					flags | NODRAIN), dst + GUARD);
				f.drain_fn();
				check_guarded(dst, src, len, "memcpy", len, flags, f.gran);

				memset(dst, 0xee, MAXLEN + 2 * GUARD);
				assert_ptr_equal(f.memmove_fn(dst + GUARD, src, len,
					flags), dst + GUARD);
				check_guarded(dst, src, len, "memmove", len, flags, f.gran);

				memset(dst, 0xee, MAXLEN + 2 * GUARD);
				memset(expect, (int)(len & 0xff), len);
				assert_ptr_equal(f.memset_fn(dst + GUARD, (int)len, len,
					flags), dst + GUARD);
				check_guarded(dst, expect, len, "memset", len, flags, f.gran);
			}
	}
	free(src);
	free(dst);
	free(expect);
}

/* persist, flush and drain of a deleted map are harmless on any memory */
static void
persist_flush_and_drain_work_on_malloced_memory_after_map_delete(void **state)
{
	(void)state;
	char *buf = malloc(8192 + 64);
	assert_non_null(buf);
	for (int g = 0; g < NGRANS; g++) {
		struct fns f;
		fns_of_deleted_map(Grans[g], &f);
		for (size_t len = 0; len <= 8192; len = len ? len * 2 : 1) {
			memset(buf, (int)len, len + 64);
			f.flush_fn(buf + 3, len);
			f.persist_fn(buf + 5, len);
			f.drain_fn();
			for (size_t i = 0; i < len + 64; i++)
				assert_int_equal((unsigned char)buf[i],
					(unsigned char)len);
		}
	}
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(copies_of_power_of_two_lengths_on_malloced_memory_stay_in_bounds),
		cmocka_unit_test(persist_flush_and_drain_work_on_malloced_memory_after_map_delete),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
