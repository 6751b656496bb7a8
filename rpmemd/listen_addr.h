/* listen_addr.h -- the address rpmemd's fabric endpoint listens on */
#ifndef RPMEMD_LISTEN_ADDR_H
#define RPMEMD_LISTEN_ADDR_H 1

#include <stddef.h>

/*
 * The server address of the ssh connection that started rpmemd (third field
 * of SSH_CONNECTION), so the endpoint listens only where the client came in;
 * 127.0.0.1 when rpmemd was started without ssh. 0, or -EINVAL with a message
 * when SSH_CONNECTION is malformed.
 */
int rpmemd_listen_addr(char *buf, size_t size);

#endif /* RPMEMD_LISTEN_ADDR_H */
