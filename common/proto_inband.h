/* proto_inband.h -- in-band persist requests and responses of doc/rpmem-protocol.md (little-endian, per lane) */
#ifndef COMMON_PROTO_INBAND_H
#define COMMON_PROTO_INBAND_H 1

#include <stddef.h>
#include <stdint.h>

#define PROTO_INBAND_REQ_HDR	24
#define PROTO_INLINE_MAX	4096
/* the largest request: what a lane's receive buffer must hold */
#define PROTO_INBAND_REQ_MAX	(PROTO_INBAND_REQ_HDR + PROTO_INLINE_MAX)
#define PROTO_INBAND_RESP_SIZE	8
/* a response status is 0 or a positive errno value below this */
#define PROTO_INBAND_STATUS_MAX	4095

enum proto_op {
	PROTO_OP_PERSIST_INLINE = 1,
	PROTO_OP_PERSIST = 2,
	PROTO_OP_DEEP_PERSIST = 3,
};

struct proto_inband_req {
	uint32_t op;		/* enum proto_op */
	uint64_t offset;
	uint64_t length;
	const uint8_t *data;	/* PERSIST_INLINE: length bytes inside the decoded buffer; else NULL */
};

struct proto_inband_resp {
	uint32_t status;	/* 0 or an errno value, 1..PROTO_INBAND_STATUS_MAX */
	uint32_t op;		/* the request's op; 0 (with a failure) for an undecodable request */
};

/*
 * Writes a request into buf (cap bytes): the 24-byte header and, for
 * PERSIST_INLINE, the length bytes at data. Returns the message size, or
 * -EINVAL (unknown op, data missing for PERSIST_INLINE or given for the
 * others), -EMSGSIZE (inline length above PROTO_INLINE_MAX), -ENOBUFS (cap
 * too small), each with a message.
 */
int proto_inband_encode_req(void *buf, size_t cap, uint32_t op,
	uint64_t offset, uint64_t length, const void *data);

/*
 * Decodes the len bytes of a received request. req->data points into buf
 * (no copy). Returns 0 or -EPROTO naming the bad field: unknown op, flags
 * not 0, a size that is not 24 (+ length for PERSIST_INLINE), an inline
 * length above PROTO_INLINE_MAX. Pool ranges are not checked here; see
 * proto_range_ok.
 */
int proto_inband_decode_req(const void *buf, size_t len,
	struct proto_inband_req *req);

/*
 * Writes the 8-byte response; op is the request's, or 0 when the request had
 * no known op (then status must not be 0). -EINVAL for an op or status out
 * of range, -ENOBUFS for cap below 8.
 */
int proto_inband_encode_resp(void *buf, size_t cap, uint32_t status,
	uint32_t op);

/* decodes a response of len bytes; 0 or -EPROTO naming the bad field */
int proto_inband_decode_resp(const void *buf, size_t len,
	struct proto_inband_resp *resp);

/* "PERSIST_INLINE", "PERSIST", "DEEP_PERSIST"; "UNKNOWN" otherwise */
const char *proto_op_name(uint32_t op);

/* 1 when [offset, offset + length) lies inside a pool of pool_size bytes, without overflow */
int proto_range_ok(uint64_t offset, uint64_t length, uint64_t pool_size);

#endif /* COMMON_PROTO_INBAND_H */
