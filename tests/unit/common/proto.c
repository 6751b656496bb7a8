/* proto.c -- the out-of-band codec: exact bytes, round trips, every malformed field, every truncation, random input */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_common.h"
#include "err.h"
#include "proto.h"
#include "util.h"

#define assert_err_last(s) assert_string_equal(err_last(), (s))

/* attributes with the bytes that tripped PMDK's tests: NUL, newline, "~." */
static struct rpmem_pool_attr
sample_attr(void)
{
	struct rpmem_pool_attr a;
	memset(&a, 0, sizeof(a));
	memcpy(a.signature, "PMEM\0\n~.", 8);
	a.major = 0x01020304;
	a.compat_features = 0xfffffffe;
	a.incompat_features = 7;
	a.ro_compat_features = 0x80000000;
	for (int i = 0; i < RPMEM_POOL_HDR_UUID_LEN; i++) {
		a.poolset_uuid[i] = (unsigned char)(i + 1);
		a.uuid[i] = (unsigned char)(0xf0 - i);
		a.next_uuid[i] = (unsigned char)(i * 17);
		a.prev_uuid[i] = (unsigned char)(255 - i * 3);
	}
	memcpy(a.user_flags, "a\0b\nc~.~.\0\n\xff\x80zz", 16);
	return a;
}

static void
fill_string(char *dst, size_t len, char c)
{
	memset(dst, c, len);
	dst[len] = '\0';
}

/* the messages the tests use, each with non-trivial values; zeroed where the wire carries nothing */
enum sample {
	S_HELLO, S_HELLO_FAILED, S_CREATE, S_CREATE_NOATTR, S_OPEN, S_CREATE_RESP,
	S_CREATE_RESP_FAILED, S_OPEN_RESP, S_OPEN_RESP_NOATTR, S_OPEN_RESP_FAILED,
	S_SET_ATTR, S_SET_ATTR_CLEAR, S_SET_ATTR_RESP, S_CLOSE, S_CLOSE_RESP,
	NSAMPLES
};

static struct proto_msg
sample(enum sample s)
{
	struct proto_msg m;
	memset(&m, 0, sizeof(m));
	switch (s) {
	case S_HELLO:
		m.type = PROTO_HELLO;
		m.hello.major = PROTO_MAJOR;
		break;
	case S_HELLO_FAILED:
		m.type = PROTO_HELLO;
		m.hello.major = PROTO_MAJOR;
		m.hello.status = PROTO_STATUS_FATAL;
		strcpy(m.hello.reason,
			"/etc/rpmemd/rpmemd.conf line 3: unknown key 'dir'");
		break;
	case S_CREATE:
	case S_CREATE_NOATTR:
	case S_OPEN:
		m.type = s == S_OPEN ? PROTO_OPEN : PROTO_CREATE;
		m.req.major = PROTO_MAJOR;
		m.req.pool_size = 0x123456789abcd000ULL;
		m.req.nlanes = 0x10203;
		m.req.provider = s == S_OPEN ? PROTO_PROVIDER_VERBS :
			PROTO_PROVIDER_TCP;
		fill_string(m.req.pool_set, PROTO_POOL_SET_MAX, 'n');
		memcpy(m.req.pool_set, "dir/pool.set", 12);
		if (s == S_CREATE) {
			m.req.has_attr = 1;
			m.req.attr = sample_attr();
		}
		break;
	case S_CREATE_RESP:
	case S_OPEN_RESP:
	case S_OPEN_RESP_NOATTR:
		m.type = s == S_CREATE_RESP ? PROTO_CREATE_RESP : PROTO_OPEN_RESP;
		m.resp.persist_method = s == S_OPEN_RESP ? PROTO_PERSIST_APM :
			PROTO_PERSIST_GPSPM;
		m.resp.nlanes = 0xfffffffe;
		strcpy(m.resp.address, "fe80::1ff:fe23:4567:890a%eth0");
		m.resp.port = 65535;
		m.resp.raddr = 0x00007f0011223000ULL;
		m.resp.rkey = 0xfedcba9876543210ULL;
		m.resp.pool_size = 0x40000000ULL;
		for (int i = 0; i < PROTO_SECRET_SIZE; i++)
			m.resp.secret[i] = (uint8_t)(i * 37 + 1);
		if (s == S_OPEN_RESP) {
			m.resp.has_attr = 1;
			m.resp.attr = sample_attr();
		}
		break;
	case S_CREATE_RESP_FAILED:
	case S_OPEN_RESP_FAILED:
		m.type = s == S_CREATE_RESP_FAILED ? PROTO_CREATE_RESP :
			PROTO_OPEN_RESP;
		m.resp.status = PROTO_STATUS_NOSPACE;
		fill_string(m.resp.reason, PROTO_REASON_MAX, 'r');
		break;
	case S_SET_ATTR:
		m.type = PROTO_SET_ATTR;
		m.set_attr.has_attr = 1;
		m.set_attr.attr = sample_attr();
		break;
	case S_SET_ATTR_CLEAR:
		m.type = PROTO_SET_ATTR;
		break;
	case S_SET_ATTR_RESP:
		m.type = PROTO_SET_ATTR_RESP;
		m.status.status = PROTO_STATUS_BUSY;
		strcpy(m.status.reason, "pool set dir/pool.set is locked by process 123");
		break;
	case S_CLOSE:
		m.type = PROTO_CLOSE;
		m.close.flags = PROTO_CLOSE_REMOVE;
		break;
	case S_CLOSE_RESP:
		m.type = PROTO_CLOSE_RESP;
		break;
	case NSAMPLES:
		break;
	}
	return m;
}

