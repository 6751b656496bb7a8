/* async_default_mover.c -- the mover a map gets when its config names none: one per map, durable, with every callback, running memcpy, memmove, memset and flush through the map's functions, never short of records; pmem2_config_set_vdm(cfg, NULL) brings it back */
#include "async_common.h"

#define MAP_SIZE ((size_t)256 << 10)

/* the mover a map's futures use, as they carry it */
static struct vdm *
vdm_of(struct pmem2_map *map)
{
	char *base = pmem2_map_get_address(map);
	struct pmem2_future f = pmem2_memset_async(map, base, base[0], 1, 0);
	FUTURE_BUSY_POLL(&f);
	return f.data.op.fut.data.vdm;
}

static void
every_map_has_its_own_durable_default_mover(void **state)
{
	(void)state;
	struct async_target a, b;
	async_target_open(&a, PMEM2_GRANULARITY_CACHE_LINE, MOVER_DEFAULT, MAP_SIZE);
	async_target_open(&b, PMEM2_GRANULARITY_CACHE_LINE, MOVER_DEFAULT, MAP_SIZE);
	struct vdm *va = vdm_of(a.map), *vb = vdm_of(b.map);
	assert_non_null(va);
	assert_non_null(vb);
	assert_ptr_not_equal(va, vb);
	assert_int_equal(va->capabilities, VDM_F_MEM_DURABLE);
	assert_true(vdm_is_supported(va, VDM_F_MEM_DURABLE));
	assert_false(vdm_is_supported(va, VDM_F_NO_CACHE_HINT));
	assert_non_null(va->op_new);
	assert_non_null(va->op_start);
	assert_non_null(va->op_check);
	assert_non_null(va->op_delete);
	assert_non_null(va->has_property);
	struct pmem2_future f = pmem2_memset_async(a.map, a.base, 0, 1, 0);
	assert_int_equal(va->has_property(&f.data.op.fut, FUTURE_PROPERTY_ASYNC), 0);
	async_wait(NULL, &f);
	a.shadow[0] = 0;
	async_target_close(&a);
	async_target_close(&b);
}

static void
a_mover_in_the_config_serves_every_map_made_with_it_and_null_restores_the_default(void **state)
{
	(void)state;
	struct data_mover_sync *dms = data_mover_sync_new();
	assert_non_null(dms);
	struct vdm *sync_vdm = data_mover_sync_get_vdm(dms);
	int fd = test_tmpfile(NULL, MAP_SIZE, O_RDWR, NULL);

	struct pmem2_map *m1 = async_map_fd(fd, PMEM2_GRANULARITY_CACHE_LINE, sync_vdm);
	struct pmem2_map *m2 = async_map_fd(fd, PMEM2_GRANULARITY_PAGE, sync_vdm);
	assert_ptr_equal(vdm_of(m1), sync_vdm);
	assert_ptr_equal(vdm_of(m2), sync_vdm);
	test_map_delete(&m1);
	test_map_delete(&m2);

	/* set, then unset in the same config */
	struct pmem2_source *src = test_source_fd(fd);
	struct pmem2_config *cfg;
	assert_int_equal(pmem2_config_new(&cfg), 0);
	assert_int_equal(pmem2_config_set_required_store_granularity(cfg,
		PMEM2_GRANULARITY_PAGE), 0);
	assert_int_equal(pmem2_config_set_vdm(cfg, sync_vdm), 0);
	assert_int_equal(pmem2_config_set_vdm(cfg, NULL), 0);
	setenv("PMEM2_FORCE_GRANULARITY", "cache_line", 1);
	struct pmem2_map *map;
	assert_int_equal(pmem2_map_new(&map, cfg, src), 0);
	unsetenv("PMEM2_FORCE_GRANULARITY");
	struct vdm *v = vdm_of(map);
	assert_ptr_not_equal(v, sync_vdm);
	assert_int_equal(v->capabilities, VDM_F_MEM_DURABLE);
	struct pmem2_future f = pmem2_memcpy_async(map, pmem2_map_get_address(map),
		"x", 1, 0);
	assert_int_equal(async_vdm_flags(&f), VDM_F_MEM_DURABLE);
	async_wait(NULL, &f);

	test_map_delete(&map);
	pmem2_config_delete(&cfg);
	pmem2_source_delete(&src);
	close(fd);
	data_mover_sync_delete(dms);
}

