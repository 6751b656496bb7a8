/* rpmem_ackcheck_record.c -- encode and check the checker's records: explicit little-endian header, CRC-32C, payload from (epoch, seq) */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "bytes.h"
#include "rpmem_ackcheck_record.h"
#include "util.h"

const uint32_t rec_lengths[REC_NLENGTHS] = { 64, 256, 1000, 4096, 4104, 20000, 65536 };

#define CRC32C_POLY 0x82F63B78U	/* reflected Castagnoli polynomial */
#define CHECKSUM_OFF 28

static uint32_t Crc_table[8][256];

static pthread_once_t Crc_once = PTHREAD_ONCE_INIT;

/* the slicing-by-8 tables, built once */
static void
crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? c >> 1 ^ CRC32C_POLY : c >> 1;
		Crc_table[0][i] = c;
	}
	for (uint32_t i = 0; i < 256; i++)
		for (int t = 1; t < 8; t++)
			Crc_table[t][i] = Crc_table[t - 1][i] >> 8 ^
				Crc_table[0][Crc_table[t - 1][i] & 0xff];
}

uint32_t
rec_crc32c(uint32_t crc, const void *buf, size_t len)
{
	pthread_once(&Crc_once, crc_init);
	const uint8_t *p = buf;
	crc = ~crc;
	while (len >= 8) {
		uint32_t lo = crc ^ ((uint32_t)p[0] | (uint32_t)p[1] << 8 |
			(uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
		crc = Crc_table[7][lo & 0xff] ^ Crc_table[6][lo >> 8 & 0xff] ^
			Crc_table[5][lo >> 16 & 0xff] ^ Crc_table[4][lo >> 24] ^
			Crc_table[3][p[4]] ^ Crc_table[2][p[5]] ^
			Crc_table[1][p[6]] ^ Crc_table[0][p[7]];
		p += 8;
		len -= 8;
	}
	while (len--)
		crc = crc >> 8 ^ Crc_table[0][(crc ^ *p++) & 0xff];
	return ~crc;
}

/* splitmix64: a fast, well-mixed stream, the same for the writer and the verifier */
static uint64_t
mix_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/* the payload of record (epoch, seq): n bytes into p */
static void
payload_fill(uint8_t *p, size_t n, uint64_t epoch, uint64_t seq)
{
	uint64_t state = epoch ^ seq * 0xD1B54A32D192ED03ULL;
	struct bytes_wr w = bytes_wr_init(p, n);
	for (; n >= 8; n -= 8)
		bytes_put_le64(&w, mix_next(&state));
	uint64_t last = mix_next(&state);
	for (; n > 0; n--, last >>= 8)
		bytes_put_u8(&w, (uint8_t)last);
}

/* the checksum of a record whose header (checksum field included) is at p */
static uint32_t
record_crc(const uint8_t *p, uint32_t len)
{
	static const uint8_t zero[4];
	uint32_t crc = rec_crc32c(0, p, CHECKSUM_OFF);
	crc = rec_crc32c(crc, zero, sizeof(zero));
	return rec_crc32c(crc, p + REC_HDR_SIZE, len - REC_HDR_SIZE);
}

void
rec_encode(void *buf, uint64_t epoch, uint64_t seq, uint32_t len)
{
	uint8_t *p = buf;
	struct bytes_wr w = bytes_wr_init(p, REC_HDR_SIZE);
	bytes_put_mem(&w, REC_MAGIC, REC_MAGIC_LEN);
	bytes_put_le64(&w, epoch);
	bytes_put_le64(&w, seq);
	bytes_put_le32(&w, len);
	bytes_put_le32(&w, 0);
	payload_fill(p + REC_HDR_SIZE, len - REC_HDR_SIZE, epoch, seq);
	w = bytes_wr_init(p + CHECKSUM_OFF, 4);
	bytes_put_le32(&w, record_crc(p, len));
}

/* the first payload byte that differs from what the writer made, or -1 */
static long
payload_diff(const uint8_t *p, uint32_t len, uint64_t epoch, uint64_t seq, uint8_t *expected)
{
	uint8_t want[REC_MAX_LEN];
	size_t n = len - REC_HDR_SIZE;
	payload_fill(want, n, epoch, seq);
	for (size_t i = 0; i < n; i++)
		if (p[REC_HDR_SIZE + i] != want[i]) {
			*expected = want[i];
			return (long)i;
		}
	return -1;
}

int
rec_check(const void *buf, uint64_t epoch, uint64_t seq, uint32_t len,
	char *why, size_t why_size)
{
	const uint8_t *p = buf;
	struct bytes_rd r = bytes_rd_init(p, REC_HDR_SIZE);
	const uint8_t *magic = bytes_get_ptr(&r, REC_MAGIC_LEN);
	uint64_t got_epoch = bytes_get_le64(&r);
	uint64_t got_seq = bytes_get_le64(&r);
	uint32_t got_len = bytes_get_le32(&r);
	uint32_t got_crc = bytes_get_le32(&r);

	if (len < REC_HDR_SIZE || len > REC_MAX_LEN) {
		snprintf(why, why_size, "length %" PRIu32 " is not a record length", len);
		return -1;
	}
	if (memcmp(magic, REC_MAGIC, REC_MAGIC_LEN) != 0) {
		if (util_is_zero(p, len))
			snprintf(why, why_size, "missing: all %" PRIu32 " bytes are zero", len);
		else
			snprintf(why, why_size, "bad magic %02x %02x %02x %02x %02x %02x %02x %02x",
				magic[0], magic[1], magic[2], magic[3], magic[4],
				magic[5], magic[6], magic[7]);
		return -1;
	}
	if (got_epoch != epoch) {
		snprintf(why, why_size, "holds epoch %" PRIu64 " instead of %" PRIu64, got_epoch, epoch);
		return -1;
	}
	if (got_seq != seq) {
		snprintf(why, why_size, "holds seq 0x%" PRIx64 " instead", got_seq);
		return -1;
	}
	if (got_len != len) {
		snprintf(why, why_size, "holds length %" PRIu32 " instead", got_len);
		return -1;
	}
	uint32_t crc = record_crc(p, len);
	uint8_t expected = 0;
	long diff = payload_diff(p, len, epoch, seq, &expected);
	if (crc != got_crc && diff >= 0)
		snprintf(why, why_size, "checksum mismatch (stored 0x%08" PRIx32 ", computed 0x%08"
			PRIx32 "): payload byte %ld is 0x%02x, expected 0x%02x", got_crc, crc,
			diff, p[REC_HDR_SIZE + diff], expected);
	else if (crc != got_crc)
		snprintf(why, why_size, "checksum mismatch (stored 0x%08" PRIx32 ", computed 0x%08"
			PRIx32 ")", got_crc, crc);
	else if (diff >= 0)
		snprintf(why, why_size, "payload byte %ld is 0x%02x, expected 0x%02x "
			"(the checksum matches: not this record's bytes)", diff,
			p[REC_HDR_SIZE + diff], expected);
	else
		return 0;
	return -1;
}
