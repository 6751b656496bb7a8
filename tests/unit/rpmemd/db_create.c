/* db_create.c -- rpmemd pool database: create and open round trips, layouts, attributes, and create's refusals */
#include "db_test.h"

#include <sys/mount.h>
#include <sched.h>

static void
create_then_open_round_trips_attributes_size_and_data(void **state)
{
	(void)state;
	struct dbt t;
	dbt_setup(&t);
	dbt_write(&t, "pool.set", "PMEMPOOLSET\n2M pool.part0\n");
	struct rpmem_pool_attr attr = dbt_attr(1);
	struct rpmemd_pool *pool;
	assert_succeeds(rpmemd_db_pool_create(t.db, "pool.set", 2 * MIB, &attr, &pool));
	assert_int_equal(pool->size, 2 * MIB);
	assert_int_equal(pool->hdr_size, HDR);
	assert_int_equal(pool->pool_size, 2 * MIB);
	assert_int_equal(dbt_size(&t, "pool.part0"), 2 * MIB);
	assert_int_equal(dbt_mode(&t, "pool.part0"), 0600);
	char data[64];
	test_fill_pattern(data, sizeof(data), 7);
	assert_succeeds(rpmemd_pool_memcpy_persist(pool, HDR, data, sizeof(data)));
	assert_succeeds(rpmemd_db_pool_close(pool, 0));

	struct rpmem_pool_attr got;
	memset(&got, 0xff, sizeof(got));
	int has_attr = -1;
	assert_succeeds(rpmemd_db_pool_open(t.db, "pool.set", 2 * MIB, &pool, &got, &has_attr));
	assert_int_equal(has_attr, 1);
	assert_memory_equal(&got, &attr, sizeof(attr));
	assert_int_equal(pool->size, 2 * MIB);
	assert_memory_equal((char *)pool->addr + HDR, data, sizeof(data));
	assert_succeeds(rpmemd_db_pool_close(pool, 0));
	dbt_teardown(&t);
}

static void
create_without_attributes_needs_nohdrs_and_open_says_no_attributes(void **state)
{
	(void)state;
	struct dbt t;
	dbt_setup(&t);
	dbt_write(&t, "nohdrs.set", "PMEMPOOLSET\nOPTION NOHDRS\n2M p0\n");
	struct rpmemd_pool *pool;
	assert_succeeds(rpmemd_db_pool_create(t.db, "nohdrs.set", MIB, NULL, &pool));
	assert_int_equal(pool->hdr_size, 0);
	assert_int_equal(pool->size, 2 * MIB);
	memset(pool->addr, 0x5a, 16);
	assert_succeeds(rpmemd_pool_persist(pool, 0, 16));
	assert_succeeds(rpmemd_db_pool_close(pool, 0));

	struct rpmem_pool_attr got;
	memset(&got, 0xff, sizeof(got));
	int has_attr = -1;
	assert_succeeds(rpmemd_db_pool_open(t.db, "nohdrs.set", MIB, &pool, &got, &has_attr));
	assert_int_equal(has_attr, 0);
	assert_true(dbt_is_zero(&got, sizeof(got)));
	/* nothing of ours is written into a NOHDRS pool */
	unsigned char b[16];
	memset(b, 0x5a, sizeof(b));
	assert_memory_equal(pool->addr, b, sizeof(b));
	assert_succeeds(rpmemd_db_pool_close(pool, 0));
	dbt_teardown(&t);
}

static void
all_zero_attributes_count_as_none(void **state)
{
	(void)state;
	struct dbt t;
	dbt_setup(&t);
	dbt_write(&t, "nohdrs.set", "PMEMPOOLSET\nOPTION NOHDRS\n2M p0\n");
	dbt_write(&t, "hdrs.set", "PMEMPOOLSET\n2M p1\n");
	struct rpmem_pool_attr zero;
	memset(&zero, 0, sizeof(zero));
	struct rpmemd_pool *pool;
	assert_succeeds(rpmemd_db_pool_create(t.db, "nohdrs.set", MIB, &zero, &pool));
	assert_succeeds(rpmemd_db_pool_close(pool, 0));
	assert_fails(rpmemd_db_pool_create(t.db, "hdrs.set", MIB, &zero, &pool), -EINVAL,
		"pool set 'hdrs.set' keeps pool headers but no pool attributes were given (only an OPTION NOHDRS set takes none)");
	assert_null(pool);
	assert_int_equal(dbt_size(&t, "p1"), -1);
	dbt_teardown(&t);
}

