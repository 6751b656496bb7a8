/* replicas_local.c -- pools with one and two local replicas: every write call reaches every replica byte for byte; open refuses replicas that do not belong */
#include <pthread.h>

#include "obj_test.h"

#define SIZE (8 * MIB)

static const char Set2[] = "PMEMPOOLSET\n8M p0\nREPLICA\n8M r1\n";
/* the second replica in two parts, larger than the primary */
static const char Set3[] = "PMEMPOOLSET\n8M p0\nREPLICA\n8M r1\nREPLICA\n4M r2a\n8M r2b\n";

static int
clean(void **state)
{
	obj_clean_dir();
	return 0;
}

static PMEMobjpool *
create(const char *text)
{
	obj_write_file(obj_path("set"), text);
	PMEMobjpool *pop = pmemobj_create(obj_path("set"), "rep", 0, 0600);
	if (pop == NULL)
		fail_msg("pmemobj_create: %s (errno %d)", pmemobj_errormsg(), errno);
	return pop;
}

/* the pool data [OBJ_HDR, SIZE) equals the replicas' files */
static void
assert_replicas(PMEMobjpool *pop, unsigned nreplicas)
{
	struct obj_part r1[] = { { obj_path("r1"), 8 * MIB, 1 } };
	struct obj_part r2[] = { { obj_path("r2a"), 4 * MIB, 1 }, { obj_path("r2b"), 8 * MIB, 1 } };
	struct obj_part p0[] = { { obj_path("p0"), 8 * MIB, 1 } };
	obj_assert_replica(pop, p0, 1, OBJ_HDR, SIZE - OBJ_HDR);
	obj_assert_replica(pop, r1, 1, OBJ_HDR, SIZE - OBJ_HDR);
	if (nreplicas > 2)
		obj_assert_replica(pop, r2, 2, OBJ_HDR, SIZE - OBJ_HDR);
}

/* every call that writes or persists, on its own range of the pool */
static void
write_through_every_call(PMEMobjpool *pop)
{
	char *d = (char *)pop + OBJ_ROOT;
	char src[64 << 10];
	size_t s = sizeof(src);
	errno = 0;

	test_fill_pattern(d, s, 1);
	pmemobj_persist(pop, d, s);
	d += s;
	test_fill_pattern(d, s, 2);
	assert_int_equal(pmemobj_xpersist(pop, d, s, 0), 0);
	d += s;
	test_fill_pattern(d, s, 3);
	assert_int_equal(pmemobj_xpersist(pop, d, s, PMEMOBJ_F_RELAXED), 0);
	d += s;
	test_fill_pattern(d, s, 4);
	pmemobj_flush(pop, d, s);
	pmemobj_drain(pop);
	d += s;
	test_fill_pattern(d, s, 5);
	assert_int_equal(pmemobj_xflush(pop, d, s, PMEMOBJ_F_RELAXED), 0);
	pmemobj_drain(pop);
	d += s;
	test_fill_pattern(src, s, 6);
	assert_ptr_equal(pmemobj_memcpy_persist(pop, d, src, s), d);
	d += s;
	assert_ptr_equal(pmemobj_memset_persist(pop, d, 0x5a, s), d);
	d += s;
	static const unsigned flags[] = {
		0, PMEMOBJ_F_MEM_NODRAIN, PMEMOBJ_F_MEM_NONTEMPORAL, PMEMOBJ_F_MEM_TEMPORAL,
		PMEMOBJ_F_MEM_WC, PMEMOBJ_F_MEM_WB, PMEMOBJ_F_RELAXED,
		PMEMOBJ_F_MEM_NONTEMPORAL | PMEMOBJ_F_MEM_NODRAIN | PMEMOBJ_F_RELAXED,
	};
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		test_fill_pattern(src, s, 10 + (unsigned)i);
		assert_ptr_equal(pmemobj_memcpy(pop, d, src, s, flags[i]), d);
		d += s;
		assert_ptr_equal(pmemobj_memset(pop, d, (int)i, s, flags[i]), d);
		d += s;
		/* an overlapping move inside the pool, both ways */
		test_fill_pattern(d, s, 20 + (unsigned)i);
		pmemobj_persist(pop, d, s);
		assert_ptr_equal(pmemobj_memmove(pop, d + 100, d, s - 100, flags[i]), d + 100);
		assert_ptr_equal(pmemobj_memmove(pop, d, d + 50, s - 50, flags[i]), d);
		if (flags[i] & PMEMOBJ_F_MEM_NODRAIN)
			pmemobj_drain(pop);
		d += s;
	}
	/* NOFLUSH writes the primary only; a persist afterwards replicates it */
	test_fill_pattern(src, s, 40);
	pmemobj_memcpy(pop, d, src, s, PMEMOBJ_F_MEM_NOFLUSH);
	pmemobj_persist(pop, d, s);
	d += s;
	assert_int_equal(errno, 0);
}

