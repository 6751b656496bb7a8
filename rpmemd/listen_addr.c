/* listen_addr.c -- listen only on the address the client's ssh connection came in on */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "err.h"
#include "listen_addr.h"

int
rpmemd_listen_addr(char *buf, size_t size)
{
	const char *conn = getenv("SSH_CONNECTION");
	if (conn == NULL || *conn == '\0') {
		snprintf(buf, size, "127.0.0.1");
		return 0;
	}
	/* "client_ip client_port server_ip server_port" */
	char cip[INET6_ADDRSTRLEN + 1], sip[INET6_ADDRSTRLEN + 1];
	unsigned cport, sport;
	if (sscanf(conn, "%46s %u %46s %u", cip, &cport, sip, &sport) != 4)
		return err_set(-EINVAL, "SSH_CONNECTION '%s' is not 'client port server port'", conn);
	/* sshd on an IPv6 socket shows IPv4 clients as ::ffff:a.b.c.d; the sockets provider is IPv4 only */
	const char *mapped = "::ffff:";
	if (strncasecmp(sip, mapped, strlen(mapped)) == 0 && strchr(sip + strlen(mapped), '.'))
		memmove(sip, sip + strlen(mapped), strlen(sip + strlen(mapped)) + 1);
	unsigned char bin[sizeof(struct in6_addr)];
	if (inet_pton(AF_INET, sip, bin) != 1 && inet_pton(AF_INET6, sip, bin) != 1)
		return err_set(-EINVAL, "SSH_CONNECTION server address '%s' is not numeric", sip);
	if (strlen(sip) >= size)
		return err_set(-EINVAL, "SSH_CONNECTION server address '%s' is too long", sip);
	memcpy(buf, sip, strlen(sip) + 1);
	return 0;
}
