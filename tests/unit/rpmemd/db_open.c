/* db_open.c -- rpmemd pool database: opening, pools in use, access, corrupt headers, set_attr */
#include "db_test.h"

#include <sys/file.h>

#include "bytes.h"
#include "checksum.h"
#include "db_internal.h"

static const struct rpmem_pool_attr *
make_pool(struct dbt *t, const char *text)
{
	static struct rpmem_pool_attr attr;
	attr = dbt_attr(20);
	dbt_setup(t);
	dbt_write(t, "pool.set", text);
	struct rpmemd_pool *pool;
	assert_succeeds(rpmemd_db_pool_create(t->db, "pool.set", MIB, &attr, &pool));
	assert_succeeds(rpmemd_db_pool_close(pool, 0));
	return &attr;
}

static void
missing_part_fails_with_enoent(void **state)
{
	(void)state;
	struct dbt t;
	make_pool(&t, "PMEMPOOLSET\n2M p0\n2M p1\n");
	char path[PATH_MAX];
	dbt_path(&t, "p1", path);
	assert_int_equal(unlink(path), 0);
	struct rpmemd_pool *pool;
	assert_int_equal(rpmemd_db_pool_open(t.db, "pool.set", MIB, &pool, NULL, NULL), -ENOENT);
	assert_non_null(strstr(err_last(), "pool set 'pool.set': "));
	assert_non_null(strstr(err_last(), "'p1'"));
	assert_null(pool);
	dbt_teardown(&t);
}

static void
part_of_another_size_than_the_set_says_fails_with_einval(void **state)
{
	(void)state;
	struct dbt t;
	make_pool(&t, "PMEMPOOLSET\n2M p0\n2M p1\n");
	char path[PATH_MAX];
	dbt_path(&t, "p1", path);
	assert_int_equal(truncate(path, (off_t)MIB), 0);
	struct rpmemd_pool *pool;
	assert_fails(rpmemd_db_pool_open(t.db, "pool.set", MIB, &pool, NULL, NULL), -EINVAL,
		"pool set 'pool.set': part 'p1' (line 3) is 1048576 bytes, the set says 2097152");
	dbt_teardown(&t);
}

static void
open_larger_than_the_pool_fails_with_efbig(void **state)
{
	(void)state;
	struct dbt t;
	make_pool(&t, "PMEMPOOLSET\n2M p0\n");
	struct rpmemd_pool *pool;
	assert_fails(rpmemd_db_pool_open(t.db, "pool.set", 2 * MIB + 4096, &pool, NULL, NULL),
		-EFBIG, "pool set 'pool.set' has 2097152 usable bytes, fewer than the 2101248 requested");
	assert_fails(rpmemd_db_pool_open(t.db, "pool.set", 0, &pool, NULL, NULL),
		-EINVAL, "pool set 'pool.set': the requested pool size is 0");
	dbt_teardown(&t);
}

/* ---- pools in use by another process ---- */

struct busy_arg {
	struct dbt *t;
	int op;		/* 0 open, 1 create, 2 remove */
};

static int
busy_child(void *p)
{
	struct busy_arg *a = p;
	struct rpmemd_db *db;
	if (rpmemd_db_init(a->t->dir, &db) != 0)
		return 90;
	struct rpmemd_pool *pool = NULL;
	struct rpmem_pool_attr attr = dbt_attr(21);
	int ret;
	if (a->op == 0)
		ret = rpmemd_db_pool_open(db, "pool.set", MIB, &pool, NULL, NULL);
	else if (a->op == 1)
		ret = rpmemd_db_pool_create(db, "pool.set", MIB, &attr, &pool);
	else
		ret = rpmemd_db_pool_remove(db, "pool.set", 1, 1);
	int code = 0;
	if (ret != -EBUSY) {
		fprintf(stderr, "op %d = %d (%s), expected -EBUSY\n", a->op, ret, err_last());
		code = 91;
	} else if (strcmp(err_last(),
			"pool set 'pool.set' is in use (its set file locked by another holder)") != 0) {
		fprintf(stderr, "unexpected message: %s\n", err_last());
		code = 92;
	}
	rpmemd_db_fini(db);
	return code;
}