static void
zero_uuids_are_generated_and_open_returns_them(void **state)
{
	(void)state;
	struct dbt t;
	dbt_setup(&t);
	dbt_write(&t, "pool.set", "PMEMPOOLSET\n2M p0\n");
	struct rpmem_pool_attr attr = dbt_attr(2);
	memset(attr.poolset_uuid, 0, sizeof(attr.poolset_uuid));
	memset(attr.uuid, 0, sizeof(attr.uuid));
	struct rpmemd_pool *pool;
	assert_succeeds(rpmemd_db_pool_create(t.db, "pool.set", 2 * MIB, &attr, &pool));
	assert_succeeds(rpmemd_db_pool_close(pool, 0));

	struct rpmem_pool_attr got;
	assert_succeeds(rpmemd_db_pool_open(t.db, "pool.set", 2 * MIB, &pool, &got, NULL));
	assert_false(dbt_is_zero(got.poolset_uuid, sizeof(got.poolset_uuid)));
	assert_false(dbt_is_zero(got.uuid, sizeof(got.uuid)));
	assert_memory_not_equal(got.poolset_uuid, got.uuid, sizeof(got.uuid));
	/* random (version 4, RFC 4122 variant) UUIDs */
	assert_int_equal(got.uuid[6] & 0xf0, 0x40);
	assert_int_equal(got.uuid[8] & 0xc0, 0x80);
	assert_int_equal(got.poolset_uuid[6] & 0xf0, 0x40);
	/* the other fields are stored as given */
	memcpy(attr.poolset_uuid, got.poolset_uuid, sizeof(attr.poolset_uuid));
	memcpy(attr.uuid, got.uuid, sizeof(attr.uuid));
	assert_memory_equal(&got, &attr, sizeof(attr));
	assert_succeeds(rpmemd_db_pool_close(pool, 0));
	dbt_teardown(&t);
}

/* bytes at pool offsets [2M - 32, 2M + 32) land at the end of part 0 and after part 1's start at file_off */
static void
check_two_parts(size_t part1_file_off, const char *set_text, struct rpmem_pool_attr *attr,
	size_t want_size)
{
	struct dbt t;
	dbt_setup(&t);
	dbt_write(&t, "two.set", set_text);
	struct rpmemd_pool *pool;
	assert_succeeds(rpmemd_db_pool_create(t.db, "two.set", want_size, attr, &pool));
	assert_int_equal(pool->size, want_size);
	char data[64];
	test_fill_pattern(data, sizeof(data), 3);
	assert_succeeds(rpmemd_pool_memcpy_persist(pool, 2 * MIB - 32, data, sizeof(data)));
	assert_succeeds(rpmemd_db_pool_close(pool, 0));

	char got[32];
	dbt_pread(&t, "p0", 2 * MIB - 32, got, 32);
	assert_memory_equal(got, data, 32);
	dbt_pread(&t, "p1", (off_t)part1_file_off, got, 32);
	assert_memory_equal(got, data + 32, 32);

	assert_succeeds(rpmemd_db_pool_open(t.db, "two.set", want_size, &pool, NULL, NULL));
	assert_int_equal(pool->size, want_size);
	assert_memory_equal((char *)pool->addr + 2 * MIB - 32, data, sizeof(data));
	assert_succeeds(rpmemd_db_pool_close(pool, 0));
	dbt_teardown(&t);
}

static void
two_parts_give_their_sum_less_the_header_of_part_1(void **state)
{
	(void)state;
	struct rpmem_pool_attr attr = dbt_attr(3);
	check_two_parts(HDR, "PMEMPOOLSET\n2M p0\n2M p1\n", &attr, 4 * MIB - HDR);
}

static void
singlehdr_two_parts_give_their_sum(void **state)
{
	(void)state;
	struct rpmem_pool_attr attr = dbt_attr(4);
	attr.incompat_features |= 0x1;
	check_two_parts(0, "PMEMPOOLSET\nOPTION SINGLEHDR\n2M p0\n2M p1\n", &attr, 4 * MIB);
}

static void
nohdrs_two_parts_give_their_sum(void **state)
{
	(void)state;
	check_two_parts(0, "PMEMPOOLSET\nOPTION NOHDRS\n2M p0\n2M p1\n", NULL, 4 * MIB);
}

