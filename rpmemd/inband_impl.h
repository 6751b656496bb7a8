/* inband_impl.h -- the in-band server's state, shared by inband.c, inband_accept.c and inband_lane.c */
#ifndef RPMEMD_INBAND_IMPL_H
#define RPMEMD_INBAND_IMPL_H 1

#include <pthread.h>
#include <stdatomic.h>

#include "inband.h"
#include "proto_inband.h"

/*
 * per receive slot: the request buffer, then an answer buffer of its own,
 * room for an answer message of PROTO_INBAND_DEPTH answers
 */
#define LANE_REQ_BUF	PROTO_INBAND_REQ_MAX
#define LANE_BUF_SIZE	(RPMEMD_INBAND_RECVS * (LANE_REQ_BUF + PROTO_INBAND_RESP_MAX))

/* receives, their responses, and a margin: every post completes on the CQ */
#define LANE_CQ_SIZE	(4 * RPMEMD_INBAND_RECVS)

/*
 * One connection. The answers to the requests of one batch of completions
 * leave together, in one message, from the answer buffer of the first
 * request's slot (its leader). The receives of a message's slots are
 * reposted only after its send completed, so a slot never leads two
 * messages in flight and a buffer is never overwritten while being sent.
 */
struct inband_lane {
	struct rpmemd_inband *ib;
	unsigned idx;
	struct fabric_ep ep;
	int ep_open;
	uint8_t *buf;		/* LANE_BUF_SIZE bytes inside ib->bufs */
	char recv_ctx[RPMEMD_INBAND_RECVS];	/* completion contexts */
	char send_ctx[RPMEMD_INBAND_RECVS];
	/* the slots whose answers a leader's message carries, the leader first */
	uint8_t members[RPMEMD_INBAND_RECVS][PROTO_INBAND_DEPTH];
	unsigned nmembers[RPMEMD_INBAND_RECVS];
	int open_leader;	/* the leader of the message being filled, or -1 */
	pthread_t thread;
	int running;
};

struct rpmemd_inband {
	struct rpmemd_inband_ops ops;
	size_t pool_size;
	size_t hdr_size;
	unsigned char secret[PROTO_SECRET_SIZE];
	unsigned nlanes;	/* granted */
	unsigned naccepted;
	int accept_called;

	struct fabric_domain dom;
	int dom_open;
	struct fabric_mr pool_mr;
	int pool_mr_reg;
	uint8_t *bufs;		/* nlanes * LANE_BUF_SIZE, registered for local access */
	struct fabric_mr bufs_mr;
	int bufs_mr_reg;
	struct fabric_listener listener;
	int listening;

	struct inband_lane *lanes;
	atomic_int stop;	/* lane threads leave their loop */
	atomic_int lost;	/* a lane's connection is gone */
};

static inline uint8_t *
lane_req_buf(struct inband_lane *lane, unsigned slot)
{
	return lane->buf + (size_t)slot * LANE_REQ_BUF;
}

static inline uint8_t *
lane_resp_buf(struct inband_lane *lane, unsigned slot)
{
	return lane->buf + (size_t)RPMEMD_INBAND_RECVS * LANE_REQ_BUF +
		(size_t)slot * PROTO_INBAND_RESP_MAX;
}

/* posts receive slot into its buffer */
int inband_lane_post_recv(struct inband_lane *lane, unsigned slot);

/* starts the lane's serving thread */
int inband_lane_start(struct inband_lane *lane);

/* stops and joins every lane thread, then closes the lanes' endpoints; idempotent */
void inband_lanes_stop(struct rpmemd_inband *ib);

/*
 * Once every lane connected and the listener at listen_addr is closed: ends
 * (shutdown) each connection to that address that never became a lane,
 * logging it; returns how many.
 */
int inband_drop_strangers(const char *listen_addr);

#endif /* RPMEMD_INBAND_IMPL_H */
