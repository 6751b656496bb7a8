/* link_faults.c -- the client's link cut (for a while, for good), slowed, lossy, while 4 threads replicate: calls fail within the bound or go on, rpmemd lets go of the pool, nothing acknowledged is lost */
#include "fault_world.h"

static void
link_cut_fails_every_thread_within_the_bound_and_rpmemd_lets_go_when_it_is_back(void **state)
{
	struct fault_world *fw = *state;
	fault_replicating(fw);
	long long at = test_now_ms();
	assert_int_equal(netns_link_set(&fw->net, FAULT_CLIENT, 0), 0);

	fault_writer_lost(fw, FAULT_THREADS);
	printf("FIGURES link cut: every thread failed %lld ms after the cut "
		"(RPMEM_TIMEOUT_MS %s)\n", fault_failed_after(fw, at), FAULT_TIMEOUT_MS);
	/* rpmemd cannot know yet: nothing reached it */
	fault_daemon(fw);
	fault_link_up(fw);
	long long gone;
	fault_daemons_gone(fw, &gone);
	printf("FIGURES link back: rpmemd exited %lld ms after the link came back\n", gone);
	fault_verify(fw);
}

static void
link_cut_for_good_is_noticed_by_rpmemd_which_unlocks_the_pool(void **state)
{
	struct fault_world *fw = *state;
	fault_replicating(fw);
	long long at = test_now_ms();
	assert_int_equal(netns_link_set(&fw->net, FAULT_CLIENT, 0), 0);
	fault_writer_lost(fw, FAULT_THREADS);

	/* TCP keepalive on the lanes: no answer to the probes ends the session */
	long long gone;
	fault_daemons_gone(fw, &gone);
	printf("FIGURES link cut for good: rpmemd exited %lld ms after the cut\n",
		test_now_ms() - at);
	if (!rpmem_log_has(fw->env.log, "lost")) {
		rpmem_log_print(fw->env.log);
		fail_msg("rpmemd's log does not say it lost its client");
	}
	fault_link_up(fw);
	fault_verify(fw);
}

/* a qdisc on both hosts' links, for the whole run; NULL args removes them */
static int
shape(struct fault_world *fw, const char *args, char *why, size_t len)
{
	for (int h = 0; h < 2; h++)
		if (netns_qdisc_set(&fw->net, h, args, why, len) != 0)
			return -1;
	return 0;
}

/* replicates through the shaped links for a while: no call may fail */
static void
replicate_through(struct fault_world *fw, const char *what)
{
	/* the default bound: a slow link is no reason to give up */
	setenv("RPMEM_TIMEOUT_MS", "5000", 1);
	fault_writer_start(fw, FAULT_THREADS, "mixed", 2000);
	int rc = fault_writer_end(fw);
	if (rc != 0) {
		fault_world_print_logs(fw);
		fail_msg("writer exit %d through %s, expected 0", rc, what);
	}
	printf("FIGURES %s: %lld records acknowledged in 2 s, no call failed\n", what,
		child_field(fw->summary, "acked"));
	fault_verify(fw);
}

static void
slow_link_delays_replication_but_fails_nothing(void **state)
{
	struct fault_world *fw = *state;
	fault_world_setup(fw, FAULT_POOL);
	char why[256];
	/* 4 Mbit/s with a deep queue: 64 KiB records take over 100 ms each */
	if (shape(fw, "tbf rate 4mbit burst 16kb latency 400ms", why, sizeof(why)) != 0)
		SKIP_BECAUSE("%s", why);
	replicate_through(fw, "a 4 Mbit/s link");
}

/* the packets host h's qdisc dropped, from `tc -s qdisc show` */
static long long
dropped(struct fault_world *fw, int h)
{
	char out[4096];
	assert_int_equal(netns_qdisc_show(&fw->net, h, out, sizeof(out)), 0);
	const char *d = strstr(out, "dropped ");
	return d ? strtoll(d + 8, NULL, 10) : -1;
}

static void
packets_dropped_by_a_full_queue_delay_replication_but_fail_nothing(void **state)
{
	struct fault_world *fw = *state;
	fault_world_setup(fw, FAULT_POOL);
	char why[256];
	/* a queue of 24 KiB at 4 Mbit/s: bursts of 64 KiB records overflow it, TCP resends */
	if (shape(fw, "tbf rate 4mbit burst 16kb limit 24kb", why, sizeof(why)) != 0)
		SKIP_BECAUSE("%s", why);
	replicate_through(fw, "a 4 Mbit/s link with a 24 KiB queue");
	long long d0 = dropped(fw, FAULT_CLIENT), d1 = dropped(fw, FAULT_REMOTE);
	printf("FIGURES packets dropped by the full queues: %lld sent by host 0, %lld by host 1\n",
		d0, d1);
	/* the test is only worth its name when packets were lost */
	assert_true(d0 + d1 > 0);
}

static void
delayed_and_lost_packets_delay_replication_but_fail_nothing(void **state)
{
	struct fault_world *fw = *state;
	fault_world_setup(fw, FAULT_POOL);
	char why[256];
	if (shape(fw, "netem delay 20ms 5ms loss 2%", why, sizeof(why)) != 0)
		SKIP_BECAUSE("%s", why);
	replicate_through(fw, "20 ms delay and 2% loss");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		FAULT_TEST(link_cut_fails_every_thread_within_the_bound_and_rpmemd_lets_go_when_it_is_back),
		FAULT_TEST(link_cut_for_good_is_noticed_by_rpmemd_which_unlocks_the_pool),
		FAULT_TEST(slow_link_delays_replication_but_fails_nothing),
		FAULT_TEST(packets_dropped_by_a_full_queue_delay_replication_but_fail_nothing),
		FAULT_TEST(delayed_and_lost_packets_delay_replication_but_fail_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
