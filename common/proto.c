/* proto.c -- encode and decode the out-of-band frames of doc/rpmem-protocol.md, field by field */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bytes.h"
#include "err.h"
#include "proto.h"

/* the length of a string field in an encoder's input; -ENAMETOOLONG without NUL */
static int
enc_strlen(const char *msg, const char *field, const char *s, size_t size,
	size_t min)
{
	size_t len = strnlen(s, size);
	if (len == size)
		return err_set(-ENAMETOOLONG, "%s: %s is longer than %zu bytes",
			msg, field, size - 1);
	if (len < min)
		return err_set(-EINVAL, "%s: %s is empty", msg, field);
	return (int)len;
}

static void
put_string(struct bytes_wr *w, const char *s, size_t len)
{
	bytes_put_be16(w, (uint16_t)len);
	bytes_put_mem(w, s, len);
}

static void
put_attr(struct bytes_wr *w, const struct rpmem_pool_attr *a)
{
	bytes_put_mem(w, a->signature, sizeof(a->signature));
	bytes_put_be32(w, a->major);
	bytes_put_be32(w, a->compat_features);
	bytes_put_be32(w, a->incompat_features);
	bytes_put_be32(w, a->ro_compat_features);
	bytes_put_mem(w, a->poolset_uuid, sizeof(a->poolset_uuid));
	bytes_put_mem(w, a->uuid, sizeof(a->uuid));
	bytes_put_mem(w, a->next_uuid, sizeof(a->next_uuid));
	bytes_put_mem(w, a->prev_uuid, sizeof(a->prev_uuid));
	bytes_put_mem(w, a->user_flags, sizeof(a->user_flags));
}

/* a cursor over the body part of a frame buffer */
static struct bytes_wr
body_writer(void *buf)
{
	return bytes_wr_init((uint8_t *)buf + PROTO_HDR_SIZE, PROTO_BODY_MAX);
}

/* writes the header in front of the body w wrote; returns the frame length */
static int
finish_frame(void *buf, enum proto_type type, const struct bytes_wr *w)
{
	/* the validated limits keep every body far below PROTO_BODY_MAX */
	if (w->err)
		return err_set(-EMSGSIZE, "%s: body exceeds %d bytes",
			proto_type_name(type), PROTO_BODY_MAX);
	size_t len = PROTO_BODY_MAX - w->left;
	struct bytes_wr h = bytes_wr_init(buf, PROTO_HDR_SIZE);
	bytes_put_be32(&h, PROTO_MAGIC);
	bytes_put_be16(&h, (uint16_t)type);
	bytes_put_be16(&h, 0);
	bytes_put_be32(&h, (uint32_t)len);
	return (int)(PROTO_HDR_SIZE + len);
}

static int
check_status(const char *msg, uint32_t status)
{
	if (status > PROTO_STATUS_MAX)
		return err_set(-EINVAL, "%s: status %u is not a known status (0..%d)",
			msg, status, PROTO_STATUS_MAX);
	return 0;
}

static int
check_has_attr(const char *msg, uint8_t has_attr, int allowed)
{
	if (has_attr > 1)
		return err_set(-EINVAL, "%s: has_attr %u is not 0 or 1",
			msg, has_attr);
	if (has_attr && !allowed)
		return err_set(-EINVAL, "%s: cannot carry pool attributes", msg);
	return 0;
}

int
proto_encode_hello(void *buf, const struct proto_hello *m)
{
	const char *msg = "HELLO";
	int ret = check_status(msg, m->status);
	if (ret < 0)
		return ret;
	int rlen = enc_strlen(msg, "reason", m->reason, sizeof(m->reason), 0);
	if (rlen < 0)
		return rlen;

	struct bytes_wr w = body_writer(buf);
	bytes_put_be16(&w, PROTO_MAJOR);
	bytes_put_be16(&w, PROTO_MINOR);
	bytes_put_be32(&w, m->status);
	put_string(&w, m->reason, (size_t)rlen);
	return finish_frame(buf, PROTO_HELLO, &w);
}

