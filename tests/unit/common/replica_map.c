/* replica_map.c -- a mapped local replica: contiguous map, persists split at part boundaries, ranges refused, raw header i/o, granularity */
#include "replica_test.h"

/* three parts with headers: pool [0, 2M) in p0, [2M, 4M - 4K) in p1, [4M - 4K, 6M - 8K) in p2 */
static const char Three[] = "PMEMPOOLSET\n2M p0\n2M p1\n2M p2\n";
#define THREE_SIZE (6 * MIB - 2 * HDR)

static void
mapped_three(struct rt *t)
{
	rt_init(t, Three, 0);
	assert_succeeds(replica_create(&t->rep, 0, 0600));
	assert_succeeds(replica_map(&t->rep));
	assert_non_null(t->rep.addr);
	assert_non_null(t->rep.rsv);
}

/* the file bytes behind pool [off, off + len) of mapped_three, read with pread */
static void
read_back(struct rt *t, size_t off, void *buf, size_t len)
{
	static const struct { const char *name; size_t pool_off, len; } parts[] = {
		{ "p0", 0, 2 * MIB },
		{ "p1", 2 * MIB, 2 * MIB - HDR },
		{ "p2", 4 * MIB - HDR, 2 * MIB - HDR },
	};
	char *out = buf;
	for (unsigned i = 0; i < 3 && len > 0; i++) {
		size_t end = parts[i].pool_off + parts[i].len;
		if (off >= end)
			continue;
		size_t n = end - off < len ? end - off : len;
		size_t file_off = off - parts[i].pool_off + (i > 0 ? HDR : 0);
		rt_pread(t, parts[i].name, (off_t)file_off, out, n);
		out += n;
		off += n;
		len -= n;
	}
	assert_int_equal(len, 0);
}

static void
memcpy_persist_across_every_part_lands_in_each_file_after_its_header(void **state)
{
	(void)state;
	struct rt t;
	mapped_three(&t);
	size_t off = 2 * MIB - 100, len = 2 * MIB + 200;	/* all of p1, the ends of p0 and p2 */
	char *data = malloc(len), *got = malloc(len);
	assert_non_null(data);
	assert_non_null(got);
	test_fill_pattern(data, len, 11);
	assert_succeeds(replica_memcpy_persist(&t.rep, off, data, len));
	read_back(&t, off, got, len);
	assert_memory_equal(got, data, len);
	assert_memory_equal((char *)t.rep.addr + off, data, len);
	/* the headers of p1 and p2 are not in the pool: still zero */
	char hdr[HDR], zero[HDR];
	memset(zero, 0, sizeof(zero));
	rt_pread(&t, "p1", 0, hdr, sizeof(hdr));
	assert_memory_equal(hdr, zero, sizeof(hdr));
	rt_pread(&t, "p2", 0, hdr, sizeof(hdr));
	assert_memory_equal(hdr, zero, sizeof(hdr));
	free(data);
	free(got);
	rt_teardown(&t);
}

static void
stores_then_persist_and_deep_persist_reach_the_files(void **state)
{
	(void)state;
	struct rt t;
	mapped_three(&t);
	char *base = t.rep.addr;
	size_t off = 4 * MIB - HDR - 64;	/* the last 64 bytes of p1 and the first 64 of p2 */
	memset(base + off, 0xa5, 128);
	assert_succeeds(replica_persist(&t.rep, off, 128));
	memset(base + THREE_SIZE - 32, 0x3c, 32);
	assert_succeeds(replica_deep_persist(&t.rep, 0, THREE_SIZE));
	char got[128], want[128];
	memset(want, 0xa5, sizeof(want));
	read_back(&t, off, got, 128);
	assert_memory_equal(got, want, 128);
	memset(want, 0x3c, 32);
	rt_pread(&t, "p2", (off_t)(2 * MIB - 32), got, 32);
	assert_memory_equal(got, want, 32);
	rt_teardown(&t);
}