/* encodes m into buf; fails the test unless it is a whole frame */
static size_t
encode(const struct proto_msg *m, uint8_t *buf)
{
	int n = proto_encode_msg(buf, m);
	assert_true(n >= PROTO_HDR_SIZE);
	assert_true(n <= PROTO_FRAME_MAX);
	return (size_t)n;
}

/* decodes the body of len bytes as type; returns the decoder's result */
static int
decode(uint16_t type, const uint8_t *body, size_t len, struct proto_msg *out)
{
	struct proto_header hdr = { type, (uint32_t)len };
	return proto_decode_msg(&hdr, body, out);
}

static void
every_message_round_trips_with_every_field(void **state)
{
	(void)state;
	for (int s = 0; s < NSAMPLES; s++) {
		struct proto_msg in = sample((enum sample)s);
		uint8_t buf[PROTO_FRAME_MAX];
		size_t n = encode(&in, buf);

		struct proto_header hdr;
		assert_int_equal(proto_decode_header(buf, n, &hdr), 0);
		assert_int_equal(hdr.type, in.type);
		assert_int_equal(hdr.length, n - PROTO_HDR_SIZE);

		struct proto_msg out;
		memset(&out, 0xa5, sizeof(out));
		assert_int_equal(proto_decode_msg(&hdr, buf + PROTO_HDR_SIZE,
			&out), 0);
		assert_memory_equal(&out, &in, sizeof(in));
	}
}

static void
close_frame_has_the_specified_bytes(void **state)
{
	(void)state;
	uint8_t buf[PROTO_FRAME_MAX];
	struct proto_close c = { PROTO_CLOSE_REMOVE };
	assert_int_equal(proto_encode_close(buf, &c), 16);
	const uint8_t want[16] = { 'R', 'P', 'M', 'O', 0, 8, 0, 0, 0, 0, 0, 4,
		0, 0, 0, 1 };
	assert_memory_equal(buf, want, sizeof(want));
}

static void
create_frame_has_the_specified_bytes(void **state)
{
	(void)state;
	struct proto_create_req r;
	memset(&r, 0, sizeof(r));
	r.pool_size = 0x0102030405060708ULL;
	r.nlanes = 0x0a0b0c0d;
	r.provider = PROTO_PROVIDER_SOCKETS;
	r.has_attr = 1;
	r.attr = sample_attr();
	strcpy(r.pool_set, "ab");
	uint8_t buf[PROTO_FRAME_MAX];
	assert_int_equal(proto_encode_create(buf, &r), 12 + 22 + 104);
	const uint8_t want[12 + 22 + 24] = {
		0x52, 0x50, 0x4d, 0x4f, 0, 2, 0, 0, 0, 0, 0, 22 + 104,
		0, 1, 0, 0,				/* 1.0 */
		1, 2, 3, 4, 5, 6, 7, 8,			/* pool_size */
		0x0a, 0x0b, 0x0c, 0x0d,			/* nlanes */
		2, 1,					/* provider, flags */
		0, 2, 'a', 'b',				/* pool_set */
		'P', 'M', 'E', 'M', 0, '\n', '~', '.',	/* signature */
		1, 2, 3, 4,				/* major */
		0xff, 0xff, 0xff, 0xfe,			/* compat */
		0, 0, 0, 7,				/* incompat */
		0x80, 0, 0, 0,				/* ro_compat */
	};
	assert_memory_equal(buf, want, sizeof(want));
	/* the uuids and user flags follow as they are */
	assert_memory_equal(buf + sizeof(want), r.attr.poolset_uuid, 80);
}

static void
open_resp_frame_has_the_specified_bytes(void **state)
{
	(void)state;
	struct proto_open_resp r;
	memset(&r, 0, sizeof(r));
	r.persist_method = PROTO_PERSIST_GPSPM;
	r.nlanes = 3;
	strcpy(r.address, "::1");
	r.port = 0x1234;
	r.raddr = 0x1122334455667788ULL;
	r.rkey = 0x99;
	r.pool_size = 0x8000;
	memset(r.secret, 0x5c, sizeof(r.secret));
	uint8_t buf[PROTO_FRAME_MAX];
	assert_int_equal(proto_encode_open_resp(buf, &r), 12 + 75);
	const uint8_t head[12 + 42] = {
		0x52, 0x50, 0x4d, 0x4f, 0, 5, 0, 0, 0, 0, 0, 75,
		0, 0, 0, 0, 0, 0,			/* status, empty reason */
		1, 0, 0, 0, 3,				/* persist_method, nlanes */
		0, 3, ':', ':', '1',			/* address */
		0x12, 0x34,				/* port */
		0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
		0, 0, 0, 0, 0, 0, 0, 0x99,
		0, 0, 0, 0, 0, 0, 0x80, 0,
	};
	assert_memory_equal(buf, head, sizeof(head));
	for (int i = 0; i < PROTO_SECRET_SIZE; i++)
		assert_int_equal(buf[sizeof(head) + (size_t)i], 0x5c);
	assert_int_equal(buf[12 + 74], 0);	/* has_attr */
}

