/* proto.h -- out-of-band protocol between librpmem and rpmemd: frames, messages, status codes (doc/rpmem-protocol.md) */
#ifndef COMMON_PROTO_H
#define COMMON_PROTO_H 1

#include <stddef.h>
#include <stdint.h>

#include "librpmem.h"

#define PROTO_MAGIC		0x52504d4fU	/* "RPMO" */
#define PROTO_MAJOR		1
#define PROTO_MINOR		0

#define PROTO_HDR_SIZE		12
#define PROTO_BODY_MAX		4096
#define PROTO_FRAME_MAX		(PROTO_HDR_SIZE + PROTO_BODY_MAX)

/* string limits in bytes, without the NUL the decoded arrays add */
#define PROTO_POOL_SET_MAX	1024
#define PROTO_REASON_MAX	512
#define PROTO_ADDRESS_MAX	64

#define PROTO_SECRET_SIZE	32
#define PROTO_ATTR_SIZE		104

enum proto_type {
	PROTO_HELLO = 1,
	PROTO_CREATE = 2,
	PROTO_CREATE_RESP = 3,
	PROTO_OPEN = 4,
	PROTO_OPEN_RESP = 5,
	PROTO_SET_ATTR = 6,
	PROTO_SET_ATTR_RESP = 7,
	PROTO_CLOSE = 8,
	PROTO_CLOSE_RESP = 9,
	PROTO_TYPE_MAX = PROTO_CLOSE_RESP,
};

enum proto_status {
	PROTO_STATUS_SUCCESS = 0,
	PROTO_STATUS_BADPROTO = 1,
	PROTO_STATUS_BADNAME = 2,
	PROTO_STATUS_BADSIZE = 3,
	PROTO_STATUS_BADNLANES = 4,
	PROTO_STATUS_BADPROVIDER = 5,
	PROTO_STATUS_FATAL = 6,
	PROTO_STATUS_FATAL_CONN = 7,
	PROTO_STATUS_BUSY = 8,
	PROTO_STATUS_EXISTS = 9,
	PROTO_STATUS_PROVNOSUP = 10,
	PROTO_STATUS_NOEXIST = 11,
	PROTO_STATUS_NOACCESS = 12,
	PROTO_STATUS_POOL_CFG = 13,
	PROTO_STATUS_NOSPACE = 14,
	PROTO_STATUS_MAX = PROTO_STATUS_NOSPACE,
};

enum proto_provider {
	PROTO_PROVIDER_VERBS = 1,
	PROTO_PROVIDER_SOCKETS = 2,
	PROTO_PROVIDER_TCP = 3,
};

enum proto_persist_method {
	PROTO_PERSIST_GPSPM = 1,	/* general purpose: the daemon persists, then answers */
	PROTO_PERSIST_APM = 2,		/* appliance: RDMA read after write */
};

/* CREATE flags bit 0, and the one flag of CLOSE */
#define PROTO_CREATE_HAS_ATTR	(1U << 0)
#define PROTO_CLOSE_REMOVE	(1U << 0)

/* a validated frame header: magic and flags are checked, not kept */
struct proto_header {
	uint16_t type;		/* 1..PROTO_TYPE_MAX */
	uint32_t length;	/* of the body, <= PROTO_BODY_MAX */
};

/*
 * The decoded messages, in host order. Strings are NUL-terminated arrays one
 * byte longer than the protocol's limit. major and minor are filled by the
 * decoders; the encoders always write PROTO_MAJOR.PROTO_MINOR.
 */
struct proto_hello {
	uint16_t major;
	uint16_t minor;
	uint32_t status;
	char reason[PROTO_REASON_MAX + 1];
};

/* CREATE and OPEN (has_attr is always 0 for OPEN) */
struct proto_create_req {
	uint16_t major;
	uint16_t minor;
	uint64_t pool_size;
	uint32_t nlanes;
	uint8_t provider;	/* enum proto_provider */
	uint8_t has_attr;	/* 0 or 1 */
	char pool_set[PROTO_POOL_SET_MAX + 1];
	struct rpmem_pool_attr attr;	/* zero when has_attr is 0 */
};

/* CREATE_RESP and OPEN_RESP; every field after reason is 0 when status is not 0 */
struct proto_open_resp {
	uint32_t status;
	char reason[PROTO_REASON_MAX + 1];
	uint8_t persist_method;	/* enum proto_persist_method */
	uint32_t nlanes;
	char address[PROTO_ADDRESS_MAX + 1];
	uint16_t port;
	uint64_t raddr;
	uint64_t rkey;
	uint64_t pool_size;
	uint8_t secret[PROTO_SECRET_SIZE];
	uint8_t has_attr;	/* 0 or 1; always 0 for CREATE_RESP */
	struct rpmem_pool_attr attr;	/* zero when has_attr is 0 */
};

struct proto_set_attr {
	uint8_t has_attr;	/* 1: set attr, 0: clear the attributes */
	struct rpmem_pool_attr attr;	/* zero when has_attr is 0 */
};

struct proto_close {
	uint32_t flags;		/* 0 or PROTO_CLOSE_REMOVE */
};

