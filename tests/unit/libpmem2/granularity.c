/* granularity.c -- store granularity: requested vs available, error texts, effective value, nothing left mapped */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_common.h"
#include "test_maps.h"
#include "test_pmem2.h"

#define FILE_SIZE (2UL << 20)

static const char *Names[] = {"BYTE", "CACHE_LINE", "PAGE"};

struct world {
	char path[4096];
	int fd;
};

static int
setup(void **state)
{
	struct world *w = calloc(1, sizeof(*w));
	assert_non_null(w);
	w->fd = test_tmpfile(NULL, FILE_SIZE, O_RDWR, w->path);
	unsetenv("PMEM2_FORCE_GRANULARITY");
	*state = w;
	return 0;
}

static int
teardown(void **state)
{
	struct world *w = *state;
	unsetenv("PMEM2_FORCE_GRANULARITY");
	close(w->fd);
	free(w);
	return 0;
}

/* maps w's file requesting req while only avail is available (forced) */
static int
map_with(struct world *w, struct pmem2_map **map, int avail, int req,
	enum pmem2_sharing_type sharing)
{
	setenv("PMEM2_FORCE_GRANULARITY", Names[avail], 1);
	struct test_map_args a = TEST_MAP_ARGS((enum pmem2_granularity)req);
	a.sharing = sharing;
	*map = (struct pmem2_map *)(uintptr_t)0x1;
	int ret = test_map_fd_ret(map, w->fd, a);
	unsetenv("PMEM2_FORCE_GRANULARITY");
	return ret;
}

static void
config_set_required_store_granularity_accepts_only_the_three_values(
	void **state)
{
	(void)state;
	struct pmem2_config *cfg;
	assert_int_equal(pmem2_config_new(&cfg), 0);
	for (int g = 0; g < 3; g++)
		assert_int_equal(pmem2_config_set_required_store_granularity(
			cfg, (enum pmem2_granularity)g), 0);
	int bad[] = {3, 4, -1, 100, INT32_MAX};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(pmem2_config_set_required_store_granularity(
			cfg, (enum pmem2_granularity)bad[i]),
			PMEM2_E_GRANULARITY_NOT_SUPPORTED);
	pmem2_config_delete(&cfg);
}