static void
singlehdr_must_match_the_feature_bit_and_nothing_is_left(void **state)
{
	(void)state;
	struct dbt t;
	dbt_setup(&t);
	dbt_write(&t, "single.set", "PMEMPOOLSET\nOPTION SINGLEHDR\n2M p0\n2M p1\n");
	dbt_write(&t, "plain.set", "PMEMPOOLSET\n2M q0\n");
	struct rpmem_pool_attr attr = dbt_attr(5);
	struct rpmemd_pool *pool;
	assert_fails(rpmemd_db_pool_create(t.db, "single.set", MIB, &attr, &pool), -EINVAL,
		"pool set 'single.set' says OPTION SINGLEHDR but incompat_features 0x10000000 lacks the SINGLEHDR bit 0x1");
	attr.incompat_features |= 0x1;
	assert_fails(rpmemd_db_pool_create(t.db, "plain.set", MIB, &attr, &pool), -EINVAL,
		"pool set 'plain.set' does not say OPTION SINGLEHDR but incompat_features 0x10000001 has the SINGLEHDR bit 0x1");
	assert_int_equal(dbt_size(&t, "p0"), -1);
	assert_int_equal(dbt_size(&t, "p1"), -1);
	assert_int_equal(dbt_size(&t, "q0"), -1);
	dbt_teardown(&t);
}

static void
nohdrs_pool_created_twice_is_reused(void **state)
{
	(void)state;
	struct dbt t;
	dbt_setup(&t);
	dbt_write(&t, "nohdrs.set", "PMEMPOOLSET\nOPTION NOHDRS\n2M p0\n");
	struct rpmemd_pool *pool;
	assert_succeeds(rpmemd_db_pool_create(t.db, "nohdrs.set", MIB, NULL, &pool));
	assert_succeeds(rpmemd_pool_memcpy_persist(pool, 100, "kept", 4));
	assert_succeeds(rpmemd_db_pool_close(pool, 0));
	assert_succeeds(rpmemd_db_pool_create(t.db, "nohdrs.set", MIB, NULL, &pool));
	assert_memory_equal((char *)pool->addr + 100, "kept", 4);
	/* the second create made nothing, so undoing it removes nothing */
	assert_succeeds(rpmemd_db_pool_close(pool, 1));
	assert_int_equal(dbt_size(&t, "p0"), 2 * MIB);
	dbt_teardown(&t);
}

static void
nohdrs_set_with_attributes_fails_with_einval(void **state)
{
	(void)state;
	struct dbt t;
	dbt_setup(&t);
	dbt_write(&t, "nohdrs.set", "PMEMPOOLSET\nOPTION NOHDRS\n2M p0\n");
	struct rpmem_pool_attr attr = dbt_attr(6);
	struct rpmemd_pool *pool;
	assert_fails(rpmemd_db_pool_create(t.db, "nohdrs.set", MIB, &attr, &pool), -EINVAL,
		"pool set 'nohdrs.set' says OPTION NOHDRS but pool attributes were given");
	assert_fails(rpmemd_db_pool_create(t.db, "nohdrs.set", MIB, &attr, &pool), -EINVAL,
		"pool set 'nohdrs.set' says OPTION NOHDRS but pool attributes were given");
	assert_int_equal(dbt_size(&t, "p0"), -1);
	dbt_teardown(&t);
}

static void
create_over_an_existing_pool_fails_with_eexist_and_keeps_it(void **state)
{
	(void)state;
	struct dbt t;
	dbt_setup(&t);
	dbt_write(&t, "pool.set", "PMEMPOOLSET\n2M p0\n2M p1\n");
	struct rpmem_pool_attr attr = dbt_attr(7);
	struct rpmemd_pool *pool;
	assert_succeeds(rpmemd_db_pool_create(t.db, "pool.set", MIB, &attr, &pool));
	assert_succeeds(rpmemd_db_pool_close(pool, 0));
	assert_fails(rpmemd_db_pool_create(t.db, "pool.set", MIB, &attr, &pool), -EEXIST,
		"pool set 'pool.set': part 'p0' (line 2) exists and is not empty");
	assert_null(pool);
	struct rpmem_pool_attr got;
	assert_succeeds(rpmemd_db_pool_open(t.db, "pool.set", MIB, &pool, &got, NULL));
	assert_memory_equal(&got, &attr, sizeof(attr));
	assert_succeeds(rpmemd_db_pool_close(pool, 0));
	dbt_teardown(&t);
}