/* SET_ATTR_RESP and CLOSE_RESP */
struct proto_status_resp {
	uint32_t status;
	char reason[PROTO_REASON_MAX + 1];
};

/* any message, tagged by its frame type (see proto_decode_msg) */
struct proto_msg {
	uint16_t type;
	union {
		struct proto_hello hello;		/* HELLO */
		struct proto_create_req req;		/* CREATE, OPEN */
		struct proto_open_resp resp;		/* CREATE_RESP, OPEN_RESP */
		struct proto_set_attr set_attr;		/* SET_ATTR */
		struct proto_close close;		/* CLOSE */
		struct proto_status_resp status;	/* SET_ATTR_RESP, CLOSE_RESP */
	};
};

/*
 * Encoders: write a whole frame (header and body) into buf, which holds
 * PROTO_FRAME_MAX bytes, and return its length, or a negative errno with a
 * message naming the field: -ENAMETOOLONG for a string longer than its
 * limit (an array without NUL), -EINVAL for an empty pool set name or
 * address, a value out of range (nlanes 0, provider, persist method, port 0,
 * status, flags) or has_attr in a message that cannot carry attributes.
 */
int proto_encode_hello(void *buf, const struct proto_hello *msg);
int proto_encode_create(void *buf, const struct proto_create_req *msg);
int proto_encode_open(void *buf, const struct proto_create_req *msg);
int proto_encode_create_resp(void *buf, const struct proto_open_resp *msg);
int proto_encode_open_resp(void *buf, const struct proto_open_resp *msg);
int proto_encode_set_attr(void *buf, const struct proto_set_attr *msg);
int proto_encode_set_attr_resp(void *buf, const struct proto_status_resp *msg);
int proto_encode_close(void *buf, const struct proto_close *msg);
int proto_encode_close_resp(void *buf, const struct proto_status_resp *msg);

/* the encoder of msg->type; -EINVAL for a type out of range */
int proto_encode_msg(void *buf, const struct proto_msg *msg);

/*
 * Decodes and validates the first PROTO_HDR_SIZE bytes of buf (len is what
 * buf holds): magic, type 1..PROTO_TYPE_MAX, flags 0, length <= PROTO_BODY_MAX.
 * Returns 0 or -EPROTO with a message such as "frame: bad magic 0x41414141".
 */
int proto_decode_header(const void *buf, size_t len, struct proto_header *hdr);

/* -EPROTO "expected OPEN_RESP, received HELLO" unless hdr->type is want */
int proto_expect_type(const struct proto_header *hdr, enum proto_type want);

/*
 * Decoders of bodies: validate every field, require the body to be consumed
 * exactly and fill *out (zeroed first, so fields after a failure are 0).
 * Return 0 or a negative errno with a message naming the message and field:
 * -EPROTO for anything malformed, -EPROTONOSUPPORT for a major version other
 * than PROTO_MAJOR (out->major and out->minor are then set, nothing else is
 * read) and for a CREATE/OPEN whose minor version exceeds PROTO_MINOR.
 * A HELLO of a later minor version may carry fields this version does not
 * know; they are ignored.
 */
int proto_decode_hello(const void *body, size_t len, struct proto_hello *out);
int proto_decode_create(const void *body, size_t len,
	struct proto_create_req *out);
int proto_decode_open(const void *body, size_t len,
	struct proto_create_req *out);
int proto_decode_create_resp(const void *body, size_t len,
	struct proto_open_resp *out);
int proto_decode_open_resp(const void *body, size_t len,
	struct proto_open_resp *out);
int proto_decode_set_attr(const void *body, size_t len,
	struct proto_set_attr *out);
int proto_decode_set_attr_resp(const void *body, size_t len,
	struct proto_status_resp *out);
int proto_decode_close(const void *body, size_t len, struct proto_close *out);
int proto_decode_close_resp(const void *body, size_t len,
	struct proto_status_resp *out);

/* the decoder of hdr->type over hdr->length bytes of body; out->type is set */
int proto_decode_msg(const struct proto_header *hdr, const void *body,
	struct proto_msg *out);

/* "HELLO", "CREATE", ...; "UNKNOWN" out of range */
const char *proto_type_name(unsigned type);

/* the client errno of a status (0 for SUCCESS; EPROTO for an unknown status) */
int proto_status_errno(uint32_t status);

/* "SUCCESS", "BADPROTO", ...; "UNKNOWN" out of range */
const char *proto_status_name(uint32_t status);

/*
 * The status rpmemd answers for a failure errno (either sign): EEXIST ->
 * EXISTS, EACCES -> NOACCESS, ENOENT -> NOEXIST, EWOULDBLOCK/EBUSY -> BUSY,
 * EINVAL -> POOL_CFG, ENOSPC -> NOSPACE, EFBIG -> BADSIZE, EPROTONOSUPPORT ->
 * BADPROTO, EMEDIUMTYPE -> PROVNOSUP, ECONNABORTED -> FATAL_CONN, 0 ->
 * SUCCESS, anything else -> FATAL.
 */
uint32_t proto_errno_status(int errnum);

#endif /* COMMON_PROTO_H */