static void
one_local_replica_gets_every_write(void **state)
{
	PMEMobjpool *pop = create(Set2);
	write_through_every_call(pop);
	assert_replicas(pop, 2);
	pmemobj_close(pop);
	assert_int_equal(pmemobj_check(obj_path("set"), "rep"), 1);
}

static void
two_local_replicas_get_every_write_and_reopen(void **state)
{
	PMEMobjpool *pop = create(Set3);
	write_through_every_call(pop);
	assert_replicas(pop, 3);
	/* the root too */
	PMEMoid root = pmemobj_root(pop, 1000);
	assert_false(OID_IS_NULL(root));
	pmemobj_close(pop);

	assert_non_null(pop = pmemobj_open(obj_path("set"), "rep"));
	assert_int_equal(pmemobj_root_size(pop), 1000);
	assert_replicas(pop, 3);
	pmemobj_close(pop);
}

struct job {
	PMEMobjpool *pop;
	unsigned id;
};

static void *
writer(void *arg)
{
	struct job *j = arg;
	char *base = (char *)j->pop + OBJ_ROOT + j->id * (256 << 10);
	for (unsigned i = 0; i < 64; i++) {
		char buf[4096];
		test_fill_pattern(buf, sizeof(buf), j->id * 100 + i);
		pmemobj_memcpy_persist(j->pop, base + i * sizeof(buf), buf, sizeof(buf));
	}
	return NULL;
}

static void
threads_write_disjoint_ranges_to_every_replica(void **state)
{
	PMEMobjpool *pop = create(Set3);
	pthread_t t[8];
	struct job jobs[8];
	for (unsigned i = 0; i < 8; i++) {
		jobs[i] = (struct job){ pop, i };
		assert_int_equal(pthread_create(&t[i], NULL, writer, &jobs[i]), 0);
	}
	for (unsigned i = 0; i < 8; i++)
		pthread_join(t[i], NULL);
	assert_replicas(pop, 3);
	char buf[4096];
	test_fill_pattern(buf, sizeof(buf), 7 * 100 + 63);
	assert_memory_equal((char *)pop + OBJ_ROOT + 7 * (256 << 10) + 63 * 4096, buf, 4096);
	pmemobj_close(pop);
}

