/* async_completion.c -- what a pmem2 future asks of its mover and what follows the copy: DURABLE only at CACHE_LINE with a durable mover, a persist of the range at PAGE and with any other mover at CACHE_LINE, the flags argument ignored, dest NULL when the mover fails */
#include "async_common.h"

#define MAP_SIZE ((size_t)256 << 10)

static int
wants_durable(enum pmem2_granularity g, int mover_durable)
{
	return g == PMEM2_GRANULARITY_CACHE_LINE && mover_durable;
}

static int
wants_finaliser(enum pmem2_granularity g, int mover_durable)
{
	return g == PMEM2_GRANULARITY_PAGE ||
		(g == PMEM2_GRANULARITY_CACHE_LINE && !mover_durable);
}

/* the shape of a fresh future: the flags the mover is asked for, a persist of [dst, dst + len) or none */
static void
expect_shape(struct async_target *t, struct pmem2_future *fut, void *dst,
	size_t len, int mover_durable, const char *op)
{
	enum pmem2_granularity g = t->gran;
	uint64_t want = wants_durable(g, mover_durable) ? VDM_F_MEM_DURABLE : 0;
	if (async_vdm_flags(fut) != want)
		fail_msg("%s map, %s mover, %s: vdm flags %llu, expected %llu",
			Async_gran_names[g], Async_mover_names[t->mover], op,
			(unsigned long long)async_vdm_flags(fut),
			(unsigned long long)want);
	if (async_without_finaliser(fut) == wants_finaliser(g, mover_durable))
		fail_msg("%s map, %s mover, %s: %s finaliser",
			Async_gran_names[g], Async_mover_names[t->mover], op,
			async_without_finaliser(fut) ? "no" : "an unexpected");
	if (!async_without_finaliser(fut)) {
		struct pmem2_persist_future_data *p = &fut->data.fin.fut.persist.data;
		assert_ptr_equal(p->map, t->map);
		assert_ptr_equal(p->ptr, dst);
		assert_int_equal(p->size, len);
		assert_false(FUTURE_CHAIN_ENTRY_IS_LAST(&fut->data.op));
		assert_true(FUTURE_CHAIN_ENTRY_IS_LAST(&fut->data.fin));
	}
	assert_false(FUTURE_CHAIN_ENTRY_IS_PROCESSED(&fut->data.op));
}

/* after completion every entry that exists was run */
static void
expect_processed(struct pmem2_future *fut)
{
	assert_true(FUTURE_CHAIN_ENTRY_IS_PROCESSED(&fut->data.op));
	if (!async_without_finaliser(fut))
		assert_true(FUTURE_CHAIN_ENTRY_IS_PROCESSED(&fut->data.fin));
	assert_int_equal(fut->data.op.fut.output.result, VDM_SUCCESS);
}

static void
vdm_flags_are_durable_only_at_cache_line_with_the_default_mover(void **state)
{
	(void)state;
	static unsigned char src[4096];
	for (int g = 0; g < ASYNC_NGRANS; g++) {
		for (int m = 0; m < ASYNC_NMOVERS; m++) {
			struct async_target t;
			async_target_open(&t, Async_grans[g], (enum async_mover)m, MAP_SIZE);
			int durable = m == MOVER_DEFAULT;

			struct pmem2_future f[3];
			f[0] = pmem2_memcpy_async(t.map, t.base + 100, src, 1000, 0);
			expect_shape(&t, &f[0], t.base + 100, 1000, durable, "memcpy");
			f[1] = pmem2_memmove_async(t.map, t.base + 5000, t.base + 5001, 3000, 0);
			expect_shape(&t, &f[1], t.base + 5000, 3000, durable, "memmove");
			f[2] = pmem2_memset_async(t.map, t.base + 9000, 7, 77, 0);
			expect_shape(&t, &f[2], t.base + 9000, 77, durable, "memset");
			for (int i = 0; i < 3; i++) {
				async_wait(NULL, &f[i]);
				expect_processed(&f[i]);
			}
			memcpy(t.shadow + 100, src, 1000);
			memmove(t.shadow + 5000, t.shadow + 5001, 3000);
			memset(t.shadow + 9000, 7, 77);
			async_target_close(&t);
		}
	}
}

