/* health.c -- the pool tool's internals on local replicas: each replica's state and reason, and a missing replica rebuilt by copy and header write until open accepts the pool */
#include "obj_health.h"
#include "obj_test.h"

#define SET "PMEMPOOLSET\n8M p0\nREPLICA\n8M r1\nREPLICA\n4M r2a\n8M r2b\n"

static int
setup_pool(void **state)
{
	obj_clean_dir();
	obj_write_file(obj_path("set"), SET);
	PMEMobjpool *pop = pmemobj_create(obj_path("set"), "h", 0, 0600);
	assert_non_null(pop);
	test_fill_pattern((char *)pop + OBJ_ROOT, 4 * MIB, 5);
	pmemobj_persist(pop, (char *)pop + OBJ_ROOT, 4 * MIB);
	pmemobj_close(pop);
	return 0;
}

static struct obj_replica_health *
list(unsigned *n)
{
	struct obj_replica_health *h;
	if (obj_health_list(obj_path("set"), &h, n) != 0)
		fail_msg("obj_health_list: %s", err_last());
	assert_int_equal(*n, 3);
	return h;
}

static void
healthy_set_is_ok_everywhere(void **state)
{
	unsigned n;
	struct obj_replica_health *h = list(&n);
	for (unsigned r = 0; r < n; r++) {
		assert_int_equal(h[r].state, OBJ_HEALTH_OK);
		assert_string_equal(h[r].why, "");
		assert_int_equal(h[r].hdr.replica, r);
	}
	assert_int_equal(obj_health_reference(h, n), 0);
	assert_string_equal(obj_health_state_name(OBJ_HEALTH_STALE), "stale");
	free(h);
}

static void
missing_damaged_and_foreign_replicas_are_told_apart(void **state)
{
	assert_int_equal(unlink(obj_path("r2b")), 0);
	int fd = open(obj_path("r1"), O_RDWR);
	assert_int_equal(pwrite(fd, "zz", 2, 300), 2);
	close(fd);
	unsigned n;
	struct obj_replica_health *h = list(&n);
	assert_int_equal(h[0].state, OBJ_HEALTH_OK);
	assert_int_equal(h[1].state, OBJ_HEALTH_DAMAGED);
	assert_non_null(strstr(h[1].why, "header checksum mismatch"));
	assert_int_equal(h[2].state, OBJ_HEALTH_MISSING);
	assert_non_null(strstr(h[2].why, "r2b"));
	free(h);

	/* the primary's descriptor damaged: the first good replica is the reference */
	setup_pool(state);
	fd = open(obj_path("p0"), O_RDWR);
	assert_int_equal(pwrite(fd, "zz", 2, OBJ_HDR + 10), 2);
	close(fd);
	h = list(&n);
	assert_int_equal(h[0].state, OBJ_HEALTH_DAMAGED);
	assert_non_null(strstr(h[0].why, "descriptor checksum mismatch"));
	assert_int_equal(obj_health_reference(h, n), 1);
	assert_int_equal(h[2].state, OBJ_HEALTH_OK);
	free(h);

	/* a replica of another pool */
	setup_pool(state);
	obj_write_file(obj_path("o.set"), "PMEMPOOLSET\n8M o0\nREPLICA\n8M o1\n");
	PMEMobjpool *pop = pmemobj_create(obj_path("o.set"), NULL, 0, 0600);
	assert_non_null(pop);
	pmemobj_close(pop);
	assert_int_equal(rename(obj_path("o1"), obj_path("r1")), 0);
	h = list(&n);
	assert_int_equal(h[1].state, OBJ_HEALTH_FOREIGN);
	assert_non_null(strstr(h[1].why, "belongs to another pool set"));
	assert_int_equal(h[2].state, OBJ_HEALTH_OK);
	free(h);
}

static void
open_pool_is_busy(void **state)
{
	PMEMobjpool *pop = pmemobj_open(obj_path("set"), NULL);
	assert_non_null(pop);
	struct obj_replica_health *h;
	unsigned n;
	assert_int_equal(obj_health_list(obj_path("set"), &h, &n), -EBUSY);
	pmemobj_close(pop);
	assert_int_equal(obj_health_list(obj_path("nosuch"), &h, &n), -ENOENT);
}

