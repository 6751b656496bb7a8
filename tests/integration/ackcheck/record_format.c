/* record_format.c -- rpmem_ackcheck's record codec: the exact little-endian bytes, CRC-32C, and a named fault for each damaged field */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_common.h"
#include "rpmem_ackcheck_record.h"

#define EPOCH 0x0102030405060708ULL
#define SEQ 0x0003000000000011ULL	/* thread 3, record 17 */

static uint8_t Buf[REC_MAX_LEN + 8];

static uint64_t
le64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static uint32_t
le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void
put_le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

/* the checksum as the format defines it, computed here apart from the codec */
static uint32_t
checksum_of(const uint8_t *rec, uint32_t len)
{
	uint8_t *copy = malloc(len);
	assert_non_null(copy);
	memcpy(copy, rec, len);
	memset(copy + 28, 0, 4);
	uint32_t crc = rec_crc32c(0, copy, len);
	free(copy);
	return crc;
}

static void
check_fails_with(uint32_t len, const char *expected)
{
	char why[256];
	assert_int_equal(rec_check(Buf, EPOCH, SEQ, len, why, sizeof(why)), -1);
	if (strstr(why, expected) == NULL)
		fail_msg("expected \"%s\" in \"%s\"", expected, why);
}

static void
crc32c_matches_the_castagnoli_check_value_and_continues_across_calls(void **state)
{
	assert_int_equal(rec_crc32c(0, "123456789", 9), 0xE3069283);
	assert_int_equal(rec_crc32c(rec_crc32c(0, "1234", 4), "56789", 5), 0xE3069283);
	assert_int_equal(rec_crc32c(0, "", 0), 0);
}

static void
seq_holds_the_thread_in_the_top_16_bits(void **state)
{
	assert_true(rec_seq(3, 17) == SEQ);
	assert_true(rec_seq(63, (1ULL << 48) + 5) == (63ULL << 48 | 5));
}

static void
header_fields_are_little_endian_at_their_offsets(void **state)
{
	rec_encode(Buf, EPOCH, SEQ, 4104);
	assert_memory_equal(Buf, "ACKCHK1\0", 8);
	assert_memory_equal(Buf + 8, "\x08\x07\x06\x05\x04\x03\x02\x01", 8);
	assert_true(le64(Buf + 16) == SEQ);
	assert_memory_equal(Buf + 24, "\x08\x10\x00\x00", 4);	/* 4104 */
	assert_int_equal(le32(Buf + 28), checksum_of(Buf, 4104));
}

static void
every_record_length_encodes_and_checks_intact(void **state)
{
	for (int i = 0; i < REC_NLENGTHS; i++) {
		char why[256] = "";
		memset(Buf, 0xee, sizeof(Buf));
		rec_encode(Buf, EPOCH, SEQ, rec_lengths[i]);
		if (rec_check(Buf, EPOCH, SEQ, rec_lengths[i], why, sizeof(why)) != 0)
			fail_msg("length %u: %s", rec_lengths[i], why);
		/* the record writes nothing past its length */
		assert_int_equal(Buf[rec_lengths[i]], 0xee);
	}
}

static void
payload_differs_between_seqs_and_epochs(void **state)
{
	static uint8_t other[256];
	rec_encode(Buf, EPOCH, SEQ, 256);
	rec_encode(other, EPOCH, SEQ + 1, 256);
	assert_memory_not_equal(Buf + 32, other + 32, 224);
	rec_encode(other, EPOCH + 1, SEQ, 256);
	assert_memory_not_equal(Buf + 32, other + 32, 224);
	rec_encode(other, EPOCH, SEQ, 256);
	assert_memory_equal(Buf, other, 256);
}

static void
each_damaged_field_is_named(void **state)
{
	rec_encode(Buf, EPOCH, SEQ, 1000);
	Buf[3] ^= 1;
	check_fails_with(1000, "bad magic 41 43 4b 42 48 4b 31 00");
	Buf[3] ^= 1;

	Buf[8] ^= 1;
	check_fails_with(1000, "holds epoch 72623859790382857 instead of 72623859790382856");
	Buf[8] ^= 1;

	Buf[16] ^= 0xff;
	check_fails_with(1000, "holds seq 0x30000000000ee instead");
	Buf[16] ^= 0xff;

	Buf[24] ^= 8;	/* 1000 = 0x3e8 becomes 0x3e0 */
	check_fails_with(1000, "holds length 992 instead");
	Buf[24] ^= 8;

	uint8_t b = Buf[32 + 100];
	Buf[32 + 100] ^= 0x40;
	char expected[128];
	snprintf(expected, sizeof(expected), "): payload byte 100 is 0x%02x, expected 0x%02x",
		b ^ 0x40, b);
	check_fails_with(1000, "checksum mismatch (stored 0x");
	check_fails_with(1000, expected);
	Buf[32 + 100] = b;

	Buf[29] ^= 1;
	check_fails_with(1000, "checksum mismatch (stored 0x");
	Buf[29] ^= 1;

	memset(Buf, 0, 1000);
	check_fails_with(1000, "missing: all 1000 bytes are zero");
}

static void
a_consistent_record_of_another_seq_is_not_taken(void **state)
{
	/* a whole other record with this one's header and a matching checksum */
	rec_encode(Buf, EPOCH, SEQ + 1, 64);
	memcpy(Buf + 16, "\x11\x00\x00\x00\x00\x00\x03\x00", 8);
	put_le32(Buf + 28, checksum_of(Buf, 64));
	check_fails_with(64, "(the checksum matches: not this record's bytes)");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(crc32c_matches_the_castagnoli_check_value_and_continues_across_calls),
		cmocka_unit_test(seq_holds_the_thread_in_the_top_16_bits),
		cmocka_unit_test(header_fields_are_little_endian_at_their_offsets),
		cmocka_unit_test(every_record_length_encodes_and_checks_intact),
		cmocka_unit_test(payload_differs_between_seqs_and_epochs),
		cmocka_unit_test(each_damaged_field_is_named),
		cmocka_unit_test(a_consistent_record_of_another_seq_is_not_taken),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
