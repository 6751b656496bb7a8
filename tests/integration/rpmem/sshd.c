/* sshd.c -- librpmem through a real sshd started on loopback with throwaway keys: the whole pool life cycle, and rpmemd listening where ssh came in */
#include <sys/stat.h>

#include <librpmem.h>

#include "rpmem_test_env.h"
#include "rpmem_test_log.h"
#include "sshd_helpers.h"

#define POOL_SIZE ((size_t)4 << 20)
#define HDR 4096
#define NLANES 2

static const char *const Addrs[] = { "127.0.0.1", "127.0.0.2", NULL };

static struct {
	char skip[256];		/* why these tests cannot run here, empty when they can */
	struct sshd sshd;
	struct rpmem_env env;	/* env.dir: rpmemd's poolset-dir */
	char *pool;
} W;

static void
stop_at_exit(void)
{
	sshd_stop(&W.sshd);
}

/* poolset-dir, ssh files and the environment that makes librpmem use them */
static void
setup_env(const char *base)
{
	char ssh_dir[PATH_MAX];
	snprintf(W.env.dir, sizeof(W.env.dir), "%s/pools", base);
	snprintf(W.env.log, sizeof(W.env.log), "%s/rpmemd.log", base);
	snprintf(ssh_dir, sizeof(ssh_dir), "%s/ssh", base);
	assert_int_equal(mkdir(W.env.dir, 0700), 0);
	assert_int_equal(mkdir(ssh_dir, 0700), 0);

	/* the port may be taken between choosing and binding it: new port, new try */
	int ret = -EADDRINUSE;
	for (int i = 0; i < 3 && ret == -EADDRINUSE; i++) {
		sshd_prepare(&W.sshd, ssh_dir, Addrs);
		ret = sshd_start(&W.sshd, Addrs[0]);
	}
	if (ret) {
		rpmem_log_print(W.sshd.log);
		fail_msg("sshd did not start on 3 ports");
	}

	char build[PATH_MAX], cmd[3 * PATH_MAX + 128];
	const char *b = getenv("BUILD_DIR");
	if (realpath(b ? b : "build/release", build) == NULL)
		fail_msg("no build directory: %s", strerror(errno));
	snprintf(cmd, sizeof(cmd),
		"%s/bin/rpmemd --poolset-dir=%s --log-file=%s --log-level=info",
		build, W.env.dir, W.env.log);
	setenv("RPMEM_SSH", W.sshd.wrapper, 1);
	setenv("RPMEM_CMD", cmd, 1);
	setenv("RPMEM_PROVIDER", "tcp", 1);
	unsetenv("RPMEM_ENABLE_SOCKETS");
	unsetenv("SSH_CONNECTION");
}

static int
group_setup(void **state)
{
	if (!sshd_usable(W.skip, sizeof(W.skip)))
		return 0;
	sshd_adopt_orphans();
	atexit(stop_at_exit);
	setup_env(test_tmpdir());
	W.pool = rpmem_env_pool(POOL_SIZE);
	(void)state;
	return 0;
}

static int
group_teardown(void **state)
{
	sshd_stop(&W.sshd);
	if (W.pool != NULL)
		munmap(W.pool, POOL_SIZE);
	(void)state;
	return 0;
}

static void
attr_init(struct rpmem_pool_attr *a)
{
	memset(a, 0, sizeof(*a));
	memcpy(a->signature, "SSHPOOL", 7);
	a->major = 5;
	for (int i = 0; i < RPMEM_POOL_HDR_UUID_LEN; i++) {
		a->poolset_uuid[i] = (unsigned char)(i + 101);
		a->uuid[i] = (unsigned char)(i + 1);
	}
}

/* no rpmemd is left serving the poolset-dir (it exits after its client; give it a bounded while) */
static void
assert_no_daemon_left(void)
{
	pid_t pids[4];
	long long deadline = test_now_ms() + 10000;
	while (rpmem_env_daemons(&W.env, pids, 4) != 0) {
		if (test_now_ms() >= deadline)
			fail_msg("rpmemd %d still runs 10 s after its client closed", (int)pids[0]);
		usleep(10000);
	}
}

/* rpmemd's log shows sshd's SSH_CONNECTION ending in ip and sshd's port, and a fabric listener on ip */
static void
assert_daemon_came_in_on(const char *ip)
{
	char conn[128], listen[128];
	snprintf(conn, sizeof(conn), " %s %u'", ip, W.sshd.port);
	snprintf(listen, sizeof(listen), "listening on %s port ", ip);
	if (!rpmem_log_has(W.env.log, conn) || !rpmem_log_has(W.env.log, listen)) {
		rpmem_log_print(W.env.log);
		fail_msg("rpmemd's log lacks \"%s\" or \"%s\"", conn, listen);
	}
}