static void
create_over_one_existing_part_removes_the_parts_it_made(void **state)
{
	(void)state;
	struct dbt t;
	dbt_setup(&t);
	dbt_write(&t, "pool.set", "PMEMPOOLSET\n2M p0\n2M p1\n2M p2\n");
	dbt_write(&t, "p1", "data");
	struct rpmem_pool_attr attr = dbt_attr(8);
	struct rpmemd_pool *pool;
	assert_fails(rpmemd_db_pool_create(t.db, "pool.set", MIB, &attr, &pool), -EEXIST,
		"pool set 'pool.set': part 'p1' (line 3) exists and is not empty");
	assert_int_equal(dbt_size(&t, "p0"), -1);
	assert_int_equal(dbt_size(&t, "p1"), 4);
	assert_int_equal(dbt_size(&t, "p2"), -1);
	dbt_teardown(&t);
}

static void
an_existing_empty_part_is_used_and_emptied_again_on_failure(void **state)
{
	(void)state;
	struct dbt t;
	dbt_setup(&t);
	dbt_write(&t, "pool.set", "PMEMPOOLSET\n2M p0\n");
	dbt_write(&t, "p0", "");
	struct rpmem_pool_attr attr = dbt_attr(9);
	struct rpmemd_pool *pool;
	assert_fails(rpmemd_db_pool_create(t.db, "pool.set", 3 * MIB, &attr, &pool), -EFBIG,
		"pool set 'pool.set' has 2097152 usable bytes, fewer than the 3145728 requested");
	assert_int_equal(dbt_size(&t, "p0"), 0);
	assert_succeeds(rpmemd_db_pool_create(t.db, "pool.set", 2 * MIB, &attr, &pool));
	assert_int_equal(dbt_size(&t, "p0"), 2 * MIB);
	/* the file was not made by this create: undoing it empties, not unlinks */
	assert_succeeds(rpmemd_db_pool_close(pool, 1));
	assert_int_equal(dbt_size(&t, "p0"), 0);
	dbt_teardown(&t);
}

static void
a_set_smaller_than_asked_fails_with_efbig_leaving_nothing(void **state)
{
	(void)state;
	struct dbt t;
	dbt_setup(&t);
	dbt_write(&t, "pool.set", "PMEMPOOLSET\n2M p0\n2M p1\n");
	struct rpmem_pool_attr attr = dbt_attr(10);
	struct rpmemd_pool *pool;
	assert_fails(rpmemd_db_pool_create(t.db, "pool.set", 4 * MIB - HDR + 1, &attr, &pool),
		-EFBIG, "pool set 'pool.set' has 4190208 usable bytes, fewer than the 4190209 requested");
	assert_int_equal(dbt_size(&t, "p0"), -1);
	assert_int_equal(dbt_size(&t, "p1"), -1);
	dbt_teardown(&t);
}

static void
sets_rpmemd_does_not_serve_fail_with_einval(void **state)
{
	(void)state;
	struct dbt t;
	dbt_setup(&t);
	dbt_write(&t, "small.set", "PMEMPOOLSET\n2M p0\n2044K p1\n");
	dbt_write(&t, "replica.set", "PMEMPOOLSET\n2M p0\nREPLICA\n2M r0\n");
	dbt_write(&t, "remote.set", "PMEMPOOLSET\n2M p0\nREPLICA host remote.set\n");
	dbt_write(&t, "auto.set", "PMEMPOOLSET\nAUTO p0\n");
	dbt_write(&t, "abs.set", "PMEMPOOLSET\n2M /tmp/p0\n");
	dbt_write(&t, "up.set", "PMEMPOOLSET\n2M ../p0\n");
	struct rpmem_pool_attr attr = dbt_attr(11);
	struct rpmemd_pool *pool;
	assert_fails(rpmemd_db_pool_create(t.db, "small.set", MIB, &attr, &pool), -EINVAL,
		"pool set 'small.set': line 3: part size 2093056 is below the minimum of 2097152 bytes");
	assert_fails(rpmemd_db_pool_create(t.db, "replica.set", MIB, &attr, &pool), -EINVAL,
		"pool set 'replica.set': line 3: replicas are not served (a remote pool is one replica)");
	assert_fails(rpmemd_db_pool_create(t.db, "remote.set", MIB, &attr, &pool), -EINVAL,
		"pool set 'remote.set': line 3: replicas are not served (a remote pool is one replica)");
	assert_fails(rpmemd_db_pool_create(t.db, "auto.set", MIB, &attr, &pool), -EINVAL,
		"pool set 'auto.set': line 2: AUTO size of part 'p0' needs a device DAX, not a regular file");
	assert_fails(rpmemd_db_pool_create(t.db, "abs.set", MIB, &attr, &pool), -EINVAL,
		"abs.set: line 2: part path '/tmp/p0' is absolute (only files below the pool set directory are served)");
	assert_fails(rpmemd_db_pool_create(t.db, "up.set", MIB, &attr, &pool), -EINVAL,
		"up.set: line 2: part path '../p0' leaves the pool set directory");
	assert_int_equal(dbt_size(&t, "p0"), -1);
	assert_int_equal(dbt_size(&t, "p1"), -1);
	dbt_teardown(&t);
}

