/* replica_open.c -- opening an existing local replica: data survives, missing and resized parts, locks against a second holder */
#include "replica_test.h"

static const char Two[] = "PMEMPOOLSET\n2M p0\n2M p1\n";

/* creates the parts of t's set (replica 0) and closes them again */
static void
made(struct rt *t, const char *text)
{
	rt_init(t, text, 0);
	assert_succeeds(replica_create(&t->rep, 0, 0600));
	replica_close(&t->rep);
	assert_succeeds(replica_init(&t->rep, t->set, 0, REPLICA_UNCONFINED, NAME));
}

static void
data_written_before_close_is_there_after_open(void **state)
{
	(void)state;
	struct rt t;
	rt_init(&t, Two, 0);
	assert_succeeds(replica_create(&t.rep, 0, 0600));
	assert_succeeds(replica_map(&t.rep));
	char data[300];
	test_fill_pattern(data, sizeof(data), 7);
	size_t off = 2 * MIB - 150;	/* across the boundary of p0 and p1 */
	assert_succeeds(replica_memcpy_persist(&t.rep, off, data, sizeof(data)));
	replica_close(&t.rep);

	assert_succeeds(replica_init(&t.rep, t.set, 0, REPLICA_UNCONFINED, NAME));
	assert_succeeds(replica_open(&t.rep));
	assert_int_equal(t.rep.size, 4 * MIB - HDR);
	for (unsigned p = 0; p < 2; p++) {
		assert_int_equal(t.rep.parts[p].created, 0);
		assert_int_equal(t.rep.parts[p].was_empty, 0);
	}
	assert_succeeds(replica_map(&t.rep));
	assert_memory_equal((char *)t.rep.addr + off, data, sizeof(data));
	/* undo after open has nothing of its own to remove */
	assert_succeeds(replica_undo_create(&t.rep));
	assert_int_equal(rt_size(&t, "p0"), 2 * MIB);
	rt_teardown(&t);
}

static void
a_missing_part_is_enoent_naming_its_path(void **state)
{
	(void)state;
	struct rt t;
	made(&t, Two);
	char path[PATH_MAX], msg[PATH_MAX + 100];
	rt_path(&t, "p1", path);
	assert_int_equal(unlink(path), 0);
	snprintf(msg, sizeof(msg), NAME ": part path '%s' cannot be opened: %s", path,
		strerror(ENOENT));
	assert_fails(replica_open(&t.rep), -ENOENT, msg);
	/* nothing was made by the failed open */
	assert_int_equal(rt_size(&t, "p1"), -1);
	rt_teardown(&t);
}

static void
a_part_of_another_size_than_the_set_says_is_einval(void **state)
{
	(void)state;
	struct rt t;
	made(&t, Two);
	char path[PATH_MAX], msg[PATH_MAX + 100];
	rt_path(&t, "p1", path);
	assert_int_equal(truncate(path, (off_t)MIB), 0);
	snprintf(msg, sizeof(msg), NAME ": part '%s' (line 3) is 1048576 bytes, the set says 2097152",
		path);
	assert_fails(replica_open(&t.rep), -EINVAL, msg);
	rt_teardown(&t);
}

static void
a_second_holder_in_this_process_is_ebusy_until_close(void **state)
{
	(void)state;
	struct rt t;
	made(&t, Two);
	assert_succeeds(replica_open(&t.rep));
	struct replica again;
	assert_succeeds(replica_init(&again, t.set, 0, REPLICA_UNCONFINED, "again"));
	char msg[PATH_MAX + 100];
	snprintf(msg, sizeof(msg), "again is in use (%s/p0 locked by another holder)", t.dir);
	assert_fails(replica_open(&again), -EBUSY, msg);
	replica_close(&again);
	/* a create of the same files meets the same lock */
	assert_succeeds(replica_init(&again, t.set, 0, REPLICA_UNCONFINED, "again"));
	assert_fails(replica_create(&again, REPLICA_REUSE_NONEMPTY, 0600), -EBUSY, msg);
	replica_close(&again);
	replica_close(&t.rep);

	assert_succeeds(replica_init(&again, t.set, 0, REPLICA_UNCONFINED, "again"));
	assert_succeeds(replica_open(&again));
	replica_close(&again);
	rt_teardown(&t);
}

static int
open_in_child(void *arg)
{
	struct rt *t = arg;
	struct replica r;
	if (replica_init(&r, t->set, 0, REPLICA_UNCONFINED, "child") != 0)
		return 90;
	int ret = replica_open(&r);
	replica_close(&r);
	if (ret != -EBUSY) {
		fprintf(stderr, "open = %d (%s), expected -EBUSY\n", ret, err_last());
		return 91;
	}
	return 0;
}

static void
a_replica_in_use_is_ebusy_for_another_process(void **state)
{
	(void)state;
	struct rt t;
	made(&t, Two);
	assert_succeeds(replica_open(&t.rep));
	assert_int_equal(rt_in_child(open_in_child, &t), 0);
	rt_teardown(&t);
}

static void
a_part_named_by_two_sets_is_busy_for_the_second(void **state)
{
	(void)state;
	struct rt t;
	made(&t, Two);
	/* another set naming p0: the part's own lock tells */
	rt_write(&t, "alias.set", "PMEMPOOLSET\n2M p0\n");
	char path[PATH_MAX];
	rt_path(&t, "alias.set", path);
	struct poolset *alias;
	assert_succeeds(poolset_read(path, &alias));
	assert_succeeds(replica_open(&t.rep));
	struct replica r;
	assert_succeeds(replica_init(&r, alias, 0, REPLICA_UNCONFINED, "alias"));
	char msg[PATH_MAX + 100];
	snprintf(msg, sizeof(msg), "alias is in use (%s/p0 locked by another holder)", t.dir);
	assert_int_equal(replica_open(&r), -EBUSY);
	assert_string_equal(err_last(), msg);
	replica_close(&r);
	poolset_free(alias);
	rt_teardown(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(data_written_before_close_is_there_after_open),
		cmocka_unit_test(a_missing_part_is_enoent_naming_its_path),
		cmocka_unit_test(a_part_of_another_size_than_the_set_says_is_einval),
		cmocka_unit_test(a_second_holder_in_this_process_is_ebusy_until_close),
		cmocka_unit_test(a_replica_in_use_is_ebusy_for_another_process),
		cmocka_unit_test(a_part_named_by_two_sets_is_busy_for_the_second),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