static void
hello_and_status_frames_have_the_specified_bytes(void **state)
{
	(void)state;
	uint8_t buf[PROTO_FRAME_MAX];
	struct proto_hello h;
	memset(&h, 0, sizeof(h));
	h.status = PROTO_STATUS_POOL_CFG;
	strcpy(h.reason, "x\n");
	assert_int_equal(proto_encode_hello(buf, &h), 12 + 12);
	const uint8_t hello[24] = { 0x52, 0x50, 0x4d, 0x4f, 0, 1, 0, 0, 0, 0, 0, 12,
		0, 1, 0, 0, 0, 0, 0, 13, 0, 2, 'x', '\n' };
	assert_memory_equal(buf, hello, sizeof(hello));

	struct proto_status_resp st = { PROTO_STATUS_SUCCESS, "" };
	assert_int_equal(proto_encode_close_resp(buf, &st), 18);
	const uint8_t resp[18] = { 0x52, 0x50, 0x4d, 0x4f, 0, 9, 0, 0, 0, 0, 0, 6,
		0, 0, 0, 0, 0, 0 };
	assert_memory_equal(buf, resp, sizeof(resp));

	struct proto_set_attr sa;
	memset(&sa, 0, sizeof(sa));
	assert_int_equal(proto_encode_set_attr(buf, &sa), 13);
	assert_int_equal(buf[5], PROTO_SET_ATTR);
	assert_int_equal(buf[11], 1);
	assert_int_equal(buf[12], 0);
}

static void
longest_strings_and_ipv6_addresses_round_trip(void **state)
{
	(void)state;
	const char *addrs[] = { "::1", "127.0.0.1",
		"2001:db8:85a3:8d3:1319:8a2e:370:7348",
		"fe80::a00:27ff:fe4e:66a1%enp0s3",
		"0000:0000:0000:0000:0000:ffff:192.168.100.228%veryveryverylong1" };
	for (size_t i = 0; i < ARRAY_SIZE(addrs); i++) {
		struct proto_msg in = sample(S_OPEN_RESP);
		memset(in.resp.address, 0, sizeof(in.resp.address));
		strcpy(in.resp.address, addrs[i]);
		uint8_t buf[PROTO_FRAME_MAX];
		size_t n = encode(&in, buf);
		struct proto_msg out;
		assert_int_equal(decode(PROTO_OPEN_RESP, buf + 12, n - 12, &out), 0);
		assert_string_equal(out.resp.address, addrs[i]);
	}
	struct proto_msg in = sample(S_OPEN_RESP);
	fill_string(in.resp.address, PROTO_ADDRESS_MAX, 'a');
	uint8_t buf[PROTO_FRAME_MAX];
	size_t n = encode(&in, buf);
	struct proto_msg out;
	assert_int_equal(decode(PROTO_OPEN_RESP, buf + 12, n - 12, &out), 0);
	assert_int_equal(strlen(out.resp.address), PROTO_ADDRESS_MAX);

	/* the pool set name of S_CREATE is 1024 bytes, the reason of S_OPEN_RESP_FAILED 512 */
	in = sample(S_CREATE);
	assert_int_equal(strlen(in.req.pool_set), PROTO_POOL_SET_MAX);
	n = encode(&in, buf);
	assert_int_equal(n, 12 + 20 + 1024 + 104);
	assert_int_equal(decode(PROTO_CREATE, buf + 12, n - 12, &out), 0);
	assert_string_equal(out.req.pool_set, in.req.pool_set);
	in = sample(S_OPEN_RESP_FAILED);
	n = encode(&in, buf);
	assert_int_equal(n, 12 + 6 + 512);
	assert_int_equal(decode(PROTO_OPEN_RESP, buf + 12, n - 12, &out), 0);
	assert_string_equal(out.resp.reason, in.resp.reason);
}

/* encodes m expecting failure ret with message msg */
static void
expect_encode_error(const struct proto_msg *m, int ret, const char *msg)
{
	uint8_t buf[PROTO_FRAME_MAX];
	assert_int_equal(proto_encode_msg(buf, m), ret);
	assert_err_last(msg);
}

