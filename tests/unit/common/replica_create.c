/* replica_create.c -- making a local replica's parts: files, modes, layout, reuse rules, undo, bad arguments, a full file system */
#include <sched.h>
#include <sys/mount.h>

#include "replica_test.h"

static const char Three[] = "PMEMPOOLSET\n2M p0\n2M p1\n2M p2\n";

static void
create_makes_every_part_allocated_with_the_given_mode(void **state)
{
	(void)state;
	struct rt t;
	rt_init(&t, Three, 0);
	assert_succeeds(replica_create(&t.rep, 0, 0640));
	const char *names[] = { "p0", "p1", "p2" };
	for (unsigned p = 0; p < 3; p++) {
		assert_int_equal(rt_size(&t, names[p]), 2 * MIB);
		assert_int_equal(rt_mode(&t, names[p]), 0640);
		/* posix_fallocate reserved the blocks: a full file system fails now, not later */
		assert_true(rt_allocated(&t, names[p]) >= (long long)(2 * MIB));
		assert_int_equal(t.rep.parts[p].created, 1);
		assert_int_equal(t.rep.parts[p].was_empty, 0);
		assert_true(t.rep.parts[p].fd >= 0);
	}
	rt_teardown(&t);
}

static void
layout_skips_the_headers_of_parts_after_the_first(void **state)
{
	(void)state;
	struct rt t;
	rt_init(&t, Three, 0);
	assert_succeeds(replica_create(&t.rep, 0, 0600));
	assert_int_equal(t.rep.size, 6 * MIB - 2 * HDR);
	assert_int_equal(t.rep.hdr_size, HDR);
	static const size_t file_off[] = { 0, HDR, HDR };
	static const size_t pool_off[] = { 0, 2 * MIB, 4 * MIB - HDR };
	static const size_t len[] = { 2 * MIB, 2 * MIB - HDR, 2 * MIB - HDR };
	for (unsigned p = 0; p < 3; p++) {
		assert_int_equal(t.rep.parts[p].has_hdr, 1);
		assert_int_equal(t.rep.parts[p].file_size, 2 * MIB);
		assert_int_equal(t.rep.parts[p].file_off, file_off[p]);
		assert_int_equal(t.rep.parts[p].pool_off, pool_off[p]);
		assert_int_equal(t.rep.parts[p].len, len[p]);
	}
	rt_teardown(&t);
}

static void
singlehdr_and_nohdrs_lay_every_later_part_out_whole(void **state)
{
	(void)state;
	struct rt t;
	rt_init(&t, "PMEMPOOLSET\nOPTION SINGLEHDR\n2M p0\n2M p1\n", 0);
	assert_succeeds(replica_create(&t.rep, 0, 0600));
	assert_int_equal(t.rep.size, 4 * MIB);
	assert_int_equal(t.rep.hdr_size, HDR);
	assert_int_equal(t.rep.parts[0].has_hdr, 1);
	assert_int_equal(t.rep.parts[1].has_hdr, 0);
	assert_int_equal(t.rep.parts[1].file_off, 0);
	assert_int_equal(t.rep.parts[1].pool_off, 2 * MIB);
	rt_teardown(&t);

	rt_init(&t, "PMEMPOOLSET\nOPTION NOHDRS\n2M p0\n3M p1\n", 0);
	assert_succeeds(replica_create(&t.rep, 0, 0600));
	assert_int_equal(t.rep.size, 5 * MIB);
	assert_int_equal(t.rep.hdr_size, 0);
	assert_int_equal(t.rep.parts[0].has_hdr, 0);
	assert_int_equal(t.rep.parts[1].len, 3 * MIB);
	rt_teardown(&t);
}

static void
a_size_not_a_page_multiple_is_rounded_down(void **state)
{
	(void)state;
	struct rt t;
	rt_init(&t, "PMEMPOOLSET\n2100000 p0\n2100000 p1\n", 0);
	assert_succeeds(replica_create(&t.rep, 0, 0600));
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t usable = 2100000 / page * page;
	assert_int_equal(rt_size(&t, "p0"), 2100000);
	assert_int_equal(t.rep.parts[0].len, usable);
	assert_int_equal(t.rep.size, usable + usable - HDR);
	rt_teardown(&t);
}

