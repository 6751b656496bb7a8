/* keepalive.c -- TCP keepalive on the lanes' connections: a client whose host vanished (link cut, power lost) is noticed, so its pool does not stay locked */
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stddef.h>
#include <sys/socket.h>

#include "keepalive.h"
#include "log.h"
#include "own_fds.h"

/*
 * libfabric's tcp and sockets providers own the sockets and offer no
 * keepalive setting, and a lane that waits for requests sends nothing: a
 * peer gone without a reset would never be noticed. Every connected TCP
 * socket of this process is a lane's (rpmemd serves one client; its
 * channel to ssh is a pipe or a unix socket), so each gets keepalive
 * probes, and unacknowledged data a bound (TCP_USER_TIMEOUT).
 */
static int
is_connected_tcp(int fd)
{
	int domain, type, listening;
	socklen_t len = sizeof(int);
	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) != 0 ||
			(domain != AF_INET && domain != AF_INET6))
		return 0;
	len = sizeof(int);
	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0 ||
			type != SOCK_STREAM)
		return 0;
	len = sizeof(int);
	return getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) == 0 &&
		!listening;
}

static int
arm(int fd)
{
	int on = 1, idle = RPMEMD_KEEPALIVE_IDLE_S, intvl = RPMEMD_KEEPALIVE_INTVL_S,
		cnt = RPMEMD_KEEPALIVE_PROBES;
	unsigned user_timeout = RPMEMD_PEER_DEAD_MS;
	return setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof(on)) ||
		setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle)) ||
		setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof(intvl)) ||
		setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof(cnt)) ||
		setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &user_timeout,
			sizeof(user_timeout));
}

/* 1 when fd is a connected TCP socket that now has keepalive */
static int
arm_if_connected_tcp(int fd, void *arg)
{
	(void)arg;
	if (!is_connected_tcp(fd))
		return 0;
	if (arm(fd) == 0)
		return 1;
	log_msg(LOG_WARN, "keepalive: cannot arm socket %d", fd);
	return 0;
}

int
rpmemd_keepalive_arm(void)
{
	int armed = rpmemd_each_fd(arm_if_connected_tcp, NULL);
	if (armed < 0) {
		log_msg(LOG_WARN, "keepalive: cannot list /proc/self/fd: a vanished "
			"client may go unnoticed");
		return 0;
	}
	return armed;
}
