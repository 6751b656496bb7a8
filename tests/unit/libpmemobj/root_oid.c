/* root_oid.c -- the root object (created, grown, constructed, kept across reopen) and object addresses: direct, oid, pool_by_ptr, pool_by_oid, user data */
#include "obj_test.h"

#define SIZE (16 * MIB)

static int
clean(void **state)
{
	obj_clean_dir();
	return 0;
}

static PMEMobjpool *
create(void)
{
	PMEMobjpool *pop = pmemobj_create(obj_path("pool"), "root", SIZE, 0600);
	if (pop == NULL)
		fail_msg("pmemobj_create: %s", pmemobj_errormsg());
	return pop;
}

static void
root_is_created_grown_and_kept_across_reopen(void **state)
{
	PMEMobjpool *pop = create();
	assert_int_equal(pmemobj_root_size(pop), 0);
	errno = 0;
	assert_true(OID_IS_NULL(pmemobj_root(pop, 0)));
	obj_assert_error(EINVAL, "no root object yet");

	PMEMoid root = pmemobj_root(pop, 100);
	assert_false(OID_IS_NULL(root));
	assert_int_equal(pmemobj_root_size(pop), 100);
	char *p = pmemobj_direct(root);
	assert_ptr_equal(p, (char *)pop + OBJ_ROOT);
	pmemobj_memset_persist(pop, p, 0xab, 100);

	/* smaller and 0 return the same object, unchanged */
	assert_true(OID_EQUALS(pmemobj_root(pop, 10), root));
	assert_true(OID_EQUALS(pmemobj_root(pop, 0), root));
	assert_int_equal(pmemobj_root_size(pop), 100);

	/* growing keeps the contents and zeroes the new bytes */
	root = pmemobj_root(pop, 5000);
	assert_int_equal(pmemobj_root_size(pop), 5000);
	assert_true(p[99] == (char)0xab && p[100] == 0 && p[4999] == 0);
	pmemobj_close(pop);

	assert_non_null(pop = pmemobj_open(obj_path("pool"), "root"));
	assert_int_equal(pmemobj_root_size(pop), 5000);
	p = pmemobj_direct(pmemobj_root(pop, 0));
	assert_true(p[0] == (char)0xab && p[99] == (char)0xab && p[100] == 0);

	/* too large for the pool */
	errno = 0;
	assert_true(OID_IS_NULL(pmemobj_root(pop, SIZE)));
	obj_assert_error(ENOMEM, "does not fit the pool");
	assert_int_equal(pmemobj_root_size(pop), 5000);
	pmemobj_close(pop);
}

static int Constructed;

static int
constr(PMEMobjpool *pop, void *ptr, void *arg)
{
	Constructed++;
	pmemobj_memcpy_persist(pop, ptr, arg, strlen(arg) + 1);
	return 0;
}

static int
constr_fails(PMEMobjpool *pop, void *ptr, void *arg)
{
	return 1;
}

static void
constructor_runs_on_creation_and_growth_only(void **state)
{
	PMEMobjpool *pop = create();
	Constructed = 0;
	PMEMoid root = pmemobj_root_construct(pop, 64, constr, "hello");
	assert_false(OID_IS_NULL(root));
	assert_int_equal(Constructed, 1);
	assert_string_equal(pmemobj_direct(root), "hello");
	pmemobj_root_construct(pop, 64, constr, "again");
	assert_int_equal(Constructed, 1);
	pmemobj_root_construct(pop, 128, constr, "grown");
	assert_int_equal(Constructed, 2);
	assert_string_equal(pmemobj_direct(root), "grown");

	/* a failing constructor cancels the growth */
	errno = 0;
	assert_true(OID_IS_NULL(pmemobj_root_construct(pop, 4096, constr_fails, NULL)));
	obj_assert_error(ECANCELED, "constructor failed");
	assert_int_equal(pmemobj_root_size(pop), 128);
	pmemobj_close(pop);
}

