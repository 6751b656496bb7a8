/* granularity_detection.c -- PMEM2_FORCE_GRANULARITY values: case-insensitive names, the CACHELINE alias, junk ignored */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "test_common.h"
#include "test_pmem2.h"

#define FILE_SIZE (1UL << 20)

/* the effective granularity of a SHARED map of a tmpfs file with value forced */
static enum pmem2_granularity
effective_with(const char *value)
{
	/* tmpfs never has MAP_SYNC, so detection alone says PAGE */
	int fd = test_tmpfile(NULL, FILE_SIZE, O_RDWR, NULL);
	setenv("PMEM2_FORCE_GRANULARITY", value, 1);
	struct pmem2_map *map = NULL;
	int ret = test_map_fd_ret(&map, fd,
		TEST_MAP_ARGS(PMEM2_GRANULARITY_PAGE));
	unsetenv("PMEM2_FORCE_GRANULARITY");
	if (ret != 0)
		fail_msg("PMEM2_FORCE_GRANULARITY=\"%s\": map_new %d (%s)",
			value, ret, pmem2_errormsg());
	enum pmem2_granularity g = pmem2_map_get_store_granularity(map);
	test_map_delete(&map);
	close(fd);
	return g;
}

static void
force_granularity_page_gives_page(void **state)
{
	(void)state;
	assert_int_equal(effective_with("page"), PMEM2_GRANULARITY_PAGE);
	assert_int_equal(effective_with("PAGE"), PMEM2_GRANULARITY_PAGE);
}

static void
force_granularity_cache_line_gives_cache_line(void **state)
{
	(void)state;
	assert_int_equal(effective_with("cache_line"),
		PMEM2_GRANULARITY_CACHE_LINE);
	assert_int_equal(effective_with("CACHE_LINE"),
		PMEM2_GRANULARITY_CACHE_LINE);
}

static void
force_granularity_byte_gives_byte(void **state)
{
	(void)state;
	assert_int_equal(effective_with("byte"), PMEM2_GRANULARITY_BYTE);
	assert_int_equal(effective_with("BYTE"), PMEM2_GRANULARITY_BYTE);
}

static void
force_granularity_ignores_letter_case(void **state)
{
	(void)state;
	assert_int_equal(effective_with("CaCHe_Line"),
		PMEM2_GRANULARITY_CACHE_LINE);
	assert_int_equal(effective_with("bYtE"), PMEM2_GRANULARITY_BYTE);
	assert_int_equal(effective_with("pAGe"), PMEM2_GRANULARITY_PAGE);
}

static void
force_granularity_accepts_the_cacheline_alias(void **state)
{
	(void)state;
	assert_int_equal(effective_with("CACHELINE"),
		PMEM2_GRANULARITY_CACHE_LINE);
	assert_int_equal(effective_with("cacheline"),
		PMEM2_GRANULARITY_CACHE_LINE);
}

static void
force_granularity_with_unknown_value_falls_back_to_detection(void **state)
{
	(void)state;
	const char *junk[] = {"", "garbage", "cachelin", "CACHE_LINEX",
		"bytes", "PAGE ", " page", "0", "1", "2",
		"CACHE_LINE_CACHE_LINE"};
	for (size_t i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
		enum pmem2_granularity g = effective_with(junk[i]);
		if (g != PMEM2_GRANULARITY_PAGE)
			fail_msg("\"%s\" gave %d", junk[i], g);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(force_granularity_page_gives_page),
		cmocka_unit_test(force_granularity_cache_line_gives_cache_line),
		cmocka_unit_test(force_granularity_byte_gives_byte),
		cmocka_unit_test(force_granularity_ignores_letter_case),
		cmocka_unit_test(force_granularity_accepts_the_cacheline_alias),
		cmocka_unit_test(force_granularity_with_unknown_value_falls_back_to_detection),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
