/* db_persist.c -- rpmemd pool database: persist, copy and deep persist of pool ranges reach the part files */
#include "db_test.h"

/* a three-part pool with headers: parts hold pool [0, 2M), [2M, 4M - 4K), [4M - 4K, 6M - 8K) */
static struct rpmemd_pool *
three_parts(struct dbt *t, size_t pool_size)
{
	dbt_setup(t);
	dbt_write(t, "pool.set", "PMEMPOOLSET\n2M p0\n2M p1\n2M p2\n");
	struct rpmem_pool_attr attr = dbt_attr(30);
	struct rpmemd_pool *pool;
	assert_succeeds(rpmemd_db_pool_create(t->db, "pool.set", pool_size, &attr, &pool));
	assert_int_equal(pool->size, 6 * MIB - 2 * HDR);
	return pool;
}

/* the file bytes behind pool [off, off + len) of three_parts, read with pread */
static void
read_back(struct dbt *t, size_t off, void *buf, size_t len)
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
		dbt_pread(t, parts[i].name, (off_t)file_off, out, n);
		out += n;
		off += n;
		len -= n;
	}
	assert_int_equal(len, 0);
}

static void
memcpy_persist_spanning_all_parts_lands_in_each_file(void **state)
{
	(void)state;
	struct dbt t;
	struct rpmemd_pool *pool = three_parts(&t, 6 * MIB - 2 * HDR);
	size_t off = 2 * MIB - 100, len = 2 * MIB + 200;	/* the whole of p1 and bits of p0, p2 */
	char *data = malloc(len), *got = malloc(len);
	assert_non_null(data);
	assert_non_null(got);
	test_fill_pattern(data, len, 31);
	assert_succeeds(rpmemd_pool_memcpy_persist(pool, off, data, len));
	read_back(&t, off, got, len);
	assert_memory_equal(got, data, len);
	assert_succeeds(rpmemd_db_pool_close(pool, 0));
	free(data);
	free(got);
	dbt_teardown(&t);
}

static void
persist_and_deep_persist_across_a_boundary_reach_the_files(void **state)
{
	(void)state;
	struct dbt t;
	struct rpmemd_pool *pool = three_parts(&t, 6 * MIB - 2 * HDR);
	char *base = pool->addr;
	char data[8192], got[8192];
	size_t off = 4 * MIB - HDR - 4096;	/* 4096 bytes in p1, 4096 in p2 */
	test_fill_pattern(data, sizeof(data), 32);
	memcpy(base + off, data, sizeof(data));
	assert_succeeds(rpmemd_pool_persist(pool, off, sizeof(data)));
	read_back(&t, off, got, sizeof(got));
	assert_memory_equal(got, data, sizeof(data));

	test_fill_pattern(data, sizeof(data), 33);
	memcpy(base + off, data, sizeof(data));
	assert_succeeds(rpmemd_pool_deep_persist(pool, off, sizeof(data)));
	read_back(&t, off, got, sizeof(got));
	assert_memory_equal(got, data, sizeof(data));
	/* the whole pool at once, and the very last byte */
	assert_succeeds(rpmemd_pool_deep_persist(pool, 0, pool->pool_size));
	assert_succeeds(rpmemd_pool_persist(pool, pool->pool_size - 1, 1));
	assert_succeeds(rpmemd_pool_memcpy_persist(pool, pool->pool_size - 1, "z", 1));
	read_back(&t, pool->pool_size - 1, got, 1);
	assert_int_equal(got[0], 'z');
	assert_succeeds(rpmemd_db_pool_close(pool, 0));
	dbt_teardown(&t);
}

static void
ranges_outside_the_requested_size_fail_with_einval(void **state)
{
	(void)state;
	struct dbt t;
	/* the client asked for 3M: the pool has more, but only 3M are served */
	struct rpmemd_pool *pool = three_parts(&t, 3 * MIB);
	assert_succeeds(rpmemd_pool_persist(pool, 3 * MIB, 0));
	assert_succeeds(rpmemd_pool_persist(pool, 3 * MIB - 1, 1));
	assert_fails(rpmemd_pool_persist(pool, 3 * MIB - 1, 2), -EINVAL,
		"pool set 'pool.set': persist of 2 bytes at offset 3145727 is outside the pool of 3145728 bytes");
	assert_fails(rpmemd_pool_deep_persist(pool, 3 * MIB + 1, 0), -EINVAL,
		"pool set 'pool.set': deep persist of 0 bytes at offset 3145729 is outside the pool of 3145728 bytes");
	assert_fails(rpmemd_pool_memcpy_persist(pool, 1, "ab", SIZE_MAX), -EINVAL,
		"pool set 'pool.set': copy of 18446744073709551615 bytes at offset 1 is outside the pool of 3145728 bytes");
	assert_fails(rpmemd_pool_persist(pool, SIZE_MAX, 2), -EINVAL,
		"pool set 'pool.set': persist of 2 bytes at offset 18446744073709551615 is outside the pool of 3145728 bytes");
	assert_succeeds(rpmemd_db_pool_close(pool, 0));
	dbt_teardown(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(memcpy_persist_spanning_all_parts_lands_in_each_file),
		cmocka_unit_test(persist_and_deep_persist_across_a_boundary_reach_the_files),
		cmocka_unit_test(ranges_outside_the_requested_size_fail_with_einval),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