static const unsigned Flag_sets[] = {
	PMEM2_F_MEM_NODRAIN, PMEM2_F_MEM_NONTEMPORAL, PMEM2_F_MEM_TEMPORAL,
	PMEM2_F_MEM_WC, PMEM2_F_MEM_WB, PMEM2_F_MEM_NOFLUSH,
	PMEM2_F_MEM_VALID_FLAGS, 1u << 6, 1u << 31, ~0u,
};
#define NFLAG_SETS (sizeof(Flag_sets) / sizeof(Flag_sets[0]))

/* not even NOFLUSH: a completed future always means persistent data */
static void
the_flags_argument_changes_nothing(void **state)
{
	(void)state;
	for (int g = 0; g < ASYNC_NGRANS; g++) {
		struct async_target t;
		async_target_open(&t, Async_grans[g], MOVER_DEFAULT, MAP_SIZE);
		for (size_t i = 0; i < NFLAG_SETS; i++) {
			size_t off = 4096 * (i + 1) + i;
			struct pmem2_future f = pmem2_memset_async(t.map, t.base + off,
				(int)i, 1000, Flag_sets[i]);
			expect_shape(&t, &f, t.base + off, 1000, 1, "memset with flags");
			async_wait(NULL, &f);
			expect_processed(&f);
			memset(t.shadow + off, (int)i, 1000);
			f = pmem2_memcpy_async(t.map, t.base + off + 2000, t.base, 500,
				Flag_sets[i]);
			expect_shape(&t, &f, t.base + off + 2000, 500, 1, "memcpy with flags");
			async_wait(NULL, &f);
			memcpy(t.shadow + off + 2000, t.shadow, 500);
		}
		async_target_close(&t);
	}
}

/* the chain reports its running entry's property: only the threads mover works asynchronously */
static void
futures_are_async_only_with_the_threads_mover(void **state)
{
	(void)state;
	for (int m = 0; m < ASYNC_NMOVERS; m++) {
		struct async_target t;
		async_target_open(&t, PMEM2_GRANULARITY_PAGE, (enum async_mover)m, MAP_SIZE);
		struct pmem2_future f = pmem2_memset_async(t.map, t.base, 1, 64, 0);
		assert_non_null(f.data.op.fut.base.has_property);
		assert_non_null(f.base.has_property);
		assert_int_equal(future_has_property(FUTURE_AS_RUNNABLE(&f),
			FUTURE_PROPERTY_ASYNC), m == MOVER_THREADS);
		async_wait(NULL, &f);
		memset(t.shadow, 1, 64);
		async_target_close(&t);
	}
}

/*
 * A mover of the test's own: copies with libc at the first poll, records the
 * flags it was given; it can refuse records (op_new NULL) or report its jobs
 * corrupted, and says DURABLE or not.
 */
struct test_vdm {
	struct vdm base;
	int refuse;
	int corrupt;
	uint64_t flags_seen;
	int started;
};

static void *
t_new(struct vdm *vdm, const enum vdm_operation_type type)
{
	(void)type;
	return ((struct test_vdm *)vdm)->refuse ? NULL : vdm;
}

static int
t_start(void *data, const struct vdm_operation *op, struct future_notifier *n)
{
	struct test_vdm *v = data;
	if (n != NULL)
		n->notifier_used = FUTURE_NOTIFIER_NONE;
	v->started++;
	v->flags_seen = op->data.memcpy.flags;
	if (v->corrupt)
		return 0;
	if (op->type == VDM_OPERATION_MEMCPY)
		memcpy(op->data.memcpy.dest, op->data.memcpy.src, op->data.memcpy.n);
	else if (op->type == VDM_OPERATION_MEMMOVE)
		memmove(op->data.memmove.dest, op->data.memmove.src, op->data.memmove.n);
	else if (op->type == VDM_OPERATION_MEMSET)
		memset(op->data.memset.str, op->data.memset.c, op->data.memset.n);
	return 0;
}

static enum future_state
t_check(void *data, const struct vdm_operation *op)
{
	(void)data;
	(void)op;
	return FUTURE_STATE_COMPLETE;
}

static void
t_delete(void *data, const struct vdm_operation *op,
	struct vdm_operation_output *out)
{
	struct test_vdm *v = data;
	out->type = op->type;
	out->result = v->corrupt ? VDM_ERROR_JOB_CORRUPTED : VDM_SUCCESS;
	out->output.memcpy.dest = op->data.memcpy.dest;
}

