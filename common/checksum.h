/* checksum.h -- the Fletcher-64 checksum of pool headers (rpmemd's, libpmemobj's) */
#ifndef COMMON_CHECKSUM_H
#define COMMON_CHECKSUM_H 1

#include <stddef.h>
#include <stdint.h>

/*
 * Fletcher-64 over len bytes (a trailing len % 4 bytes are ignored) read as
 * little-endian 32-bit words, both sums modulo 2^32 - 1: the high 32 bits
 * are the sum of the running sums, the low 32 bits the sum of the words.
 * All-zero input gives 0. A pure function of its bytes, on any alignment.
 */
uint64_t checksum_fletcher64(const void *buf, size_t len);

#endif /* COMMON_CHECKSUM_H */