static int
encode_pool_req(void *buf, enum proto_type type,
	const struct proto_create_req *m)
{
	const char *msg = proto_type_name(type);
	if (m->nlanes == 0)
		return err_set(-EINVAL, "%s: nlanes is 0", msg);
	if (m->provider < PROTO_PROVIDER_VERBS || m->provider > PROTO_PROVIDER_TCP)
		return err_set(-EINVAL, "%s: provider %u is not 1 (verbs), 2 (sockets) or 3 (tcp)",
			msg, m->provider);
	int ret = check_has_attr(msg, m->has_attr, type == PROTO_CREATE);
	if (ret < 0)
		return ret;
	int nlen = enc_strlen(msg, "pool set name", m->pool_set,
		sizeof(m->pool_set), 1);
	if (nlen < 0)
		return nlen;

	struct bytes_wr w = body_writer(buf);
	bytes_put_be16(&w, PROTO_MAJOR);
	bytes_put_be16(&w, PROTO_MINOR);
	bytes_put_be64(&w, m->pool_size);
	bytes_put_be32(&w, m->nlanes);
	bytes_put_u8(&w, m->provider);
	bytes_put_u8(&w, m->has_attr ? PROTO_CREATE_HAS_ATTR : 0);
	put_string(&w, m->pool_set, (size_t)nlen);
	if (m->has_attr)
		put_attr(&w, &m->attr);
	return finish_frame(buf, type, &w);
}

int
proto_encode_create(void *buf, const struct proto_create_req *m)
{
	return encode_pool_req(buf, PROTO_CREATE, m);
}

int
proto_encode_open(void *buf, const struct proto_create_req *m)
{
	return encode_pool_req(buf, PROTO_OPEN, m);
}

/* the checks of the fields a successful CREATE_RESP/OPEN_RESP carries */
static int
check_granted(const char *msg, const struct proto_open_resp *m)
{
	if (m->persist_method != PROTO_PERSIST_GPSPM &&
			m->persist_method != PROTO_PERSIST_APM)
		return err_set(-EINVAL, "%s: persist_method %u is not 1 (GPSPM) or 2 (APM)",
			msg, m->persist_method);
	if (m->nlanes == 0)
		return err_set(-EINVAL, "%s: nlanes is 0", msg);
	if (m->port == 0)
		return err_set(-EINVAL, "%s: port is 0", msg);
	return 0;
}

static int
encode_pool_resp(void *buf, enum proto_type type,
	const struct proto_open_resp *m)
{
	const char *msg = proto_type_name(type);
	int ret = check_status(msg, m->status);
	if (ret < 0)
		return ret;
	int rlen = enc_strlen(msg, "reason", m->reason, sizeof(m->reason), 0);
	if (rlen < 0)
		return rlen;
	int success = m->status == PROTO_STATUS_SUCCESS;
	int alen = 0;
	if (success) {
		if ((ret = check_granted(msg, m)) < 0)
			return ret;
		ret = check_has_attr(msg, m->has_attr, type == PROTO_OPEN_RESP);
		if (ret < 0)
			return ret;
		alen = enc_strlen(msg, "address", m->address,
			sizeof(m->address), 1);
		if (alen < 0)
			return alen;
	}

	struct bytes_wr w = body_writer(buf);
	bytes_put_be32(&w, m->status);
	put_string(&w, m->reason, (size_t)rlen);
	if (!success)
		return finish_frame(buf, type, &w);
	bytes_put_u8(&w, m->persist_method);
	bytes_put_be32(&w, m->nlanes);
	put_string(&w, m->address, (size_t)alen);
	bytes_put_be16(&w, m->port);
	bytes_put_be64(&w, m->raddr);
	bytes_put_be64(&w, m->rkey);
	bytes_put_be64(&w, m->pool_size);
	bytes_put_mem(&w, m->secret, sizeof(m->secret));
	bytes_put_u8(&w, m->has_attr);
	if (m->has_attr)
		put_attr(&w, &m->attr);
	return finish_frame(buf, type, &w);
}

int
proto_encode_create_resp(void *buf, const struct proto_open_resp *m)
{
	return encode_pool_resp(buf, PROTO_CREATE_RESP, m);
}

