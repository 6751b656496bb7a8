/* inband_req.c -- libFuzzer target: in-band persist requests as rpmemd receives them on a lane */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "proto_inband.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a buffer of exactly size bytes, so that a read past the message is caught */
	uint8_t *buf = malloc(size ? size : 1);
	FUZZ_ASSERT(buf != NULL);
	memcpy(buf, data, size);
	struct proto_inband_req req;
	fuzz_clear_err();
	int ret = proto_inband_decode_req(buf, size, &req);
	fuzz_check_result("proto_inband_decode_req", ret);
	if (ret == 0) {
		FUZZ_ASSERT(req.op >= PROTO_OP_PERSIST_INLINE && req.op <= PROTO_OP_DEEP_PERSIST);
		if (req.op == PROTO_OP_PERSIST_INLINE) {
			/* the inline data lies inside the message */
			FUZZ_ASSERT(req.length <= PROTO_INLINE_MAX);
			FUZZ_ASSERT(req.data == buf + PROTO_INBAND_REQ_HDR);
			FUZZ_ASSERT(PROTO_INBAND_REQ_HDR + req.length == size);
		} else {
			FUZZ_ASSERT(req.data == NULL);
			FUZZ_ASSERT(size == PROTO_INBAND_REQ_HDR);
		}
		/* and it encodes back to the same bytes */
		static uint8_t again[PROTO_INBAND_REQ_MAX];
		int n = proto_inband_encode_req(again, sizeof(again), req.op, req.tag, req.offset,
			req.length, req.data);
		FUZZ_ASSERT(n >= 0 && (size_t)n == size);
		FUZZ_ASSERT(memcmp(again, buf, size) == 0);
	}
	free(buf);
	return 0;
}
