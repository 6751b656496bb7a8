/* async_threads.c -- thousands of random pmem2 memcpy/memmove/memset futures from four threads at once, sixteen in flight per thread, through one threads mover (and through the default mover), at every granularity: map and file end up as a libc reference says */
#include <pthread.h>
#include <stdio.h>

#include "async_common.h"

#define NCALLERS 4
#define OPS_PER_CALLER 1500
#define NSLOTS 16		/* the futures of one batch work on distinct slots */
#define SLOT 4096
#define REGION (NSLOTS * SLOT)
#define MAP_SIZE ((size_t)NCALLERS * REGION)
#define SOURCE_SIZE (64 << 10)

static unsigned char Source[SOURCE_SIZE];	/* what memcpy copies from, never written */

struct caller {
	struct async_target *t;
	int id;
	unsigned seed;
	int ops, overlapping;
	char error[256];	/* the first problem, empty if none */
};

static size_t
rnd(unsigned *s, size_t bound)
{
	return (size_t)rand_r(s) % bound;
}

/* a random operation on one slot of the caller's region, also applied to the shadow */
static struct pmem2_future
random_op(struct caller *c, unsigned slot, void **dest)
{
	struct async_target *t = c->t;
	size_t base = (size_t)c->id * REGION + (size_t)slot * SLOT;
	char *m = t->base + base;
	unsigned char *s = t->shadow + base;
	size_t n = 1 + rnd(&c->seed, SLOT);
	size_t dst = rnd(&c->seed, SLOT - n + 1);

	*dest = m + dst;
	switch (rnd(&c->seed, 3)) {
	case 0: {
		size_t from = rnd(&c->seed, SOURCE_SIZE - n + 1);
		memcpy(s + dst, Source + from, n);
		return pmem2_memcpy_async(t->map, m + dst, Source + from, n, 0);
	}
	case 1: {
		size_t src = rnd(&c->seed, SLOT - n + 1);
		if (src != dst && (src < dst ? dst - src : src - dst) < n)
			c->overlapping++;
		memmove(s + dst, s + src, n);
		return pmem2_memmove_async(t->map, m + dst, m + src, n, 0);
	}
	default: {
		int v = (int)rnd(&c->seed, 256);
		memset(s + dst, v, n);
		return pmem2_memset_async(t->map, m + dst, v, n, 0);
	}
	}
}

static void *
caller_main(void *arg)
{
	struct caller *c = arg;
	struct runtime *rt = runtime_new();
	if (rt == NULL) {
		snprintf(c->error, sizeof(c->error), "runtime_new failed");
		return NULL;
	}
	struct pmem2_future futs[NSLOTS];
	struct future *runnable[NSLOTS];
	void *dest[NSLOTS];
	for (int batch = 0; c->ops < OPS_PER_CALLER; batch++) {
		for (unsigned i = 0; i < NSLOTS; i++) {
			futs[i] = random_op(c, i, &dest[i]);
			runnable[i] = FUTURE_AS_RUNNABLE(&futs[i]);
		}
		if (batch % 2)
			runtime_wait_multiple(rt, runnable, NSLOTS);
		else
			for (unsigned i = 0; i < NSLOTS; i++)
				FUTURE_BUSY_POLL(&futs[i]);
		for (unsigned i = 0; i < NSLOTS; i++) {
			if (FUTURE_STATE(&futs[i]) != FUTURE_STATE_COMPLETE ||
					FUTURE_OUTPUT(&futs[i])->dest != dest[i]) {
				snprintf(c->error, sizeof(c->error),
					"batch %d future %u: state %d dest %p, expected %p",
					batch, i, (int)FUTURE_STATE(&futs[i]),
					FUTURE_OUTPUT(&futs[i])->dest, dest[i]);
				runtime_delete(rt);
				return NULL;
			}
		}
		c->ops += NSLOTS;
	}
	runtime_delete(rt);
	return NULL;
}

static void
callers_at_every_granularity(enum async_mover mover)
{
	test_fill_pattern(Source, sizeof(Source), 99);
	for (int g = 0; g < ASYNC_NGRANS; g++) {
		struct async_target t;
		async_target_open(&t, Async_grans[g], mover, MAP_SIZE);
		struct caller c[NCALLERS];
		pthread_t th[NCALLERS];
		for (int i = 0; i < NCALLERS; i++) {
			c[i] = (struct caller){ .t = &t, .id = i,
				.seed = 1000u * (unsigned)g + (unsigned)i };
			assert_int_equal(pthread_create(&th[i], NULL, caller_main, &c[i]), 0);
		}
		int overlapping = 0;
		for (int i = 0; i < NCALLERS; i++) {
			assert_int_equal(pthread_join(th[i], NULL), 0);
			if (c[i].error[0] != '\0')
				fail_msg("%s map, %s mover, caller %d: %s",
					Async_gran_names[g], Async_mover_names[mover], i,
					c[i].error);
			assert_true(c[i].ops >= OPS_PER_CALLER);
			overlapping += c[i].overlapping;
		}
		/* the random ops did hit the case that needs a backward or forward copy */
		assert_true(overlapping > 100);
		async_target_close(&t);
	}
}

static void
thousands_of_futures_from_four_threads_through_one_threads_mover_are_exact(void **state)
{
	(void)state;
	callers_at_every_granularity(MOVER_THREADS);
}

static void
thousands_of_futures_from_four_threads_through_the_default_mover_are_exact(void **state)
{
	(void)state;
	callers_at_every_granularity(MOVER_DEFAULT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(thousands_of_futures_from_four_threads_through_one_threads_mover_are_exact),
		cmocka_unit_test(thousands_of_futures_from_four_threads_through_the_default_mover_are_exact),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
