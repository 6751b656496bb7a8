/* two_clients.c -- two clients, each in its thread with its own RPMEMpool, replicate concurrently to two pools of one rpmemd host */
#include <pthread.h>

#include <librpmem.h>

#include "rpmem_test_env.h"
#include "rpmem_test_log.h"

#define POOL_SIZE ((size_t)4 << 20)
#define HDR 4096
#define NLANES 2
#define CHUNK ((size_t)16 << 10)

struct client {
	struct rpmem_env *env;
	const char *set;
	const char *part;
	char *pool;
	unsigned seed;
	char msg[512];		/* the first failure, empty when all went well */
};

static void
client_fail(struct client *c, const char *what)
{
	if (c->msg[0] == '\0')
		snprintf(c->msg, sizeof(c->msg), "%s %s: %s (errno %d)", c->set, what,
			rpmem_errormsg(), errno);
}

/* writes its pool chunk by chunk on alternating lanes, then reads it all back */
static void
client_session(struct client *c)
{
	struct rpmem_pool_attr a;
	memset(&a, 0, sizeof(a));
	memcpy(a.signature, c->set, strlen(c->set) < 8 ? strlen(c->set) : 8);
	unsigned nlanes = NLANES;
	RPMEMpool *rpp = rpmem_create("localhost", c->set, c->pool, POOL_SIZE,
		&nlanes, &a);
	if (rpp == NULL) {
		client_fail(c, "rpmem_create");
		return;
	}
	test_fill_pattern(c->pool + HDR, POOL_SIZE - HDR, c->seed);
	unsigned lane = 0;
	for (size_t off = HDR; off < POOL_SIZE; off += CHUNK, lane = (lane + 1) % nlanes)
		if (rpmem_persist(rpp, off, off + CHUNK <= POOL_SIZE ? CHUNK :
				POOL_SIZE - off, lane, 0) != 0) {
			client_fail(c, "rpmem_persist");
			break;
		}
	char *back = malloc(POOL_SIZE);
	if (c->msg[0] == '\0' && rpmem_read(rpp, back, HDR, POOL_SIZE - HDR, 0) != 0)
		client_fail(c, "rpmem_read");
	if (c->msg[0] == '\0' && memcmp(back, c->pool + HDR, POOL_SIZE - HDR) != 0)
		snprintf(c->msg, sizeof(c->msg), "%s: read back differs", c->set);
	free(back);
	if (rpmem_close(rpp) != 0)
		client_fail(c, "rpmem_close");
}

static void *
client_thread(void *arg)
{
	client_session(arg);
	return NULL;
}

static void
two_clients_replicate_two_pools_of_one_host_concurrently(void **state)
{
	struct rpmem_env env;
	rpmem_env_setup(&env, "tcp");
	rpmem_env_write(&env, "one.set", "PMEMPOOLSET\n4M one.part\n");
	rpmem_env_write(&env, "two.set", "PMEMPOOLSET\n4M two.part\n");

	struct client c[2] = {
		{ &env, "one.set", "one.part", rpmem_env_pool(POOL_SIZE), 21, "" },
		{ &env, "two.set", "two.part", rpmem_env_pool(POOL_SIZE), 42, "" },
	};
	pthread_t t[2];
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&t[i], NULL, client_thread, &c[i]), 0);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);

	char *back = malloc(POOL_SIZE);
	for (int i = 0; i < 2; i++) {
		if (c[i].msg[0] != '\0') {
			rpmem_log_print(env.log);
			fail_msg("%s", c[i].msg);
		}
		/* each pool holds its own client's data, not the other's */
		rpmem_env_read_part(&env, c[i].part, back, POOL_SIZE - HDR, HDR);
		assert_memory_equal(back, c[i].pool + HDR, POOL_SIZE - HDR);
		assert_memory_not_equal(back, c[1 - i].pool + HDR, 64);
	}
	free(back);

	/* both daemons are gone: each pool opens again */
	pid_t pids[4];
	assert_int_equal(rpmem_env_daemons(&env, pids, 4), 0);
	for (int i = 0; i < 2; i++) {
		unsigned nlanes = NLANES;
		RPMEMpool *rpp = rpmem_open("localhost", c[i].set, c[i].pool, POOL_SIZE,
			&nlanes, NULL);
		if (rpp == NULL)
			fail_msg("reopen %s: %s", c[i].set, rpmem_errormsg());
		if (rpmem_close(rpp) != 0) {
			rpmem_log_print(env.log);
			fail_msg("close %s: %s (errno %d)", c[i].set, rpmem_errormsg(), errno);
		}
		munmap(c[i].pool, POOL_SIZE);
	}
	(void)state;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(two_clients_replicate_two_pools_of_one_host_concurrently),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
