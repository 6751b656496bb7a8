/* inband_resp.c -- libFuzzer target: in-band persist answers and answer messages as librpmem receives them */
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
	struct proto_inband_resp resp;
	fuzz_clear_err();
	int ret = proto_inband_decode_resp(buf, size, &resp);
	fuzz_check_result("proto_inband_decode_resp", ret);
	if (ret == 0) {
		FUZZ_ASSERT(resp.status <= PROTO_INBAND_STATUS_MAX);
		/* what was accepted encodes back to the same bytes */
		uint8_t again[PROTO_INBAND_RESP_SIZE];
		int n = proto_inband_encode_resp(again, sizeof(again), resp.status, resp.op,
			resp.tag);
		FUZZ_ASSERT(n >= 0 && (size_t)n == size);
		FUZZ_ASSERT(memcmp(again, buf, size) == 0);
	}
	/* the same bytes as a message of several answers */
	struct proto_inband_resp resps[PROTO_INBAND_DEPTH];
	fuzz_clear_err();
	int count = proto_inband_decode_resps(buf, size, resps);
	fuzz_check_result("proto_inband_decode_resps", count < 0 ? count : 0);
	if (count > 0) {
		FUZZ_ASSERT(count <= PROTO_INBAND_DEPTH);
		FUZZ_ASSERT((size_t)count * PROTO_INBAND_RESP_SIZE == size);
		for (int i = 0; i < count; i++) {
			uint8_t again[PROTO_INBAND_RESP_SIZE];
			int n = proto_inband_encode_resp(again, sizeof(again), resps[i].status,
				resps[i].op, resps[i].tag);
			FUZZ_ASSERT(n == PROTO_INBAND_RESP_SIZE);
			FUZZ_ASSERT(memcmp(again, buf + (size_t)i * PROTO_INBAND_RESP_SIZE, 8) == 0);
		}
	}
	free(buf);
	return 0;
}