/* one vdm operation of the default mover, polled to completion; fails unless it succeeded */
static void
run(struct vdm_operation_future *f, enum vdm_operation_type type, void *dest)
{
	assert_int_equal(FUTURE_STATE(f), FUTURE_STATE_IDLE);
	FUTURE_BUSY_POLL(f);
	assert_int_equal(f->output.type, type);
	assert_int_equal(f->output.result, VDM_SUCCESS);
	if (type == VDM_OPERATION_MEMSET)
		assert_ptr_equal(f->output.output.memset.str, dest);
	else if (type != VDM_OPERATION_FLUSH)
		assert_ptr_equal(f->output.output.memcpy.dest, dest);
}

/* used directly, as any vdm: flush writes back instead of ending the process */
static void
the_default_mover_runs_every_vdm_operation_flush_included(void **state)
{
	(void)state;
	for (int g = 0; g < ASYNC_NGRANS; g++) {
		struct async_target t;
		async_target_open(&t, Async_grans[g], MOVER_DEFAULT, MAP_SIZE);
		struct vdm *v = vdm_of(t.map);
		char *b = t.base;
		unsigned char *s = t.shadow;

		struct vdm_operation_future f = vdm_memcpy(v, b + 1000, b + 70000, 5000,
			VDM_F_MEM_DURABLE);
		run(&f, VDM_OPERATION_MEMCPY, b + 1000);
		memcpy(s + 1000, s + 70000, 5000);
		f = vdm_memcpy(v, b + 9000, b + 80000, 300, 0);
		run(&f, VDM_OPERATION_MEMCPY, b + 9000);
		memcpy(s + 9000, s + 80000, 300);
		f = vdm_memmove(v, b + 20001, b + 20000, 10000, 0);
		run(&f, VDM_OPERATION_MEMMOVE, b + 20001);
		memmove(s + 20001, s + 20000, 10000);
		f = vdm_memset(v, b + 40000, 0xee, 3333, VDM_F_MEM_DURABLE);
		run(&f, VDM_OPERATION_MEMSET, b + 40000);
		memset(s + 40000, 0xee, 3333);

		/* a plain store, then written back by the mover */
		b[100000] = 'F';
		s[100000] = 'F';
		f = vdm_flush(v, b + 100000, 1, 0);
		run(&f, VDM_OPERATION_FLUSH, NULL);
		f = vdm_flush(v, b, MAP_SIZE, 0);
		run(&f, VDM_OPERATION_FLUSH, NULL);
		async_target_close(&t);
	}
}

#define OUTSTANDING 20000

/* PMDK's records come from a fixed per-thread buffer; these never run out */
static void
the_default_mover_never_runs_out_of_records(void **state)
{
	(void)state;
	struct async_target t;
	async_target_open(&t, PMEM2_GRANULARITY_CACHE_LINE, MOVER_DEFAULT, MAP_SIZE);
	struct pmem2_future *f = malloc(OUTSTANDING * sizeof(*f));
	assert_non_null(f);
	for (int i = 0; i < OUTSTANDING; i++) {
		f[i] = pmem2_memset_async(t.map, t.base + i * 8, i & 0xff, 8, 0);
		assert_int_equal(FUTURE_STATE(&f[i].data.op.fut), FUTURE_STATE_IDLE);
	}
	for (int i = OUTSTANDING - 1; i >= 0; i--) {
		FUTURE_BUSY_POLL(&f[i]);
		assert_ptr_equal(FUTURE_OUTPUT(&f[i])->dest, t.base + i * 8);
		memset(t.shadow + i * 8, i & 0xff, 8);
	}
	free(f);
	async_target_close(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_map_has_its_own_durable_default_mover),
		cmocka_unit_test(a_mover_in_the_config_serves_every_map_made_with_it_and_null_restores_the_default),
		cmocka_unit_test(the_default_mover_runs_every_vdm_operation_flush_included),
		cmocka_unit_test(the_default_mover_never_runs_out_of_records),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