static void
calls_outside_the_pool_data_fail_and_write_nothing(void **state)
{
	PMEMobjpool *pop = create(Set2);
	char *p = (char *)pop;
	char buf[64] = { 1 };
	char hdr[OBJ_HDR];
	memcpy(hdr, p, OBJ_HDR);

	errno = 0;
	pmemobj_persist(pop, p + 100, 10);
	obj_assert_error(EINVAL, "offset 100 is inside the 4096-byte pool header");
	errno = 0;
	assert_int_equal(pmemobj_xpersist(pop, p + SIZE - 10, 11, 0), -1);
	obj_assert_error(EINVAL, "ends beyond the pool");
	assert_int_equal(pmemobj_xpersist(pop, p + SIZE, 0, 0), 0);
	errno = 0;
	assert_int_equal(pmemobj_xflush(pop, p - 1, 1, 0), -1);
	obj_assert_error(EINVAL, "outside the pool");
	errno = 0;
	assert_int_equal(pmemobj_xpersist(pop, p + OBJ_ROOT, 8, 0x2), -1);
	obj_assert_error(EINVAL, "unknown flags 0x2");
	errno = 0;
	assert_int_equal(pmemobj_xflush(pop, p + OBJ_ROOT, 8, PMEMOBJ_F_MEM_NODRAIN), -1);
	obj_assert_error(EINVAL, "unknown flags");
	errno = 0;
	pmemobj_flush(pop, p + SIZE + 4096, 1);
	obj_assert_error(EINVAL, "outside the pool");
	errno = 0;
	assert_ptr_equal(pmemobj_memcpy_persist(pop, p, buf, sizeof(buf)), p);
	obj_assert_error(EINVAL, "pmemobj_memcpy_persist: offset 0 is inside");
	errno = 0;
	assert_ptr_equal(pmemobj_memset_persist(pop, p + 8, 0, 8), p + 8);
	obj_assert_error(EINVAL, "pmemobj_memset_persist");
	errno = 0;
	assert_ptr_equal(pmemobj_memcpy(pop, p + OBJ_ROOT, buf, 8, 1u << 7), p + OBJ_ROOT);
	obj_assert_error(EINVAL, "pmemobj_memcpy: unknown flags 0x80");
	errno = 0;
	assert_ptr_equal(pmemobj_memmove(pop, p + OBJ_ROOT, NULL, 8, 0), p + OBJ_ROOT);
	obj_assert_error(EINVAL, "src is NULL");
	errno = 0;
	assert_ptr_equal(pmemobj_memset(pop, p + SIZE - 4, 0, 8, 0), p + SIZE - 4);
	obj_assert_error(EINVAL, "ends beyond the pool");
	assert_memory_equal(p, hdr, OBJ_HDR);

	/* a pool that is not open */
	char fake[64];
	errno = 0;
	pmemobj_persist((PMEMobjpool *)fake, fake, 8);
	obj_assert_error(EINVAL, "is not an open pool");
	errno = 0;
	pmemobj_persist(NULL, fake, 8);
	obj_assert_error(EINVAL, "pop is NULL");
	errno = 0;
	pmemobj_drain(NULL);
	assert_int_equal(errno, EINVAL);
	errno = 0;
	pmemobj_close((PMEMobjpool *)fake);
	obj_assert_error(EINVAL, "pmemobj_close");
	pmemobj_close(pop);
	/* after close the pointer is no pool any more */
	errno = 0;
	assert_int_equal(pmemobj_xpersist(pop, p + OBJ_ROOT, 8, 0), -1);
	obj_assert_error(EINVAL, "is not an open pool");
}

/* the primary's header bytes of a replica's part file, patched */
static void
patch(const char *path, off_t off, const void *bytes, size_t len)
{
	int fd = open(path, O_RDWR);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, bytes, len, off), (ssize_t)len);
	close(fd);
}

static void
corrupted_header_is_refused_naming_the_part(void **state)
{
	pmemobj_close(create(Set3));
	patch(obj_path("r2b"), 200, "x", 1);
	errno = 0;
	assert_null(pmemobj_open(obj_path("set"), "rep"));
	obj_assert_error(EINVAL, "replica 2 (line 7, ");
	obj_assert_error(EINVAL, "r2b): header checksum mismatch");
	assert_int_equal(pmemobj_check(obj_path("set"), "rep"), 0);
	assert_int_equal(errno, EINVAL);
}

static void
corrupted_descriptor_is_refused(void **state)
{
	pmemobj_close(create(Set2));
	patch(obj_path("r1"), OBJ_HDR + 20, "x", 1);	/* in the layout name */
	errno = 0;
	assert_null(pmemobj_open(obj_path("set"), "rep"));
	obj_assert_error(EINVAL, "replica 1 (line 4, ");
	obj_assert_error(EINVAL, "pool descriptor checksum mismatch");
	assert_int_equal(pmemobj_check(obj_path("set"), NULL), 0);
}

