/* checksum.c -- Fletcher-64 of pool headers, byte order fixed so a header verifies on any host */
#include "bytes.h"
#include "checksum.h"

uint64_t
checksum_fletcher64(const void *buf, size_t len)
{
	/* sums modulo 2^32 - 1, reduced at every step so nothing overflows */
	const uint64_t mod = 0xffffffffu;
	uint64_t lo = 0, hi = 0;
	struct bytes_rd r = bytes_rd_init(buf, len);
	for (size_t i = 0; i + 4 <= len; i += 4) {
		lo = (lo + bytes_get_le32(&r)) % mod;
		hi = (hi + lo) % mod;
	}
	return hi << 32 | lo;
}
