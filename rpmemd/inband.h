/* inband.h -- rpmemd's in-band server: listen, accept the lanes that present the secret, serve persist requests */
#ifndef RPMEMD_INBAND_H
#define RPMEMD_INBAND_H 1

#include <stddef.h>
#include <stdint.h>

#include "fabric.h"
#include "proto.h"
#include "proto_inband.h"

/*
 * The most lanes one client gets. Each lane costs a thread, an endpoint,
 * a completion queue and RPMEMD_INBAND_RECVS receive buffers of
 * PROTO_INBAND_REQ_MAX bytes; 64 is PMDK's order of magnitude and far more
 * than one client thread per lane can use.
 */
#define RPMEMD_MAX_LANES 64

/*
 * Receives posted per lane: the client keeps up to PROTO_INBAND_DEPTH
 * requests in flight on a lane, and as many more may arrive before the
 * sends of the answers that let the client send them completed here (a
 * receive is reposted only then).
 */
#define RPMEMD_INBAND_RECVS (2 * PROTO_INBAND_DEPTH)

/* how long a lane thread sleeps on its CQ before it looks at the stop flag */
#define RPMEMD_INBAND_SLICE_MS 100

/* what a request does to the pool; each returns 0 or -errno */
struct rpmemd_inband_ops {
	int (*persist)(void *ctx, size_t offset, size_t len);
	int (*deep_persist)(void *ctx, size_t offset, size_t len);
	/* PERSIST_INLINE: copies len bytes of src to the pool at offset and persists them */
	int (*memcpy_persist)(void *ctx, size_t offset, const void *src,
		size_t len);
	void *ctx;
};

struct rpmemd_inband_attr {
	enum fabric_provider provider;
	const char *node;	/* numeric address to listen on, e.g. "127.0.0.1" or "::1" */
	void *pool_addr;	/* registered for remote read/write: [pool_addr, pool_addr + pool_size) */
	size_t pool_size;
	size_t hdr_size;	/* requests touching [0, hdr_size) are refused (EINVAL) */
	unsigned nlanes;	/* asked by the client, >= 1; granted = min(asked, RPMEMD_MAX_LANES, provider limit) */
	const unsigned char *secret;	/* PROTO_SECRET_SIZE bytes, copied */
	struct rpmemd_inband_ops ops;
};

/* what goes into CREATE_RESP / OPEN_RESP */
struct rpmemd_inband_info {
	char address[PROTO_ADDRESS_MAX + 1];	/* the numeric listening address, without port */
	uint16_t port;
	uint64_t raddr;		/* RMA address of pool offset 0 */
	uint64_t rkey;
	unsigned nlanes;	/* granted */
};

struct rpmemd_inband;

/*
 * Opens the provider's domain on attr->node, registers the pool for remote
 * access and listens on a free port. Returns 0 or a negative errno with a
 * message (-EINVAL for a bad attribute, -ENODATA when the provider is
 * absent, fabric errors otherwise).
 */
int rpmemd_inband_listen(const struct rpmemd_inband_attr *attr,
	struct rpmemd_inband **ib, struct rpmemd_inband_info *info);

/*
 * Accepts info->nlanes connections carrying the secret (others are rejected
 * and logged, and do not count), then serves each lane in its own thread.
 * -ETIMEDOUT when they did not all come within timeout_ms, -ECONNRESET
 * when an accepted lane was lost meanwhile; the lanes accepted so far are
 * then closed. Call once (again: -EINVAL). The secret check tolerates zero
 * bytes after the secret (rdma_cm pads connection data).
 * watch_fd (-1: none) is looked at between waits of at most
 * RPMEMD_INBAND_SLICE_MS: once it has data or is closed, the client spoke or
 * left on its other channel, and accept stops with -ECANCELED.
 */
int rpmemd_inband_accept(struct rpmemd_inband *ib, int timeout_ms, int watch_fd);

/* 0 while all lanes are up; -ECONNRESET once a lane's connection is gone (the others then stop) */
int rpmemd_inband_status(struct rpmemd_inband *ib);

/* stops the lane threads, closes endpoints, listener, MRs and domain; NULL is fine */
void rpmemd_inband_close(struct rpmemd_inband *ib);

#endif /* RPMEMD_INBAND_H */
