/* rpmem_ackcheck_record.h -- the checker's self-describing record: a 32-byte little-endian header, then bytes derived from (epoch, seq) */
#ifndef RPMEM_ACKCHECK_RECORD_H
#define RPMEM_ACKCHECK_RECORD_H 1

#include <stddef.h>
#include <stdint.h>

/*
 * offset size field
 *      0    8 magic "ACKCHK1\0"
 *      8    8 epoch
 *     16    8 seq (thread index in the top 16 bits, the thread's counter below)
 *     24    4 length of the whole record, header included
 *     28    4 CRC-32C of the record with this field zero
 *     32      payload
 */
#define REC_MAGIC "ACKCHK1"	/* 7 characters and the terminating NUL: 8 bytes */
#define REC_MAGIC_LEN 8
#define REC_HDR_SIZE 32
#define REC_ALIGN 8		/* every record starts at a multiple of this */
#define REC_SEQ_THREAD_SHIFT 48

/* the record lengths, cycled: inline persists (<= 4096) and RDMA writes (above) */
#define REC_NLENGTHS 7
extern const uint32_t rec_lengths[REC_NLENGTHS];
#define REC_MAX_LEN 65536

static inline uint64_t
rec_seq(unsigned thread, uint64_t counter)
{
	return (uint64_t)thread << REC_SEQ_THREAD_SHIFT |
		(counter & ((1ULL << REC_SEQ_THREAD_SHIFT) - 1));
}

/* writes the record (epoch, seq) of len bytes (REC_HDR_SIZE <= len) into buf */
void rec_encode(void *buf, uint64_t epoch, uint64_t seq, uint32_t len);

/*
 * Checks the len bytes at buf against the record (epoch, seq, len) the writer
 * made. 0 when intact; otherwise -1 and what is wrong in why (why_size bytes),
 * e.g. "checksum mismatch (stored 0x1234abcd, computed 0x0badf00d)".
 */
int rec_check(const void *buf, uint64_t epoch, uint64_t seq, uint32_t len,
	char *why, size_t why_size);

/* CRC-32C (Castagnoli), continuing from crc (0 to start) */
uint32_t rec_crc32c(uint32_t crc, const void *buf, size_t len);

#endif /* RPMEM_ACKCHECK_RECORD_H */
