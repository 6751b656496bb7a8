/* proto_inband.c -- encode and decode the per-lane persist requests and their responses, matched by the tag the response echoes */
#include <errno.h>

#include "bytes.h"
#include "err.h"
#include "proto_inband.h"

static int
op_known(uint32_t op)
{
	return op >= PROTO_OP_PERSIST_INLINE && op <= PROTO_OP_DEEP_PERSIST;
}

const char *
proto_op_name(uint32_t op)
{
	switch (op) {
	case PROTO_OP_PERSIST_INLINE: return "PERSIST_INLINE";
	case PROTO_OP_PERSIST: return "PERSIST";
	case PROTO_OP_DEEP_PERSIST: return "DEEP_PERSIST";
	}
	return "UNKNOWN";
}

/* the second word of a request (tag, flags) and of a response (op, tag): two u16 */
static uint32_t
pair16(uint16_t low, uint16_t high)
{
	return (uint32_t)low | (uint32_t)high << 16;
}

int
proto_inband_encode_req(void *buf, size_t cap, uint32_t op, uint16_t tag,
	uint64_t offset, uint64_t length, const void *data)
{
	if (!op_known(op))
		return err_set(-EINVAL, "in-band request: unknown op %u", op);
	int inl = op == PROTO_OP_PERSIST_INLINE;
	if (inl && length > PROTO_INLINE_MAX)
		return err_set(-EMSGSIZE, "PERSIST_INLINE: length %llu exceeds the inline limit %d",
			(unsigned long long)length, PROTO_INLINE_MAX);
	if (inl && length > 0 && data == NULL)
		return err_set(-EINVAL, "PERSIST_INLINE: no data for length %llu",
			(unsigned long long)length);
	if (!inl && data != NULL)
		return err_set(-EINVAL, "%s: carries no inline data",
			proto_op_name(op));
	size_t size = PROTO_INBAND_REQ_HDR + (inl ? (size_t)length : 0);
	if (cap < size)
		return err_set(-ENOBUFS, "%s: request of %zu bytes does not fit in %zu",
			proto_op_name(op), size, cap);

	struct bytes_wr w = bytes_wr_init(buf, cap);
	bytes_put_le32(&w, op);
	bytes_put_le32(&w, pair16(tag, 0));
	bytes_put_le64(&w, offset);
	bytes_put_le64(&w, length);
	if (inl)
		bytes_put_mem(&w, data, (size_t)length);
	return (int)size;
}

int
proto_inband_decode_req(const void *buf, size_t len,
	struct proto_inband_req *req)
{
	req->op = 0;
	req->tag = 0;
	req->offset = 0;
	req->length = 0;
	req->data = NULL;
	if (len < PROTO_INBAND_REQ_HDR)
		return err_set(-EPROTO, "in-band request: %zu bytes, the header needs %d",
			len, PROTO_INBAND_REQ_HDR);
	struct bytes_rd r = bytes_rd_init(buf, len);
	uint32_t op = bytes_get_le32(&r);
	uint32_t tag_flags = bytes_get_le32(&r);
	uint32_t flags = tag_flags >> 16;
	uint64_t offset = bytes_get_le64(&r);
	uint64_t length = bytes_get_le64(&r);
	if (!op_known(op))
		return err_set(-EPROTO, "in-band request: unknown op %u", op);
	const char *name = proto_op_name(op);
	if (flags != 0)
		return err_set(-EPROTO, "%s: flags 0x%x are not 0", name, flags);
	if (op != PROTO_OP_PERSIST_INLINE) {
		if (r.left != 0)
			return err_set(-EPROTO, "%s: %zu bytes instead of %d",
				name, len, PROTO_INBAND_REQ_HDR);
	} else {
		if (length > PROTO_INLINE_MAX)
			return err_set(-EPROTO, "%s: length %llu exceeds the inline limit %d",
				name, (unsigned long long)length, PROTO_INLINE_MAX);
		if (r.left != length)
			return err_set(-EPROTO, "%s: length %llu but %zu bytes of data",
				name, (unsigned long long)length, r.left);
		req->data = bytes_get_ptr(&r, (size_t)length);
	}
	req->op = op;
	req->tag = (uint16_t)tag_flags;
	req->offset = offset;
	req->length = length;
	return 0;
}