static void
a_pool_in_use_is_busy_for_another_process(void **state)
{
	(void)state;
	struct dbt t;
	make_pool(&t, "PMEMPOOLSET\n2M p0\n2M p1\n");
	struct rpmemd_pool *pool;
	assert_succeeds(rpmemd_db_pool_open(t.db, "pool.set", MIB, &pool, NULL, NULL));
	for (int op = 0; op < 3; op++) {
		struct busy_arg a = { &t, op };
		assert_int_equal(dbt_in_child(busy_child, &a), 0);
	}
	/* the same process, another connection: busy too */
	struct rpmemd_pool *again;
	assert_fails(rpmemd_db_pool_open(t.db, "pool.set", MIB, &again, NULL, NULL), -EBUSY,
		"pool set 'pool.set' is in use (its set file locked by another holder)");
	assert_succeeds(rpmemd_db_pool_close(pool, 0));
	assert_succeeds(rpmemd_db_pool_open(t.db, "pool.set", MIB, &pool, NULL, NULL));
	assert_succeeds(rpmemd_db_pool_close(pool, 0));
	dbt_teardown(&t);
}

static void
a_part_locked_through_another_set_is_busy(void **state)
{
	(void)state;
	struct dbt t;
	make_pool(&t, "PMEMPOOLSET\n2M p0\n2M p1\n");
	/* another set naming the same part: the part's own lock tells */
	dbt_write(&t, "alias.set", "PMEMPOOLSET\n2M p1\n");
	struct rpmemd_pool *pool, *alias;
	assert_succeeds(rpmemd_db_pool_open(t.db, "pool.set", MIB, &pool, NULL, NULL));
	assert_fails(rpmemd_db_pool_open(t.db, "alias.set", MIB, &alias, NULL, NULL), -EBUSY,
		"pool set 'alias.set' is in use (p1 locked by another holder)");
	assert_succeeds(rpmemd_db_pool_close(pool, 0));
	dbt_teardown(&t);
}

/* ---- access ---- */

static int
eacces_child(void *p)
{
	struct dbt *t = p;
	if (setgid(65534) != 0 || setuid(65534) != 0)
		return 90;
	struct rpmemd_db *db;
	if (rpmemd_db_init(t->dir, &db) != 0)
		return 91;
	struct rpmemd_pool *pool;
	int ret = rpmemd_db_pool_open(db, "pool.set", MIB, &pool, NULL, NULL);
	rpmemd_db_fini(db);
	if (ret != -EACCES) {
		fprintf(stderr, "open = %d (%s), expected -EACCES\n", ret, err_last());
		return 92;
	}
	return 0;
}

static void
an_unreadable_set_fails_with_eacces(void **state)
{
	(void)state;
	struct dbt t;
	make_pool(&t, "PMEMPOOLSET\n2M p0\n");
	char path[PATH_MAX];
	dbt_path(&t, "pool.set", path);
	assert_int_equal(chmod(path, 0), 0);
	if (getuid() != 0) {
		struct rpmemd_pool *pool;
		assert_int_equal(rpmemd_db_pool_open(t.db, "pool.set", MIB, &pool, NULL, NULL),
			-EACCES);
		dbt_teardown(&t);
		return;
	}
	/* root reads anything: a child that is nobody must be refused; it must reach the directory */
	assert_int_equal(chmod(test_tmpdir(), 0755), 0);
	assert_int_equal(chmod(t.dir, 0755), 0);
	assert_int_equal(dbt_in_child(eacces_child, &t), 0);
	dbt_teardown(&t);
}

/* ---- headers ---- */

