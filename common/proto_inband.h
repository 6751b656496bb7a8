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
/*
 * Requests a client keeps in flight on one lane at most (librpmem's request
 * slots, tagged 0..PROTO_INBAND_DEPTH - 1); rpmemd posts receives for twice
 * as many, since a request may arrive before the send of an earlier answer
 * completed there.
 */
#define PROTO_INBAND_DEPTH	16
/*
 * An answer message carries one 8-byte answer per request, up to
 * PROTO_INBAND_DEPTH of them: what a client's receive buffer must hold
 */
#define PROTO_INBAND_RESP_MAX	(PROTO_INBAND_DEPTH * PROTO_INBAND_RESP_SIZE)

enum proto_op {
	PROTO_OP_PERSIST_INLINE = 1,
	PROTO_OP_PERSIST = 2,
	PROTO_OP_DEEP_PERSIST = 3,
};

struct proto_inband_req {
	uint32_t op;		/* enum proto_op */
	uint16_t tag;		/* the client's, echoed in the response */
	uint64_t offset;
	uint64_t length;
	const uint8_t *data;	/* PERSIST_INLINE: length bytes inside the decoded buffer; else NULL */
};

struct proto_inband_resp {
	uint32_t status;	/* 0 or an errno value, 1..PROTO_INBAND_STATUS_MAX */
	uint32_t op;		/* the request's op; 0 (with a failure) for an undecodable request */
	uint16_t tag;		/* the request's tag; 0 when the request had no header */
};

/*
 * Writes a request into buf (cap bytes): the 24-byte header with tag and,
 * for PERSIST_INLINE, the length bytes at data. Returns the message size, or
 * -EINVAL (unknown op, data missing for PERSIST_INLINE or given for the
 * others), -EMSGSIZE (inline length above PROTO_INLINE_MAX), -ENOBUFS (cap
 * too small), each with a message.
 */
int proto_inband_encode_req(void *buf, size_t cap, uint32_t op, uint16_t tag,
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
 * Writes the 8-byte response; op and tag are the request's, op 0 when the
 * request had no known op (then status must not be 0). -EINVAL for an op or
 * status out of range, -ENOBUFS for cap below 8.
 */
int proto_inband_encode_resp(void *buf, size_t cap, uint32_t status,
	uint32_t op, uint16_t tag);

/* decodes a response of len bytes; 0 or -EPROTO naming the bad field */
int proto_inband_decode_resp(const void *buf, size_t len,
	struct proto_inband_resp *resp);

/*
 * Decodes an answer message of len bytes: 1..PROTO_INBAND_DEPTH answers of
 * 8 bytes each into resps (room for PROTO_INBAND_DEPTH). Returns how many,
 * or -EPROTO naming the bad size or the bad field of the bad answer.
 */
int proto_inband_decode_resps(const void *buf, size_t len,
	struct proto_inband_resp *resps);

/*
 * The op and tag of a request that did not decode, for its answer: op 0
 * unless the first 4 bytes name a known op, tag 0 unless the header's first
 * 8 bytes are there.
 */
void proto_inband_req_ids(const void *buf, size_t len, uint32_t *op,
	uint16_t *tag);

/* "PERSIST_INLINE", "PERSIST", "DEEP_PERSIST"; "UNKNOWN" otherwise */
const char *proto_op_name(uint32_t op);

/* 1 when [offset, offset + length) lies inside a pool of pool_size bytes, without overflow */
int proto_range_ok(uint64_t offset, uint64_t length, uint64_t pool_size);

#endif /* COMMON_PROTO_INBAND_H */