static void
bad_names_fail_with_einval_and_missing_sets_with_enoent(void **state)
{
	(void)state;
	struct dbt t;
	dbt_setup(&t);
	dbt_write(&t, "pool.set", "PMEMPOOLSET\n2M p0\n");
	struct rpmem_pool_attr attr = dbt_attr(12);
	struct rpmemd_pool *pool;
	char abs[PATH_MAX];
	dbt_path(&t, "pool.set", abs);
	assert_int_equal(rpmemd_db_pool_create(t.db, abs, MIB, &attr, &pool), -EINVAL);
	assert_int_equal(rpmemd_db_pool_create(t.db, "../x.set", MIB, &attr, &pool), -EINVAL);
	assert_int_equal(rpmemd_db_pool_create(t.db, "sub/../pool.set", MIB, &attr, &pool),
		-EINVAL);
	assert_fails(rpmemd_db_pool_create(t.db, "", MIB, &attr, &pool), -EINVAL,
		"empty pool set name");
	assert_int_equal(rpmemd_db_pool_create(t.db, "none.set", MIB, &attr, &pool), -ENOENT);
	assert_int_equal(rpmemd_db_pool_open(t.db, "none.set", MIB, &pool, NULL, NULL), -ENOENT);
	assert_int_equal(rpmemd_db_pool_open(t.db, "../x.set", MIB, &pool, NULL, NULL), -EINVAL);
	assert_null(pool);
	assert_int_equal(dbt_size(&t, "p0"), -1);
	dbt_teardown(&t);
}

static void
sets_in_subdirectories_have_their_parts_there(void **state)
{
	(void)state;
	struct dbt t;
	dbt_setup(&t);
	char sub[PATH_MAX];
	dbt_path(&t, "sub", sub);
	assert_int_equal(mkdir(sub, 0700), 0);
	dbt_write(&t, "sub/pool.set", "PMEMPOOLSET\n2M p0\n");
	struct rpmem_pool_attr attr = dbt_attr(13);
	struct rpmemd_pool *pool;
	assert_succeeds(rpmemd_db_pool_create(t.db, "sub/pool.set", MIB, &attr, &pool));
	assert_int_equal(dbt_size(&t, "sub/p0"), 2 * MIB);
	assert_succeeds(rpmemd_db_pool_close(pool, 1));
	assert_int_equal(dbt_size(&t, "sub/p0"), -1);
	assert_int_equal(dbt_size(&t, "sub/pool.set"), (long long)strlen("PMEMPOOLSET\n2M p0\n"));
	dbt_teardown(&t);
}

static void
close_with_remove_unlinks_only_what_the_create_made(void **state)
{
	(void)state;
	struct dbt t;
	dbt_setup(&t);
	dbt_write(&t, "pool.set", "PMEMPOOLSET\n2M p0\n2M p1\n");
	struct rpmem_pool_attr attr = dbt_attr(14);
	struct rpmemd_pool *pool;
	assert_succeeds(rpmemd_db_pool_create(t.db, "pool.set", MIB, &attr, &pool));
	assert_succeeds(rpmemd_db_pool_close(pool, 0));
	assert_succeeds(rpmemd_db_pool_open(t.db, "pool.set", MIB, &pool, NULL, NULL));
	assert_succeeds(rpmemd_db_pool_close(pool, 1));
	assert_int_equal(dbt_size(&t, "p0"), 2 * MIB);
	assert_succeeds(rpmemd_db_pool_open(t.db, "pool.set", MIB, &pool, NULL, NULL));
	assert_succeeds(rpmemd_db_pool_close(pool, 0));

	dbt_write(&t, "new.set", "PMEMPOOLSET\n2M n0\n2M n1\n");
	assert_succeeds(rpmemd_db_pool_create(t.db, "new.set", MIB, &attr, &pool));
	assert_succeeds(rpmemd_db_pool_close(pool, 1));
	assert_int_equal(dbt_size(&t, "n0"), -1);
	assert_int_equal(dbt_size(&t, "n1"), -1);
	assert_int_equal(dbt_size(&t, "p0"), 2 * MIB);
	assert_succeeds(rpmemd_db_pool_close(NULL, 1));
	dbt_teardown(&t);
}

