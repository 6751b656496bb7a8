/* proto.c -- libFuzzer target: out-of-band frames of both directions through the header and message decoders */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * What the decoder accepted must encode again and decode to the same
 * message: the encoders write our own version, so a HELLO or request of a
 * later minor version is compared as ours.
 */
static void
check_round_trip(const struct proto_msg *msg)
{
	struct proto_msg want = *msg;
	if (want.type == PROTO_HELLO) {
		want.hello.major = PROTO_MAJOR;
		want.hello.minor = PROTO_MINOR;
	} else if (want.type == PROTO_CREATE || want.type == PROTO_OPEN) {
		want.req.major = PROTO_MAJOR;
		want.req.minor = PROTO_MINOR;
	}
	static uint8_t frame[PROTO_FRAME_MAX];
	int n = proto_encode_msg(frame, &want);
	FUZZ_ASSERT(n >= PROTO_HDR_SIZE && n <= PROTO_FRAME_MAX);

	struct proto_header hdr;
	FUZZ_ASSERT(proto_decode_header(frame, (size_t)n, &hdr) == 0);
	FUZZ_ASSERT(hdr.type == want.type);
	FUZZ_ASSERT(hdr.length == (uint32_t)n - PROTO_HDR_SIZE);
	struct proto_msg again;
	FUZZ_ASSERT(proto_decode_msg(&hdr, frame + PROTO_HDR_SIZE, &again) == 0);
	FUZZ_ASSERT(memcmp(&again, &want, sizeof(want)) == 0);
}

/* the input is one frame as read from the socket: a header, then its body */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct proto_header hdr;
	fuzz_clear_err();
	int ret = proto_decode_header(data, size, &hdr);
	fuzz_check_result("proto_decode_header", ret);
	if (ret != 0 || size - PROTO_HDR_SIZE < hdr.length)
		return 0;

	/* a body of exactly hdr.length bytes, so that a read past it is caught */
	uint8_t *body = malloc(hdr.length ? hdr.length : 1);
	FUZZ_ASSERT(body != NULL);
	memcpy(body, data + PROTO_HDR_SIZE, hdr.length);
	struct proto_msg msg;
	fuzz_clear_err();
	ret = proto_decode_msg(&hdr, body, &msg);
	fuzz_check_result("proto_decode_msg", ret);
	FUZZ_ASSERT(msg.type == hdr.type);
	free(body);
	if (ret == 0)
		check_round_trip(&msg);
	return 0;
}
