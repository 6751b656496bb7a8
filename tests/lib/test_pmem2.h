/* test_pmem2.h -- short-hands for the libpmem2 tests: map a file or anonymous memory in one call */
#ifndef TEST_PMEM2_H
#define TEST_PMEM2_H 1

/*
 * Header-only on purpose: every .c file in tests/lib is linked into every unit test, also
 * those of components that do not link libpmem2.
 */
#include <libpmem2.h>

#include "test_common.h"

/* one mapping request: what test_map_new() hands to pmem2_map_new() */
struct test_map_args {
	enum pmem2_granularity gran;
	size_t offset;
	size_t length;
	enum pmem2_sharing_type sharing;
	unsigned prot;
	struct pmem2_vm_reservation *rsv;
	size_t rsv_offset;
};

#define TEST_MAP_ARGS(g) ((struct test_map_args){ .gran = (g), \
	.sharing = PMEM2_SHARED, \
	.prot = PMEM2_PROT_READ | PMEM2_PROT_WRITE })

/* maps src as args say; returns what pmem2_map_new() returned */
static inline int
test_map_new(struct pmem2_map **map, struct pmem2_source *src,
	struct test_map_args args)
{
	struct pmem2_config *cfg;
	assert_int_equal(pmem2_config_new(&cfg), 0);
	assert_int_equal(pmem2_config_set_required_store_granularity(cfg,
		args.gran), 0);
	assert_int_equal(pmem2_config_set_offset(cfg, args.offset), 0);
	assert_int_equal(pmem2_config_set_length(cfg, args.length), 0);
	assert_int_equal(pmem2_config_set_sharing(cfg, args.sharing), 0);
	assert_int_equal(pmem2_config_set_protection(cfg, args.prot), 0);
	if (args.rsv != NULL)
		assert_int_equal(pmem2_config_set_vm_reservation(cfg,
			args.rsv, args.rsv_offset), 0);
	int ret = pmem2_map_new(map, cfg, src);
	assert_int_equal(pmem2_config_delete(&cfg), 0);
	return ret;
}

/* a source for fd; fails the test on error */
static inline struct pmem2_source *
test_source_fd(int fd)
{
	struct pmem2_source *src;
	assert_int_equal(pmem2_source_from_fd(&src, fd), 0);
	assert_non_null(src);
	return src;
}

/* maps the file behind fd as args say and fails the test unless it works */
static inline struct pmem2_map *
test_map_fd(int fd, struct test_map_args args)
{
	struct pmem2_source *src = test_source_fd(fd);
	struct pmem2_map *map = NULL;
	int ret = test_map_new(&map, src, args);
	if (ret != 0)
		fail_msg("pmem2_map_new: %d (%s)", ret, pmem2_errormsg());
	assert_non_null(map);
	assert_int_equal(pmem2_source_delete(&src), 0);
	return map;
}

/* maps the file behind fd as args say; returns pmem2_map_new's result */
static inline int
test_map_fd_ret(struct pmem2_map **map, int fd, struct test_map_args args)
{
	struct pmem2_source *src = test_source_fd(fd);
	int ret = test_map_new(map, src, args);
	assert_int_equal(pmem2_source_delete(&src), 0);
	return ret;
}

/* deletes map and checks that it succeeded and cleared the pointer */
static inline void
test_map_delete(struct pmem2_map **map)
{
	assert_int_equal(pmem2_map_delete(map), 0);
	assert_null(*map);
}

#endif /* TEST_PMEM2_H */
