/* movers_load.c -- 10 000 random memcpy/memmove/memset operations from four threads at once through one threads mover (and some through the sync mover), each checked against libc */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "miniasync_test.h"

#define NCALLERS 4
#define OPS_PER_CALLER 2500
#define NSLOTS 16		/* operations of one batch work on distinct slots */
#define SLOT 4096
#define SOURCE_SIZE (64 << 10)

struct shared {
	struct data_mover_threads *dmt;
	struct data_mover_sync *dms;
	struct runtime *rt;	/* one runtime, used by every caller at once */
	unsigned char *source;	/* what memcpy copies from, never written */
	unsigned seed;
};

struct caller {
	struct shared *sh;
	int id;
	unsigned char *region;	/* NSLOTS slots, written through the movers */
	unsigned char *ref;	/* the same, written by libc */
	int ops, memmoves_overlapping, sync_ops, batches;
	char error[256];	/* the first mismatch, empty if none */
};

static unsigned
rnd(unsigned *state, unsigned bound)
{
	return (unsigned)(rand_r(state) % bound);
}

/* one random operation on slot, on the mover and (at once) on the reference */
static struct vdm_operation_future
random_op(struct caller *c, unsigned *rs, unsigned slot, struct vdm *vdm,
	void **expect_dest)
{
	unsigned char *s = c->region + (size_t)slot * SLOT;
	unsigned char *r = c->ref + (size_t)slot * SLOT;
	size_t n = 1 + rnd(rs, SLOT);
	size_t dst = rnd(rs, (unsigned)(SLOT - n + 1));

	switch (rnd(rs, 3)) {
	case 0: {
		size_t from = rnd(rs, (unsigned)(SOURCE_SIZE - n + 1));
		memcpy(r + dst, c->sh->source + from, n);
		*expect_dest = s + dst;
		return vdm_memcpy(vdm, s + dst, c->sh->source + from, n, 0);
	}
	case 1: {
		size_t src = rnd(rs, (unsigned)(SLOT - n + 1));
		if (src != dst && (src < dst ? dst - src : src - dst) < n)
			c->memmoves_overlapping++;
		memmove(r + dst, r + src, n);
		*expect_dest = s + dst;
		return vdm_memmove(vdm, s + dst, s + src, n, 0);
	}
	default: {
		int v = (int)rnd(rs, 256);
		memset(r + dst, v, n);
		*expect_dest = s + dst;
		return vdm_memset(vdm, s + dst, v, n, 0);
	}
	}
}

static void *
caller_run(void *arg)
{
	struct caller *c = arg;
	unsigned rs = c->sh->seed * 31 + (unsigned)c->id;
	struct vdm *threads = data_mover_threads_get_vdm(c->sh->dmt);
	struct vdm *sync = data_mover_sync_get_vdm(c->sh->dms);
	struct vdm_operation_future futs[NSLOTS];
	struct future *runnable[NSLOTS];
	void *expect[NSLOTS];

	while (c->ops < OPS_PER_CALLER && c->error[0] == '\0') {
		unsigned n = 1 + rnd(&rs, NSLOTS);
		if (n > (unsigned)(OPS_PER_CALLER - c->ops))
			n = (unsigned)(OPS_PER_CALLER - c->ops);
		unsigned first = rnd(&rs, NSLOTS);
		for (unsigned i = 0; i < n; i++) {
			int on_sync = rnd(&rs, 4) == 0;
			c->sync_ops += on_sync;
			futs[i] = random_op(c, &rs, (first + i) % NSLOTS,
				on_sync ? sync : threads, &expect[i]);
			runnable[i] = FUTURE_AS_RUNNABLE(&futs[i]);
		}
		/* odd callers poll by hand: the mover must not depend on the runtime */
		if (c->id % 2 == 0) {
			runtime_wait_multiple(c->sh->rt, runnable, n);
		} else {
			for (unsigned i = 0; i < n; i++)
				FUTURE_BUSY_POLL(&futs[i]);
		}
		for (unsigned i = 0; i < n; i++) {
			struct vdm_operation_output *o = &futs[i].output;
			if (FUTURE_STATE(&futs[i]) != FUTURE_STATE_COMPLETE ||
					o->result != VDM_SUCCESS ||
					o->output.memcpy.dest != expect[i])
				snprintf(c->error, sizeof(c->error),
					"caller %d op %d: state %d result %d dest %p, expected %p",
					c->id, c->ops + (int)i, FUTURE_STATE(&futs[i]),
					o->result, o->output.memcpy.dest, expect[i]);
		}
		c->ops += (int)n;
		c->batches++;
		for (size_t i = 0; i < (size_t)NSLOTS * SLOT; i++) {
			if (c->region[i] != c->ref[i]) {
				snprintf(c->error, sizeof(c->error),
					"caller %d after %d ops: byte %zu of slot %zu is %u, libc says %u",
					c->id, c->ops, i % SLOT, i / SLOT,
					c->region[i], c->ref[i]);
				break;
			}
		}
	}
	return NULL;
}

static void
ten_thousand_random_operations_from_four_threads_match_libc(void **state)
{
	struct shared sh = { 0 };
	sh.seed = (unsigned)time(NULL);
	printf("seed %u\n", sh.seed);
	/* a small ring: callers run into a full ring all the time */
	sh.dmt = data_mover_threads_new(4, 8, FUTURE_NOTIFIER_WAKER);
	sh.dms = data_mover_sync_new();
	sh.rt = runtime_new();
	sh.source = malloc(SOURCE_SIZE);
	assert_non_null(sh.dmt);
	assert_non_null(sh.dms);
	assert_non_null(sh.rt);
	assert_non_null(sh.source);
	test_fill_pattern(sh.source, SOURCE_SIZE, sh.seed);

	struct caller callers[NCALLERS];
	pthread_t threads[NCALLERS];
	for (int i = 0; i < NCALLERS; i++) {
		callers[i] = (struct caller){ .sh = &sh, .id = i };
		callers[i].region = malloc((size_t)NSLOTS * SLOT);
		callers[i].ref = malloc((size_t)NSLOTS * SLOT);
		assert_non_null(callers[i].region);
		assert_non_null(callers[i].ref);
		test_fill_pattern(callers[i].region, (size_t)NSLOTS * SLOT,
			(unsigned)i);
		memcpy(callers[i].ref, callers[i].region, (size_t)NSLOTS * SLOT);
	}
	for (int i = 0; i < NCALLERS; i++)
		assert_int_equal(pthread_create(&threads[i], NULL, caller_run,
			&callers[i]), 0);
	int total = 0, overlapping = 0, on_sync = 0;
	for (int i = 0; i < NCALLERS; i++) {
		pthread_join(threads[i], NULL);
		total += callers[i].ops;
		overlapping += callers[i].memmoves_overlapping;
		on_sync += callers[i].sync_ops;
	}
	printf("%d operations (%d on the sync mover), %d overlapping memmoves\n",
		total, on_sync, overlapping);
	for (int i = 0; i < NCALLERS; i++) {
		if (callers[i].error[0] != '\0')
			fail_msg("%s (seed %u)", callers[i].error, sh.seed);
		free(callers[i].region);
		free(callers[i].ref);
	}
	assert_int_equal(total, NCALLERS * OPS_PER_CALLER);
	assert_true(overlapping > 100);
	assert_true(on_sync > 0 && on_sync < total);

	free(sh.source);
	runtime_delete(sh.rt);
	data_mover_sync_delete(sh.dms);
	data_mover_threads_delete(sh.dmt);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ten_thousand_random_operations_from_four_threads_match_libc),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