static void
coarser_available_than_requested_fails_with_a_message_naming_the_cause(
	void **state)
{
	struct world *w = *state;
	struct { int avail, req; const char *cause; } cases[] = {
		{PMEM2_GRANULARITY_PAGE, PMEM2_GRANULARITY_BYTE, "MAP_SYNC"},
		{PMEM2_GRANULARITY_PAGE, PMEM2_GRANULARITY_CACHE_LINE,
			"MAP_SYNC"},
		{PMEM2_GRANULARITY_CACHE_LINE, PMEM2_GRANULARITY_BYTE, "eADR"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pmem2_map *map;
		int ret = map_with(w, &map, cases[i].avail, cases[i].req,
			PMEM2_SHARED);
		assert_int_equal(ret, PMEM2_E_GRANULARITY_NOT_SUPPORTED);
		assert_null(map);
		if (strstr(pmem2_errormsg(), cases[i].cause) == NULL)
			fail_msg("available %s requested %s: \"%s\" does not"
				" mention %s", Names[cases[i].avail],
				Names[cases[i].req], pmem2_errormsg(),
				cases[i].cause);
	}
}

static void
finer_or_equal_available_than_requested_maps_with_the_available_one(
	void **state)
{
	struct world *w = *state;
	for (int avail = 0; avail < 3; avail++) {
		for (int req = avail; req < 3; req++) {
			struct pmem2_map *map;
			assert_int_equal(map_with(w, &map, avail, req,
				PMEM2_SHARED), 0);
			assert_int_equal(pmem2_map_get_store_granularity(map),
				avail);
			test_map_delete(&map);
		}
	}
}

static void
failed_granularity_check_leaves_nothing_mapped(void **state)
{
	struct world *w = *state;
	assert_int_equal(test_count_file_mappings(w->path), 0);
	for (int i = 0; i < 20; i++) {
		struct pmem2_map *map;
		assert_int_equal(map_with(w, &map, PMEM2_GRANULARITY_PAGE,
			PMEM2_GRANULARITY_BYTE, PMEM2_SHARED),
			PMEM2_E_GRANULARITY_NOT_SUPPORTED);
		assert_int_equal(map_with(w, &map,
			PMEM2_GRANULARITY_CACHE_LINE,
			PMEM2_GRANULARITY_BYTE, PMEM2_SHARED),
			PMEM2_E_GRANULARITY_NOT_SUPPORTED);
	}
	assert_int_equal(test_count_file_mappings(w->path), 0);

	struct pmem2_map *map;
	assert_int_equal(map_with(w, &map, PMEM2_GRANULARITY_PAGE,
		PMEM2_GRANULARITY_PAGE, PMEM2_SHARED), 0);
	assert_int_equal(test_count_file_mappings(w->path), 1);
	test_map_delete(&map);
	assert_int_equal(test_count_file_mappings(w->path), 0);
}

static void
private_map_of_a_file_is_byte_whatever_is_forced(void **state)
{
	struct world *w = *state;
	for (int avail = 0; avail < 3; avail++) {
		for (int req = 0; req < 3; req++) {
			struct pmem2_map *map;
			assert_int_equal(map_with(w, &map, avail, req,
				PMEM2_PRIVATE), 0);
			assert_int_equal(pmem2_map_get_store_granularity(map),
				PMEM2_GRANULARITY_BYTE);
			test_map_delete(&map);
		}
	}
}

static void
forced_granularity_is_read_at_every_map_call(void **state)
{
	struct world *w = *state;
	struct pmem2_map *maps[3];
	for (int g = 0; g < 3; g++)
		assert_int_equal(map_with(w, &maps[g], g,
			PMEM2_GRANULARITY_PAGE, PMEM2_SHARED), 0);
	/* each map keeps the granularity it was made with */
	for (int g = 0; g < 3; g++)
		assert_int_equal(pmem2_map_get_store_granularity(maps[g]), g);
	for (int g = 0; g < 3; g++)
		test_map_delete(&maps[g]);
	/* and with the variable gone, detection is back */
	struct pmem2_map *map = test_map_fd(w->fd,
		TEST_MAP_ARGS(PMEM2_GRANULARITY_PAGE));
	assert_int_equal(pmem2_map_get_store_granularity(map),
		PMEM2_GRANULARITY_PAGE);
	test_map_delete(&map);
}

static void
failed_map_new_leaves_no_address_space_behind(void **state)
{
	struct world *w = *state;
	TEST_SKIP_ADDRESS_SPACE_ACCOUNTING_UNDER_VALGRIND();
	int rdonly = open(w->path, O_RDONLY | O_CLOEXEC);
	assert_true(rdonly >= 0);
	struct pmem2_map *map;
	/* warm up: whatever the first calls allocate for good */
	assert_int_equal(map_with(w, &map, PMEM2_GRANULARITY_PAGE,
		PMEM2_GRANULARITY_BYTE, PMEM2_SHARED),
		PMEM2_E_GRANULARITY_NOT_SUPPORTED);
	assert_int_equal(test_map_fd_ret(&map, rdonly,
		TEST_MAP_ARGS(PMEM2_GRANULARITY_PAGE)), PMEM2_E_NO_ACCESS);
	size_t before = test_mapped_bytes();
	for (int i = 0; i < 64; i++) {
		assert_int_equal(map_with(w, &map, PMEM2_GRANULARITY_PAGE,
			PMEM2_GRANULARITY_BYTE, PMEM2_SHARED),
			PMEM2_E_GRANULARITY_NOT_SUPPORTED);
		assert_int_equal(test_map_fd_ret(&map, rdonly,
			TEST_MAP_ARGS(PMEM2_GRANULARITY_PAGE)),
			PMEM2_E_NO_ACCESS);
	}
	assert_int_equal(test_mapped_bytes(), before);
	close(rdonly);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(config_set_required_store_granularity_accepts_only_the_three_values),
		cmocka_unit_test_setup_teardown(coarser_available_than_requested_fails_with_a_message_naming_the_cause, setup, teardown),
		cmocka_unit_test_setup_teardown(finer_or_equal_available_than_requested_maps_with_the_available_one, setup, teardown),
		cmocka_unit_test_setup_teardown(failed_granularity_check_leaves_nothing_mapped, setup, teardown),
		cmocka_unit_test_setup_teardown(failed_map_new_leaves_no_address_space_behind, setup, teardown),
		cmocka_unit_test_setup_teardown(private_map_of_a_file_is_byte_whatever_is_forced, setup, teardown),
		cmocka_unit_test_setup_teardown(forced_granularity_is_read_at_every_map_call, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