static void
a_local_replica_line_is_a_replica_like_the_primary(void **state)
{
	(void)state;
	struct rt t;
	rt_setup(&t, "PMEMPOOLSET\n2M p0\nREPLICA\n2M r0\n2M r1\nREPLICA host remote.set\n");
	struct replica r1;
	assert_succeeds(replica_init(&r1, t.set, 1, REPLICA_UNCONFINED, "replica 1"));
	assert_int_equal(r1.nparts, 2);
	assert_succeeds(replica_create(&r1, 0, 0600));
	assert_int_equal(rt_size(&t, "r0"), 2 * MIB);
	assert_int_equal(rt_size(&t, "r1"), 2 * MIB);
	assert_int_equal(rt_size(&t, "p0"), -1);	/* the primary is not touched */
	assert_int_equal(r1.size, 4 * MIB - HDR);
	replica_close(&r1);
	rt_teardown(&t);
}

static void
an_existing_part_must_be_empty_unless_reuse_is_asked(void **state)
{
	(void)state;
	struct rt t;
	rt_init(&t, Three, 0);
	rt_pwrite(&t, "p1", 100, "kept", 4);
	char msg[PATH_MAX + 100];
	snprintf(msg, sizeof(msg), NAME ": part '%s/p1' (line 3) exists and is not empty", t.dir);
	assert_fails(replica_create(&t.rep, 0, 0600), -EEXIST, msg);
	assert_succeeds(replica_undo_create(&t.rep));
	replica_close(&t.rep);
	/* what the failed create made is gone; the foreign file is untouched */
	assert_int_equal(rt_size(&t, "p0"), -1);
	assert_int_equal(rt_size(&t, "p1"), 104);
	assert_int_equal(rt_size(&t, "p2"), -1);

	assert_succeeds(replica_init(&t.rep, t.set, 0, REPLICA_UNCONFINED, NAME));
	assert_succeeds(replica_create(&t.rep, REPLICA_REUSE_NONEMPTY, 0600));
	assert_int_equal(t.rep.parts[1].created, 0);
	assert_int_equal(t.rep.parts[1].was_empty, 0);
	assert_int_equal(rt_size(&t, "p1"), 2 * MIB);
	char got[4];
	rt_pread(&t, "p1", 100, got, sizeof(got));
	assert_memory_equal(got, "kept", 4);
	rt_teardown(&t);
}

static void
undo_removes_made_parts_and_empties_filled_ones_only(void **state)
{
	(void)state;
	struct rt t;
	rt_init(&t, Three, 0);
	rt_write(&t, "p2", "");	/* an empty file the create fills */
	assert_succeeds(replica_create(&t.rep, 0, 0600));
	assert_int_equal(t.rep.parts[2].created, 0);
	assert_int_equal(t.rep.parts[2].was_empty, 1);
	assert_int_equal(rt_size(&t, "p2"), 2 * MIB);
	assert_succeeds(replica_map(&t.rep));
	assert_succeeds(replica_undo_create(&t.rep));
	assert_null(t.rep.addr);	/* undo unmaps first */
	assert_int_equal(rt_size(&t, "p0"), -1);
	assert_int_equal(rt_size(&t, "p1"), -1);
	assert_int_equal(rt_size(&t, "p2"), 0);
	/* a second undo has nothing left to do */
	assert_succeeds(replica_undo_create(&t.rep));
	assert_int_equal(rt_size(&t, "p2"), 0);
	rt_teardown(&t);
}

static void
create_parts_then_allocate_is_create(void **state)
{
	(void)state;
	struct rt t;
	rt_init(&t, "PMEMPOOLSET\n2M p0\n", 0);
	assert_succeeds(replica_create_parts(&t.rep, 0, 0600));
	assert_int_equal(t.rep.size, 2 * MIB);
	assert_int_equal(rt_size(&t, "p0"), 0);	/* laid out, nothing allocated yet */
	assert_succeeds(replica_allocate(&t.rep));
	assert_int_equal(rt_size(&t, "p0"), 2 * MIB);
	rt_teardown(&t);
}

static void
auto_size_needs_a_device(void **state)
{
	(void)state;
	struct rt t;
	rt_init(&t, "PMEMPOOLSET\nAUTO p0\n", 0);
	char msg[PATH_MAX + 100];
	snprintf(msg, sizeof(msg),
		NAME ": line 2: AUTO size of part '%s/p0' needs a device DAX, not a regular file",
		t.dir);
	assert_fails(replica_create(&t.rep, 0, 0600), -EINVAL, msg);
	assert_succeeds(replica_undo_create(&t.rep));
	assert_int_equal(rt_size(&t, "p0"), -1);
	rt_teardown(&t);
}

