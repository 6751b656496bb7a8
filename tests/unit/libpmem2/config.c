/* config.c -- pmem2_config_new/delete and every pmem2_config_set_*: accepted values, exact error codes */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "test_common.h"
#include "test_pmem2.h"

/* -DPMDK_REFERENCE checks the codes against Debian's PMDK, whose messages and errno differ */
#ifdef PMDK_REFERENCE
#define assert_errormsg(s) ((void)0)
#define assert_errno(e) ((void)0)
#else
#define assert_errormsg(s) assert_string_equal(pmem2_errormsg(), (s))
#define assert_errno(e) assert_int_equal(errno, (e))
#endif

static struct pmem2_config *
new_config(void)
{
	struct pmem2_config *cfg = NULL;
	assert_int_equal(pmem2_config_new(&cfg), 0);
	assert_non_null(cfg);
	return cfg;
}

static void
config_delete_clears_the_pointer(void **state)
{
	(void)state;
	struct pmem2_config *cfg = new_config();
	assert_int_equal(pmem2_config_delete(&cfg), 0);
	assert_null(cfg);
}

static void
config_delete_of_a_null_config_succeeds(void **state)
{
	(void)state;
	struct pmem2_config *cfg = NULL;
	assert_int_equal(pmem2_config_delete(&cfg), 0);
	assert_null(cfg);
}

/* defaults: offset 0, whole source, shared, read-write; granularity unset */
static void
config_new_defaults_map_the_whole_file_shared_and_writable(void **state)
{
	(void)state;
	char path[4096];
	int fd = test_tmpfile(NULL, 8192, O_RDWR, path);
	struct pmem2_source *src = test_source_fd(fd);
	struct pmem2_config *cfg = new_config();
	struct pmem2_map *map = NULL;

	assert_int_equal(pmem2_map_new(&map, cfg, src),
		PMEM2_E_GRANULARITY_NOT_SET);
	assert_int_equal(pmem2_config_set_required_store_granularity(cfg,
		PMEM2_GRANULARITY_PAGE), 0);
	assert_int_equal(pmem2_map_new(&map, cfg, src), 0);
	assert_int_equal(pmem2_map_get_size(map), 8192);
	char *addr = pmem2_map_get_address(map);
	memcpy(addr + 8000, "shared", 7);
	pmem2_get_persist_fn(map)(addr + 8000, 7);
	assert_int_equal(pmem2_map_delete(&map), 0);

	char buf[7];
	assert_int_equal(pread(fd, buf, 7, 8000), 7);
	assert_string_equal(buf, "shared");
	pmem2_config_delete(&cfg);
	pmem2_source_delete(&src);
	close(fd);
}

static void
config_set_granularity_accepts_byte_cache_line_and_page(void **state)
{
	(void)state;
	struct pmem2_config *cfg = new_config();
	assert_int_equal(pmem2_config_set_required_store_granularity(cfg,
		PMEM2_GRANULARITY_BYTE), 0);
	assert_int_equal(pmem2_config_set_required_store_granularity(cfg,
		PMEM2_GRANULARITY_CACHE_LINE), 0);
	assert_int_equal(pmem2_config_set_required_store_granularity(cfg,
		PMEM2_GRANULARITY_PAGE), 0);
	pmem2_config_delete(&cfg);
}

static void
config_set_granularity_to_unknown_value_fails_with_granularity_not_supported(void **state)
{
	(void)state;
	struct pmem2_config *cfg = new_config();
	assert_int_equal(pmem2_config_set_required_store_granularity(cfg,
		(enum pmem2_granularity)3), PMEM2_E_GRANULARITY_NOT_SUPPORTED);
	assert_errormsg("unknown granularity value 3");
	assert_errno(EINVAL);
	assert_int_equal(pmem2_config_set_required_store_granularity(cfg,
		(enum pmem2_granularity)-1), PMEM2_E_GRANULARITY_NOT_SUPPORTED);
	assert_errormsg("unknown granularity value -1");
	pmem2_config_delete(&cfg);
}

static void
config_set_offset_accepts_int64_max(void **state)
{
	(void)state;
	struct pmem2_config *cfg = new_config();
	assert_int_equal(pmem2_config_set_offset(cfg, 0), 0);
	assert_int_equal(pmem2_config_set_offset(cfg, INT64_MAX), 0);
	pmem2_config_delete(&cfg);
}

static void
config_set_offset_above_int64_max_fails_with_offset_out_of_range(void **state)
{
	(void)state;
	struct pmem2_config *cfg = new_config();
	assert_int_equal(pmem2_config_set_offset(cfg, (size_t)INT64_MAX + 1),
		PMEM2_E_OFFSET_OUT_OF_RANGE);
	assert_errormsg("offset is greater than INT64_MAX");
	assert_errno(EINVAL);
	assert_int_equal(pmem2_config_set_offset(cfg, SIZE_MAX),
		PMEM2_E_OFFSET_OUT_OF_RANGE);
	pmem2_config_delete(&cfg);
}