static void
test_vdm_init(struct test_vdm *v, unsigned capabilities)
{
	memset(v, 0, sizeof(*v));
	v->base.op_new = t_new;
	v->base.op_start = t_start;
	v->base.op_check = t_check;
	v->base.op_delete = t_delete;
	v->base.capabilities = capabilities;
	v->base.has_property = NULL;	/* as PMDK's movers leave it */
}

/* a map of granularity g on a fresh file, with v as its mover */
static struct pmem2_map *
map_with(struct test_vdm *v, enum pmem2_granularity g, int *fd)
{
	*fd = test_tmpfile(NULL, MAP_SIZE, O_RDWR, NULL);
	return async_map_fd(*fd, g, &v->base);
}

static void
a_mover_that_says_durable_gets_durable_operations_and_no_finaliser_at_cache_line(void **state)
{
	(void)state;
	for (int d = 0; d < 2; d++) {
		for (int g = 0; g < ASYNC_NGRANS; g++) {
			struct test_vdm v;
			test_vdm_init(&v, d ? VDM_F_MEM_DURABLE | VDM_F_NO_CACHE_HINT : VDM_F_NO_CACHE_HINT);
			int fd;
			struct pmem2_map *map = map_with(&v, Async_grans[g], &fd);
			char *base = pmem2_map_get_address(map);
			struct pmem2_future f = pmem2_memset_async(map, base + 10, 0x42, 300, 0);
			assert_int_equal(async_without_finaliser(&f),
				!wants_finaliser(Async_grans[g], d));
			assert_int_equal(v.started, 0);
			async_wait(NULL, &f);
			assert_int_equal(v.started, 1);
			assert_int_equal(v.flags_seen,
				wants_durable(Async_grans[g], d) ? VDM_F_MEM_DURABLE : 0);
			assert_ptr_equal(FUTURE_OUTPUT(&f)->dest, base + 10);
			assert_int_equal((unsigned char)base[10], 0x42);
			assert_int_equal((unsigned char)base[309], 0x42);
			test_map_delete(&map);
			close(fd);
		}
	}
}

/* every granularity, with and without a finaliser; both ways of waiting */
static void
a_mover_failure_completes_the_future_with_a_null_dest(void **state)
{
	(void)state;
	struct runtime *rt = runtime_new();
	assert_non_null(rt);
	for (int how = 0; how < 2; how++) {	/* 0: no record, 1: corrupted job */
		for (int g = 0; g < ASYNC_NGRANS; g++) {
			struct test_vdm v;
			test_vdm_init(&v, 0);
			v.refuse = how == 0;
			v.corrupt = how == 1;
			int fd;
			struct pmem2_map *map = map_with(&v, Async_grans[g], &fd);
			char *base = pmem2_map_get_address(map);
			memset(base, 0x11, 4096);
			struct pmem2_future f[2];
			f[0] = pmem2_memcpy_async(map, base, base + 8192, 4096, 0);
			f[1] = pmem2_memset_async(map, base + 100, 0x22, 10, 0);
			if (how == 0) {
				/* no record: the operation is over before it began */
				assert_int_equal(FUTURE_STATE(&f[0].data.op.fut),
					FUTURE_STATE_COMPLETE);
				assert_int_equal(f[0].data.op.fut.output.result,
					VDM_ERROR_OUT_OF_MEMORY);
			}
			async_wait(NULL, &f[0]);
			async_wait(rt, &f[1]);
			for (int i = 0; i < 2; i++) {
				assert_null(FUTURE_OUTPUT(&f[i])->dest);
				assert_int_equal(f[i].data.op.fut.output.result,
					how == 0 ? VDM_ERROR_OUT_OF_MEMORY : VDM_ERROR_JOB_CORRUPTED);
			}
			assert_int_equal(v.started, how == 0 ? 0 : 2);
			assert_int_equal((unsigned char)base[100], 0x11);
			test_map_delete(&map);
			close(fd);
		}
	}
	runtime_delete(rt);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(vdm_flags_are_durable_only_at_cache_line_with_the_default_mover),
		cmocka_unit_test(the_flags_argument_changes_nothing),
		cmocka_unit_test(futures_are_async_only_with_the_threads_mover),
		cmocka_unit_test(a_mover_that_says_durable_gets_durable_operations_and_no_finaliser_at_cache_line),
		cmocka_unit_test(a_mover_failure_completes_the_future_with_a_null_dest),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
