/* basic_async.c -- example: hundreds of futures of three kinds, waited at once with runtime_wait_multiple */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libminiasync.h"

#define NCOPIES 128	/* memcpy on the threads mover */
#define NFILLS 64	/* memset on the synchronous mover */
#define NSUMS 64	/* our own futures: checksums computed a slice per poll */
#define BUF_SIZE 4096
#define SLICE 512

/* sums a buffer SLICE bytes per poll, so it takes several polls */
struct sum_data {
	const unsigned char *buf;
	size_t len;
	size_t done;
	uint64_t sum;
};
struct sum_output {
	uint64_t sum;
};
FUTURE(sum_future, struct sum_data, struct sum_output);

static enum future_state
sum_task(struct future_context *ctx, struct future_notifier *notifier)
{
	struct sum_data *d = future_context_get_data(ctx);

	if (notifier != NULL)
		notifier->notifier_used = FUTURE_NOTIFIER_NONE;
	size_t end = d->done + SLICE < d->len ? d->done + SLICE : d->len;
	for (; d->done < end; d->done++)
		d->sum += d->buf[d->done];
	if (d->done < d->len)
		return FUTURE_STATE_RUNNING;
	((struct sum_output *)future_context_get_output(ctx))->sum = d->sum;
	return FUTURE_STATE_COMPLETE;
}

static struct sum_future
sum_async(const unsigned char *buf, size_t len)
{
	struct sum_future fut;
	FUTURE_INIT(&fut, sum_task);
	fut.data = (struct sum_data){ .buf = buf, .len = len };
	return fut;
}

int
main(void)
{
	static unsigned char src[BUF_SIZE];
	static unsigned char copies[NCOPIES][BUF_SIZE];
	static unsigned char fills[NFILLS][BUF_SIZE];
	static struct vdm_operation_future copy_futs[NCOPIES];
	static struct vdm_operation_future fill_futs[NFILLS];
	static struct sum_future sum_futs[NSUMS];
	struct future *all[NCOPIES + NFILLS + NSUMS];
	size_t n = 0;

	for (size_t i = 0; i < BUF_SIZE; i++)
		src[i] = (unsigned char)(i * 7 + 3);

	struct runtime *runtime = runtime_new();
	struct data_mover_threads *dmt = data_mover_threads_default();
	struct data_mover_sync *dms = data_mover_sync_new();
	if (runtime == NULL || dmt == NULL || dms == NULL) {
		fprintf(stderr, "cannot create the runtime or the movers\n");
		return 1;
	}
	struct vdm *threads = data_mover_threads_get_vdm(dmt);
	struct vdm *sync = data_mover_sync_get_vdm(dms);

	/* interleave the kinds, so the runtime polls them mixed */
	for (size_t i = 0; i < NCOPIES; i++) {
		copy_futs[i] = vdm_memcpy(threads, copies[i], src, BUF_SIZE, 0);
		all[n++] = FUTURE_AS_RUNNABLE(&copy_futs[i]);
		if (i % 2 == 0) {
			fill_futs[i / 2] = vdm_memset(sync, fills[i / 2],
				(int)(i / 2), BUF_SIZE, 0);
			all[n++] = FUTURE_AS_RUNNABLE(&fill_futs[i / 2]);
		} else {
			sum_futs[i / 2] = sum_async(src, BUF_SIZE);
			all[n++] = FUTURE_AS_RUNNABLE(&sum_futs[i / 2]);
		}
	}
	runtime_wait_multiple(runtime, all, n);

	uint64_t expected = 0;
	for (size_t i = 0; i < BUF_SIZE; i++)
		expected += src[i];
	int bad = 0;
	for (size_t i = 0; i < NCOPIES; i++)
		bad += FUTURE_OUTPUT(&copy_futs[i])->result != VDM_SUCCESS ||
			memcmp(copies[i], src, BUF_SIZE) != 0;
	for (size_t i = 0; i < NFILLS; i++) {
		bad += FUTURE_OUTPUT(&fill_futs[i])->result != VDM_SUCCESS;
		for (size_t j = 0; j < BUF_SIZE; j++)
			bad += fills[i][j] != (unsigned char)i;
	}
	for (size_t i = 0; i < NSUMS; i++)
		bad += FUTURE_OUTPUT(&sum_futs[i])->sum != expected;

	printf("%zu futures complete: %d copies, %d fills, %d sums of %llu\n",
		n, NCOPIES, NFILLS, NSUMS, (unsigned long long)expected);
	printf("%d mismatches\n", bad);

	data_mover_sync_delete(dms);
	data_mover_threads_delete(dmt);
	runtime_delete(runtime);
	return bad != 0;
}
