/* pmem2_replicated_copy.c -- pmem2_memcpy_async through rpmem_vdm: one future copies into a local pmem2 map, replicates to rpmemd and persists locally */
#define PMEM2_USE_MINIASYNC 1
#include <fcntl.h>
#include <libminiasync.h>
#include <libpmem2.h>
#include <librpmem/async.h>

#include "rpmem_test_env.h"

#define POOL_SIZE ((size_t)8 << 20)
#define HDR 4096
#define NLANES 4
#define NFUT 48
#define LEN 30000

static void
replicated_copies_land_in_the_local_file_and_the_remote_part(const char *granularity)
{
	setenv("PMEM2_FORCE_GRANULARITY", granularity, 1);
	struct rpmem_env env;
	rpmem_env_setup(&env, "tcp");
	rpmem_env_unlink(&env, "copy.part");
	rpmem_env_write(&env, "copy.set", "PMEMPOOLSET\n8M copy.part\n");

	char path[PATH_MAX];
	int fd = test_tmpfile("/dev/shm", POOL_SIZE, O_RDWR, path);
	struct rpmem_vdm *rv = rpmem_vdm_new();
	assert_non_null(rv);
	struct pmem2_config *cfg;
	struct pmem2_source *src;
	struct pmem2_map *map;
	assert_int_equal(pmem2_config_new(&cfg), 0);
	assert_int_equal(pmem2_config_set_required_store_granularity(cfg,
		PMEM2_GRANULARITY_PAGE), 0);
	assert_int_equal(pmem2_config_set_vdm(cfg, rpmem_vdm_get_vdm(rv)), 0);
	assert_int_equal(pmem2_source_from_fd(&src, fd), 0);
	assert_int_equal(pmem2_map_new(&map, cfg, src), 0);
	char *base = pmem2_map_get_address(map);

	/* the map's memory is the pool librpmem replicates */
	struct rpmem_pool_attr attr;
	memset(&attr, 0, sizeof(attr));
	memcpy(attr.signature, "PM2COPY", 7);
	unsigned nlanes = NLANES;
	RPMEMpool *rpp = rpmem_create("localhost", "copy.set", base, POOL_SIZE, &nlanes, &attr);
	if (rpp == NULL)
		fail_msg("rpmem_create: %s", rpmem_errormsg());
	assert_int_equal(rpmem_vdm_set_pool(rv, rpp), 0);

	static char data[NFUT][LEN];
	static struct pmem2_future f[NFUT];
	struct future *fs[NFUT];
	struct runtime *rt = runtime_new();
	for (int i = 0; i < NFUT; i++) {
		test_fill_pattern(data[i], LEN, (unsigned)i + 100);
		char *dst = base + HDR + (size_t)i * LEN;
		f[i] = i % 2 ? pmem2_memmove_async(map, dst, data[i], LEN, 0) :
			pmem2_memcpy_async(map, dst, data[i], LEN, 0);
		fs[i] = FUTURE_AS_RUNNABLE(&f[i]);
	}
	runtime_wait_multiple(rt, fs, NFUT);

	char *remote = malloc(LEN), *local = malloc(LEN);
	for (int i = 0; i < NFUT; i++) {
		size_t off = HDR + (size_t)i * LEN;
		assert_ptr_equal(FUTURE_OUTPUT(&f[i])->dest, base + off);
		assert_int_equal(FUTURE_OUTPUT(&f[i].data.op.fut)->result, VDM_SUCCESS);
		rpmem_env_read_part(&env, "copy.part", remote, LEN, (off_t)off);
		assert_memory_equal(remote, data[i], LEN);
		assert_int_equal(pread(fd, local, LEN, (off_t)off), LEN);
		assert_memory_equal(local, data[i], LEN);
	}

	/* the pool header cannot be replicated into: the copy is local only, and says so */
	struct pmem2_future hdr = pmem2_memset_async(map, base + 64, 0x11, 64, 0);
	runtime_wait(rt, FUTURE_AS_RUNNABLE(&hdr));
	assert_null(FUTURE_OUTPUT(&hdr)->dest);
	assert_int_equal(FUTURE_OUTPUT(&hdr.data.op.fut)->result, VDM_ERROR_JOB_CORRUPTED);
	assert_int_equal(pread(fd, local, 64, 64), 64);
	for (int i = 0; i < 64; i++)
		assert_int_equal(local[i], 0x11);

	free(remote);
	free(local);
	runtime_delete(rt);
	assert_int_equal(rpmem_close(rpp), 0);
	assert_int_equal(pmem2_map_delete(&map), 0);
	rpmem_vdm_delete(rv);
	pmem2_source_delete(&src);
	pmem2_config_delete(&cfg);
	close(fd);
	unlink(path);
	unsetenv("PMEM2_FORCE_GRANULARITY");
}

static void
at_cache_line_granularity(void **state)
{
	(void)state;
	replicated_copies_land_in_the_local_file_and_the_remote_part("cache_line");
}

static void
at_page_granularity(void **state)
{
	(void)state;
	replicated_copies_land_in_the_local_file_and_the_remote_part("page");
}

static void
at_byte_granularity(void **state)
{
	(void)state;
	replicated_copies_land_in_the_local_file_and_the_remote_part("byte");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(at_cache_line_granularity),
		cmocka_unit_test(at_page_granularity),
		cmocka_unit_test(at_byte_granularity),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
