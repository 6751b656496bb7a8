/* replicate.c -- librpmem in host 0 replicates to rpmemd started by an sshd in host 1, across network namespaces */
#include <librpmem.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "netns_test.h"
#include "../rpmem/rpmem_test_env.h"
#include "../rpmem/rpmem_test_log.h"
#include "../rpmem/sshd_helpers.h"

#define POOL_SIZE ((size_t)4 << 20)
#define HDR 4096
#define DATA (POOL_SIZE - HDR)
#define NLANES 2
#define SEED 4077
#define CLIENT_MS 120000	/* hang guard for the whole client session */

/* what the client in host 0 works with */
struct client {
	const struct netns_world *w;
	const struct rpmem_env *env;
	char *pool;
};

/* exit statuses of the client, each a step that failed */
enum { OK, CREATE, NO_DAEMON_IN_HOST_1, PERSIST, CLOSE, OPEN, ATTR, READ, DIFFERS };

static void
attr_init(struct rpmem_pool_attr *a)
{
	memset(a, 0, sizeof(*a));
	memcpy(a->signature, "NETNSPL", 7);
	a->major = 1;
	/* both uuids set: rpmemd makes up those that are zero */
	for (int i = 0; i < RPMEM_POOL_HDR_UUID_LEN; i++) {
		a->poolset_uuid[i] = (unsigned char)(i + 70);
		a->uuid[i] = (unsigned char)(i + 7);
	}
}

/* every rpmemd serving env's poolset-dir runs in host 1's namespace, and there is one */
static int
daemon_runs_in(const struct rpmem_env *env, const char *netns)
{
	pid_t daemons[4], inside[64];
	int n = rpmem_env_daemons(env, daemons, 4);
	int m = netns_pids(netns, inside, 64);
	for (int i = 0; i < n; i++) {
		int found = 0;
		for (int j = 0; j < m; j++)
			found |= daemons[i] == inside[j];
		if (!found) {
			fprintf(stderr, "rpmemd %d does not run in %s\n", (int)daemons[i], netns);
			return 0;
		}
	}
	return n > 0;
}

static int
fail_step(int step, const char *what)
{
	fprintf(stderr, "client in host 0: %s: %s (errno %d)\n", what, rpmem_errormsg(), errno);
	return step;
}

/* runs in host 0: create, persist a pattern, close; open, read it back, close */
static int
client(void *arg)
{
	const struct client *c = arg;
	const char *target = c->w->addr[1];
	struct rpmem_pool_attr a, got;
	unsigned nlanes = NLANES;
	attr_init(&a);
	RPMEMpool *rpp = rpmem_create(target, "ns.set", c->pool, POOL_SIZE, &nlanes, &a);
	if (rpp == NULL)
		return fail_step(CREATE, "rpmem_create");
	if (!daemon_runs_in(c->env, c->w->name[1]))
		return NO_DAEMON_IN_HOST_1;
	test_fill_pattern(c->pool + HDR, DATA, SEED);
	if (rpmem_persist(rpp, HDR, DATA, 0, 0) != 0)
		return fail_step(PERSIST, "rpmem_persist");
	if (rpmem_close(rpp) != 0)
		return fail_step(CLOSE, "rpmem_close");

	memset(c->pool, 0, POOL_SIZE);
	nlanes = NLANES;
	rpp = rpmem_open(target, "ns.set", c->pool, POOL_SIZE, &nlanes, &got);
	if (rpp == NULL)
		return fail_step(OPEN, "rpmem_open");
	if (memcmp(&a, &got, sizeof(a)) != 0)
		return ATTR;
	if (rpmem_read(rpp, c->pool + HDR, HDR, DATA, 0) != 0)
		return fail_step(READ, "rpmem_read");
	if (rpmem_close(rpp) != 0)
		return fail_step(CLOSE, "rpmem_close after open");
	char *want = malloc(DATA);
	if (want == NULL)
		return DIFFERS;
	test_fill_pattern(want, DATA, SEED);
	int same = memcmp(want, c->pool + HDR, DATA) == 0;
	free(want);
	return same ? OK : DIFFERS;
}

static void
a_client_in_host_0_replicates_through_sshd_to_rpmemd_in_host_1(void **state)
{
	char why[256];
	if (!sshd_usable(why, sizeof(why)))
		SKIP_BECAUSE("%s", why);
	struct netns_world w;
	NETNS_TEST_WORLD(&w, 2);
	struct rpmem_env env;
	struct sshd s = { .pid = 0 };
	rpmem_env_setup(&env, "tcp");	/* poolset-dir, rpmemd log, RPMEM_CMD */
	char ssh_dir[PATH_MAX];
	snprintf(ssh_dir, sizeof(ssh_dir), "%.4000s/ssh", test_tmpdir());
	sshd_start_for_rpmem_in(&s, ssh_dir, w.name[1], w.addr[1]);
	rpmem_env_write(&env, "ns.set", "PMEMPOOLSET\n4M ns.part\n");

	struct client c = { &w, &env, rpmem_env_pool(POOL_SIZE) };
	int ret = netns_run(&w, 0, client, &c, CLIENT_MS);
	if (ret != OK) {
		rpmem_log_print(s.log);
		rpmem_log_print(env.log);
		fail_msg("the client in host 0 failed at step %d", ret);
	}

	/* rpmemd came in through host 1's address from host 0's, and listened there */
	char conn[64], listen[64];
	snprintf(conn, sizeof(conn), "ssh connection '%s ", w.addr[0]);
	snprintf(listen, sizeof(listen), "listening on %s port ", w.addr[1]);
	if (!rpmem_log_has(env.log, conn) || !rpmem_log_has(env.log, listen)) {
		rpmem_log_print(env.log);
		fail_msg("rpmemd's log lacks \"%s\" or \"%s\"", conn, listen);
	}
	/* and the part file holds the pattern */
	char *want = malloc(DATA), *got = malloc(DATA);
	test_fill_pattern(want, DATA, SEED);
	rpmem_env_read_part(&env, "ns.part", got, DATA, HDR);
	assert_memory_equal(got, want, DATA);
	free(want);
	free(got);

	sshd_stop(&s);
	netns_world_destroy(&w);
	munmap(c.pool, POOL_SIZE);
	(void)state;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_client_in_host_0_replicates_through_sshd_to_rpmemd_in_host_1),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