static void
encoders_refuse_bad_names_and_values(void **state)
{
	(void)state;
	struct proto_msg m = sample(S_CREATE);
	memset(m.req.pool_set, 'x', sizeof(m.req.pool_set));
	expect_encode_error(&m, -ENAMETOOLONG,
		"CREATE: pool set name is longer than 1024 bytes");
	m = sample(S_OPEN);
	m.req.pool_set[0] = '\0';
	expect_encode_error(&m, -EINVAL, "OPEN: pool set name is empty");
	m = sample(S_CREATE);
	m.req.nlanes = 0;
	expect_encode_error(&m, -EINVAL, "CREATE: nlanes is 0");
	m.req.nlanes = 1;
	m.req.provider = 0;
	expect_encode_error(&m, -EINVAL,
		"CREATE: provider 0 is not 1 (verbs), 2 (sockets) or 3 (tcp)");
	m.req.provider = 4;
	expect_encode_error(&m, -EINVAL,
		"CREATE: provider 4 is not 1 (verbs), 2 (sockets) or 3 (tcp)");
	m.req.provider = 1;
	m.req.has_attr = 2;
	expect_encode_error(&m, -EINVAL, "CREATE: has_attr 2 is not 0 or 1");
	m = sample(S_OPEN);
	m.req.has_attr = 1;
	expect_encode_error(&m, -EINVAL, "OPEN: cannot carry pool attributes");

	m = sample(S_HELLO);
	m.hello.status = PROTO_STATUS_MAX + 1;
	expect_encode_error(&m, -EINVAL,
		"HELLO: status 15 is not a known status (0..14)");
	m = sample(S_HELLO);
	memset(m.hello.reason, 'r', sizeof(m.hello.reason));
	expect_encode_error(&m, -ENAMETOOLONG,
		"HELLO: reason is longer than 512 bytes");

	m = sample(S_CREATE_RESP);
	m.resp.has_attr = 1;
	expect_encode_error(&m, -EINVAL,
		"CREATE_RESP: cannot carry pool attributes");
	m = sample(S_OPEN_RESP);
	m.resp.persist_method = 3;
	expect_encode_error(&m, -EINVAL,
		"OPEN_RESP: persist_method 3 is not 1 (GPSPM) or 2 (APM)");
	m = sample(S_OPEN_RESP);
	m.resp.nlanes = 0;
	expect_encode_error(&m, -EINVAL, "OPEN_RESP: nlanes is 0");
	m = sample(S_OPEN_RESP);
	m.resp.port = 0;
	expect_encode_error(&m, -EINVAL, "OPEN_RESP: port is 0");
	m = sample(S_OPEN_RESP);
	m.resp.address[0] = '\0';
	expect_encode_error(&m, -EINVAL, "OPEN_RESP: address is empty");
	memset(m.resp.address, '1', sizeof(m.resp.address));
	expect_encode_error(&m, -ENAMETOOLONG,
		"OPEN_RESP: address is longer than 64 bytes");

	m = sample(S_SET_ATTR);
	m.set_attr.has_attr = 255;
	expect_encode_error(&m, -EINVAL, "SET_ATTR: has_attr 255 is not 0 or 1");
	m = sample(S_SET_ATTR_RESP);
	m.status.status = 100;
	expect_encode_error(&m, -EINVAL,
		"SET_ATTR_RESP: status 100 is not a known status (0..14)");
	m = sample(S_CLOSE);
	m.close.flags = 3;
	expect_encode_error(&m, -EINVAL, "CLOSE: flags 0x3 has unknown bits");
	m.type = 0;
	expect_encode_error(&m, -EINVAL, "frame: unknown type 0");
	m.type = PROTO_TYPE_MAX + 1;
	expect_encode_error(&m, -EINVAL, "frame: unknown type 10");
}

static void
failed_response_carries_only_status_and_reason(void **state)
{
	(void)state;
	/* the granted fields of a failed response are not checked nor sent */
	struct proto_msg m = sample(S_OPEN_RESP_FAILED);
	m.resp.port = 0;
	m.resp.has_attr = 7;
	uint8_t buf[PROTO_FRAME_MAX];
	size_t n = encode(&m, buf);
	assert_int_equal(n, 12 + 4 + 2 + 512);
	struct proto_msg out;
	assert_int_equal(decode(PROTO_OPEN_RESP, buf + 12, n - 12, &out), 0);
	assert_int_equal(out.resp.status, PROTO_STATUS_NOSPACE);
	assert_int_equal(out.resp.has_attr, 0);
}

/* a valid body of sample s in body; returns its length */
static size_t
sample_body(enum sample s, uint8_t *body)
{
	struct proto_msg m = sample(s);
	uint8_t buf[PROTO_FRAME_MAX];
	size_t n = encode(&m, buf);
	memcpy(body, buf + PROTO_HDR_SIZE, n - PROTO_HDR_SIZE);
	return n - PROTO_HDR_SIZE;
}

/* sample s with the bytes at off replaced must fail with ret and msg */
static void
expect_patched_error(enum sample s, size_t off, const void *bytes, size_t n,
	int ret, const char *msg)
{
	uint8_t body[PROTO_BODY_MAX];
	size_t len = sample_body(s, body);
	assert_true(off + n <= len);
	memcpy(body + off, bytes, n);
	struct proto_msg out;
	assert_int_equal(decode(sample(s).type, body, len, &out), ret);
	assert_err_last(msg);
}

#define PATCH(s, off, ret, msg, ...) do { \
	const uint8_t b_[] = { __VA_ARGS__ }; \
	expect_patched_error((s), (off), b_, sizeof(b_), (ret), (msg)); \
} while (0)

static void
request_fields_out_of_range_fail_naming_the_field(void **state)
{
	(void)state;
	/* CREATE/OPEN body: major 0, minor 2, pool_size 4, nlanes 12, provider 16, flags 17, name 18 */
	PATCH(S_CREATE, 0, -EPROTONOSUPPORT,
		"CREATE: the client speaks protocol 2.0, this rpmemd speaks 1.0", 0, 2);
	PATCH(S_OPEN, 0, -EPROTONOSUPPORT,
		"OPEN: the client speaks protocol 0.7, this rpmemd speaks 1.0", 0, 0, 0, 7);
	PATCH(S_CREATE, 2, -EPROTONOSUPPORT,
		"CREATE: the client speaks protocol 1.1, this rpmemd speaks 1.0", 0, 1);
	PATCH(S_CREATE, 12, -EPROTO, "CREATE: nlanes is 0", 0, 0, 0, 0);
	PATCH(S_OPEN, 16, -EPROTO,
		"OPEN: provider 0 is not 1 (verbs), 2 (sockets) or 3 (tcp)", 0);
	PATCH(S_CREATE, 16, -EPROTO,
		"CREATE: provider 4 is not 1 (verbs), 2 (sockets) or 3 (tcp)", 4);
	PATCH(S_CREATE, 17, -EPROTO, "CREATE: flags 0x03 has unknown bits", 3);
	PATCH(S_CREATE, 17, -EPROTO, "CREATE: flags 0x81 has unknown bits", 0x81);
	PATCH(S_OPEN, 17, -EPROTO, "OPEN: flags 0x01 has unknown bits", 1);
	PATCH(S_CREATE, 18, -EPROTO,
		"CREATE: pool set name length 1025 exceeds 1024", 0x04, 0x01);
	PATCH(S_CREATE, 18, -EPROTO,
		"CREATE: pool set name length 2000 exceeds 1024", 0x07, 0xd0);
	PATCH(S_OPEN, 18, -EPROTO, "OPEN: pool set name is empty", 0, 0);
	PATCH(S_OPEN, 20 + 5, -EPROTO,
		"OPEN: pool set name contains a NUL byte at offset 5", 0);
	PATCH(S_CREATE, 20 + 1023, -EPROTO,
		"CREATE: pool set name contains a NUL byte at offset 1023", 0);
	PATCH(S_CREATE, 20, -EPROTO,
		"CREATE: pool set name contains a NUL byte at offset 0", 0);

	/* SET_ATTR and CLOSE */
	PATCH(S_SET_ATTR, 0, -EPROTO, "SET_ATTR: has_attr 2 is not 0 or 1", 2);
	PATCH(S_CLOSE, 0, -EPROTO, "CLOSE: flags 0x80000001 has unknown bits",
		0x80, 0, 0, 1);
	PATCH(S_CLOSE, 0, -EPROTO, "CLOSE: flags 0x2 has unknown bits", 0, 0, 0, 2);
}

