/* inband_strangers.c -- once the lanes are up, end the connections on the lane port that never became lanes, so that no stranger holds one for the session */
#include <linux/tcp.h>
#include <netinet/in.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>

#include "fabric.h"
#include "inband_impl.h"
#include "log.h"
#include "own_fds.h"

/*
 * The tcp and sockets providers take a TCP connection on the lane port in
 * before they read its handshake, and closing the listener does not end
 * those whose handshake never came: a silent stranger would keep its
 * connection, and a descriptor of rpmemd, as long as the session lasts.
 * rpmemd answers every handshake it reads (an accept or a reject), so a
 * connection to the lane port that never got a byte from rpmemd is no lane
 * nor a lane's connection-manager channel (the sockets provider keeps
 * one): it is a stranger's. 1 for such a connection; peer gets its address.
 */
static int
stranger(int fd, const char *listen_addr, char *peer, size_t size)
{
	int type;
	socklen_t len = sizeof(type);
	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0 || type != SOCK_STREAM)
		return 0;
	struct sockaddr_storage sa;
	len = sizeof(sa);
	if (getsockname(fd, (struct sockaddr *)&sa, &len) != 0 ||
			(sa.ss_family != AF_INET && sa.ss_family != AF_INET6))
		return 0;
	char local[FABRIC_ADDR_STR_MAX];
	fabric_addr_str(&sa, len, local, sizeof(local));
	len = sizeof(sa);
	if (strcmp(local, listen_addr) != 0 ||
			getpeername(fd, (struct sockaddr *)&sa, &len) != 0)
		return 0;
	fabric_addr_str(&sa, len, peer, size);
	struct tcp_info ti;
	memset(&ti, 0, sizeof(ti));
	len = sizeof(ti);
	/* a kernel before 4.19 does not count the bytes sent: leave the connection be */
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) != 0 ||
			len < offsetof(struct tcp_info, tcpi_bytes_sent) + sizeof(ti.tcpi_bytes_sent))
		return 0;
	return ti.tcpi_bytes_sent == 0;
}

/* 1 when fd was a stranger's connection to the lane port (arg), now shut down */
static int
drop_if_stranger(int fd, void *arg)
{
	const char *listen_addr = arg;
	char peer[FABRIC_ADDR_STR_MAX];
	if (!stranger(fd, listen_addr, peer, sizeof(peer)))
		return 0;
	/* not close: the descriptor is the provider's, shutdown only ends the connection */
	if (shutdown(fd, SHUT_RDWR) != 0)
		return 0;
	log_msg(LOG_WARN, "in-band: connection from %s to %s dropped: it never "
		"became a lane", peer, listen_addr);
	return 1;
}

int
inband_drop_strangers(const char *listen_addr)
{
	int dropped = rpmemd_each_fd(drop_if_stranger, (void *)listen_addr);
	if (dropped < 0) {
		log_msg(LOG_WARN, "in-band: cannot list /proc/self/fd: connections to %s "
			"that never became lanes stay open", listen_addr);
		return 0;
	}
	return dropped;
}
