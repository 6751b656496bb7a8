/* close_at_once.c -- against the real rpmemd: a CLOSE sent right after the lanes were shut down is answered, however the daemon saw the lanes go */
#include <librpmem.h>

#include "rpmem_test_env.h"
#include "rpmem_test_log.h"

#define POOL_SIZE ((size_t)2 << 20)
#define ROUNDS 12

/*
 * rpmem_close shuts its lanes down before it sends CLOSE, so the daemon
 * may see the lanes lost before (or even while) it is done accepting them;
 * the CLOSE that follows must still get its answer.
 */
static void
open_then_close_at_once_succeeds_every_time(void **state)
{
	struct rpmem_env env;
	rpmem_env_setup(&env, "tcp");
	rpmem_env_write(&env, "pool.set", "PMEMPOOLSET\n2M pool.part\n");
	char *pool = rpmem_env_pool(POOL_SIZE);
	struct rpmem_pool_attr a;
	memset(&a, 0, sizeof(a));
	memcpy(a.signature, "ATONCE", 6);
	unsigned nlanes = 4;
	RPMEMpool *rpp = rpmem_create("localhost", "pool.set", pool, POOL_SIZE,
		&nlanes, &a);
	if (rpp == NULL)
		fail_msg("rpmem_create: %s", rpmem_errormsg());
	assert_int_equal(rpmem_close(rpp), 0);

	for (int i = 0; i < ROUNDS; i++) {
		nlanes = 4;
		rpp = rpmem_open("localhost", "pool.set", pool, POOL_SIZE, &nlanes, NULL);
		if (rpp == NULL) {
			rpmem_log_print(env.log);
			fail_msg("round %d: rpmem_open: %s", i, rpmem_errormsg());
		}
		if (rpmem_close(rpp) != 0) {
			rpmem_log_print(env.log);
			fail_msg("round %d: rpmem_close: %s (errno %d)", i,
				rpmem_errormsg(), errno);
		}
	}
	munmap(pool, POOL_SIZE);
	(void)state;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(open_then_close_at_once_succeeds_every_time),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
