/* qdisc.c -- a host's egress qdisc is set (what it sends goes through it) and removed; netem works or says it is not supported */
#include <stdlib.h>

#include "netns_test.h"

#define BOUND_MS 10000
#define PAYLOAD 16384

/* the bytes the root qdisc of host's interface has sent ("Sent N bytes"), -1 when no such kind */
static long long
qdisc_sent(const struct netns_world *w, int host, const char *kind)
{
	char out[2048], want[32];
	assert_int_equal(netns_qdisc_show(w, host, out, sizeof(out)), 0);
	snprintf(want, sizeof(want), "qdisc %s ", kind);
	const char *q = strstr(out, want);
	if (q == NULL)
		return -1;
	const char *sent = strstr(q, "Sent ");
	assert_non_null(sent);
	return atoll(sent + 5);
}

/* PAYLOAD bytes from host 0 to a listener in host 1, all arrived */
static void
send_payload(const struct netns_world *w)
{
	static char data[PAYLOAD], got[PAYLOAD];
	test_fill_pattern(data, sizeof(data), 5);
	unsigned port;
	int l = netns_test_listen(w->name[1], w->addr[1], &port);
	int c = netns_socket(w->name[0], AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(c >= 0);
	assert_int_equal(netns_test_connect_fd(c, w->addr[1], port, BOUND_MS), REACHED);
	struct sockaddr_in peer;
	int a = netns_test_accept(l, BOUND_MS, &peer);
	assert_true(a >= 0);
	assert_int_equal(write(c, data, sizeof(data)), (ssize_t)sizeof(data));
	assert_int_equal(netns_test_read(a, got, sizeof(got), BOUND_MS), 0);
	assert_memory_equal(got, data, sizeof(data));
	close(a);
	close(c);
	close(l);
}

static void
tbf_is_set_carries_the_traffic_and_is_removed(void **state)
{
	struct netns_world w;
	NETNS_TEST_WORLD(&w, 2);
	char why[512] = "";
	assert_int_equal(qdisc_sent(&w, 0, "tbf"), -1);
	if (netns_qdisc_set(&w, 0, "tbf rate 1mbit burst 32kbit latency 400ms", why,
			sizeof(why)) != 0)
		fail_msg("tbf: %s", why);
	assert_true(qdisc_sent(&w, 0, "tbf") >= 0);

	send_payload(&w);
	assert_true(qdisc_sent(&w, 0, "tbf") >= PAYLOAD);
	/* replacing, not stacking: a second set is fine */
	assert_int_equal(netns_qdisc_set(&w, 0, "tbf rate 8mbit burst 32kbit latency 400ms", why,
		sizeof(why)), 0);
	char out[2048];
	assert_int_equal(netns_qdisc_show(&w, 0, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "rate 8Mbit"));

	assert_int_equal(netns_qdisc_set(&w, 0, NULL, why, sizeof(why)), 0);
	assert_int_equal(qdisc_sent(&w, 0, "tbf"), -1);
	/* removing what is not there is fine too */
	assert_int_equal(netns_qdisc_set(&w, 0, NULL, why, sizeof(why)), 0);
	send_payload(&w);
	netns_world_destroy(&w);
	(void)state;
}

static void
netem_works_or_is_reported_not_supported(void **state)
{
	struct netns_world w;
	NETNS_TEST_WORLD(&w, 2);
	char why[512] = "";
	if (netns_qdisc_set(&w, 0, "netem delay 50ms loss 2%", why, sizeof(why)) == 0) {
		assert_true(qdisc_sent(&w, 0, "netem") >= 0);
		assert_int_equal(netns_qdisc_set(&w, 0, NULL, why, sizeof(why)), 0);
		assert_int_equal(qdisc_sent(&w, 0, "netem"), -1);
		printf("netem is supported here\n");
	} else {
		printf("netem: %s\n", why);
		assert_non_null(strstr(why, "qdisc netem not supported"));
	}
	/* either way the link still carries traffic */
	send_payload(&w);
	netns_world_destroy(&w);
	(void)state;
}

static void
a_bad_qdisc_fails_with_what_tc_said(void **state)
{
	struct netns_world w;
	NETNS_TEST_WORLD(&w, 1);
	char why[512] = "";
	assert_int_equal(netns_qdisc_set(&w, 0, "tbf rate", why, sizeof(why)), -1);
	printf("why: %s\n", why);
	assert_non_null(strstr(why, "tc -n "));
	assert_non_null(strstr(why, " qdisc replace dev "));
	assert_int_equal(netns_qdisc_set(&w, 0, "", why, sizeof(why)), -1);
	assert_string_equal(why, "no qdisc in \"\"");
	netns_world_destroy(&w);
	(void)state;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tbf_is_set_carries_the_traffic_and_is_removed),
		cmocka_unit_test(netem_works_or_is_reported_not_supported),
		cmocka_unit_test(a_bad_qdisc_fails_with_what_tc_said),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
