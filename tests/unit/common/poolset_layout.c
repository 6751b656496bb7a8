/* poolset_layout.c -- replica sizes as PMDK computes them, part headers, the minimum part size check */
#include <errno.h>
#include <string.h>

#include "test_common.h"
#include "err.h"
#include "poolset.h"

#define KiB (1ull << 10)
#define MiB (1ull << 20)

static struct poolset *
parse(const char *text)
{
	struct poolset *set = NULL;
	int ret = poolset_parse(text, strlen(text), NULL, &set);
	if (ret != 0)
		fail_msg("poolset_parse returned %d: %s", ret, err_last());
	return set;
}

/* the size of replica r, failing the test on an error */
static uint64_t
size_of(const char *text, unsigned r, size_t pagesize)
{
	struct poolset *set = parse(text);
	uint64_t size = 0;
	int ret = poolset_replica_size(set, r, pagesize, &size);
	if (ret != 0)
		fail_msg("poolset_replica_size returned %d: %s", ret, err_last());
	poolset_free(set);
	return size;
}

static void
size_error(const char *text, unsigned r, size_t pagesize, const char *msg)
{
	struct poolset *set = parse(text);
	uint64_t size = 12345;
	assert_int_equal(poolset_replica_size(set, r, pagesize, &size), -EINVAL);
	assert_int_equal(size, 12345);
	assert_string_equal(err_last(), msg);
	poolset_free(set);
}

static void
two_8M_parts_give_16M_minus_one_header(void **state)
{
	(void)state;
	assert_int_equal(size_of("PMEMPOOLSET\n8M /a\n8M /b\n", 0, 4096), 16 * MiB - 4 * KiB);
}

static void
one_32M_part_gives_32M_header_included(void **state)
{
	(void)state;
	assert_int_equal(size_of("PMEMPOOLSET\n32M /a\n", 0, 4096), 32 * MiB);
}

static void
every_part_after_the_first_loses_its_header(void **state)
{
	(void)state;
	assert_int_equal(size_of("PMEMPOOLSET\n8M /a\n8M /b\n2M /c\n4M /d\n", 0, 4096),
		22 * MiB - 3 * 4 * KiB);
}

static void
singlehdr_and_nohdrs_keep_every_byte_of_later_parts(void **state)
{
	(void)state;
	assert_int_equal(size_of("PMEMPOOLSET\nOPTION SINGLEHDR\n8M /a\n8M /b\n", 0, 4096),
		16 * MiB);
	assert_int_equal(size_of("PMEMPOOLSET\nOPTION NOHDRS\n8M /a\n8M /b\n", 0, 4096), 16 * MiB);
	assert_int_equal(size_of("PMEMPOOLSET\nOPTION NOHDRS\n4K /a\n4K /b\n", 0, 4096), 8 * KiB);
}

static void
part_sizes_are_rounded_down_to_the_page_size(void **state)
{
	(void)state;
	/* 8M + 100 bytes and 8M + 4095 bytes: the tails are not mapped */
	assert_int_equal(size_of("PMEMPOOLSET\n8388708 /a\n8392703 /b\n", 0, 4096),
		16 * MiB - 4 * KiB);
	assert_int_equal(size_of("PMEMPOOLSET\n100K /a\n100K /b\n", 0, 64 * KiB),
		64 * KiB + 60 * KiB);
	assert_int_equal(size_of("PMEMPOOLSET\n3M /a\n", 0, 2 * MiB), 2 * MiB);
}

static void
each_local_replica_has_its_own_size(void **state)
{
	(void)state;
	const char *text = "PMEMPOOLSET\n32M /a\nREPLICA\n8M /b\n8M /c\nREPLICA\n20M /d\n";
	assert_int_equal(size_of(text, 0, 4096), 32 * MiB);
	assert_int_equal(size_of(text, 1, 4096), 16 * MiB - 4 * KiB);
	assert_int_equal(size_of(text, 2, 4096), 20 * MiB);
}

static void
size_of_a_remote_or_missing_replica_fails(void **state)
{
	(void)state;
	const char *text = "PMEMPOOLSET\n8M /a\nREPLICA host r.set\n";
	size_error(text, 1, 4096, "line 3: replica 1 is remote: its size is known on its node");
	size_error(text, 2, 4096, "replica 2 does not exist (the set has 2)");
}

static void
size_with_an_auto_part_fails_naming_its_line(void **state)
{
	(void)state;
	size_error("PMEMPOOLSET\n8M /a\nAUTO /dev/dax0.0\n", 0, 4096,
		"line 3: part size AUTO is known only once the device is open");
}

