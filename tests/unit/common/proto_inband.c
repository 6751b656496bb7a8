/* proto_inband.c -- the in-band codec: exact little-endian bytes, tags echoed, round trips, malformed requests, range checks */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_common.h"
#include "err.h"
#include "proto_inband.h"
#include "util.h"

#define assert_err_last(s) assert_string_equal(err_last(), (s))

static void
persist_request_has_the_specified_bytes(void **state)
{
	(void)state;
	uint8_t buf[PROTO_INBAND_REQ_MAX];
	assert_int_equal(proto_inband_encode_req(buf, sizeof(buf), PROTO_OP_DEEP_PERSIST,
		0, 0x0102030405060708ULL, 0x1122334455667788ULL, NULL), 24);
	const uint8_t want[24] = { 3, 0, 0, 0, 0, 0, 0, 0,
		8, 7, 6, 5, 4, 3, 2, 1, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11 };
	assert_memory_equal(buf, want, sizeof(want));

	assert_int_equal(proto_inband_encode_resp(buf, 8, EINVAL,
		PROTO_OP_PERSIST, 0), 8);
	const uint8_t resp[8] = { EINVAL, 0, 0, 0, 2, 0, 0, 0 };
	assert_memory_equal(buf, resp, sizeof(resp));
}

/* the tag is a u16 at byte 4 of a request (flags at 6) and at byte 6 of a response (op at 4) */
static void
tags_have_the_specified_bytes_and_tag_0_is_the_untagged_format(void **state)
{
	(void)state;
	uint8_t buf[PROTO_INBAND_REQ_MAX];
	assert_int_equal(proto_inband_encode_req(buf, sizeof(buf), PROTO_OP_PERSIST,
		0xbeef, 4096, 64, NULL), 24);
	const uint8_t want[8] = { 2, 0, 0, 0, 0xef, 0xbe, 0, 0 };
	assert_memory_equal(buf, want, sizeof(want));
	struct proto_inband_req req;
	assert_int_equal(proto_inband_decode_req(buf, 24, &req), 0);
	assert_int_equal(req.tag, 0xbeef);
	assert_int_equal(req.op, PROTO_OP_PERSIST);

	assert_int_equal(proto_inband_encode_resp(buf, 8, 0, PROTO_OP_PERSIST_INLINE,
		PROTO_INBAND_DEPTH - 1), 8);
	const uint8_t resp[8] = { 0, 0, 0, 0, 1, 0, PROTO_INBAND_DEPTH - 1, 0 };
	assert_memory_equal(buf, resp, sizeof(resp));
	struct proto_inband_resp r;
	assert_int_equal(proto_inband_decode_resp(buf, 8, &r), 0);
	assert_int_equal(r.tag, PROTO_INBAND_DEPTH - 1);
	assert_int_equal(r.op, PROTO_OP_PERSIST_INLINE);
	assert_int_equal(r.status, 0);

	assert_int_equal(proto_inband_encode_resp(buf, 8, EIO, PROTO_OP_DEEP_PERSIST,
		0xffff), 8);
	assert_int_equal(proto_inband_decode_resp(buf, 8, &r), 0);
	assert_int_equal(r.tag, 0xffff);
	assert_int_equal(r.op, PROTO_OP_DEEP_PERSIST);
	assert_int_equal(r.status, EIO);
}

/* an answer message: 1 to PROTO_INBAND_DEPTH answers of 8 bytes, each decoded on its own */
static void
answer_messages_carry_one_to_depth_answers(void **state)
{
	(void)state;
	uint8_t buf[PROTO_INBAND_RESP_MAX + 8];
	for (int i = 0; i < PROTO_INBAND_DEPTH + 1; i++)
		assert_int_equal(proto_inband_encode_resp(buf + 8 * i, 8, i % 3 ? 0 : EIO,
			1 + (uint32_t)i % 3, (uint16_t)(100 + i)), 8);
	struct proto_inband_resp r[PROTO_INBAND_DEPTH];
	for (int n = 1; n <= PROTO_INBAND_DEPTH; n++) {
		memset(r, 0xee, sizeof(r));
		assert_int_equal(proto_inband_decode_resps(buf, 8 * (size_t)n, r), n);
		for (int i = 0; i < n; i++) {
			assert_int_equal(r[i].status, i % 3 ? 0 : EIO);
			assert_int_equal(r[i].op, 1 + i % 3);
			assert_int_equal(r[i].tag, 100 + i);
		}
	}
	const size_t bad[] = { 0, 1, 7, 9, 15, PROTO_INBAND_RESP_MAX + 8 };
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(proto_inband_decode_resps(buf, bad[i], r), -EPROTO);
		char want[96];
		snprintf(want, sizeof(want), "in-band answers: %zu bytes are not 1 to "
			"16 answers of 8 bytes", bad[i]);
		assert_err_last(want);
	}
	/* one bad answer spoils the message */
	buf[8 * 5 + 4] = 9;
	assert_int_equal(proto_inband_decode_resps(buf, 8 * 6, r), -EPROTO);
	assert_err_last("in-band response: op 9 with status 0");
	assert_int_equal(proto_inband_decode_resps(buf, 8 * 5, r), 5);
}