static void
a_corrupt_header_fails_with_einval(void **state)
{
	(void)state;
	struct dbt t;
	make_pool(&t, "PMEMPOOLSET\n2M p0\n2M p1\n");
	uint8_t hdr[HDR];
	dbt_pread(&t, "p1", 0, hdr, sizeof(hdr));
	hdr[DB_HDR_ATTR_OFF + 3] ^= 0x40;	/* a signature byte */
	dbt_pwrite(&t, "p1", 0, hdr, sizeof(hdr));
	struct bytes_rd r = bytes_rd_init(hdr + DB_HDR_CSUM_OFF, 8);
	unsigned long long stored = bytes_get_le64(&r);
	unsigned long long computed = checksum_fletcher64(hdr, DB_HDR_CSUM_OFF);
	char msg[256];
	snprintf(msg, sizeof(msg),
		"pool set 'pool.set': part 1 header checksum mismatch (stored 0x%016llx, computed 0x%016llx)",
		stored, computed);
	struct rpmemd_pool *pool;
	assert_fails(rpmemd_db_pool_open(t.db, "pool.set", MIB, &pool, NULL, NULL), -EINVAL, msg);
	assert_null(pool);

	memcpy(hdr, "XXXXXXXX", 8);
	dbt_pwrite(&t, "p0", 0, hdr, sizeof(hdr));
	assert_fails(rpmemd_db_pool_open(t.db, "pool.set", MIB, &pool, NULL, NULL), -EINVAL,
		"pool set 'pool.set': part 0 header has no rpmemd pool magic");
	dbt_teardown(&t);
}

/* rewrites part p's header with a valid checksum */
static void
put_hdr(struct dbt *t, const char *part, const struct db_hdr *h)
{
	uint8_t buf[HDR];
	db_hdr_encode(h, buf);
	dbt_pwrite(t, part, 0, buf, sizeof(buf));
}

static void
headers_that_disagree_fail_with_einval(void **state)
{
	(void)state;
	struct dbt t;
	const struct rpmem_pool_attr *attr = make_pool(&t, "PMEMPOOLSET\n2M p0\n2M p1\n");
	struct db_hdr h = { DB_HDR_VERSION, 1, 2, dbt_attr(22) };
	put_hdr(&t, "p1", &h);
	struct rpmemd_pool *pool;
	assert_fails(rpmemd_db_pool_open(t.db, "pool.set", MIB, &pool, NULL, NULL), -EINVAL,
		"pool set 'pool.set': part 1 header attributes differ from part 0's");
	h.attr = *attr;
	h.nparts = 3;
	put_hdr(&t, "p1", &h);
	assert_fails(rpmemd_db_pool_open(t.db, "pool.set", MIB, &pool, NULL, NULL), -EINVAL,
		"pool set 'pool.set': part 1 header says the set has 3 parts, the set file lists 2");
	h.nparts = 2;
	h.part = 0;
	put_hdr(&t, "p1", &h);
	assert_fails(rpmemd_db_pool_open(t.db, "pool.set", MIB, &pool, NULL, NULL), -EINVAL,
		"pool set 'pool.set': part 1 header says it is part 0");
	h.part = 1;
	h.version = 2;
	put_hdr(&t, "p1", &h);
	assert_fails(rpmemd_db_pool_open(t.db, "pool.set", MIB, &pool, NULL, NULL), -EINVAL,
		"pool set 'pool.set': part 1 header has format version 2 (known: 1)");
	h.version = 1;
	put_hdr(&t, "p1", &h);
	assert_succeeds(rpmemd_db_pool_open(t.db, "pool.set", MIB, &pool, NULL, NULL));
	assert_succeeds(rpmemd_db_pool_close(pool, 0));
	dbt_teardown(&t);
}

static void
a_set_that_gained_singlehdr_fails_with_einval(void **state)
{
	(void)state;
	struct dbt t;
	make_pool(&t, "PMEMPOOLSET\n2M p0\n");
	dbt_write(&t, "pool.set", "PMEMPOOLSET\nOPTION SINGLEHDR\n2M p0\n");
	struct rpmemd_pool *pool;
	assert_fails(rpmemd_db_pool_open(t.db, "pool.set", MIB, &pool, NULL, NULL), -EINVAL,
		"pool set 'pool.set' says OPTION SINGLEHDR but incompat_features 0x10000000 lacks the SINGLEHDR bit 0x1");
	dbt_teardown(&t);
}

