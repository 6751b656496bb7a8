/* inband_client.h -- a minimal in-band client for the rpmemd in-band tests: lanes, RDMA writes, persist requests */
#ifndef RPMEMD_INBAND_CLIENT_H
#define RPMEMD_INBAND_CLIENT_H 1

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "fabric.h"
#include "inband.h"
#include "proto_inband.h"

/* runs in a forked child: a failed check prints where and why, and exits 1 */
#define CHECK(c) do { \
	if (!(c)) { \
		fprintf(stderr, "client: %s:%d: %s failed (last error: %s)\n", \
			__FILE__, __LINE__, #c, err_last()); \
		_exit(1); \
	} \
} while (0)

#define CL_MAX_LANES 4
#define CL_TIMEOUT_MS 5000
#define CL_DATA 8192
/* a pipeline of PROTO_INBAND_DEPTH sends and as many answers fits */
#define CL_CQ_SIZE (4 * PROTO_INBAND_DEPTH)

/* what the server tells the client child through a pipe */
struct cl_server {
	uint16_t port;
	uint64_t raddr;
	uint64_t rkey;
	uint32_t nlanes;
};

enum cl_op { CL_SEND, CL_RECV, CL_WRITE, CL_NOPS };
static char Cl_ctx[CL_NOPS];

struct cl_lane {
	struct fabric_ep ep;
	int seen[CL_NOPS];	/* completions reaped and not yet waited for */
	uint8_t *req;		/* PROTO_INBAND_REQ_MAX + 64 bytes */
	uint8_t *resp;		/* 64 bytes */
	uint8_t *data;		/* CL_DATA bytes, source of RDMA writes */
};

struct cl {
	struct cl_server srv;
	enum fabric_provider prov;
	char node[64];
	struct fabric_domain dom;
	struct fabric_mr mr;
	uint8_t *buf;
	struct cl_lane lanes[CL_MAX_LANES];
};

#define CL_LANE_BUF (PROTO_INBAND_REQ_MAX + 64 + 64 + CL_DATA)

static inline void
cl_open(struct cl *c)
{
	char port[16];
	snprintf(port, sizeof(port), "%u", c->srv.port);
	struct fi_info *info;
	CHECK(fabric_getinfo(c->prov, c->node, port, 0, &info) == 0);
	CHECK(fabric_domain_open(info, &c->dom) == 0);
	fi_freeinfo(info);
	c->buf = calloc(CL_MAX_LANES, CL_LANE_BUF);
	CHECK(c->buf != NULL);
	CHECK(fabric_mr_reg(&c->dom, c->buf, CL_MAX_LANES * CL_LANE_BUF,
		FABRIC_MR_LOCAL_ACCESS, &c->mr) == 0);
	for (int i = 0; i < CL_MAX_LANES; i++) {
		struct cl_lane *l = &c->lanes[i];
		l->req = c->buf + (size_t)i * CL_LANE_BUF;
		l->resp = l->req + PROTO_INBAND_REQ_MAX + 64;
		l->data = l->resp + 64;
	}
}

/* connects lane i presenting secret; the result of fabric_ep_connect */
static inline int
cl_connect(struct cl *c, int i, const uint8_t *secret)
{
	struct cl_lane *l = &c->lanes[i];
	CHECK(fabric_ep_open(&c->dom, c->dom.info, CL_CQ_SIZE, &l->ep) == 0);
	int ret = fabric_ep_connect(&l->ep, secret, PROTO_SECRET_SIZE,
		CL_TIMEOUT_MS);
	if (ret)
		fabric_ep_close(&l->ep);
	return ret;
}

/* waits until an operation of kind op completed on the lane; 0 or the wait's error */
static inline int
cl_wait(struct cl_lane *l, enum cl_op op)
{
	while (l->seen[op] == 0) {
		struct fi_cq_msg_entry e[4];
		int n = fabric_cq_wait(&l->ep, e, 4, CL_TIMEOUT_MS);
		if (n < 0)
			return n;
		for (int i = 0; i < n; i++)
			l->seen[(char *)e[i].op_context - Cl_ctx]++;
	}
	l->seen[op]--;
	return 0;
}

/*
 * Sends the len bytes at lane->req and waits for the response, decoded into
 * *resp. 0, or the fabric error (-ECONNRESET once the server is gone).
 */
static inline int
cl_request_raw(struct cl *c, int i, size_t len, struct proto_inband_resp *resp)
{
	struct cl_lane *l = &c->lanes[i];
	int ret = fabric_post_recv(&l->ep, l->resp, 64, c->mr.desc,
		&Cl_ctx[CL_RECV]);
	if (ret)
		return ret;
	ret = fabric_post_send(&l->ep, l->req, len, c->mr.desc, &Cl_ctx[CL_SEND]);
	if (ret)
		return ret;
	if ((ret = cl_wait(l, CL_SEND)) || (ret = cl_wait(l, CL_RECV)))
		return ret;
	CHECK(proto_inband_decode_resp(l->resp, PROTO_INBAND_RESP_SIZE, resp) == 0);
	return 0;
}

static inline int
cl_request(struct cl *c, int i, uint32_t op, uint64_t offset, uint64_t length,
	const void *data, struct proto_inband_resp *resp)
{
	struct cl_lane *l = &c->lanes[i];
	int len = proto_inband_encode_req(l->req, PROTO_INBAND_REQ_MAX + 64, op, 0,
		offset, length, data);
	CHECK(len > 0);
	return cl_request_raw(c, i, (size_t)len, resp);
}

/* RDMA-writes len bytes of lane->data to the pool at offset, then asks PERSIST without waiting in between */
static inline int
cl_write_persist(struct cl *c, int i, uint64_t offset, size_t len,
	struct proto_inband_resp *resp)
{
	struct cl_lane *l = &c->lanes[i];
	int ret = fabric_post_write(&l->ep, l->data, len, c->mr.desc,
		c->srv.raddr + offset, c->srv.rkey, &Cl_ctx[CL_WRITE]);
	if (ret)
		return ret;
	ret = cl_request(c, i, PROTO_OP_PERSIST, offset, len, NULL, resp);
	if (ret)
		return ret;
	return cl_wait(l, CL_WRITE);
}

static inline void
cl_close(struct cl *c)
{
	for (int i = 0; i < CL_MAX_LANES; i++)
		fabric_ep_close(&c->lanes[i].ep);
	fabric_mr_dereg(&c->mr);
	fabric_domain_close(&c->dom);
	free(c->buf);
}

#endif /* RPMEMD_INBAND_CLIENT_H */