/* what a request that does not decode still says about itself, for its answer */
static void
ids_of_an_undecodable_request_are_taken_from_what_is_there(void **state)
{
	(void)state;
	const uint8_t flags_set[8] = { 3, 0, 0, 0, 5, 0, 1, 0 };
	uint32_t op = 99;
	uint16_t tag = 99;
	proto_inband_req_ids(flags_set, sizeof(flags_set), &op, &tag);
	assert_int_equal(op, PROTO_OP_DEEP_PERSIST);
	assert_int_equal(tag, 5);
	const uint8_t bad_op[8] = { 9, 0, 0, 0, 7, 0, 0, 0 };
	proto_inband_req_ids(bad_op, sizeof(bad_op), &op, &tag);
	assert_int_equal(op, 0);
	assert_int_equal(tag, 7);
	/* a tag cut short is no tag */
	proto_inband_req_ids(flags_set, 7, &op, &tag);
	assert_int_equal(op, PROTO_OP_DEEP_PERSIST);
	assert_int_equal(tag, 0);
	proto_inband_req_ids(flags_set, 3, &op, &tag);
	assert_int_equal(op, 0);
	assert_int_equal(tag, 0);
	proto_inband_req_ids(NULL, 0, &op, &tag);
	assert_int_equal(op, 0);
	assert_int_equal(tag, 0);
}

static void
inline_request_round_trips_pointing_into_the_buffer(void **state)
{
	(void)state;
	static uint8_t data[PROTO_INLINE_MAX];
	test_fill_pattern(data, sizeof(data), 7);
	const uint64_t lengths[] = { 0, 1, 8, 63, 4095, PROTO_INLINE_MAX };
	for (size_t i = 0; i < ARRAY_SIZE(lengths); i++) {
		uint8_t *buf = malloc(PROTO_INBAND_REQ_HDR + lengths[i]);
		assert_non_null(buf);
		int n = proto_inband_encode_req(buf, PROTO_INBAND_REQ_HDR + lengths[i],
			PROTO_OP_PERSIST_INLINE, (uint16_t)i, 4096 + i * 8, lengths[i], data);
		assert_int_equal(n, PROTO_INBAND_REQ_HDR + lengths[i]);
		struct proto_inband_req req;
		assert_int_equal(proto_inband_decode_req(buf, (size_t)n, &req), 0);
		assert_int_equal(req.op, PROTO_OP_PERSIST_INLINE);
		assert_int_equal(req.tag, i);
		assert_int_equal(req.offset, 4096 + i * 8);
		assert_int_equal(req.length, lengths[i]);
		assert_ptr_equal(req.data, buf + PROTO_INBAND_REQ_HDR);
		if (lengths[i] > 0)
			assert_memory_equal(req.data, data, lengths[i]);
		free(buf);
	}
}

static void
persist_and_deep_persist_round_trip_without_data(void **state)
{
	(void)state;
	const uint32_t ops[] = { PROTO_OP_PERSIST, PROTO_OP_DEEP_PERSIST };
	for (size_t i = 0; i < ARRAY_SIZE(ops); i++) {
		uint8_t buf[PROTO_INBAND_REQ_HDR];
		assert_int_equal(proto_inband_encode_req(buf, sizeof(buf), ops[i],
			UINT16_MAX, UINT64_MAX, UINT64_MAX - 1, NULL), 24);
		struct proto_inband_req req;
		assert_int_equal(proto_inband_decode_req(buf, 24, &req), 0);
		assert_int_equal(req.op, ops[i]);
		assert_int_equal(req.tag, UINT16_MAX);
		assert_true(req.offset == UINT64_MAX);
		assert_true(req.length == UINT64_MAX - 1);
		assert_null(req.data);
	}
}

