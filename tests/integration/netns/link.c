/* link.c -- a host's link set down cuts it off (new connections and one already made), set up again restores both */
#include "netns_test.h"

#define BOUND_MS 3000
#define RESTORE_MS 60000	/* hang guard: TCP's retransmission backs off while the link is down */

static void
link_down_cuts_host_0_off_and_link_up_restores_it(void **state)
{
	struct netns_world w;
	NETNS_TEST_WORLD(&w, 2);
	unsigned port;
	int l = netns_test_listen(w.name[1], w.addr[1], &port);

	/* a connection made before the cut, from a socket living in host 0 */
	int c = netns_socket(w.name[0], AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(c >= 0);
	assert_int_equal(netns_test_connect_fd(c, w.addr[1], port, BOUND_MS), REACHED);
	struct sockaddr_in peer;
	int a = netns_test_accept(l, BOUND_MS, &peer);
	assert_true(a >= 0);

	assert_int_equal(netns_link_set(&w, 0, 0), 0);
	int cut = netns_test_reach(&w, 0, w.addr[1], port, BOUND_MS);
	if (cut != TIMED_OUT && cut != UNREACHABLE)
		fail_msg("host 0 connected to host 1 with its link down (result %d)", cut);
	assert_int_equal(netns_test_accept(l, 0, &peer), -1);
	/* what either side sends on the old connection does not arrive */
	assert_int_equal(write(a, "y", 1), 1);
	assert_int_equal(write(c, "x", 1), 1);
	char got = 0;
	assert_int_equal(netns_test_read(a, &got, 1, BOUND_MS), -1);
	assert_int_equal(netns_test_read(c, &got, 1, 0), -1);

	assert_int_equal(netns_link_set(&w, 0, 1), 0);
	/* TCP retransmits: the old connection carries both bytes now */
	assert_int_equal(netns_test_read(a, &got, 1, RESTORE_MS), 0);
	assert_int_equal(got, 'x');
	assert_int_equal(netns_test_read(c, &got, 1, RESTORE_MS), 0);
	assert_int_equal(got, 'y');
	/* and new connections go through */
	assert_int_equal(netns_test_reach(&w, 0, w.addr[1], port, RESTORE_MS), REACHED);
	close(a);
	close(c);
	close(l);
	netns_world_destroy(&w);
	(void)state;
}

static void
link_set_on_a_host_out_of_the_world_fails(void **state)
{
	struct netns_world w;
	NETNS_TEST_WORLD(&w, 2);
	assert_int_equal(netns_link_set(&w, 2, 0), -1);
	assert_int_equal(netns_link_set(&w, -1, 0), -1);
	/* the hosts still reach each other */
	netns_test_assert_reaches(&w, 0, 1, BOUND_MS);
	netns_world_destroy(&w);
	(void)state;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(link_down_cuts_host_0_off_and_link_up_restores_it),
		cmocka_unit_test(link_set_on_a_host_out_of_the_world_fails),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