static void
set_attr_rewrites_every_header(void **state)
{
	(void)state;
	struct dbt t;
	make_pool(&t, "PMEMPOOLSET\n2M p0\n2M p1\n2M p2\n");
	struct rpmemd_pool *pool;
	assert_succeeds(rpmemd_db_pool_open(t.db, "pool.set", MIB, &pool, NULL, NULL));
	struct rpmem_pool_attr next = dbt_attr(23);
	assert_succeeds(rpmemd_db_pool_set_attr(pool, &next));
	assert_succeeds(rpmemd_db_pool_close(pool, 0));
	struct rpmem_pool_attr got;
	int has_attr;
	assert_succeeds(rpmemd_db_pool_open(t.db, "pool.set", MIB, &pool, &got, &has_attr));
	assert_int_equal(has_attr, 1);
	assert_memory_equal(&got, &next, sizeof(got));
	/* every part's header, as a file read shows it */
	for (unsigned p = 0; p < 3; p++) {
		char name[8];
		snprintf(name, sizeof(name), "p%u", p);
		uint8_t buf[HDR];
		dbt_pread(&t, name, 0, buf, sizeof(buf));
		struct db_hdr h;
		assert_succeeds(db_hdr_decode(buf, p, &h));
		assert_memory_equal(&h.attr, &next, sizeof(next));
	}
	/* NULL stores zeros; the pool still has headers */
	assert_succeeds(rpmemd_db_pool_set_attr(pool, NULL));
	assert_succeeds(rpmemd_db_pool_close(pool, 0));
	memset(&got, 0xff, sizeof(got));
	assert_succeeds(rpmemd_db_pool_open(t.db, "pool.set", MIB, &pool, &got, &has_attr));
	assert_int_equal(has_attr, 1);
	assert_true(dbt_is_zero(&got, sizeof(got)));
	next.incompat_features |= 0x1;
	assert_fails(rpmemd_db_pool_set_attr(pool, &next), -EINVAL,
		"pool set 'pool.set' does not say OPTION SINGLEHDR but incompat_features 0x10000001 has the SINGLEHDR bit 0x1");
	assert_succeeds(rpmemd_db_pool_close(pool, 0));
	dbt_teardown(&t);
}

static void
set_attr_on_a_nohdrs_pool_takes_only_zero_attributes(void **state)
{
	(void)state;
	struct dbt t;
	dbt_setup(&t);
	dbt_write(&t, "pool.set", "PMEMPOOLSET\nOPTION NOHDRS\n2M p0\n");
	struct rpmemd_pool *pool;
	assert_succeeds(rpmemd_db_pool_create(t.db, "pool.set", MIB, NULL, &pool));
	assert_succeeds(rpmemd_db_pool_set_attr(pool, NULL));
	struct rpmem_pool_attr attr;
	memset(&attr, 0, sizeof(attr));
	assert_succeeds(rpmemd_db_pool_set_attr(pool, &attr));
	attr = dbt_attr(24);
	assert_fails(rpmemd_db_pool_set_attr(pool, &attr), -EINVAL,
		"pool set 'pool.set' says OPTION NOHDRS: it keeps no attributes");
	assert_true(dbt_is_zero(pool->addr, HDR));
	assert_succeeds(rpmemd_db_pool_close(pool, 0));
	dbt_teardown(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(missing_part_fails_with_enoent),
		cmocka_unit_test(part_of_another_size_than_the_set_says_fails_with_einval),
		cmocka_unit_test(open_larger_than_the_pool_fails_with_efbig),
		cmocka_unit_test(a_pool_in_use_is_busy_for_another_process),
		cmocka_unit_test(a_part_locked_through_another_set_is_busy),
		cmocka_unit_test(an_unreadable_set_fails_with_eacces),
		cmocka_unit_test(a_corrupt_header_fails_with_einval),
		cmocka_unit_test(headers_that_disagree_fail_with_einval),
		cmocka_unit_test(a_set_that_gained_singlehdr_fails_with_einval),
		cmocka_unit_test(set_attr_rewrites_every_header),
		cmocka_unit_test(set_attr_on_a_nohdrs_pool_takes_only_zero_attributes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