static void
response_round_trips_every_op_and_errno(void **state)
{
	(void)state;
	for (uint32_t op = PROTO_OP_PERSIST_INLINE; op <= PROTO_OP_DEEP_PERSIST; op++) {
		const uint32_t statuses[] = { 0, EINVAL, EIO, PROTO_INBAND_STATUS_MAX };
		for (size_t i = 0; i < ARRAY_SIZE(statuses); i++) {
			uint8_t buf[PROTO_INBAND_RESP_SIZE];
			uint16_t tag = (uint16_t)(op * 7 + i);
			assert_int_equal(proto_inband_encode_resp(buf, sizeof(buf),
				statuses[i], op, tag), 8);
			struct proto_inband_resp resp;
			assert_int_equal(proto_inband_decode_resp(buf, 8, &resp), 0);
			assert_int_equal(resp.status, statuses[i]);
			assert_int_equal(resp.op, op);
			assert_int_equal(resp.tag, tag);
		}
	}
}

static void
encoders_refuse_bad_ops_sizes_and_buffers(void **state)
{
	(void)state;
	static uint8_t buf[PROTO_INBAND_REQ_MAX + 1];
	static const uint8_t data[PROTO_INLINE_MAX + 1];
	assert_int_equal(proto_inband_encode_req(buf, sizeof(buf), 0, 0, 0, 8, NULL),
		-EINVAL);
	assert_err_last("in-band request: unknown op 0");
	assert_int_equal(proto_inband_encode_req(buf, sizeof(buf), 4, 0, 0, 8, NULL),
		-EINVAL);
	assert_err_last("in-band request: unknown op 4");
	assert_int_equal(proto_inband_encode_req(buf, sizeof(buf),
		PROTO_OP_PERSIST_INLINE, 0, 0, PROTO_INLINE_MAX + 1, data), -EMSGSIZE);
	assert_err_last("PERSIST_INLINE: length 4097 exceeds the inline limit 4096");
	assert_int_equal(proto_inband_encode_req(buf, sizeof(buf),
		PROTO_OP_PERSIST_INLINE, 0, 0, 8, NULL), -EINVAL);
	assert_err_last("PERSIST_INLINE: no data for length 8");
	assert_int_equal(proto_inband_encode_req(buf, sizeof(buf),
		PROTO_OP_PERSIST, 0, 0, 8, data), -EINVAL);
	assert_err_last("PERSIST: carries no inline data");
	assert_int_equal(proto_inband_encode_req(buf, 23, PROTO_OP_PERSIST, 0, 0, 8,
		NULL), -ENOBUFS);
	assert_err_last("PERSIST: request of 24 bytes does not fit in 23");
	assert_int_equal(proto_inband_encode_req(buf, 24 + 99,
		PROTO_OP_PERSIST_INLINE, 0, 0, 100, data), -ENOBUFS);
	assert_err_last("PERSIST_INLINE: request of 124 bytes does not fit in 123");

	assert_int_equal(proto_inband_encode_resp(buf, 8, 0, 0, 0), -EINVAL);
	assert_err_last("in-band response: op 0 with status 0");
	assert_int_equal(proto_inband_encode_resp(buf, 8, EPROTO, 4, 0), -EINVAL);
	assert_err_last("in-band response: op 4 with status 71");
	assert_int_equal(proto_inband_encode_resp(buf, 8, 4096, 1, 0), -EINVAL);
	assert_err_last("in-band response: status 4096 is not an errno value");
	assert_int_equal(proto_inband_encode_resp(buf, 7, 0, 1, 0), -ENOBUFS);
	assert_err_last("in-band response: 8 bytes do not fit in 7");
}

/* a request header with the given fields, little-endian */
static void
put_req(uint8_t *b, uint32_t op, uint16_t flags, uint64_t offset,
	uint64_t length)
{
	for (int i = 0; i < 4; i++)
		b[i] = (uint8_t)(op >> (8 * i));
	/* a tag of 0x0201, which does not matter to any check */
	b[4] = 1;
	b[5] = 2;
	b[6] = (uint8_t)flags;
	b[7] = (uint8_t)(flags >> 8);
	for (int i = 0; i < 8; i++) {
		b[8 + i] = (uint8_t)(offset >> (8 * i));
		b[16 + i] = (uint8_t)(length >> (8 * i));
	}
}