/* a rejected offset leaves the previous one in force */
static void
config_set_offset_failure_keeps_the_previous_offset(void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, 3 * 4096, O_RDWR, NULL);
	struct pmem2_source *src = test_source_fd(fd);
	struct pmem2_config *cfg = new_config();
	pmem2_config_set_required_store_granularity(cfg,
		PMEM2_GRANULARITY_PAGE);
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	assert_int_equal(pmem2_config_set_offset(cfg, page), 0);
	assert_int_equal(pmem2_config_set_offset(cfg, SIZE_MAX),
		PMEM2_E_OFFSET_OUT_OF_RANGE);

	struct pmem2_map *map = NULL;
	assert_int_equal(pmem2_map_new(&map, cfg, src), 0);
	assert_int_equal(pmem2_map_get_size(map), 3 * 4096 - page);
	pmem2_map_delete(&map);
	pmem2_config_delete(&cfg);
	pmem2_source_delete(&src);
	close(fd);
}

static void
config_set_length_accepts_any_value(void **state)
{
	(void)state;
	struct pmem2_config *cfg = new_config();
	assert_int_equal(pmem2_config_set_length(cfg, 0), 0);
	assert_int_equal(pmem2_config_set_length(cfg, 4096), 0);
	assert_int_equal(pmem2_config_set_length(cfg, SIZE_MAX), 0);
	pmem2_config_delete(&cfg);
}

static void
config_set_sharing_accepts_shared_and_private(void **state)
{
	(void)state;
	struct pmem2_config *cfg = new_config();
	assert_int_equal(pmem2_config_set_sharing(cfg, PMEM2_SHARED), 0);
	assert_int_equal(pmem2_config_set_sharing(cfg, PMEM2_PRIVATE), 0);
	pmem2_config_delete(&cfg);
}

static void
config_set_sharing_to_unknown_value_fails_with_invalid_sharing_value(void **state)
{
	(void)state;
	struct pmem2_config *cfg = new_config();
	assert_int_equal(pmem2_config_set_sharing(cfg,
		(enum pmem2_sharing_type)2), PMEM2_E_INVALID_SHARING_VALUE);
	assert_errormsg("invalid sharing value 2");
	assert_errno(EINVAL);
	assert_int_equal(pmem2_config_set_sharing(cfg,
		(enum pmem2_sharing_type)-1), PMEM2_E_INVALID_SHARING_VALUE);
	pmem2_config_delete(&cfg);
}

static void
config_set_protection_accepts_every_combination_of_known_flags(void **state)
{
	(void)state;
	struct pmem2_config *cfg = new_config();
	const unsigned bits[] = { PMEM2_PROT_EXEC, PMEM2_PROT_READ,
		PMEM2_PROT_WRITE };
	for (unsigned mask = 0; mask < 8; mask++) {
		unsigned prot = PMEM2_PROT_NONE;
		for (unsigned i = 0; i < 3; i++)
			if (mask & (1U << i))
				prot |= bits[i];
		assert_int_equal(pmem2_config_set_protection(cfg, prot), 0);
	}
	pmem2_config_delete(&cfg);
}

static void
config_set_protection_with_unknown_bits_fails_with_invalid_prot_flag(void **state)
{
	(void)state;
	struct pmem2_config *cfg = new_config();
	assert_int_equal(pmem2_config_set_protection(cfg, 1),
		PMEM2_E_INVALID_PROT_FLAG);
	assert_errormsg("invalid protection flags 0x1 (unknown bits 0x1)");
	assert_errno(EINVAL);
	assert_int_equal(pmem2_config_set_protection(cfg,
		PMEM2_PROT_READ | (1U << 28)), PMEM2_E_INVALID_PROT_FLAG);
	assert_errormsg("invalid protection flags 0x50000000 "
		"(unknown bits 0x10000000)");
	pmem2_config_delete(&cfg);
}

static void
config_set_vm_reservation_accepts_null(void **state)
{
	(void)state;
	struct pmem2_config *cfg = new_config();
	assert_int_equal(pmem2_config_set_vm_reservation(cfg, NULL, 0), 0);
	pmem2_config_delete(&cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(config_delete_clears_the_pointer),
		cmocka_unit_test(config_delete_of_a_null_config_succeeds),
		cmocka_unit_test(config_new_defaults_map_the_whole_file_shared_and_writable),
		cmocka_unit_test(config_set_granularity_accepts_byte_cache_line_and_page),
		cmocka_unit_test(config_set_granularity_to_unknown_value_fails_with_granularity_not_supported),
		cmocka_unit_test(config_set_offset_accepts_int64_max),
		cmocka_unit_test(config_set_offset_above_int64_max_fails_with_offset_out_of_range),
		cmocka_unit_test(config_set_offset_failure_keeps_the_previous_offset),
		cmocka_unit_test(config_set_length_accepts_any_value),
		cmocka_unit_test(config_set_sharing_accepts_shared_and_private),
		cmocka_unit_test(config_set_sharing_to_unknown_value_fails_with_invalid_sharing_value),
		cmocka_unit_test(config_set_protection_accepts_every_combination_of_known_flags),
		cmocka_unit_test(config_set_protection_with_unknown_bits_fails_with_invalid_prot_flag),
		cmocka_unit_test(config_set_vm_reservation_accepts_null),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