/* marks replica k stale in the primary's header, as a failed remote write would */
static void
mark_stale(unsigned k)
{
	struct obj_set os;
	assert_int_equal(obj_set_load(obj_path("set"), 0, 0, &os), 0);
	struct obj_rep rep;
	obj_rep_init(&rep, &os, 0);
	assert_int_equal(obj_rep_local_open(&rep), 0);
	struct obj_hdr hdr;
	assert_int_equal(obj_rep_local_read_hdrs(&rep, &hdr, NULL, 0), 0);
	obj_stale_set(hdr.stale, k);
	assert_int_equal(obj_rep_local_write_hdrs(&rep, &hdr), 0);
	obj_rep_close(&rep);
	obj_set_free(&os);
}

static int
progress(size_t done, size_t total, void *arg)
{
	size_t *calls = arg;
	(*calls)++;
	assert_true(done <= total);
	return 0;
}

static void
stale_replica_is_rebuilt_from_the_primary(void **state)
{
	mark_stale(2);
	unsigned n;
	struct obj_replica_health *h = list(&n);
	assert_int_equal(h[2].state, OBJ_HEALTH_STALE);
	assert_non_null(strstr(h[2].why, "marked stale in replica 0"));
	free(h);
	assert_null(pmemobj_open(obj_path("set"), NULL));
	assert_int_equal(errno, EINVAL);

	/* rebuild: the data copied from the primary, the headers rewritten without the mark */
	struct obj_set os;
	assert_int_equal(obj_set_load(obj_path("set"), 0, 0, &os), 0);
	struct obj_rep src, dst;
	obj_rep_init(&src, &os, 0);
	obj_rep_init(&dst, &os, 2);
	assert_int_equal(obj_rep_local_open(&src), 0);
	assert_int_equal(obj_rep_local_open(&dst), 0);
	/* scribble over the stale replica's data first: the copy must restore it */
	memset((char *)dst.local.addr + OBJ_ROOT, 0xee, MIB);
	size_t calls = 0;
	assert_int_equal(obj_rep_copy(&src, &dst, OBJ_HDR, src.local.size - OBJ_HDR, MIB,
		progress, &calls), 0);
	assert_int_equal(calls, 8);
	struct obj_hdr h0, h2;
	assert_int_equal(obj_rep_local_read_hdrs(&src, &h0, NULL, 0), 0);
	assert_int_equal(obj_rep_local_read_hdrs(&dst, &h2, NULL, 0), 0);
	memset(h0.stale, 0, sizeof(h0.stale));
	memset(h2.stale, 0, sizeof(h2.stale));
	assert_int_equal(obj_rep_local_write_hdrs(&src, &h0), 0);
	assert_int_equal(obj_rep_local_write_hdrs(&dst, &h2), 0);
	obj_rep_close(&src);
	obj_rep_close(&dst);
	obj_set_free(&os);

	PMEMobjpool *pop = pmemobj_open(obj_path("set"), "h");
	if (pop == NULL)
		fail_msg("open after the rebuild: %s", pmemobj_errormsg());
	struct obj_part r2[] = { { obj_path("r2a"), 4 * MIB, 1 }, { obj_path("r2b"), 8 * MIB, 1 } };
	obj_assert_replica(pop, r2, 2, OBJ_HDR, 8 * MIB - OBJ_HDR);
	pmemobj_close(pop);
}

static void
copy_refuses_closed_replicas(void **state)
{
	struct obj_set os;
	assert_int_equal(obj_set_load(obj_path("set"), 0, 0, &os), 0);
	struct obj_rep a, b;
	obj_rep_init(&a, &os, 0);
	obj_rep_init(&b, &os, 1);
	assert_int_equal(obj_rep_copy(&a, &b, OBJ_HDR, 4096, 0, NULL, NULL), -EINVAL);
	assert_non_null(strstr(err_last(), "must be open"));
	obj_set_free(&os);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(healthy_set_is_ok_everywhere, setup_pool),
		cmocka_unit_test_setup(missing_damaged_and_foreign_replicas_are_told_apart, setup_pool),
		cmocka_unit_test_setup(open_pool_is_busy, setup_pool),
		cmocka_unit_test_setup(stale_replica_is_rebuilt_from_the_primary, setup_pool),
		cmocka_unit_test_setup(copy_refuses_closed_replicas, setup_pool),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