static void
expect_req_error(const uint8_t *b, size_t len, const char *msg)
{
	struct proto_inband_req req;
	memset(&req, 0xee, sizeof(req));
	assert_int_equal(proto_inband_decode_req(b, len, &req), -EPROTO);
	assert_err_last(msg);
	assert_int_equal(req.op, 0);
	assert_int_equal(req.tag, 0);
	assert_null(req.data);
}

static void
malformed_requests_fail_naming_the_field(void **state)
{
	(void)state;
	static uint8_t b[PROTO_INBAND_REQ_MAX + 8];
	put_req(b, 0, 0, 0, 0);
	expect_req_error(b, 24, "in-band request: unknown op 0");
	put_req(b, 0x01000001, 0, 0, 0);
	expect_req_error(b, 24, "in-band request: unknown op 16777217");
	put_req(b, PROTO_OP_PERSIST, 1, 0, 8);
	expect_req_error(b, 24, "PERSIST: flags 0x1 are not 0");
	put_req(b, PROTO_OP_DEEP_PERSIST, 0x8000, 0, 8);
	expect_req_error(b, 24, "DEEP_PERSIST: flags 0x8000 are not 0");
	put_req(b, PROTO_OP_PERSIST, 0, 0, 8);
	expect_req_error(b, 25, "PERSIST: 25 bytes instead of 24");
	expect_req_error(b, 32, "PERSIST: 32 bytes instead of 24");
	put_req(b, PROTO_OP_PERSIST_INLINE, 0, 0, 8);
	expect_req_error(b, 24 + 7, "PERSIST_INLINE: length 8 but 7 bytes of data");
	expect_req_error(b, 24 + 9, "PERSIST_INLINE: length 8 but 9 bytes of data");
	put_req(b, PROTO_OP_PERSIST_INLINE, 0, 0, PROTO_INLINE_MAX + 1);
	expect_req_error(b, sizeof(b),
		"PERSIST_INLINE: length 4097 exceeds the inline limit 4096");
	put_req(b, PROTO_OP_PERSIST_INLINE, 0, 0, UINT64_MAX);
	expect_req_error(b, 24,
		"PERSIST_INLINE: length 18446744073709551615 exceeds the inline limit 4096");
	/* every header prefix */
	for (size_t k = 0; k < PROTO_INBAND_REQ_HDR; k++) {
		uint8_t *part = malloc(k + 1);
		assert_non_null(part);
		memcpy(part, b, k);
		char want[80];
		snprintf(want, sizeof(want),
			"in-band request: %zu bytes, the header needs 24", k);
		expect_req_error(part, k, want);
		free(part);
	}
}

static void
malformed_responses_fail_naming_the_field(void **state)
{
	(void)state;
	uint8_t b[9] = { 0, 0, 0, 0, 1, 0, 0, 0, 0 };
	struct proto_inband_resp resp;
	for (size_t k = 0; k < sizeof(b); k++) {
		if (k == 8)
			continue;
		assert_int_equal(proto_inband_decode_resp(b, k, &resp), -EPROTO);
		char want[64];
		snprintf(want, sizeof(want), "in-band response: %zu bytes instead of 8", k);
		assert_err_last(want);
	}
	b[4] = 4;
	assert_int_equal(proto_inband_decode_resp(b, 8, &resp), -EPROTO);
	assert_err_last("in-band response: op 4 with status 0");
	b[4] = 0;
	assert_int_equal(proto_inband_decode_resp(b, 8, &resp), -EPROTO);
	assert_err_last("in-band response: op 0 with status 0");
	b[4] = 3;
	b[1] = 0x10;	/* 4096 */
	assert_int_equal(proto_inband_decode_resp(b, 8, &resp), -EPROTO);
	assert_err_last("DEEP_PERSIST response: status 4096 is not an errno value");
	assert_int_equal(resp.status, 0);
	assert_int_equal(resp.op, 0);
	assert_int_equal(resp.tag, 0);
	/* the op is the u16 at byte 4: bits above it are no op */
	b[1] = 0;
	b[4] = 1;
	b[5] = 1;
	b[6] = 9;
	assert_int_equal(proto_inband_decode_resp(b, 8, &resp), -EPROTO);
	assert_err_last("in-band response: op 257 with status 0");
}