static void
replica_of_another_set_is_refused_naming_it(void **state)
{
	pmemobj_close(create(Set3));
	/* a second pool with its own replicas, one of which is swapped in */
	obj_write_file(obj_path("other.set"),
		"PMEMPOOLSET\n8M o0\nREPLICA\n8M o1\nREPLICA\n4M o2a\n8M o2b\n");
	PMEMobjpool *pop = pmemobj_create(obj_path("other.set"), "rep", 0, 0600);
	assert_non_null(pop);
	pmemobj_close(pop);
	assert_int_equal(rename(obj_path("o1"), obj_path("r1")), 0);
	errno = 0;
	assert_null(pmemobj_open(obj_path("set"), "rep"));
	obj_assert_error(EINVAL, "replica 1 (line 4, ");
	obj_assert_error(EINVAL, "r1): belongs to another pool set (poolset uuid ");
	assert_int_equal(pmemobj_check(obj_path("set"), "rep"), 0);
}

static void
replicas_in_another_order_are_refused(void **state)
{
	pmemobj_close(create(Set3));
	/* the set file lists the replicas the other way round */
	obj_write_file(obj_path("swapped.set"),
		"PMEMPOOLSET\n8M p0\nREPLICA\n4M r2a\n8M r2b\nREPLICA\n8M r1\n");
	errno = 0;
	assert_null(pmemobj_open(obj_path("swapped.set"), NULL));
	obj_assert_error(EINVAL, "is replica 2 of its set, the pool set file puts it at 1");
	/* a replica dropped from the set file */
	obj_write_file(obj_path("short.set"), "PMEMPOOLSET\n8M p0\nREPLICA\n8M r1\n");
	assert_null(pmemobj_open(obj_path("short.set"), NULL));
	obj_assert_error(EINVAL, "belongs to a set of 3 replicas, the pool set file has 2");
}

static void
replica_too_small_is_refused(void **state)
{
	pmemobj_close(create(Set2));
	/* the replica's part shrunk, and the set file says so */
	assert_int_equal(truncate(obj_path("r1"), (off_t)(4 * MIB)), 0);
	obj_write_file(obj_path("set"), "PMEMPOOLSET\n8M p0\nREPLICA\n4M r1\n");
	errno = 0;
	assert_null(pmemobj_open(obj_path("set"), NULL));
	obj_assert_error(EINVAL, "fewer than the primary's 8388608");
	/* a part file whose size is not the set's */
	obj_write_file(obj_path("set"), Set2);
	assert_null(pmemobj_open(obj_path("set"), NULL));
	assert_int_equal(errno, EINVAL);
}

static void
replica_part_missing_is_refused(void **state)
{
	pmemobj_close(create(Set3));
	assert_int_equal(unlink(obj_path("r2b")), 0);
	errno = 0;
	assert_null(pmemobj_open(obj_path("set"), NULL));
	obj_assert_error(ENOENT, "r2b");
	assert_int_equal(pmemobj_check(obj_path("set"), NULL), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(one_local_replica_gets_every_write, clean),
		cmocka_unit_test_setup(two_local_replicas_get_every_write_and_reopen, clean),
		cmocka_unit_test_setup(threads_write_disjoint_ranges_to_every_replica, clean),
		cmocka_unit_test_setup(calls_outside_the_pool_data_fail_and_write_nothing, clean),
		cmocka_unit_test_setup(corrupted_header_is_refused_naming_the_part, clean),
		cmocka_unit_test_setup(corrupted_descriptor_is_refused, clean),
		cmocka_unit_test_setup(replica_of_another_set_is_refused_naming_it, clean),
		cmocka_unit_test_setup(replicas_in_another_order_are_refused, clean),
		cmocka_unit_test_setup(replica_too_small_is_refused, clean),
		cmocka_unit_test_setup(replica_part_missing_is_refused, clean),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