static void
addresses_and_handles_translate_both_ways(void **state)
{
	PMEMobjpool *pop = create();
	PMEMoid root = pmemobj_root(pop, 256);
	char *p = pmemobj_direct(root);
	assert_non_null(p);
	assert_ptr_equal(pmemobj_direct_inline(root), p);
	assert_ptr_equal(pmemobj_pool_by_ptr(p), pop);
	assert_ptr_equal(pmemobj_pool_by_ptr((char *)pop + SIZE - 1), pop);
	assert_null(pmemobj_pool_by_ptr((char *)pop + SIZE));
	assert_null(pmemobj_pool_by_ptr(&root));
	assert_ptr_equal(pmemobj_pool_by_oid(root), pop);

	PMEMoid o = pmemobj_oid(p + 10);
	assert_int_equal(o.pool_uuid_lo, root.pool_uuid_lo);
	assert_int_equal(o.off, root.off + 10);
	assert_ptr_equal(pmemobj_direct(o), p + 10);
	assert_true(OID_IS_NULL(pmemobj_oid(&o)));

	assert_null(pmemobj_direct(OID_NULL));
	PMEMoid bad = { root.pool_uuid_lo + 1, root.off };
	assert_null(pmemobj_direct(bad));
	assert_null(pmemobj_pool_by_oid(bad));
	assert_null(pmemobj_pool_by_oid(OID_NULL));
	PMEMoid beyond = { root.pool_uuid_lo, SIZE };
	assert_null(pmemobj_direct(beyond));

	assert_null(pmemobj_get_user_data(pop));
	pmemobj_set_user_data(pop, &o);
	assert_ptr_equal(pmemobj_get_user_data(pop), &o);
	errno = 0;
	assert_null(pmemobj_get_user_data(NULL));
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_int_equal(pmemobj_root_size(NULL), 0);
	assert_int_equal(errno, EINVAL);
	assert_true(OID_IS_NULL(pmemobj_root((PMEMobjpool *)&o, 8)));
	errno = 0;
	assert_true(OID_IS_NULL(pmemobj_root_construct(NULL, 8, NULL, NULL)));
	obj_assert_error(EINVAL, "pmemobj_root: pop is NULL");
	assert_null(pmemobj_pool_by_ptr(NULL));
	assert_true(OID_IS_NULL(pmemobj_oid(NULL)));
	errno = 0;
	pmemobj_set_user_data(NULL, &o);
	assert_int_equal(errno, EINVAL);

	/* the same pool UUID after reopen: handles stay valid */
	pmemobj_close(pop);
	assert_null(pmemobj_direct(root));
	assert_null(pmemobj_pool_by_ptr(p));
	assert_non_null(pop = pmemobj_open(obj_path("pool"), NULL));
	assert_non_null(pmemobj_direct(root));
	assert_ptr_equal(pmemobj_pool_by_oid(root), pop);
	assert_null(pmemobj_get_user_data(pop));
	pmemobj_close(pop);
}

static void
two_pools_are_told_apart_and_a_copy_is_refused(void **state)
{
	PMEMobjpool *a = create();
	PMEMobjpool *b = pmemobj_create(obj_path("b"), NULL, SIZE, 0600);
	assert_non_null(b);
	PMEMoid ra = pmemobj_root(a, 8), rb = pmemobj_root(b, 8);
	assert_true(ra.pool_uuid_lo != rb.pool_uuid_lo);
	assert_ptr_equal(pmemobj_pool_by_oid(rb), b);
	assert_ptr_equal(pmemobj_direct(rb), (char *)b + OBJ_ROOT);
	pmemobj_close(b);

	/* a byte-for-byte copy of an open pool has its UUID: refused while the first is open */
	char cmd[2 * PATH_MAX + 16];
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", obj_path("pool"), obj_path("copy"));
	assert_int_equal(system(cmd), 0);
	errno = 0;
	assert_null(pmemobj_open(obj_path("copy"), NULL));
	obj_assert_error(EINVAL, "is the same pool (or a copy)");
	pmemobj_close(a);
	assert_non_null(a = pmemobj_open(obj_path("copy"), NULL));
	pmemobj_close(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(root_is_created_grown_and_kept_across_reopen, clean),
		cmocka_unit_test_setup(constructor_runs_on_creation_and_growth_only, clean),
		cmocka_unit_test_setup(addresses_and_handles_translate_both_ways, clean),
		cmocka_unit_test_setup(two_pools_are_told_apart_and_a_copy_is_refused, clean),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
