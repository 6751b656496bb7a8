/* checksum.c -- the pool header checksum: Fletcher-64 over little-endian words, modulo 2^32 - 1 */
#include <stdint.h>
#include <string.h>

#include "test_common.h"
#include "checksum.h"

static void
checksum_is_fletcher_64_over_little_endian_words(void **state)
{
	(void)state;
	uint8_t zero[8] = { 0 };
	assert_int_equal(checksum_fletcher64(zero, sizeof(zero)), 0);
	assert_int_equal(checksum_fletcher64(zero, 0), 0);
	/* words 1, 2: lo 1 then 3, hi 1 then 4 */
	uint8_t two[8] = { 1, 0, 0, 0, 2, 0, 0, 0 };
	assert_int_equal(checksum_fletcher64(two, sizeof(two)), (4ull << 32) | 3);
	/* the byte order is little-endian whatever the host's: word 0x01020304 */
	uint8_t le[4] = { 4, 3, 2, 1 };
	assert_int_equal(checksum_fletcher64(le, sizeof(le)), (0x01020304ull << 32) | 0x01020304);
}

static void
sums_are_modulo_2_to_the_32_minus_1(void **state)
{
	(void)state;
	/* 0xffffffff counts as 0 */
	uint8_t ones[4] = { 0xff, 0xff, 0xff, 0xff };
	assert_int_equal(checksum_fletcher64(ones, sizeof(ones)), 0);
	uint8_t big[8] = { 0xfe, 0xff, 0xff, 0xff, 0x02, 0, 0, 0 };
	/* lo: 0xfffffffe, then (0xfffffffe + 2) mod (2^32 - 1) = 1; hi: 0xfffffffe, then 0xffffffff -> 0 */
	assert_int_equal(checksum_fletcher64(big, sizeof(big)), 1);
}

static void
order_matters_trailing_bytes_do_not_and_alignment_does_not(void **state)
{
	(void)state;
	uint8_t ab[8] = { 1, 0, 0, 0, 2, 0, 0, 0 }, ba[8] = { 2, 0, 0, 0, 1, 0, 0, 0 };
	/* plain sums would agree; Fletcher's second sum tells the order */
	assert_int_not_equal(checksum_fletcher64(ab, 8), checksum_fletcher64(ba, 8));
	uint8_t tail[11] = { 1, 0, 0, 0, 2, 0, 0, 0, 9, 9, 9 };
	assert_int_equal(checksum_fletcher64(tail, sizeof(tail)), checksum_fletcher64(ab, 8));
	uint8_t buf[4096 + 3];
	test_fill_pattern(buf, 4096, 5);
	uint64_t aligned = checksum_fletcher64(buf, 4096);
	for (unsigned shift = 1; shift < 4; shift++) {
		memmove(buf + shift, buf + shift - 1, 4096);
		assert_int_equal(checksum_fletcher64(buf + shift, 4096), aligned);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(checksum_is_fletcher_64_over_little_endian_words),
		cmocka_unit_test(sums_are_modulo_2_to_the_32_minus_1),
		cmocka_unit_test(order_matters_trailing_bytes_do_not_and_alignment_does_not),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