static void
a_fifo_or_directory_part_is_refused_without_blocking(void **state)
{
	(void)state;
	struct rt t;
	rt_init(&t, "PMEMPOOLSET\n2M fifo\n", 0);
	char path[PATH_MAX], msg[PATH_MAX + 100];
	rt_path(&t, "fifo", path);
	assert_int_equal(mkfifo(path, 0600), 0);
	snprintf(msg, sizeof(msg),
		NAME ": part path '%s' (line 2) is not a regular file or a character device", path);
	assert_fails(replica_create(&t.rep, 0, 0600), -EINVAL, msg);
	replica_close(&t.rep);
	assert_succeeds(replica_init(&t.rep, t.set, 0, REPLICA_UNCONFINED, NAME));
	assert_fails(replica_open(&t.rep), -EINVAL, msg);
	rt_teardown(&t);

	rt_init(&t, "PMEMPOOLSET\n2M dir\n", 0);
	rt_path(&t, "dir", path);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(msg, sizeof(msg), NAME ": part path '%s' cannot be opened: %s", path,
		strerror(EISDIR));
	assert_fails(replica_open(&t.rep), -EISDIR, msg);
	rt_teardown(&t);
}

static void
a_part_in_a_missing_directory_is_enoent_naming_it(void **state)
{
	(void)state;
	struct rt t;
	rt_init(&t, "PMEMPOOLSET\n2M p0\n2M nodir/p1\n", 0);
	char msg[PATH_MAX + 100];
	snprintf(msg, sizeof(msg), NAME ": part path '%s/nodir/p1' cannot be opened: %s", t.dir,
		strerror(ENOENT));
	assert_fails(replica_create(&t.rep, 0, 0600), -ENOENT, msg);
	assert_succeeds(replica_undo_create(&t.rep));
	assert_int_equal(rt_size(&t, "p0"), -1);
	rt_teardown(&t);
}

static void
bad_arguments_fail_with_einval(void **state)
{
	(void)state;
	struct rt t;
	rt_setup(&t, "PMEMPOOLSET\n2M p0\nREPLICA host remote.set\n");
	struct replica r;
	assert_fails(replica_init(&r, t.set, 2, REPLICA_UNCONFINED, "x"), -EINVAL,
		"x: replica 2 does not exist (the set has 2)");
	assert_fails(replica_init(&r, t.set, 1, REPLICA_UNCONFINED, "x"), -EINVAL,
		"x: line 3: replica 1 is remote, not a local replica");
	assert_fails(replica_init(&r, t.set, 0, -2, "x"), -EINVAL,
		"x: directory descriptor -2 is invalid");
	assert_fails(replica_init(&r, t.set, 0, REPLICA_UNCONFINED, NULL), -EINVAL,
		"a replica needs a name for its messages");
	assert_fails(replica_init(&r, NULL, 0, REPLICA_UNCONFINED, "x"), -EINVAL,
		"x: no pool set given");
	/* a failed init leaves a replica that close accepts */
	replica_close(&r);
	replica_close(&r);
	assert_fails(replica_create(&r, 0, 0600), -EINVAL,
		"replica_create: the replica is not initialized");
	assert_fails(replica_open(&r), -EINVAL, "replica_open: the replica is not initialized");
	assert_fails(replica_map(&r), -EINVAL, "replica_map: the replica is not initialized");

	assert_succeeds(replica_init(&r, t.set, 0, REPLICA_UNCONFINED, "x"));
	assert_fails(replica_create(&r, 0x6, 0600), -EINVAL, "x: unknown create flags 0x6");
	assert_fails(replica_allocate(&r), -EINVAL, "x: part 0 is not open");
	assert_succeeds(replica_create(&r, 0, 0600));
	assert_fails(replica_create(&r, 0, 0600), -EINVAL, "x: part 0 is open already");
	assert_fails(replica_open(&r), -EINVAL, "x: part 0 is open already");
	replica_close(&r);
	rt_teardown(&t);
}

