/* rpmem_bench.h -- what the parts of rpmem_bench share: the timed runner, its statistics, the bare libfabric ceiling */
#ifndef RPMEM_BENCH_H
#define RPMEM_BENCH_H 1

#include <stddef.h>
#include <stdint.h>

#include "fabric.h"

#define BENCH_MAX_THREADS 2

/* one operation of len bytes at offset off (relative to the thread's region) on the thread's lane */
typedef int (*bench_op_fn)(void *ctx, unsigned thread, size_t off, size_t len);
/* after the timed loop, inside the timing: what makes the last operation count (0 or -1) */
typedef int (*bench_finish_fn)(void *ctx, unsigned thread);

struct bench_target {
	bench_op_fn op;
	bench_finish_fn finish;	/* may be NULL */
	void *ctx;
	size_t span;		/* bytes of each thread's region; offsets wrap inside it */
};

/* latencies of one row, in ns, pooled over rounds */
struct bench_samples {
	uint64_t *v;
	size_t n, cap;
};

/* what one round gives */
struct bench_round {
	double mb_per_s;	/* 10^6 bytes per second, all threads together */
	uint64_t ops;
};

/*
 * Runs op in nthreads threads (thread i on lane i) for about ms milliseconds,
 * each op timed into lat (when not NULL). -1 with a message on stderr
 * when an operation failed.
 */
int bench_run(const struct bench_target *t, unsigned nthreads, size_t len,
	int ms, struct bench_samples *lat, struct bench_round *out);

/* the q-quantile (0.5: median) of the samples, in microseconds; sorts them */
double bench_quantile_us(struct bench_samples *s, double q);

/* the median of n values (reorders them) */
double bench_median(double *v, size_t n);

void bench_samples_free(struct bench_samples *s);

/* ---- the ceiling: the link through libfabric itself, no librpmem, no rpmemd ---- */

struct bare;

/*
 * Forks a server process on 127.0.0.1 for the provider and connects
 * nlanes endpoints to it (one thread each on the server side). NULL with
 * a message on stderr when that fails.
 */
struct bare *bare_start(enum fabric_provider prov, unsigned nlanes);

/* bytes of each lane's region in the server's registered buffer */
size_t bare_span(const struct bare *b);

/* a send of len bytes on the thread's endpoint, answered by a 16-byte reply: one round trip */
int bare_pingpong(void *ctx, unsigned thread, size_t off, size_t len);

/* how many RDMA writes bare_write keeps in flight per lane (1..16; 8 at the start) */
void bare_set_window(struct bare *b, unsigned window);
unsigned bare_window(const struct bare *b);

/* posts an RDMA write of len bytes at off, at most the window in flight */
int bare_write(void *ctx, unsigned thread, size_t off, size_t len);

/* reaps every write, then one round trip: the writes have arrived (tcp: not just left) */
int bare_write_finish(void *ctx, unsigned thread);

/* closes the endpoints and reaps the server */
void bare_stop(struct bare *b);

#endif /* RPMEM_BENCH_H */
