/* reach.c -- hosts made of network namespaces reach each other over TCP, and nothing of the root namespace */
#include <ifaddrs.h>
#include <net/if.h>
#include <stdlib.h>

#include "netns_test.h"

#define BOUND_MS 5000

/* host 0 connects to a listener in host i, which sees it come from host 0's address */
static void
assert_host_reaches(const struct netns_world *w, int host)
{
	unsigned port;
	int l = netns_test_listen(w->name[host], w->addr[host], &port);
	struct netns_test_conn c = { w->addr[host], port, BOUND_MS, "hello from host 0" };
	assert_int_equal(netns_run(w, 0, netns_test_connect_fn, &c, BOUND_MS + 10000), REACHED);

	struct sockaddr_in peer;
	int fd = netns_test_accept(l, BOUND_MS, &peer);
	assert_true(fd >= 0);
	char got[32] = "";
	assert_int_equal(netns_test_read(fd, got, strlen(c.payload), BOUND_MS), 0);
	assert_string_equal(got, c.payload);
	char from[INET_ADDRSTRLEN];
	inet_ntop(AF_INET, &peer.sin_addr, from, sizeof(from));
	assert_string_equal(from, w->addr[0]);
	close(fd);
	close(l);
}

static void
three_hosts_reach_each_other_over_tcp(void **state)
{
	struct netns_world w;
	NETNS_TEST_WORLD(&w, 3);
	assert_string_equal(w.addr[0], "169.254.77.1");
	assert_string_equal(w.addr[2], "169.254.77.3");
	assert_host_reaches(&w, 1);
	assert_host_reaches(&w, 2);
	/* and back: host 1 to host 0 */
	netns_test_assert_reaches(&w, 1, 0, BOUND_MS);
	netns_world_destroy(&w);
	(void)state;
}

/* an IPv4 address of the root namespace other than loopback, or "" */
static void
root_address(char *buf, size_t len)
{
	struct ifaddrs *ifa;
	buf[0] = '\0';
	if (getifaddrs(&ifa) != 0)
		return;
	for (struct ifaddrs *i = ifa; i != NULL; i = i->ifa_next)
		if (i->ifa_addr != NULL && i->ifa_addr->sa_family == AF_INET &&
				!(i->ifa_flags & IFF_LOOPBACK)) {
			inet_ntop(AF_INET, &((struct sockaddr_in *)i->ifa_addr)->sin_addr, buf,
				(socklen_t)len);
			break;
		}
	freeifaddrs(ifa);
}

static void
a_host_reaches_nothing_in_the_root_namespace(void **state)
{
	struct netns_world w;
	NETNS_TEST_WORLD(&w, 2);

	/* root's loopback listener: host 0's own loopback answers, with nobody there */
	unsigned port;
	int l = netns_test_listen(NULL, "127.0.0.1", &port);
	assert_int_equal(netns_test_reach(&w, 0, "127.0.0.1", port, BOUND_MS), REFUSED);

	/* root's own address: no route from a host (no default route) */
	char ip[INET_ADDRSTRLEN];
	root_address(ip, sizeof(ip));
	int any = -1;
	if (ip[0] != '\0') {
		unsigned any_port;
		any = netns_test_listen(NULL, "0.0.0.0", &any_port);
		assert_int_equal(netns_test_reach(&w, 0, ip, any_port, BOUND_MS), UNREACHABLE);
		assert_int_equal(netns_test_reach(&w, 1, ip, any_port, BOUND_MS), UNREACHABLE);
	} else {
		printf("(no address of the root namespace besides loopback to try)\n");
	}

	/* nothing came in on either listener */
	struct sockaddr_in peer;
	assert_int_equal(netns_test_accept(l, 0, &peer), -1);
	if (any >= 0) {
		assert_int_equal(netns_test_accept(any, 0, &peer), -1);
		close(any);
	}
	close(l);
	netns_world_destroy(&w);
	(void)state;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(three_hosts_reach_each_other_over_tcp),
		cmocka_unit_test(a_host_reaches_nothing_in_the_root_namespace),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