static void
response_fields_out_of_range_fail_naming_the_field(void **state)
{
	(void)state;
	PATCH(S_HELLO, 0, -EPROTONOSUPPORT,
		"rpmemd speaks protocol 2.0, this librpmem speaks 1.0", 0, 2);
	PATCH(S_HELLO, 0, -EPROTONOSUPPORT,
		"rpmemd speaks protocol 0.1, this librpmem speaks 1.0", 0, 0, 0, 1);
	PATCH(S_HELLO, 4, -EPROTO,
		"HELLO: status 15 is not a known status (0..14)", 0, 0, 0, 15);
	PATCH(S_HELLO_FAILED, 10 + 10, -EPROTO,
		"HELLO: reason contains a NUL byte at offset 10", 0);
	PATCH(S_HELLO_FAILED, 8, -EPROTO,
		"HELLO: reason length 513 exceeds 512", 0x02, 0x01);

	/* OPEN_RESP body with an empty reason: status 0, reason 4, persist_method 6,
	 * nlanes 7, address 11 (29 bytes), port 42, raddr 44, rkey 52, pool_size 60,
	 * secret 68, has_attr 100, attr 101 */
	PATCH(S_OPEN_RESP, 0, -EPROTO,
		"OPEN_RESP: status 4294967295 is not a known status (0..14)",
		0xff, 0xff, 0xff, 0xff);
	PATCH(S_OPEN_RESP, 6, -EPROTO,
		"OPEN_RESP: persist_method 0 is not 1 (GPSPM) or 2 (APM)", 0);
	PATCH(S_CREATE_RESP, 6, -EPROTO,
		"CREATE_RESP: persist_method 3 is not 1 (GPSPM) or 2 (APM)", 3);
	PATCH(S_OPEN_RESP, 7, -EPROTO, "OPEN_RESP: nlanes is 0", 0, 0, 0, 0);
	PATCH(S_OPEN_RESP, 11, -EPROTO, "OPEN_RESP: address is empty", 0, 0);
	PATCH(S_OPEN_RESP, 11, -EPROTO,
		"OPEN_RESP: address length 65 exceeds 64", 0, 65);
	PATCH(S_OPEN_RESP, 13 + 28, -EPROTO,
		"OPEN_RESP: address contains a NUL byte at offset 28", 0);
	PATCH(S_OPEN_RESP, 42, -EPROTO, "OPEN_RESP: port is 0", 0, 0);
	PATCH(S_OPEN_RESP, 100, -EPROTO, "OPEN_RESP: has_attr 2 is not 0 or 1", 2);
	PATCH(S_OPEN_RESP_NOATTR, 100, -EPROTO,
		"OPEN_RESP: has_attr 255 is not 0 or 1", 255);

	/* a status above the table in the short responses */
	PATCH(S_SET_ATTR_RESP, 0, -EPROTO,
		"SET_ATTR_RESP: status 256 is not a known status (0..14)", 0, 0, 1, 0);
	PATCH(S_CLOSE_RESP, 0, -EPROTO,
		"CLOSE_RESP: status 15 is not a known status (0..14)", 0, 0, 0, 15);
}

static void
create_resp_with_attributes_fails(void **state)
{
	(void)state;
	/* an OPEN_RESP with attributes is not a valid CREATE_RESP */
	uint8_t body[PROTO_BODY_MAX];
	size_t len = sample_body(S_OPEN_RESP, body);
	struct proto_open_resp out;
	assert_int_equal(proto_decode_create_resp(body, len, &out), -EPROTO);
	assert_err_last("CREATE_RESP: has_attr is 1 but CREATE_RESP carries no pool attributes");
	assert_int_equal(proto_decode_open_resp(body, len, &out), 0);
}