/* ---- a full file system, in a tiny tmpfs of a private mount namespace ---- */

#define NOSPC_SKIP 77

static int
nospc_child(void *arg)
{
	(void)arg;
	if (unshare(CLONE_NEWNS) != 0 ||
			mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) != 0)
		return NOSPC_SKIP;
	char dir[PATH_MAX];
	if (snprintf(dir, sizeof(dir), "%s/tiny-XXXXXX", test_tmpdir()) >= (int)sizeof(dir))
		return 90;
	if (mkdtemp(dir) == NULL)
		return 90;
	/* room for one 2 MiB part and a bit, not for two */
	if (mount("tiny", dir, "tmpfs", 0, "size=3m") != 0)
		return NOSPC_SKIP;
	int code = 0;
	struct dbt t;
	memcpy(t.dir, dir, sizeof(dir));
	if (rpmemd_db_init(dir, &t.db) != 0)
		return 91;
	dbt_write(&t, "pool.set", "PMEMPOOLSET\n2M p0\n2M p1\n");
	struct rpmem_pool_attr attr = dbt_attr(15);
	struct rpmemd_pool *pool = NULL;
	int ret = rpmemd_db_pool_create(t.db, "pool.set", MIB, &attr, &pool);
	if (ret != -ENOSPC) {
		fprintf(stderr, "create = %d (%s), expected -ENOSPC\n", ret, err_last());
		code = 92;
	} else if (strstr(err_last(), "pool set 'pool.set': 2097152 bytes of part 'p1' cannot be allocated") != err_last()) {
		fprintf(stderr, "unexpected message: %s\n", err_last());
		code = 93;
	} else if (dbt_size(&t, "p0") != -1 || dbt_size(&t, "p1") != -1 || pool != NULL) {
		fprintf(stderr, "parts were left behind\n");
		code = 94;
	}
	rpmemd_db_fini(t.db);
	umount(dir);
	rmdir(dir);
	return code;
}

static void
a_full_file_system_fails_with_enospc_leaving_no_part(void **state)
{
	(void)state;
	int code = dbt_in_child(nospc_child, NULL);
	if (code == NOSPC_SKIP)
		SKIP_BECAUSE("cannot mount a tmpfs in a private mount namespace (needs root)");
	assert_int_equal(code, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(create_then_open_round_trips_attributes_size_and_data),
		cmocka_unit_test(create_without_attributes_needs_nohdrs_and_open_says_no_attributes),
		cmocka_unit_test(all_zero_attributes_count_as_none),
		cmocka_unit_test(zero_uuids_are_generated_and_open_returns_them),
		cmocka_unit_test(two_parts_give_their_sum_less_the_header_of_part_1),
		cmocka_unit_test(singlehdr_two_parts_give_their_sum),
		cmocka_unit_test(nohdrs_two_parts_give_their_sum),
		cmocka_unit_test(singlehdr_must_match_the_feature_bit_and_nothing_is_left),
		cmocka_unit_test(nohdrs_pool_created_twice_is_reused),
		cmocka_unit_test(nohdrs_set_with_attributes_fails_with_einval),
		cmocka_unit_test(create_over_an_existing_pool_fails_with_eexist_and_keeps_it),
		cmocka_unit_test(create_over_one_existing_part_removes_the_parts_it_made),
		cmocka_unit_test(an_existing_empty_part_is_used_and_emptied_again_on_failure),
		cmocka_unit_test(a_set_smaller_than_asked_fails_with_efbig_leaving_nothing),
		cmocka_unit_test(sets_rpmemd_does_not_serve_fail_with_einval),
		cmocka_unit_test(bad_names_fail_with_einval_and_missing_sets_with_enoent),
		cmocka_unit_test(sets_in_subdirectories_have_their_parts_there),
		cmocka_unit_test(close_with_remove_unlinks_only_what_the_create_made),
		cmocka_unit_test(a_full_file_system_fails_with_enospc_leaving_no_part),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
