/* replica_remove.c -- removing a local replica's parts: all or nothing while in use, force over missing parts, confined unlinking */
#include "replica_test.h"

static const char Three[] = "PMEMPOOLSET\n2M p0\n2M p1\n2M p2\n";

static void
made(struct rt *t, const char *text, unsigned r)
{
	rt_init(t, text, r);
	assert_succeeds(replica_create(&t->rep, 0, 0600));
	replica_close(&t->rep);
}

static void
remove_unlinks_every_part_and_leaves_the_set_file(void **state)
{
	(void)state;
	struct rt t;
	made(&t, Three, 0);
	assert_succeeds(replica_remove(t.set, 0, REPLICA_UNCONFINED, NAME, 0));
	assert_int_equal(rt_size(&t, "p0"), -1);
	assert_int_equal(rt_size(&t, "p1"), -1);
	assert_int_equal(rt_size(&t, "p2"), -1);
	assert_true(rt_size(&t, "test.set") > 0);
	rt_teardown(&t);
}

static void
a_replica_in_use_is_ebusy_and_nothing_is_removed(void **state)
{
	(void)state;
	struct rt t;
	made(&t, Three, 0);
	assert_succeeds(replica_init(&t.rep, t.set, 0, REPLICA_UNCONFINED, NAME));
	assert_succeeds(replica_open(&t.rep));
	char msg[PATH_MAX + 100];
	snprintf(msg, sizeof(msg), "remover is in use (%s/p0 locked by another holder)", t.dir);
	assert_fails(replica_remove(t.set, 0, REPLICA_UNCONFINED, "remover", 0), -EBUSY, msg);
	/* force does not override a lock either */
	assert_fails(replica_remove(t.set, 0, REPLICA_UNCONFINED, "remover", 1), -EBUSY, msg);
	assert_int_equal(rt_size(&t, "p0"), 2 * MIB);
	assert_int_equal(rt_size(&t, "p2"), 2 * MIB);
	replica_close(&t.rep);
	assert_succeeds(replica_remove(t.set, 0, REPLICA_UNCONFINED, "remover", 0));
	assert_int_equal(rt_size(&t, "p0"), -1);
	rt_teardown(&t);
}

static void
a_missing_part_stops_a_plain_remove_but_not_a_forced_one(void **state)
{
	(void)state;
	struct rt t;
	made(&t, Three, 0);
	char path[PATH_MAX], msg[PATH_MAX + 100];
	rt_path(&t, "p1", path);
	assert_int_equal(unlink(path), 0);
	snprintf(msg, sizeof(msg), NAME ": part path '%s' cannot be opened: %s", path,
		strerror(ENOENT));
	assert_fails(replica_remove(t.set, 0, REPLICA_UNCONFINED, NAME, 0), -ENOENT, msg);
	assert_int_equal(rt_size(&t, "p0"), 2 * MIB);
	assert_int_equal(rt_size(&t, "p2"), 2 * MIB);
	assert_succeeds(replica_remove(t.set, 0, REPLICA_UNCONFINED, NAME, 1));
	assert_int_equal(rt_size(&t, "p0"), -1);
	assert_int_equal(rt_size(&t, "p2"), -1);
	rt_teardown(&t);
}

static void
only_the_named_local_replica_is_removed(void **state)
{
	(void)state;
	struct rt t;
	made(&t, "PMEMPOOLSET\n2M p0\nREPLICA\n2M r0\nREPLICA host remote.set\n", 1);
	struct replica r0;
	assert_succeeds(replica_init(&r0, t.set, 0, REPLICA_UNCONFINED, NAME));
	assert_succeeds(replica_create(&r0, 0, 0600));
	replica_close(&r0);
	assert_succeeds(replica_remove(t.set, 1, REPLICA_UNCONFINED, NAME, 0));
	assert_int_equal(rt_size(&t, "r0"), -1);
	assert_int_equal(rt_size(&t, "p0"), 2 * MIB);
	assert_fails(replica_remove(t.set, 2, REPLICA_UNCONFINED, NAME, 1), -EINVAL,
		NAME ": line 5: replica 2 is remote, not a local replica");
	assert_fails(replica_remove(t.set, 3, REPLICA_UNCONFINED, NAME, 1), -EINVAL,
		NAME ": replica 3 does not exist (the set has 3)");
	assert_fails(replica_remove(t.set, 0, REPLICA_UNCONFINED, NULL, 1), -EINVAL,
		"a replica needs a name for its messages");
	assert_int_equal(rt_size(&t, "p0"), 2 * MIB);
	rt_teardown(&t);
}

static void
confined_remove_and_unlink_stay_below_the_directory(void **state)
{
	(void)state;
	struct rt t;
	rt_setup(&t, "PMEMPOOLSET\n2M sub/p0\n");
	char path[PATH_MAX];
	rt_path(&t, "sub", path);
	assert_int_equal(mkdir(path, 0700), 0);
	int dirfd = open(t.dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(dirfd >= 0);
	struct poolset *set;
	assert_succeeds(poolset_read_at(dirfd, "test.set", &set));
	struct replica r;
	assert_succeeds(replica_init(&r, set, 0, dirfd, NAME));
	assert_succeeds(replica_create(&r, 0, 0600));
	replica_close(&r);
	assert_int_equal(rt_size(&t, "sub/p0"), 2 * MIB);
	assert_succeeds(replica_remove(set, 0, dirfd, NAME, 0));
	assert_int_equal(rt_size(&t, "sub/p0"), -1);
	poolset_free(set);

	/* a parent directory that is a link out of dirfd: nothing outside is unlinked */
	char outside[PATH_MAX + 16], victim[PATH_MAX + 32];
	snprintf(outside, sizeof(outside), "%s-out", t.dir);
	assert_int_equal(mkdir(outside, 0700), 0);
	snprintf(victim, sizeof(victim), "%s/f", outside);
	int fd = open(victim, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	close(fd);
	rt_path(&t, "out", path);
	assert_int_equal(symlink(outside, path), 0);
	assert_int_equal(replica_unlink(dirfd, "out/f", "part"), -EINVAL);
	assert_non_null(strstr(err_last(), "leaves the pool set directory"));
	assert_int_equal(access(victim, F_OK), 0);
	assert_fails(replica_unlink(dirfd, "nothing", "part"), -ENOENT,
		"part 'nothing' cannot be removed: No such file or directory");
	/* unconfined, the same path is used as written */
	assert_succeeds(replica_unlink(REPLICA_UNCONFINED, victim, "part"));
	assert_int_equal(access(victim, F_OK), -1);
	rmdir(outside);
	close(dirfd);
	rt_teardown(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(remove_unlinks_every_part_and_leaves_the_set_file),
		cmocka_unit_test(a_replica_in_use_is_ebusy_and_nothing_is_removed),
		cmocka_unit_test(a_missing_part_stops_a_plain_remove_but_not_a_forced_one),
		cmocka_unit_test(only_the_named_local_replica_is_removed),
		cmocka_unit_test(confined_remove_and_unlink_stay_below_the_directory),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
