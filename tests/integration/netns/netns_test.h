/* netns_test.h -- what the tests of the namespace helper share: a world or a skip, TCP listeners and connects inside hosts */
#ifndef NETNS_TEST_H
#define NETNS_TEST_H 1

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "netns.h"
#include "test_common.h"

/* how a connect ended, the exit status of connect_fn */
enum netns_test_reach {
	REACHED,	/* connected and the payload sent */
	REFUSED,	/* ECONNREFUSED: a host answered, nobody listens */
	UNREACHABLE,	/* ENETUNREACH, EHOSTUNREACH: no way there */
	TIMED_OUT,	/* nothing within the bound */
	BROKEN,		/* anything else */
};

struct netns_test_conn {
	const char *ip;
	unsigned port;
	int timeout_ms;
	const char *payload;	/* sent once connected, NULL: nothing */
};

/* a world of nhosts hosts, or the test skipped with the reason */
#define NETNS_TEST_WORLD(w, nhosts) do { \
	char why_[512]; \
	if (netns_world_create((w), (nhosts), why_, sizeof(why_)) != 0) \
		SKIP_BECAUSE("%s", why_); \
} while (0)

static inline void
netns_test_addr(struct sockaddr_in *a, const char *ip, unsigned port)
{
	memset(a, 0, sizeof(*a));
	a->sin_family = AF_INET;
	a->sin_port = htons((uint16_t)port);
	assert_int_equal(inet_pton(AF_INET, ip, &a->sin_addr), 1);
}

/* a listener on ip and a port the kernel picks (written to *port), made in netns (NULL: here) */
static inline int
netns_test_listen(const char *netns, const char *ip, unsigned *port)
{
	int fd = netns != NULL ? netns_socket(netns, AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)
		: socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		fail_msg("socket in %s: %s", netns ? netns : "the root namespace", strerror(errno));
	struct sockaddr_in a;
	netns_test_addr(&a, ip, 0);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(fd, 8) != 0)
		fail_msg("listen on %s: %s", ip, strerror(errno));
	socklen_t len = sizeof(a);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	*port = ntohs(a.sin_port);
	return fd;
}

/* the connection waiting on listener within timeout_ms, -1 when none came */
static inline int
netns_test_accept(int listener, int timeout_ms, struct sockaddr_in *peer)
{
	struct pollfd p = { listener, POLLIN, 0 };
	if (poll(&p, 1, timeout_ms) != 1)
		return -1;
	socklen_t len = sizeof(*peer);
	return accept4(listener, (struct sockaddr *)peer, &len, SOCK_CLOEXEC);
}

/* connects fd to ip:port within timeout_ms; enum netns_test_reach */
static inline int
netns_test_connect_fd(int fd, const char *ip, unsigned port, int timeout_ms)
{
	struct sockaddr_in a;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, ip, &a.sin_addr) != 1)
		return BROKEN;
	int fl = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	int e = 0;
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
		e = errno;
		if (e == EINPROGRESS) {
			struct pollfd p = { fd, POLLOUT, 0 };
			if (poll(&p, 1, timeout_ms) != 1)
				return TIMED_OUT;
			socklen_t len = sizeof(e);
			if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len) != 0)
				return BROKEN;
		}
	}
	fcntl(fd, F_SETFL, fl);
	switch (e) {
	case 0:
		return REACHED;
	case ECONNREFUSED:
		return REFUSED;
	case ENETUNREACH:
	case EHOSTUNREACH:
		return UNREACHABLE;
	default:
		fprintf(stderr, "connect to %s:%u: %s\n", ip, port, strerror(e));
		return BROKEN;
	}
}

/* for netns_run: connects to c->ip:c->port from the host it runs in and sends the payload */
static inline int
netns_test_connect_fn(void *arg)
{
	const struct netns_test_conn *c = arg;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return BROKEN;
	int ret = netns_test_connect_fd(fd, c->ip, c->port, c->timeout_ms);
	if (ret == REACHED && c->payload != NULL &&
			write(fd, c->payload, strlen(c->payload)) != (ssize_t)strlen(c->payload))
		ret = BROKEN;
	close(fd);
	return ret;
}

/* how connecting from host to ip:port ended (netns_run bounds it beyond the connect's own bound) */
static inline int
netns_test_reach(const struct netns_world *w, int host, const char *ip, unsigned port,
	int timeout_ms)
{
	struct netns_test_conn c = { ip, port, timeout_ms, NULL };
	return netns_run(w, host, netns_test_connect_fn, &c, timeout_ms + 10000);
}

/* a listener in host to takes a connection from host from, each within timeout_ms */
static inline void
netns_test_assert_reaches(const struct netns_world *w, int from, int to, int timeout_ms)
{
	unsigned port;
	int l = netns_test_listen(w->name[to], w->addr[to], &port);
	assert_int_equal(netns_test_reach(w, from, w->addr[to], port, timeout_ms), REACHED);
	close(l);
}

/* reads exactly len bytes from fd, each within timeout_ms; 0, or -1 when they did not come */
static inline int
netns_test_read(int fd, void *buf, size_t len, int timeout_ms)
{
	size_t done = 0;
	while (done < len) {
		struct pollfd p = { fd, POLLIN, 0 };
		if (poll(&p, 1, timeout_ms) != 1)
			return -1;
		ssize_t n = read(fd, (char *)buf + done, len - done);
		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	return 0;
}

#endif /* NETNS_TEST_H */