static void
length_fields_larger_than_the_body_fail(void **state)
{
	(void)state;
	uint8_t body[PROTO_BODY_MAX];
	size_t len = sample_body(S_OPEN, body);	/* name of 1024 bytes at 20 */
	struct proto_create_req req;
	assert_int_equal(proto_decode_open(body, 20 + 5, &req), -EPROTO);
	assert_err_last("OPEN: body of 25 bytes ends inside pool set name (5 of 1024 bytes)");
	body[18] = 0x03;
	body[19] = 0xe8;	/* 1000 claimed, 1024 present */
	assert_int_equal(proto_decode_open(body, len, &req), -EPROTO);
	assert_err_last("OPEN: 24 trailing bytes after the last field");

	len = sample_body(S_HELLO_FAILED, body);
	body[9] = (uint8_t)(body[9] + 1);	/* one more reason byte than there is */
	struct proto_hello h;
	assert_int_equal(proto_decode_hello(body, len, &h), -EPROTO);
	assert_err_last("HELLO: body of 59 bytes ends inside reason (49 of 50 bytes)");

	len = sample_body(S_CREATE, body);
	assert_int_equal(proto_decode_create(body, len - 1, &req), -EPROTO);
	assert_err_last("CREATE: body of 1147 bytes ends inside pool attributes (103 of 104 bytes)");
}

static void
every_truncation_of_every_message_fails_cleanly(void **state)
{
	(void)state;
	for (int s = 0; s < NSAMPLES; s++) {
		uint8_t body[PROTO_BODY_MAX];
		size_t len = sample_body((enum sample)s, body);
		uint16_t type = sample(s).type;
		for (size_t k = 0; k < len; k++) {
			/* a copy of exactly k bytes, so that ASan sees any overread */
			uint8_t *part = malloc(k + 1);
			assert_non_null(part);
			memcpy(part, body, k);
			struct proto_msg out;
			assert_int_equal(decode(type, part, k, &out), -EPROTO);
			char want[64];
			snprintf(want, sizeof(want), "%s: body of %zu bytes ends inside ",
				proto_type_name(type), k);
			assert_int_equal(strncmp(err_last(), want, strlen(want)), 0);
			free(part);
		}
	}
}

static void
every_truncation_of_a_header_fails_cleanly(void **state)
{
	(void)state;
	uint8_t buf[PROTO_FRAME_MAX];
	struct proto_msg m = sample(S_CLOSE);
	encode(&m, buf);
	for (size_t k = 0; k < PROTO_HDR_SIZE; k++) {
		struct proto_header hdr = { 1, 1 };
		assert_int_equal(proto_decode_header(buf, k, &hdr), -EPROTO);
		char want[64];
		snprintf(want, sizeof(want), "frame: header needs 12 bytes, got %zu", k);
		assert_err_last(want);
		assert_int_equal(hdr.type, 0);
		assert_int_equal(hdr.length, 0);
	}
}

static void
one_trailing_byte_fails_for_every_message(void **state)
{
	(void)state;
	for (int s = 0; s < NSAMPLES; s++) {
		uint8_t body[PROTO_BODY_MAX];
		size_t len = sample_body((enum sample)s, body);
		body[len] = 0;
		uint16_t type = sample(s).type;
		struct proto_msg out;
		assert_int_equal(decode(type, body, len + 1, &out), -EPROTO);
		char want[64];
		snprintf(want, sizeof(want), "%s: 1 trailing byte after the last field",
			proto_type_name(type));
		assert_err_last(want);
	}
	/* attributes after a SET_ATTR that clears them are trailing bytes too */
	uint8_t body[PROTO_BODY_MAX];
	size_t len = sample_body(S_SET_ATTR, body);
	body[0] = 0;
	struct proto_set_attr sa;
	assert_int_equal(proto_decode_set_attr(body, len, &sa), -EPROTO);
	assert_err_last("SET_ATTR: 104 trailing bytes after the last field");
}

static void
hello_of_a_later_minor_version_ignores_appended_fields(void **state)
{
	(void)state;
	uint8_t body[PROTO_BODY_MAX];
	size_t len = sample_body(S_HELLO_FAILED, body);
	body[3] = 3;	/* 1.3 */
	memcpy(body + len, "new fields", 10);
	struct proto_hello h;
	assert_int_equal(proto_decode_hello(body, len + 10, &h), 0);
	assert_int_equal(h.major, 1);
	assert_int_equal(h.minor, 3);
	assert_int_equal(h.status, PROTO_STATUS_FATAL);
	assert_string_equal(h.reason, sample(S_HELLO_FAILED).hello.reason);
	/* but not fewer fields than 1.0 has */
	assert_int_equal(proto_decode_hello(body, len - 1, &h), -EPROTO);
}