int
proto_encode_open_resp(void *buf, const struct proto_open_resp *m)
{
	return encode_pool_resp(buf, PROTO_OPEN_RESP, m);
}

int
proto_encode_set_attr(void *buf, const struct proto_set_attr *m)
{
	int ret = check_has_attr("SET_ATTR", m->has_attr, 1);
	if (ret < 0)
		return ret;
	struct bytes_wr w = body_writer(buf);
	bytes_put_u8(&w, m->has_attr);
	if (m->has_attr)
		put_attr(&w, &m->attr);
	return finish_frame(buf, PROTO_SET_ATTR, &w);
}

int
proto_encode_close(void *buf, const struct proto_close *m)
{
	if (m->flags & ~PROTO_CLOSE_REMOVE)
		return err_set(-EINVAL, "CLOSE: flags 0x%x has unknown bits",
			m->flags);
	struct bytes_wr w = body_writer(buf);
	bytes_put_be32(&w, m->flags);
	return finish_frame(buf, PROTO_CLOSE, &w);
}

static int
encode_status_resp(void *buf, enum proto_type type,
	const struct proto_status_resp *m)
{
	const char *msg = proto_type_name(type);
	int ret = check_status(msg, m->status);
	if (ret < 0)
		return ret;
	int rlen = enc_strlen(msg, "reason", m->reason, sizeof(m->reason), 0);
	if (rlen < 0)
		return rlen;
	struct bytes_wr w = body_writer(buf);
	bytes_put_be32(&w, m->status);
	put_string(&w, m->reason, (size_t)rlen);
	return finish_frame(buf, type, &w);
}

int
proto_encode_set_attr_resp(void *buf, const struct proto_status_resp *m)
{
	return encode_status_resp(buf, PROTO_SET_ATTR_RESP, m);
}

int
proto_encode_close_resp(void *buf, const struct proto_status_resp *m)
{
	return encode_status_resp(buf, PROTO_CLOSE_RESP, m);
}

int
proto_encode_msg(void *buf, const struct proto_msg *m)
{
	switch (m->type) {
	case PROTO_HELLO: return proto_encode_hello(buf, &m->hello);
	case PROTO_CREATE: return proto_encode_create(buf, &m->req);
	case PROTO_CREATE_RESP: return proto_encode_create_resp(buf, &m->resp);
	case PROTO_OPEN: return proto_encode_open(buf, &m->req);
	case PROTO_OPEN_RESP: return proto_encode_open_resp(buf, &m->resp);
	case PROTO_SET_ATTR: return proto_encode_set_attr(buf, &m->set_attr);
	case PROTO_SET_ATTR_RESP:
		return proto_encode_set_attr_resp(buf, &m->status);
	case PROTO_CLOSE: return proto_encode_close(buf, &m->close);
	case PROTO_CLOSE_RESP: return proto_encode_close_resp(buf, &m->status);
	}
	return err_set(-EINVAL, "frame: unknown type %u", m->type);
}

/*
 * A decoder's state: the cursor and the first error. Once an error is
 * recorded every later read yields 0 and every later check is skipped, so a
 * decoder reads its fields in order and returns the first problem found.
 */
struct dec {
	struct bytes_rd r;
	size_t len;
	const char *msg;
	int ret;
};

static struct dec
dec_init(const void *body, size_t len, const char *msg)
{
	struct dec d = { bytes_rd_init(body, len), len, msg, 0 };
	return d;
}