static RPMEMpool *
create_through_sshd(const char *target, const char *set)
{
	struct rpmem_pool_attr a;
	attr_init(&a);
	unsigned nlanes = NLANES;
	RPMEMpool *rpp = rpmem_create(target, set, W.pool, POOL_SIZE, &nlanes, &a);
	if (rpp == NULL) {
		rpmem_log_print(W.sshd.log);
		rpmem_log_print(W.env.log);
		fail_msg("rpmem_create %s on %s: %s (errno %d)", set, target,
			rpmem_errormsg(), errno);
	}
	assert_int_equal(nlanes, NLANES);
	return rpp;
}

static void
pool_life_cycle_through_sshd_replicates_and_removes(void **state)
{
	if (W.skip[0])
		SKIP_BECAUSE("%s", W.skip);
	rpmem_env_write(&W.env, "life.set", "PMEMPOOLSET\n4M life.part\n");
	RPMEMpool *rpp = create_through_sshd("127.0.0.1", "life.set");

	test_fill_pattern(W.pool + HDR, POOL_SIZE - HDR, 77);
	assert_int_equal(rpmem_persist(rpp, HDR, 256, 0, 0), 0);
	assert_int_equal(rpmem_persist(rpp, HDR + 256, POOL_SIZE - HDR - 256, 1, 0), 0);
	char *back = malloc(POOL_SIZE);
	assert_int_equal(rpmem_read(rpp, back, HDR, POOL_SIZE - HDR, 1), 0);
	assert_memory_equal(back, W.pool + HDR, POOL_SIZE - HDR);
	assert_int_equal(rpmem_close(rpp), 0);

	/* a new session, this time with user and port in the target */
	char target[128];
	snprintf(target, sizeof(target), "root@127.0.0.1:%u", W.sshd.port);
	if (geteuid() != 0)
		snprintf(target, sizeof(target), "127.0.0.1:%u", W.sshd.port);
	struct rpmem_pool_attr want, got;
	attr_init(&want);
	unsigned nlanes = NLANES;
	memset(back, 0, POOL_SIZE);
	rpp = rpmem_open(target, "life.set", W.pool, POOL_SIZE, &nlanes, &got);
	if (rpp == NULL)
		fail_msg("rpmem_open on %s: %s (errno %d)", target, rpmem_errormsg(), errno);
	assert_memory_equal(&got, &want, sizeof(got));
	assert_int_equal(rpmem_read(rpp, back, HDR, POOL_SIZE - HDR, 0), 0);
	assert_memory_equal(back, W.pool + HDR, POOL_SIZE - HDR);
	assert_int_equal(rpmem_close(rpp), 0);
	free(back);

	/* rpmemd learned the address from sshd, and listened on it */
	assert_daemon_came_in_on("127.0.0.1");
	assert_no_daemon_left();

	/* remove runs through sshd too */
	char part[PATH_MAX + 32];
	snprintf(part, sizeof(part), "%s/life.part", W.env.dir);
	assert_int_equal(access(part, F_OK), 0);
	assert_int_equal(rpmem_remove("127.0.0.1", "life.set", 0), 0);
	assert_int_equal(access(part, F_OK), -1);
	assert_int_equal(errno, ENOENT);
	assert_true(rpmem_log_has(W.env.log, "removed pool set life.set"));
	(void)state;
}

/*
 * 127.0.0.2 is loopback too, but not the 127.0.0.1 rpmemd uses when it was
 * started without ssh: listening there proves it took SSH_CONNECTION's
 * server address.
 */
static void
daemon_listens_on_the_address_the_ssh_connection_came_in_on(void **state)
{
	if (W.skip[0])
		SKIP_BECAUSE("%s", W.skip);
	if (!sshd_connects("127.0.0.2", W.sshd.port))
		SKIP_BECAUSE("sshd does not answer on 127.0.0.2 here");
	rpmem_env_write(&W.env, "other.set", "PMEMPOOLSET\n4M other.part\n");
	RPMEMpool *rpp = create_through_sshd("127.0.0.2", "other.set");
	test_fill_pattern(W.pool + HDR, 4096, 78);
	assert_int_equal(rpmem_persist(rpp, HDR, 4096, 0, 0), 0);
	assert_int_equal(rpmem_close(rpp), 0);

	assert_daemon_came_in_on("127.0.0.2");
	char got[4096];
	rpmem_env_read_part(&W.env, "other.part", got, sizeof(got), HDR);
	assert_memory_equal(got, W.pool + HDR, sizeof(got));
	assert_no_daemon_left();
	(void)state;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pool_life_cycle_through_sshd_replicates_and_removes),
		cmocka_unit_test(daemon_listens_on_the_address_the_ssh_connection_came_in_on),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