static void
confined_parts_stay_below_the_directory_and_are_made_0600(void **state)
{
	(void)state;
	struct rt t;
	rt_setup(&t, Three);
	int dirfd = open(t.dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(dirfd >= 0);
	struct poolset *set;
	assert_succeeds(poolset_read_at(dirfd, "test.set", &set));
	struct replica r;
	assert_succeeds(replica_init(&r, set, 0, dirfd, NAME));
	assert_succeeds(replica_create(&r, 0, 0644));
	assert_int_equal(rt_mode(&t, "p0"), 0600);
	assert_int_equal(rt_size(&t, "p2"), 2 * MIB);
	assert_succeeds(replica_undo_create(&r));
	assert_int_equal(rt_size(&t, "p0"), -1);
	replica_close(&r);
	poolset_free(set);

	/* a symbolic link leaving the directory is refused, nothing is made outside */
	char link[PATH_MAX], outside[PATH_MAX + 16];
	rt_path(&t, "p0", link);
	snprintf(outside, sizeof(outside), "%s-outside", t.dir);
	assert_int_equal(symlink(outside, link), 0);
	assert_succeeds(poolset_read_at(dirfd, "test.set", &set));
	assert_succeeds(replica_init(&r, set, 0, dirfd, NAME));
	assert_int_equal(replica_create(&r, 0, 0600), -EINVAL);
	assert_non_null(strstr(err_last(), "leaves the pool set directory"));
	assert_int_equal(access(outside, F_OK), -1);
	assert_succeeds(replica_undo_create(&r));
	replica_close(&r);
	poolset_free(set);
	close(dirfd);
	rt_teardown(&t);
}

/* ---- a full file system, in a tiny tmpfs of a private mount namespace ---- */

static int
nospc_child(void *arg)
{
	(void)arg;
	if (unshare(CLONE_NEWNS) != 0 ||
			mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) != 0)
		return 80;
	char dir[PATH_MAX];
	if (snprintf(dir, sizeof(dir), "%s/tiny-XXXXXX", test_tmpdir()) >= (int)sizeof(dir))
		return 81;
	if (mkdtemp(dir) == NULL)
		return 82;
	/* room for one 2 MiB part and a bit, not for two */
	if (mount("tiny", dir, "tmpfs", 0, "size=3m") != 0)
		return 83;
	struct rt t;
	rt_setup_in(&t, dir, "PMEMPOOLSET\n2M p0\n2M p1\n");
	int code = 0;
	if (replica_init(&t.rep, t.set, 0, REPLICA_UNCONFINED, NAME) != 0)
		code = 84;
	int ret = code ? 0 : replica_create(&t.rep, 0, 0600);
	char want[PATH_MAX + 100];
	snprintf(want, sizeof(want), NAME ": 2097152 bytes of part '%s/p1' cannot be allocated: %s",
		t.dir, strerror(ENOSPC));
	if (code == 0 && ret != -ENOSPC) {
		fprintf(stderr, "create = %d (%s), expected -ENOSPC\n", ret, err_last());
		code = 85;
	} else if (code == 0 && strcmp(err_last(), want) != 0) {
		fprintf(stderr, "unexpected message: %s\n", err_last());
		code = 86;
	} else if (code == 0 && replica_undo_create(&t.rep) != 0) {
		fprintf(stderr, "undo: %s\n", err_last());
		code = 87;
	} else if (code == 0 && (rt_size(&t, "p0") != -1 || rt_size(&t, "p1") != -1)) {
		fprintf(stderr, "parts were left behind\n");
		code = 88;
	}
	rt_teardown(&t);
	umount2(dir, MNT_DETACH);
	return code;
}

static void
a_full_file_system_fails_with_enospc_and_undo_leaves_nothing(void **state)
{
	(void)state;
	/* the tests run as root on the build machines: a tmpfs can be mounted, so no skip */
	assert_int_equal(rt_in_child(nospc_child, NULL), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(create_makes_every_part_allocated_with_the_given_mode),
		cmocka_unit_test(layout_skips_the_headers_of_parts_after_the_first),
		cmocka_unit_test(singlehdr_and_nohdrs_lay_every_later_part_out_whole),
		cmocka_unit_test(a_size_not_a_page_multiple_is_rounded_down),
		cmocka_unit_test(a_local_replica_line_is_a_replica_like_the_primary),
		cmocka_unit_test(an_existing_part_must_be_empty_unless_reuse_is_asked),
		cmocka_unit_test(undo_removes_made_parts_and_empties_filled_ones_only),
		cmocka_unit_test(create_parts_then_allocate_is_create),
		cmocka_unit_test(auto_size_needs_a_device),
		cmocka_unit_test(a_fifo_or_directory_part_is_refused_without_blocking),
		cmocka_unit_test(a_part_in_a_missing_directory_is_enoent_naming_it),
		cmocka_unit_test(bad_arguments_fail_with_einval),
		cmocka_unit_test(confined_parts_stay_below_the_directory_and_are_made_0600),
		cmocka_unit_test(a_full_file_system_fails_with_enospc_and_undo_leaves_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