void
proto_inband_req_ids(const void *buf, size_t len, uint32_t *op, uint16_t *tag)
{
	struct bytes_rd r = bytes_rd_init(buf, len);
	uint32_t o = bytes_get_le32(&r);
	*op = !r.err && op_known(o) ? o : 0;
	uint32_t tag_flags = bytes_get_le32(&r);
	*tag = r.err ? 0 : (uint16_t)tag_flags;
}

/* op 0 answers a request whose op is unknown or missing; only with a failure */
static int
resp_op_ok(uint32_t op, uint32_t status)
{
	return op_known(op) || (op == 0 && status != 0);
}

int
proto_inband_encode_resp(void *buf, size_t cap, uint32_t status, uint32_t op,
	uint16_t tag)
{
	if (!resp_op_ok(op, status))
		return err_set(-EINVAL, "in-band response: op %u with status %u",
			op, status);
	if (status > PROTO_INBAND_STATUS_MAX)
		return err_set(-EINVAL, "in-band response: status %u is not an errno value",
			status);
	if (cap < PROTO_INBAND_RESP_SIZE)
		return err_set(-ENOBUFS, "in-band response: %d bytes do not fit in %zu",
			PROTO_INBAND_RESP_SIZE, cap);
	struct bytes_wr w = bytes_wr_init(buf, cap);
	bytes_put_le32(&w, status);
	bytes_put_le32(&w, pair16((uint16_t)op, tag));
	return PROTO_INBAND_RESP_SIZE;
}

int
proto_inband_decode_resp(const void *buf, size_t len,
	struct proto_inband_resp *resp)
{
	resp->status = 0;
	resp->op = 0;
	resp->tag = 0;
	if (len != PROTO_INBAND_RESP_SIZE)
		return err_set(-EPROTO, "in-band response: %zu bytes instead of %d",
			len, PROTO_INBAND_RESP_SIZE);
	struct bytes_rd r = bytes_rd_init(buf, len);
	uint32_t status = bytes_get_le32(&r);
	uint32_t op_tag = bytes_get_le32(&r);
	uint32_t op = op_tag & 0xffff;
	if (!resp_op_ok(op, status))
		return err_set(-EPROTO, "in-band response: op %u with status %u",
			op, status);
	if (status > PROTO_INBAND_STATUS_MAX)
		return err_set(-EPROTO, "%s response: status %u is not an errno value",
			proto_op_name(op), status);
	resp->status = status;
	resp->op = op;
	resp->tag = (uint16_t)(op_tag >> 16);
	return 0;
}

int
proto_inband_decode_resps(const void *buf, size_t len,
	struct proto_inband_resp *resps)
{
	if (len == 0 || len % PROTO_INBAND_RESP_SIZE != 0 || len > PROTO_INBAND_RESP_MAX)
		return err_set(-EPROTO, "in-band answers: %zu bytes are not 1 to %d "
			"answers of %d bytes", len, PROTO_INBAND_DEPTH, PROTO_INBAND_RESP_SIZE);
	const uint8_t *b = buf;
	int n = (int)(len / PROTO_INBAND_RESP_SIZE);
	for (int i = 0; i < n; i++) {
		int ret = proto_inband_decode_resp(b + (size_t)i * PROTO_INBAND_RESP_SIZE,
			PROTO_INBAND_RESP_SIZE, &resps[i]);
		if (ret)
			return ret;
	}
	return n;
}

int
proto_range_ok(uint64_t offset, uint64_t length, uint64_t pool_size)
{
	return offset <= pool_size && length <= pool_size - offset;
}
