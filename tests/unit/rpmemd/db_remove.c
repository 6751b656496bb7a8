/* db_remove.c -- rpmemd pool database: removing pool sets, with and without force and the set file */
#include "db_test.h"

static void
make_pool(struct dbt *t, const char *name, const char *text)
{
	dbt_write(t, name, text);
	struct rpmem_pool_attr attr = dbt_attr(40);
	struct rpmemd_pool *pool;
	assert_succeeds(rpmemd_db_pool_create(t->db, name, MIB, &attr, &pool));
	assert_succeeds(rpmemd_db_pool_close(pool, 0));
}

static void
remove_unlinks_the_parts_and_keeps_the_set_file(void **state)
{
	(void)state;
	struct dbt t;
	dbt_setup(&t);
	make_pool(&t, "pool.set", "PMEMPOOLSET\n2M p0\n2M p1\n");
	assert_succeeds(rpmemd_db_pool_remove(t.db, "pool.set", 0, 0));
	assert_int_equal(dbt_size(&t, "p0"), -1);
	assert_int_equal(dbt_size(&t, "p1"), -1);
	assert_true(dbt_size(&t, "pool.set") > 0);
	/* the set can be created again */
	make_pool(&t, "pool.set", "PMEMPOOLSET\n2M p0\n2M p1\n");
	dbt_teardown(&t);
}

static void
remove_with_pool_set_unlinks_the_set_file_too(void **state)
{
	(void)state;
	struct dbt t;
	dbt_setup(&t);
	char sub[PATH_MAX];
	dbt_path(&t, "sub", sub);
	assert_int_equal(mkdir(sub, 0700), 0);
	make_pool(&t, "sub/pool.set", "PMEMPOOLSET\n2M p0\n");
	assert_succeeds(rpmemd_db_pool_remove(t.db, "sub/pool.set", 0, 1));
	assert_int_equal(dbt_size(&t, "sub/p0"), -1);
	assert_int_equal(dbt_size(&t, "sub/pool.set"), -1);
	assert_int_equal(rpmemd_db_pool_remove(t.db, "sub/pool.set", 1, 1), -ENOENT);
	dbt_teardown(&t);
}

static void
a_missing_part_fails_without_force_and_removes_nothing(void **state)
{
	(void)state;
	struct dbt t;
	dbt_setup(&t);
	make_pool(&t, "pool.set", "PMEMPOOLSET\n2M p0\n2M p1\n2M p2\n");
	char path[PATH_MAX];
	dbt_path(&t, "p1", path);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rpmemd_db_pool_remove(t.db, "pool.set", 0, 1), -ENOENT);
	assert_non_null(strstr(err_last(), "pool set 'pool.set': "));
	assert_int_equal(dbt_size(&t, "p0"), 2 * MIB);
	assert_int_equal(dbt_size(&t, "p2"), 2 * MIB);
	assert_true(dbt_size(&t, "pool.set") > 0);
	/* force skips it */
	assert_succeeds(rpmemd_db_pool_remove(t.db, "pool.set", 1, 1));
	assert_int_equal(dbt_size(&t, "p0"), -1);
	assert_int_equal(dbt_size(&t, "p2"), -1);
	assert_int_equal(dbt_size(&t, "pool.set"), -1);
	dbt_teardown(&t);
}

static void
an_unparsable_set_is_removed_only_with_force_and_pool_set(void **state)
{
	(void)state;
	struct dbt t;
	dbt_setup(&t);
	dbt_write(&t, "bad.set", "PMEMPOOLSET\n2Q p0\n");
	assert_int_equal(rpmemd_db_pool_remove(t.db, "bad.set", 0, 1), -EINVAL);
	assert_int_equal(rpmemd_db_pool_remove(t.db, "bad.set", 1, 0), -EINVAL);
	assert_true(dbt_size(&t, "bad.set") > 0);
	assert_succeeds(rpmemd_db_pool_remove(t.db, "bad.set", 1, 1));
	assert_int_equal(dbt_size(&t, "bad.set"), -1);
	dbt_teardown(&t);
}

static void
a_pool_in_use_is_not_removed(void **state)
{
	(void)state;
	struct dbt t;
	dbt_setup(&t);
	make_pool(&t, "pool.set", "PMEMPOOLSET\n2M p0\n2M p1\n");
	dbt_write(&t, "alias.set", "PMEMPOOLSET\n2M q0\n2M p1\n");
	struct rpmemd_pool *pool;
	assert_succeeds(rpmemd_db_pool_open(t.db, "pool.set", MIB, &pool, NULL, NULL));
	assert_fails(rpmemd_db_pool_remove(t.db, "pool.set", 1, 1), -EBUSY,
		"pool set 'pool.set' is in use (its set file locked by another holder)");
	/* through another set naming a part in use: force does not override it */
	dbt_write(&t, "q0", "");
	assert_fails(rpmemd_db_pool_remove(t.db, "alias.set", 1, 1), -EBUSY,
		"pool set 'alias.set' is in use (p1 locked by another holder)");
	assert_int_equal(dbt_size(&t, "q0"), 0);
	assert_int_equal(dbt_size(&t, "p1"), 2 * MIB);
	assert_succeeds(rpmemd_db_pool_close(pool, 0));
	assert_succeeds(rpmemd_db_pool_remove(t.db, "pool.set", 0, 0));
	dbt_teardown(&t);
}

static void
names_leaving_the_poolset_dir_are_refused(void **state)
{
	(void)state;
	struct dbt outer, t;
	dbt_setup(&outer);
	dbt_setup_in(&t, outer.dir);
	/* a set outside t's poolset-dir whose parts would be there too */
	make_pool(&outer, "pool.set", "PMEMPOOLSET\n2M p0\n");
	char up[PATH_MAX];
	snprintf(up, sizeof(up), "../pool.set");
	assert_fails(rpmemd_db_pool_remove(t.db, up, 1, 1), -EINVAL,
		"pool set name '../pool.set' leaves the pool set directory");
	snprintf(up, sizeof(up), "sub/../../pool.set");
	assert_fails(rpmemd_db_pool_remove(t.db, up, 1, 1), -EINVAL,
		"pool set name 'sub/../../pool.set' leaves the pool set directory");
	char abs[PATH_MAX];
	dbt_path(&outer, "pool.set", abs);
	assert_int_equal(rpmemd_db_pool_remove(t.db, abs, 1, 1), -EINVAL);
	assert_int_equal(rpmemd_db_pool_remove(t.db, "", 1, 1), -EINVAL);
	/* a set inside whose part lies outside */
	dbt_write(&t, "escape.set", "PMEMPOOLSET\n2M ../p0\n");
	assert_fails(rpmemd_db_pool_remove(t.db, "escape.set", 0, 0), -EINVAL,
		"escape.set: line 2: part path '../p0' leaves the pool set directory");
	assert_int_equal(dbt_size(&outer, "p0"), 2 * MIB);
	assert_true(dbt_size(&outer, "pool.set") > 0);
	dbt_teardown(&t);
	dbt_teardown(&outer);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(remove_unlinks_the_parts_and_keeps_the_set_file),
		cmocka_unit_test(remove_with_pool_set_unlinks_the_set_file_too),
		cmocka_unit_test(a_missing_part_fails_without_force_and_removes_nothing),
		cmocka_unit_test(an_unparsable_set_is_removed_only_with_force_and_pool_set),
		cmocka_unit_test(a_pool_in_use_is_not_removed),
		cmocka_unit_test(names_leaving_the_poolset_dir_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