__attribute__((format(printf, 3, 4))) static void
dec_fail(struct dec *d, int ret, const char *fmt, ...)
{
	if (d->ret != 0)
		return;
	char what[ERR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	d->ret = err_set(ret, "%s: %s", d->msg, what);
}

/* 1 when n more bytes of field can be read; records the truncation otherwise */
static int
dec_need(struct dec *d, size_t n, const char *field)
{
	if (d->ret != 0)
		return 0;
	if (d->r.left >= n)
		return 1;
	dec_fail(d, -EPROTO, "body of %zu bytes ends inside %s (%zu of %zu bytes)",
		d->len, field, d->r.left, n);
	return 0;
}

static uint8_t
dec_u8(struct dec *d, const char *field)
{
	return dec_need(d, 1, field) ? bytes_get_u8(&d->r) : 0;
}

static uint16_t
dec_u16(struct dec *d, const char *field)
{
	return dec_need(d, 2, field) ? bytes_get_be16(&d->r) : 0;
}

static uint32_t
dec_u32(struct dec *d, const char *field)
{
	return dec_need(d, 4, field) ? bytes_get_be32(&d->r) : 0;
}

static uint64_t
dec_u64(struct dec *d, const char *field)
{
	return dec_need(d, 8, field) ? bytes_get_be64(&d->r) : 0;
}

static void
dec_mem(struct dec *d, const char *field, void *dst, size_t n)
{
	if (dec_need(d, n, field))
		bytes_get_mem(&d->r, dst, n);
}

/* a u16-prefixed string of min..max bytes without NUL into dst (max + 1 zeroed bytes) */
static void
dec_string(struct dec *d, const char *field, size_t min, size_t max, char *dst)
{
	uint16_t len = dec_u16(d, field);
	if (d->ret != 0)
		return;
	if (len > max) {
		dec_fail(d, -EPROTO, "%s length %u exceeds %zu", field, len, max);
		return;
	}
	if (len < min) {
		dec_fail(d, -EPROTO, "%s is empty", field);
		return;
	}
	dec_mem(d, field, dst, len);
	const char *nul = memchr(dst, '\0', len);
	if (d->ret == 0 && nul != NULL)
		dec_fail(d, -EPROTO, "%s contains a NUL byte at offset %zu",
			field, (size_t)(nul - dst));
}

static void
dec_attr(struct dec *d, struct rpmem_pool_attr *a)
{
	if (!dec_need(d, PROTO_ATTR_SIZE, "pool attributes"))
		return;
	bytes_get_mem(&d->r, a->signature, sizeof(a->signature));
	a->major = bytes_get_be32(&d->r);
	a->compat_features = bytes_get_be32(&d->r);
	a->incompat_features = bytes_get_be32(&d->r);
	a->ro_compat_features = bytes_get_be32(&d->r);
	bytes_get_mem(&d->r, a->poolset_uuid, sizeof(a->poolset_uuid));
	bytes_get_mem(&d->r, a->uuid, sizeof(a->uuid));
	bytes_get_mem(&d->r, a->next_uuid, sizeof(a->next_uuid));
	bytes_get_mem(&d->r, a->prev_uuid, sizeof(a->prev_uuid));
	bytes_get_mem(&d->r, a->user_flags, sizeof(a->user_flags));
}

static void
dec_status(struct dec *d, uint32_t *status)
{
	*status = dec_u32(d, "status");
	if (*status > PROTO_STATUS_MAX)
		dec_fail(d, -EPROTO, "status %u is not a known status (0..%d)",
			*status, PROTO_STATUS_MAX);
}

static uint8_t
dec_bool(struct dec *d, const char *field)
{
	uint8_t v = dec_u8(d, field);
	if (v > 1)
		dec_fail(d, -EPROTO, "%s %u is not 0 or 1", field, v);
	return v;
}

/* the result: the first error, or trailing bytes after the last field */
static int
dec_end(struct dec *d)
{
	if (d->ret == 0 && d->r.left != 0)
		dec_fail(d, -EPROTO, "%zu trailing byte%s after the last field",
			d->r.left, d->r.left == 1 ? "" : "s");
	return d->ret;
}

int
proto_decode_hello(const void *body, size_t len, struct proto_hello *out)
{
	memset(out, 0, sizeof(*out));
	struct dec d = dec_init(body, len, "HELLO");
	out->major = dec_u16(&d, "major");
	out->minor = dec_u16(&d, "minor");
	if (d.ret == 0 && out->major != PROTO_MAJOR)
		return err_set(-EPROTONOSUPPORT,
			"rpmemd speaks protocol %u.%u, this librpmem speaks %d.%d",
			out->major, out->minor, PROTO_MAJOR, PROTO_MINOR);
	dec_status(&d, &out->status);
	dec_string(&d, "reason", 0, PROTO_REASON_MAX, out->reason);
	/* a later minor version appends fields we do not know */
	if (d.ret == 0 && out->minor > PROTO_MINOR)
		return 0;
	return dec_end(&d);
}

static int
decode_pool_req(struct dec *d, enum proto_type type,
	struct proto_create_req *out)
{
	memset(out, 0, sizeof(*out));
	out->major = dec_u16(d, "major");
	out->minor = dec_u16(d, "minor");
	if (d->ret == 0 && (out->major != PROTO_MAJOR || out->minor > PROTO_MINOR))
		return err_set(-EPROTONOSUPPORT,
			"%s: the client speaks protocol %u.%u, this rpmemd speaks %d.%d",
			d->msg, out->major, out->minor, PROTO_MAJOR, PROTO_MINOR);
	out->pool_size = dec_u64(d, "pool_size");
	out->nlanes = dec_u32(d, "nlanes");
	if (d->ret == 0 && out->nlanes == 0)
		dec_fail(d, -EPROTO, "nlanes is 0");
	out->provider = dec_u8(d, "provider");
	if (out->provider < PROTO_PROVIDER_VERBS || out->provider > PROTO_PROVIDER_TCP)
		dec_fail(d, -EPROTO, "provider %u is not 1 (verbs), 2 (sockets) or 3 (tcp)",
			out->provider);
	uint8_t flags = dec_u8(d, "flags");
	uint8_t known = type == PROTO_CREATE ? PROTO_CREATE_HAS_ATTR : 0;
	if (flags & ~known)
		dec_fail(d, -EPROTO, "flags 0x%02x has unknown bits", flags);
	out->has_attr = flags & PROTO_CREATE_HAS_ATTR;
	dec_string(d, "pool set name", 1, PROTO_POOL_SET_MAX, out->pool_set);
	if (out->has_attr)
		dec_attr(d, &out->attr);
	return dec_end(d);
}

int
proto_decode_create(const void *body, size_t len, struct proto_create_req *out)
{
	struct dec d = dec_init(body, len, "CREATE");
	return decode_pool_req(&d, PROTO_CREATE, out);
}

int
proto_decode_open(const void *body, size_t len, struct proto_create_req *out)
{
	struct dec d = dec_init(body, len, "OPEN");
	return decode_pool_req(&d, PROTO_OPEN, out);
}

static int
decode_pool_resp(struct dec *d, enum proto_type type,
	struct proto_open_resp *out)
{
	memset(out, 0, sizeof(*out));
	dec_status(d, &out->status);
	dec_string(d, "reason", 0, PROTO_REASON_MAX, out->reason);
	if (d->ret != 0 || out->status != PROTO_STATUS_SUCCESS)
		return dec_end(d);

	out->persist_method = dec_u8(d, "persist_method");
	if (out->persist_method != PROTO_PERSIST_GPSPM &&
			out->persist_method != PROTO_PERSIST_APM)
		dec_fail(d, -EPROTO, "persist_method %u is not 1 (GPSPM) or 2 (APM)",
			out->persist_method);
	out->nlanes = dec_u32(d, "nlanes");
	if (out->nlanes == 0)
		dec_fail(d, -EPROTO, "nlanes is 0");
	dec_string(d, "address", 1, PROTO_ADDRESS_MAX, out->address);
	out->port = dec_u16(d, "port");
	if (out->port == 0)
		dec_fail(d, -EPROTO, "port is 0");
	out->raddr = dec_u64(d, "raddr");
	out->rkey = dec_u64(d, "rkey");
	out->pool_size = dec_u64(d, "pool_size");
	dec_mem(d, "secret", out->secret, sizeof(out->secret));
	out->has_attr = dec_bool(d, "has_attr");
	if (out->has_attr && type == PROTO_CREATE_RESP)
		dec_fail(d, -EPROTO, "has_attr is 1 but CREATE_RESP carries no pool attributes");
	if (out->has_attr)
		dec_attr(d, &out->attr);
	return dec_end(d);
}

int
proto_decode_create_resp(const void *body, size_t len,
	struct proto_open_resp *out)
{
	struct dec d = dec_init(body, len, "CREATE_RESP");
	return decode_pool_resp(&d, PROTO_CREATE_RESP, out);
}

int
proto_decode_open_resp(const void *body, size_t len,
	struct proto_open_resp *out)
{
	struct dec d = dec_init(body, len, "OPEN_RESP");
	return decode_pool_resp(&d, PROTO_OPEN_RESP, out);
}

int
proto_decode_set_attr(const void *body, size_t len, struct proto_set_attr *out)
{
	memset(out, 0, sizeof(*out));
	struct dec d = dec_init(body, len, "SET_ATTR");
	out->has_attr = dec_bool(&d, "has_attr");
	if (out->has_attr)
		dec_attr(&d, &out->attr);
	return dec_end(&d);
}

int
proto_decode_close(const void *body, size_t len, struct proto_close *out)
{
	memset(out, 0, sizeof(*out));
	struct dec d = dec_init(body, len, "CLOSE");
	out->flags = dec_u32(&d, "flags");
	if (out->flags & ~PROTO_CLOSE_REMOVE)
		dec_fail(&d, -EPROTO, "flags 0x%x has unknown bits", out->flags);
	return dec_end(&d);
}

static int
decode_status_resp(const void *body, size_t len, const char *msg,
	struct proto_status_resp *out)
{
	memset(out, 0, sizeof(*out));
	struct dec d = dec_init(body, len, msg);
	dec_status(&d, &out->status);
	dec_string(&d, "reason", 0, PROTO_REASON_MAX, out->reason);
	return dec_end(&d);
}

int
proto_decode_set_attr_resp(const void *body, size_t len,
	struct proto_status_resp *out)
{
	return decode_status_resp(body, len, "SET_ATTR_RESP", out);
}

int
proto_decode_close_resp(const void *body, size_t len,
	struct proto_status_resp *out)
{
	return decode_status_resp(body, len, "CLOSE_RESP", out);
}

int
proto_decode_header(const void *buf, size_t len, struct proto_header *hdr)
{
	memset(hdr, 0, sizeof(*hdr));
	if (len < PROTO_HDR_SIZE)
		return err_set(-EPROTO, "frame: header needs %d bytes, got %zu",
			PROTO_HDR_SIZE, len);
	struct bytes_rd r = bytes_rd_init(buf, PROTO_HDR_SIZE);
	uint32_t magic = bytes_get_be32(&r);
	uint16_t type = bytes_get_be16(&r);
	uint16_t flags = bytes_get_be16(&r);
	uint32_t length = bytes_get_be32(&r);
	if (magic != PROTO_MAGIC)
		return err_set(-EPROTO, "frame: bad magic 0x%08x", magic);
	if (type == 0 || type > PROTO_TYPE_MAX)
		return err_set(-EPROTO, "frame: unknown type %u", type);
	if (flags != 0)
		return err_set(-EPROTO, "frame: %s flags 0x%04x are not 0",
			proto_type_name(type), flags);
	if (length > PROTO_BODY_MAX)
		return err_set(-EPROTO, "frame: %s body length %u exceeds %d",
			proto_type_name(type), length, PROTO_BODY_MAX);
	hdr->type = type;
	hdr->length = length;
	return 0;
}

int
proto_expect_type(const struct proto_header *hdr, enum proto_type want)
{
	if (hdr->type == want)
		return 0;
	return err_set(-EPROTO, "expected %s, received %s",
		proto_type_name(want), proto_type_name(hdr->type));
}

int
proto_decode_msg(const struct proto_header *hdr, const void *body,
	struct proto_msg *out)
{
	memset(out, 0, sizeof(*out));
	out->type = hdr->type;
	size_t len = hdr->length;
	switch (hdr->type) {
	case PROTO_HELLO: return proto_decode_hello(body, len, &out->hello);
	case PROTO_CREATE: return proto_decode_create(body, len, &out->req);
	case PROTO_CREATE_RESP:
		return proto_decode_create_resp(body, len, &out->resp);
	case PROTO_OPEN: return proto_decode_open(body, len, &out->req);
	case PROTO_OPEN_RESP:
		return proto_decode_open_resp(body, len, &out->resp);
	case PROTO_SET_ATTR:
		return proto_decode_set_attr(body, len, &out->set_attr);
	case PROTO_SET_ATTR_RESP:
		return proto_decode_set_attr_resp(body, len, &out->status);
	case PROTO_CLOSE: return proto_decode_close(body, len, &out->close);
	case PROTO_CLOSE_RESP:
		return proto_decode_close_resp(body, len, &out->status);
	}
	return err_set(-EPROTO, "frame: unknown type %u", hdr->type);
}

static const char *const Type_names[] = {
	[PROTO_HELLO] = "HELLO",
	[PROTO_CREATE] = "CREATE",
	[PROTO_CREATE_RESP] = "CREATE_RESP",
	[PROTO_OPEN] = "OPEN",
	[PROTO_OPEN_RESP] = "OPEN_RESP",
	[PROTO_SET_ATTR] = "SET_ATTR",
	[PROTO_SET_ATTR_RESP] = "SET_ATTR_RESP",
	[PROTO_CLOSE] = "CLOSE",
	[PROTO_CLOSE_RESP] = "CLOSE_RESP",
};

const char *
proto_type_name(unsigned type)
{
	if (type == 0 || type > PROTO_TYPE_MAX)
		return "UNKNOWN";
	return Type_names[type];
}

static const struct {
	const char *name;
	int errnum;
} Statuses[] = {
	[PROTO_STATUS_SUCCESS] = { "SUCCESS", 0 },
	[PROTO_STATUS_BADPROTO] = { "BADPROTO", EPROTONOSUPPORT },
	[PROTO_STATUS_BADNAME] = { "BADNAME", EINVAL },
	[PROTO_STATUS_BADSIZE] = { "BADSIZE", EFBIG },
	[PROTO_STATUS_BADNLANES] = { "BADNLANES", EINVAL },
	[PROTO_STATUS_BADPROVIDER] = { "BADPROVIDER", EINVAL },
	[PROTO_STATUS_FATAL] = { "FATAL", EREMOTEIO },
	[PROTO_STATUS_FATAL_CONN] = { "FATAL_CONN", ECONNABORTED },
	[PROTO_STATUS_BUSY] = { "BUSY", EBUSY },
	[PROTO_STATUS_EXISTS] = { "EXISTS", EEXIST },
	[PROTO_STATUS_PROVNOSUP] = { "PROVNOSUP", EMEDIUMTYPE },
	[PROTO_STATUS_NOEXIST] = { "NOEXIST", ENOENT },
	[PROTO_STATUS_NOACCESS] = { "NOACCESS", EACCES },
	[PROTO_STATUS_POOL_CFG] = { "POOL_CFG", EINVAL },
	[PROTO_STATUS_NOSPACE] = { "NOSPACE", ENOSPC },
};

int
proto_status_errno(uint32_t status)
{
	return status > PROTO_STATUS_MAX ? EPROTO : Statuses[status].errnum;
}

const char *
proto_status_name(uint32_t status)
{
	return status > PROTO_STATUS_MAX ? "UNKNOWN" : Statuses[status].name;
}

uint32_t
proto_errno_status(int errnum)
{
	if (errnum < 0)
		errnum = -errnum;
	switch (errnum) {
	case 0: return PROTO_STATUS_SUCCESS;
	case EEXIST: return PROTO_STATUS_EXISTS;
	case EACCES: return PROTO_STATUS_NOACCESS;
	case ENOENT: return PROTO_STATUS_NOEXIST;
	case EWOULDBLOCK: return PROTO_STATUS_BUSY;
	case EBUSY: return PROTO_STATUS_BUSY;
	case EINVAL: return PROTO_STATUS_POOL_CFG;
	case ENOSPC: return PROTO_STATUS_NOSPACE;
	case EFBIG: return PROTO_STATUS_BADSIZE;
	case EPROTONOSUPPORT: return PROTO_STATUS_BADPROTO;
	case EMEDIUMTYPE: return PROTO_STATUS_PROVNOSUP;
	case ECONNABORTED: return PROTO_STATUS_FATAL_CONN;
	}
	return PROTO_STATUS_FATAL;
}