static void
ranges_outside_the_pool_are_einval(void **state)
{
	(void)state;
	struct rt t;
	mapped_three(&t);
	char msg[200];
	snprintf(msg, sizeof(msg),
		NAME ": persist of 2 bytes at offset %zu is outside the pool of %zu bytes",
		(size_t)THREE_SIZE - 1, (size_t)THREE_SIZE);
	assert_fails(replica_persist(&t.rep, THREE_SIZE - 1, 2), -EINVAL, msg);
	snprintf(msg, sizeof(msg),
		NAME ": deep persist of %zu bytes at offset 16 is outside the pool of %zu bytes",
		SIZE_MAX, (size_t)THREE_SIZE);
	assert_fails(replica_deep_persist(&t.rep, 16, SIZE_MAX), -EINVAL, msg);
	snprintf(msg, sizeof(msg),
		NAME ": copy of 1 bytes at offset %zu is outside the pool of %zu bytes",
		(size_t)THREE_SIZE + 1, (size_t)THREE_SIZE);
	assert_fails(replica_memcpy_persist(&t.rep, THREE_SIZE + 1, "x", 1), -EINVAL, msg);
	assert_fails(replica_memcpy_persist(&t.rep, 0, NULL, 8), -EINVAL,
		NAME ": copy of 8 bytes at offset 0 from NULL");
	/* the edges themselves are fine */
	assert_succeeds(replica_persist(&t.rep, THREE_SIZE, 0));
	assert_succeeds(replica_persist(&t.rep, 0, THREE_SIZE));
	assert_succeeds(replica_memcpy_persist(&t.rep, THREE_SIZE - 1, "y", 1));

	replica_unmap(&t.rep);
	assert_null(t.rep.addr);
	assert_fails(replica_persist(&t.rep, 0, 8), -EINVAL,
		NAME ": persist of 8 bytes at offset 0: the pool is not mapped");
	assert_int_equal(replica_is_pmem(&t.rep), 0);
	/* mapped again, the data is still there */
	assert_succeeds(replica_map(&t.rep));
	assert_int_equal(((char *)t.rep.addr)[THREE_SIZE - 1], 'y');
	assert_fails(replica_map(&t.rep), -EINVAL, NAME ": the replica is mapped already");
	replica_close(&t.rep);
	assert_fails(replica_persist(&t.rep, 0, 8), -EINVAL,
		"replica: persist of 8 bytes at offset 0: the pool is not mapped");
	rt_teardown(&t);
}

static void
map_needs_a_created_or_opened_replica(void **state)
{
	(void)state;
	struct rt t;
	rt_init(&t, Three, 0);
	assert_fails(replica_map(&t.rep), -EINVAL,
		NAME ": part 0 is not laid out (create or open first)");
	replica_unmap(&t.rep);	/* a no-op on an unmapped replica */
	rt_teardown(&t);
}

static void
headers_are_written_and_read_raw_at_file_offset_0(void **state)
{
	(void)state;
	struct rt t;
	rt_init(&t, Three, 0);
	assert_succeeds(replica_create(&t.rep, 0, 0600));
	/* unmapped: through the sources */
	unsigned char h[HDR], got[HDR];
	for (unsigned p = 0; p < 3; p++) {
		test_fill_pattern(h, sizeof(h), 20 + p);
		assert_succeeds(replica_hdr_write(&t.rep, p, h));
	}
	assert_succeeds(replica_map(&t.rep));
	test_fill_pattern(h, sizeof(h), 20);
	assert_memory_equal(t.rep.addr, h, HDR);	/* part 0's header is pool offset 0 */
	/* mapped: part 0's through the map, visible in the file */
	test_fill_pattern(h, sizeof(h), 30);
	assert_succeeds(replica_hdr_write(&t.rep, 0, h));
	assert_memory_equal(t.rep.addr, h, HDR);
	rt_pread(&t, "p0", 0, got, sizeof(got));
	assert_memory_equal(got, h, HDR);
	for (unsigned p = 0; p < 3; p++) {
		test_fill_pattern(h, sizeof(h), p == 0 ? 30 : 20 + p);
		assert_succeeds(replica_hdr_read(&t.rep, p, got));
		assert_memory_equal(got, h, HDR);
	}
	/* the header of p1 is not in the pool: pool offset 2M is p1's file offset 4K */
	rt_pread(&t, "p1", 0, got, sizeof(got));
	test_fill_pattern(h, sizeof(h), 21);
	assert_memory_equal(got, h, HDR);
	rt_teardown(&t);
}