static void
failure_for_an_undecodable_request_round_trips_with_op_0(void **state)
{
	(void)state;
	uint8_t buf[PROTO_INBAND_RESP_SIZE];
	assert_int_equal(proto_inband_encode_resp(buf, sizeof(buf), EPROTO, 0, 0), 8);
	const uint8_t want[8] = { EPROTO, 0, 0, 0, 0, 0, 0, 0 };
	assert_memory_equal(buf, want, sizeof(want));
	struct proto_inband_resp resp;
	assert_int_equal(proto_inband_decode_resp(buf, 8, &resp), 0);
	assert_int_equal(resp.status, EPROTO);
	assert_int_equal(resp.op, 0);
}

static void
range_check_is_overflow_safe(void **state)
{
	(void)state;
	assert_true(proto_range_ok(0, 0, 0));
	assert_true(proto_range_ok(0, 4096, 4096));
	assert_true(proto_range_ok(4096, 0, 4096));
	assert_true(proto_range_ok(4000, 96, 4096));
	assert_false(proto_range_ok(4000, 97, 4096));
	assert_false(proto_range_ok(4097, 0, 4096));
	assert_false(proto_range_ok(8, UINT64_MAX, 4096));
	assert_false(proto_range_ok(UINT64_MAX, 2, 4096));
	assert_false(proto_range_ok(UINT64_MAX - 1, 2, UINT64_MAX));
	assert_true(proto_range_ok(UINT64_MAX - 2, 2, UINT64_MAX));
	assert_true(proto_range_ok(0, UINT64_MAX, UINT64_MAX));
}

static uint64_t
next_random(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

static void
random_input_never_crashes_the_decoders(void **state)
{
	(void)state;
	uint64_t seed = 0xfeedbeef;
	int accepted = 0;
	for (int i = 0; i < 5000; i++) {
		size_t len = (size_t)(next_random(&seed) % 64);
		uint8_t *b = malloc(len + 1);
		assert_non_null(b);
		for (size_t k = 0; k < len; k++) {
			uint64_t x = next_random(&seed);
			/* mostly small bytes, so that ops and lengths are often valid */
			b[k] = (x & 1) ? (uint8_t)(x >> 8) : 0;
		}
		if (len >= 24 && (i & 1)) {
			b[0] = (uint8_t)(1 + i % 3);
			b[16] = (uint8_t)(len - 24);
		}
		struct proto_inband_req req;
		int ret = proto_inband_decode_req(b, len, &req);
		assert_true(ret == 0 || ret == -EPROTO);
		if (ret == 0) {
			accepted++;
			assert_true(req.data == NULL || req.data == b + 24);
		}
		struct proto_inband_resp resp, resps[PROTO_INBAND_DEPTH];
		ret = proto_inband_decode_resp(b, len, &resp);
		assert_true(ret == 0 || ret == -EPROTO);
		ret = proto_inband_decode_resps(b, len, resps);
		assert_true(ret == -EPROTO || (ret > 0 && (size_t)ret * 8 == len));
		free(b);
	}
	assert_true(accepted > 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(persist_request_has_the_specified_bytes),
		cmocka_unit_test(tags_have_the_specified_bytes_and_tag_0_is_the_untagged_format),
		cmocka_unit_test(ids_of_an_undecodable_request_are_taken_from_what_is_there),
		cmocka_unit_test(answer_messages_carry_one_to_depth_answers),
		cmocka_unit_test(inline_request_round_trips_pointing_into_the_buffer),
		cmocka_unit_test(persist_and_deep_persist_round_trip_without_data),
		cmocka_unit_test(response_round_trips_every_op_and_errno),
		cmocka_unit_test(encoders_refuse_bad_ops_sizes_and_buffers),
		cmocka_unit_test(malformed_requests_fail_naming_the_field),
		cmocka_unit_test(malformed_responses_fail_naming_the_field),
		cmocka_unit_test(failure_for_an_undecodable_request_round_trips_with_op_0),
		cmocka_unit_test(range_check_is_overflow_safe),
		cmocka_unit_test(random_input_never_crashes_the_decoders),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
