/* proto_io.h -- send and receive whole out-of-band frames on a descriptor, every wait bounded by a deadline */
#ifndef COMMON_PROTO_IO_H
#define COMMON_PROTO_IO_H 1

#include <stddef.h>

#include "proto.h"

/*
 * Writes the len bytes of frame to fd (a socket, a pipe or any other
 * descriptor, blocking or not), looping over partial writes and EINTR,
 * within timeout_ms in total (negative: no limit). Never raises SIGPIPE:
 * sockets get MSG_NOSIGNAL, other descriptors are written with SIGPIPE
 * blocked in the calling thread and a SIGPIPE it caused is discarded.
 * Returns 0, -ETIMEDOUT, -EPIPE or -ECONNRESET for a closed peer, or another
 * negative errno, with a message.
 */
int proto_send_frame(int fd, const void *frame, size_t len, int timeout_ms);

/*
 * Reads one frame into buf (cap bytes, PROTO_FRAME_MAX is always enough):
 * the 12-byte header, which is validated before anything else is read, then
 * exactly its body, at buf + PROTO_HDR_SIZE. Every read waits with poll()
 * for what is left of timeout_ms (negative: no limit). Returns 0 and *hdr,
 * or -ETIMEDOUT, -ECONNRESET when the stream ends before a whole frame (the
 * message says how many bytes came), -EPROTO for a bad header, -ENOBUFS when
 * the frame does not fit in cap, or another negative errno, with a message.
 */
int proto_recv_frame(int fd, void *buf, size_t cap, struct proto_header *hdr,
	int timeout_ms);

#endif /* COMMON_PROTO_IO_H */