static void
part_with_nothing_after_its_header_fails(void **state)
{
	(void)state;
	size_error("PMEMPOOLSET\n8M /a\n4K /b\n", 0, 4096,
		"line 3: part size 4096 leaves no data after its 4096-byte header");
	size_error("PMEMPOOLSET\n8M /a\n8191 /b\n", 0, 4096,
		"line 3: part size 8191 leaves no data after its 4096-byte header");
	assert_int_equal(size_of("PMEMPOOLSET\n8M /a\n8K /b\n", 0, 4096), 8 * MiB + 4 * KiB);
}

static void
part_smaller_than_a_page_fails(void **state)
{
	(void)state;
	size_error("PMEMPOOLSET\n100 /a\n", 0, 4096,
		"line 2: part size 100 is smaller than the page size 4096");
	size_error("PMEMPOOLSET\n8M /a\n60K /b\n", 0, 64 * KiB,
		"line 3: part size 61440 is smaller than the page size 65536");
}

static void
size_overflowing_64_bits_fails(void **state)
{
	(void)state;
	size_error("PMEMPOOLSET\nOPTION NOHDRS\n16383P /a\n16383P /b\n", 0, 4096,
		"replica 0: its size overflows 64 bits");
	assert_int_equal(size_of("PMEMPOOLSET\nOPTION NOHDRS\n8191P /a\n8192P /b\n", 0, 4096),
		16383ull << 50);
}

static void
bad_page_size_fails(void **state)
{
	(void)state;
	const char *text = "PMEMPOOLSET\n8M /a\n";
	size_error(text, 0, 3000, "page size 3000 is not a power of two of at least 4096");
	size_error(text, 0, 0, "page size 0 is not a power of two of at least 4096");
	size_error(text, 0, 2048, "page size 2048 is not a power of two of at least 4096");
}

static void
part_headers_follow_the_options(void **state)
{
	(void)state;
	struct poolset *set = parse("PMEMPOOLSET\n8M /a\n");
	assert_int_equal(poolset_part_has_hdr(set, 0), 1);
	assert_int_equal(poolset_part_has_hdr(set, 1), 1);
	assert_int_equal(poolset_part_has_hdr(set, 7), 1);
	set->singlehdr = 1;
	assert_int_equal(poolset_part_has_hdr(set, 0), 1);
	assert_int_equal(poolset_part_has_hdr(set, 1), 0);
	set->nohdrs = 1;
	assert_int_equal(poolset_part_has_hdr(set, 0), 0);
	assert_int_equal(poolset_part_has_hdr(set, 1), 0);
	set->singlehdr = 0;
	assert_int_equal(poolset_part_has_hdr(set, 0), 0);
	assert_int_equal(poolset_part_has_hdr(set, 1), 0);
	poolset_free(set);
}

static void
part_below_the_minimum_fails_naming_its_line(void **state)
{
	(void)state;
	struct poolset *set = parse("PMEMPOOLSET\n2M /a\nREPLICA\n2M /b\n2044K /c\n");
	assert_int_equal(poolset_check_min_part(set, 2 * MiB), -EINVAL);
	assert_string_equal(err_last(), "line 5: part size 2093056 is below the minimum of 2097152 bytes");
	assert_int_equal(poolset_check_min_part(set, 2044 * KiB), 0);
	poolset_free(set);
}

static void
minimum_part_check_skips_auto_parts_and_remote_replicas(void **state)
{
	(void)state;
	struct poolset *set = parse("PMEMPOOLSET\nAUTO /dev/dax0.0\n2M /a\nREPLICA h r.set\n");
	assert_int_equal(poolset_check_min_part(set, 2 * MiB), 0);
	poolset_free(set);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(two_8M_parts_give_16M_minus_one_header),
		cmocka_unit_test(one_32M_part_gives_32M_header_included),
		cmocka_unit_test(every_part_after_the_first_loses_its_header),
		cmocka_unit_test(singlehdr_and_nohdrs_keep_every_byte_of_later_parts),
		cmocka_unit_test(part_sizes_are_rounded_down_to_the_page_size),
		cmocka_unit_test(each_local_replica_has_its_own_size),
		cmocka_unit_test(size_of_a_remote_or_missing_replica_fails),
		cmocka_unit_test(size_with_an_auto_part_fails_naming_its_line),
		cmocka_unit_test(part_with_nothing_after_its_header_fails),
		cmocka_unit_test(part_smaller_than_a_page_fails),
		cmocka_unit_test(size_overflowing_64_bits_fails),
		cmocka_unit_test(bad_page_size_fails),
		cmocka_unit_test(part_headers_follow_the_options),
		cmocka_unit_test(part_below_the_minimum_fails_naming_its_line),
		cmocka_unit_test(minimum_part_check_skips_auto_parts_and_remote_replicas),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