static void
header_with_bad_magic_type_flags_or_length_fails(void **state)
{
	(void)state;
	struct {
		uint8_t bytes[12];
		const char *msg;
	} cases[] = {
		{ { 'A', 'A', 'A', 'A', 0, 1, 0, 0, 0, 0, 0, 0 },
			"frame: bad magic 0x41414141" },
		{ { 'O', 'M', 'P', 'R', 0, 1, 0, 0, 0, 0, 0, 0 },
			"frame: bad magic 0x4f4d5052" },
		{ { 'R', 'P', 'M', 'O', 0, 0, 0, 0, 0, 0, 0, 0 },
			"frame: unknown type 0" },
		{ { 'R', 'P', 'M', 'O', 0, 10, 0, 0, 0, 0, 0, 0 },
			"frame: unknown type 10" },
		{ { 'R', 'P', 'M', 'O', 1, 2, 0, 0, 0, 0, 0, 0 },
			"frame: unknown type 258" },
		{ { 'R', 'P', 'M', 'O', 0, 2, 0, 1, 0, 0, 0, 0 },
			"frame: CREATE flags 0x0001 are not 0" },
		{ { 'R', 'P', 'M', 'O', 0, 2, 0x80, 0, 0, 0, 0, 0 },
			"frame: CREATE flags 0x8000 are not 0" },
		{ { 'R', 'P', 'M', 'O', 0, 5, 0, 0, 0, 0, 0x10, 0x01 },
			"frame: OPEN_RESP body length 4097 exceeds 4096" },
		{ { 'R', 'P', 'M', 'O', 0, 5, 0, 0, 0xff, 0xff, 0xff, 0xff },
			"frame: OPEN_RESP body length 4294967295 exceeds 4096" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct proto_header hdr;
		assert_int_equal(proto_decode_header(cases[i].bytes, 12, &hdr),
			-EPROTO);
		assert_err_last(cases[i].msg);
	}
	const uint8_t max[12] = { 'R', 'P', 'M', 'O', 0, 9, 0, 0, 0, 0, 0x10, 0 };
	struct proto_header hdr;
	assert_int_equal(proto_decode_header(max, 12, &hdr), 0);
	assert_int_equal(hdr.type, PROTO_CLOSE_RESP);
	assert_int_equal(hdr.length, 4096);
}

static void
message_of_another_type_fails_in_a_decoder(void **state)
{
	(void)state;
	struct proto_header hdr = { PROTO_HELLO, 8 };
	assert_int_equal(proto_expect_type(&hdr, PROTO_OPEN_RESP), -EPROTO);
	assert_err_last("expected OPEN_RESP, received HELLO");
	assert_int_equal(proto_expect_type(&hdr, PROTO_HELLO), 0);

	/* bodies fed to the decoder of another message */
	uint8_t body[PROTO_BODY_MAX];
	size_t len = sample_body(S_HELLO, body);
	struct proto_create_req req;
	assert_int_equal(proto_decode_create(body, len, &req), -EPROTO);
	assert_err_last("CREATE: body of 10 bytes ends inside pool_size (6 of 8 bytes)");
	len = sample_body(S_CREATE, body);
	assert_int_equal(proto_decode_open(body, len, &req), -EPROTO);
	assert_err_last("OPEN: flags 0x01 has unknown bits");
	struct proto_status_resp st;
	assert_int_equal(proto_decode_close_resp(body, len, &st), -EPROTO);
	assert_err_last("CLOSE_RESP: status 65536 is not a known status (0..14)");
	len = sample_body(S_SET_ATTR_RESP, body);
	struct proto_close c;
	assert_int_equal(proto_decode_close(body, len, &c), -EPROTO);
	assert_err_last("CLOSE: flags 0x8 has unknown bits");
}

static void
decoders_zero_what_they_did_not_decode(void **state)
{
	(void)state;
	uint8_t body[PROTO_BODY_MAX];
	size_t len = sample_body(S_OPEN_RESP, body);
	struct proto_open_resp out;
	memset(&out, 0xee, sizeof(out));
	assert_int_equal(proto_decode_open_resp(body, 42, &out), -EPROTO);
	assert_err_last("OPEN_RESP: body of 42 bytes ends inside port (0 of 2 bytes)");
	assert_int_equal(out.port, 0);
	assert_int_equal(out.rkey, 0);
	assert_int_equal(out.has_attr, 0);
	assert_int_equal(out.attr.major, 0);
	assert_true(len > 42);
}

static void
status_table_maps_every_status_to_its_errno_and_name(void **state)
{
	(void)state;
	const struct {
		uint32_t status;
		int errnum;
		const char *name;
	} table[] = {
		{ 0, 0, "SUCCESS" }, { 1, EPROTONOSUPPORT, "BADPROTO" },
		{ 2, EINVAL, "BADNAME" }, { 3, EFBIG, "BADSIZE" },
		{ 4, EINVAL, "BADNLANES" }, { 5, EINVAL, "BADPROVIDER" },
		{ 6, EREMOTEIO, "FATAL" }, { 7, ECONNABORTED, "FATAL_CONN" },
		{ 8, EBUSY, "BUSY" }, { 9, EEXIST, "EXISTS" },
		{ 10, EMEDIUMTYPE, "PROVNOSUP" }, { 11, ENOENT, "NOEXIST" },
		{ 12, EACCES, "NOACCESS" }, { 13, EINVAL, "POOL_CFG" },
		{ 14, ENOSPC, "NOSPACE" }, { 15, EPROTO, "UNKNOWN" },
		{ 0xffffffff, EPROTO, "UNKNOWN" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(table); i++) {
		assert_int_equal(proto_status_errno(table[i].status),
			table[i].errnum);
		assert_string_equal(proto_status_name(table[i].status),
			table[i].name);
	}
}

static void
daemon_errnos_map_to_statuses_of_either_sign(void **state)
{
	(void)state;
	const struct {
		int errnum;
		uint32_t status;
	} table[] = {
		{ 0, PROTO_STATUS_SUCCESS },
		{ EEXIST, PROTO_STATUS_EXISTS }, { EACCES, PROTO_STATUS_NOACCESS },
		{ ENOENT, PROTO_STATUS_NOEXIST }, { EWOULDBLOCK, PROTO_STATUS_BUSY },
		{ EBUSY, PROTO_STATUS_BUSY }, { EINVAL, PROTO_STATUS_POOL_CFG },
		{ ENOSPC, PROTO_STATUS_NOSPACE }, { EFBIG, PROTO_STATUS_BADSIZE },
		{ EPROTONOSUPPORT, PROTO_STATUS_BADPROTO },
		{ EMEDIUMTYPE, PROTO_STATUS_PROVNOSUP },
		{ ECONNABORTED, PROTO_STATUS_FATAL_CONN },
		{ ENOMEM, PROTO_STATUS_FATAL }, { EIO, PROTO_STATUS_FATAL },
		{ EPROTO, PROTO_STATUS_FATAL }, { 99999, PROTO_STATUS_FATAL },
	};
	for (size_t i = 0; i < ARRAY_SIZE(table); i++) {
		assert_int_equal(proto_errno_status(table[i].errnum),
			table[i].status);
		assert_int_equal(proto_errno_status(-table[i].errnum),
			table[i].status);
	}
	assert_string_equal(proto_type_name(0), "UNKNOWN");
	assert_string_equal(proto_type_name(PROTO_SET_ATTR_RESP), "SET_ATTR_RESP");
	assert_string_equal(proto_type_name(10), "UNKNOWN");
}

/* xorshift64*: a fixed sequence, so that a failure reproduces */
static uint64_t
next_random(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

/* decodes body as type; a success must re-encode to the very same bytes */
static void
decode_must_not_crash(uint16_t type, const uint8_t *body, size_t len)
{
	uint8_t *copy = malloc(len + 1);	/* exactly len bytes for ASan */
	assert_non_null(copy);
	memcpy(copy, body, len);
	struct proto_msg out;
	int ret = decode(type, copy, len, &out);
	if (ret != 0) {
		assert_true(ret == -EPROTO || ret == -EPROTONOSUPPORT);
		assert_true(strlen(err_last()) > 0);
		free(copy);
		return;
	}
	if (type == PROTO_HELLO && out.hello.minor != PROTO_MINOR) {
		free(copy);
		return;	/* its unknown fields are not re-encoded */
	}
	uint8_t buf[PROTO_FRAME_MAX];
	int n = proto_encode_msg(buf, &out);
	assert_int_equal(n, (int)(PROTO_HDR_SIZE + len));
	assert_memory_equal(buf + PROTO_HDR_SIZE, copy, len);
	free(copy);
}

static void
random_and_mutated_input_never_crashes_a_decoder(void **state)
{
	(void)state;
	uint64_t seed = 0x5eed1234abcdULL;
	int accepted = 0;
	for (int i = 0; i < 4000; i++) {
		uint8_t body[PROTO_BODY_MAX + 16];
		uint64_t r = next_random(&seed);
		uint16_t type = (uint16_t)(1 + r % PROTO_TYPE_MAX);
		size_t len;
		if (i % 4 == 0) {
			/* pure noise */
			len = (size_t)(next_random(&seed) % 300);
			for (size_t k = 0; k < len; k++)
				body[k] = (uint8_t)next_random(&seed);
		} else {
			/* a valid message with a few bytes changed, maybe cut or extended */
			enum sample s = (enum sample)(r >> 8) % NSAMPLES;
			len = sample_body(s, body);
			type = sample(s).type;
			int nmut = 1 + (int)(next_random(&seed) % 3);
			for (int k = 0; k < nmut && len > 0; k++) {
				uint64_t x = next_random(&seed);
				uint8_t v = (uint8_t)(x >> 32);
				/* small values hit the interesting ranges */
				body[x % len] = (x & 0x100) ? v : (uint8_t)(v % 4);
			}
			uint64_t cut = next_random(&seed) % 8;
			if (cut == 0 && len > 0)
				len = (size_t)(next_random(&seed) % len);
			else if (cut == 1)
				body[len++] = (uint8_t)next_random(&seed);
		}
		decode_must_not_crash(type, body, len);
		struct proto_header hdr;
		if (proto_decode_header(body, len, &hdr) == 0)
			accepted++;
		struct proto_msg out;
		if (decode(type, body, len, &out) == 0)
			accepted++;
	}
	/* the mutations leave some messages valid: the success path ran too */
	assert_true(accepted > 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_message_round_trips_with_every_field),
		cmocka_unit_test(close_frame_has_the_specified_bytes),
		cmocka_unit_test(create_frame_has_the_specified_bytes),
		cmocka_unit_test(open_resp_frame_has_the_specified_bytes),
		cmocka_unit_test(hello_and_status_frames_have_the_specified_bytes),
		cmocka_unit_test(longest_strings_and_ipv6_addresses_round_trip),
		cmocka_unit_test(encoders_refuse_bad_names_and_values),
		cmocka_unit_test(failed_response_carries_only_status_and_reason),
		cmocka_unit_test(request_fields_out_of_range_fail_naming_the_field),
		cmocka_unit_test(response_fields_out_of_range_fail_naming_the_field),
		cmocka_unit_test(create_resp_with_attributes_fails),
		cmocka_unit_test(length_fields_larger_than_the_body_fail),
		cmocka_unit_test(every_truncation_of_every_message_fails_cleanly),
		cmocka_unit_test(every_truncation_of_a_header_fails_cleanly),
		cmocka_unit_test(one_trailing_byte_fails_for_every_message),
		cmocka_unit_test(hello_of_a_later_minor_version_ignores_appended_fields),
		cmocka_unit_test(header_with_bad_magic_type_flags_or_length_fails),
		cmocka_unit_test(message_of_another_type_fails_in_a_decoder),
		cmocka_unit_test(decoders_zero_what_they_did_not_decode),
		cmocka_unit_test(status_table_maps_every_status_to_its_errno_and_name),
		cmocka_unit_test(daemon_errnos_map_to_statuses_of_either_sign),
		cmocka_unit_test(random_and_mutated_input_never_crashes_a_decoder),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