static void
header_io_of_a_part_without_a_header_or_out_of_range_is_einval(void **state)
{
	(void)state;
	struct rt t;
	rt_init(&t, "PMEMPOOLSET\nOPTION SINGLEHDR\n2M p0\n2M p1\n", 0);
	unsigned char buf[HDR];
	assert_fails(replica_hdr_read(&t.rep, 0, buf), -EINVAL,
		NAME ": part 0 is not open (create or open first)");
	assert_succeeds(replica_create(&t.rep, 0, 0600));
	assert_fails(replica_hdr_read(&t.rep, 1, buf), -EINVAL,
		NAME ": part 1 has no header (OPTION SINGLEHDR)");
	assert_fails(replica_hdr_write(&t.rep, 2, buf), -EINVAL,
		NAME ": part 2 does not exist (the replica has 2)");
	assert_fails(replica_hdr_write(&t.rep, 0, NULL), -EINVAL,
		NAME ": part 0 header cannot be written: no buffer");
	assert_succeeds(replica_hdr_read(&t.rep, 0, buf));
	rt_teardown(&t);

	rt_init(&t, "PMEMPOOLSET\nOPTION NOHDRS\n2M p0\n", 0);
	assert_succeeds(replica_create(&t.rep, 0, 0600));
	assert_fails(replica_hdr_write(&t.rep, 0, buf), -EINVAL,
		NAME ": part 0 has no header (OPTION NOHDRS)");
	rt_teardown(&t);
	struct replica none;
	memset(&none, 0, sizeof(none));
	assert_fails(replica_hdr_read(&none, 0, buf), -EINVAL,
		"part 0 header cannot be read: the replica is not initialized");
}

static void
granularity_is_the_coarsest_of_the_parts(void **state)
{
	(void)state;
	struct rt t;
	rt_init(&t, Three, 0);
	assert_succeeds(replica_create(&t.rep, 0, 0600));
	/* regular files of a page-cache file system: PAGE, not pmem */
	unsetenv("PMEM2_FORCE_GRANULARITY");
	assert_succeeds(replica_map(&t.rep));
	assert_int_equal(t.rep.granularity, PMEM2_GRANULARITY_PAGE);
	assert_int_equal(replica_is_pmem(&t.rep), 0);
	replica_unmap(&t.rep);
	/* libpmem2 told that the memory is persistent: CACHE_LINE, and then it is pmem */
	setenv("PMEM2_FORCE_GRANULARITY", "CACHE_LINE", 1);
	assert_succeeds(replica_map(&t.rep));
	unsetenv("PMEM2_FORCE_GRANULARITY");
	assert_int_equal(t.rep.granularity, PMEM2_GRANULARITY_CACHE_LINE);
	assert_int_equal(replica_is_pmem(&t.rep), 1);
	char data[64];
	test_fill_pattern(data, sizeof(data), 3);
	assert_succeeds(replica_memcpy_persist(&t.rep, 2 * MIB - 32, data, sizeof(data)));
	char got[64];
	read_back(&t, 2 * MIB - 32, got, sizeof(got));
	assert_memory_equal(got, data, sizeof(data));
	rt_teardown(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(memcpy_persist_across_every_part_lands_in_each_file_after_its_header),
		cmocka_unit_test(stores_then_persist_and_deep_persist_reach_the_files),
		cmocka_unit_test(ranges_outside_the_pool_are_einval),
		cmocka_unit_test(map_needs_a_created_or_opened_replica),
		cmocka_unit_test(headers_are_written_and_read_raw_at_file_offset_0),
		cmocka_unit_test(header_io_of_a_part_without_a_header_or_out_of_range_is_einval),
		cmocka_unit_test(granularity_is_the_coarsest_of_the_parts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
