/* pmemobj_bench_run.c -- the timed loop of pmemobj_bench: pmemobj_memcpy_persist back to back in threads started together, each in its own region of the root */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "pmemobj_bench.h"

/* the largest size copied */
#define SRC_MAX ((size_t)64 << 10)

/* holds the threads until all exist, then starts them together or sends them home */
struct gate {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int state;	/* 0: wait, 1: run, -1: go away */
};

struct worker {
	const struct objbench_pool *p;
	size_t size;
	unsigned idx;
	int ms;
	struct gate *gate;
	/* results */
	uint64_t ops;
	double busy_s, t_start, t_end;
	int failed;
};

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* the gate's state once it is no longer 0 */
static int
gate_wait(struct gate *g)
{
	pthread_mutex_lock(&g->lock);
	while (g->state == 0)
		pthread_cond_wait(&g->cond, &g->lock);
	int state = g->state;
	pthread_mutex_unlock(&g->lock);
	return state;
}

static void
gate_open(struct gate *g, int state)
{
	pthread_mutex_lock(&g->lock);
	g->state = state;
	pthread_cond_broadcast(&g->cond);
	pthread_mutex_unlock(&g->lock);
}

static void *
worker_main(void *arg)
{
	struct worker *wk = arg;
	static char src[OBJBENCH_MAX_THREADS][SRC_MAX];
	memset(src[wk->idx], 'a' + (int)wk->idx, wk->size);
	char *region = wk->p->root + wk->idx * wk->p->region;
	size_t off = 0;
	if (gate_wait(wk->gate) < 0)
		return NULL;
	double t = now_s(), end = t + wk->ms / 1e3;
	wk->t_start = t;
	while (t < end) {
		/* a successful call leaves errno alone: the void call's only failure report */
		errno = 0;
		pmemobj_memcpy_persist(wk->p->pop, region + off, src[wk->idx], wk->size);
		double done = now_s();
		if (errno != 0) {
			fprintf(stderr, "pmemobj_bench: pmemobj_memcpy_persist of %zu bytes, "
				"%u remote replicas: %s\n", wk->size, wk->p->nremote,
				pmemobj_errormsg());
			wk->failed = 1;
			break;
		}
		wk->busy_s += done - t;
		wk->ops++;
		t = done;
		off += wk->size;
		if (off + wk->size > wk->p->region)
			off = 0;
	}
	wk->t_end = t;
	return NULL;
}

int
objbench_persist_run(const struct objbench_pool *p, size_t size, unsigned nthreads, int ms,
	struct objbench_run *out)
{
	memset(out, 0, sizeof(*out));
	if (nthreads == 0 || nthreads > OBJBENCH_MAX_THREADS || size == 0 || size > SRC_MAX ||
			size > p->region) {
		fprintf(stderr, "pmemobj_bench: %u threads of %zu bytes do not fit\n", nthreads,
			size);
		return -1;
	}
	struct gate gate = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0 };
	struct worker wk[OBJBENCH_MAX_THREADS];
	pthread_t tid[OBJBENCH_MAX_THREADS];
	unsigned started = 0;
	int ret = 0;
	for (; started < nthreads; started++) {
		wk[started] = (struct worker){ .p = p, .size = size, .idx = started, .ms = ms,
			.gate = &gate };
		int e = pthread_create(&tid[started], NULL, worker_main, &wk[started]);
		if (e != 0) {
			fprintf(stderr, "pmemobj_bench: pthread_create: %s\n", strerror(e));
			ret = -1;
			break;
		}
	}
	gate_open(&gate, ret == 0 ? 1 : -1);
	double first = 0, last = 0;
	for (unsigned i = 0; i < started; i++) {
		pthread_join(tid[i], NULL);
		if (wk[i].failed)
			ret = -1;
		out->ops += wk[i].ops;
		out->busy_s += wk[i].busy_s;
		if (i == 0 || wk[i].t_start < first)
			first = wk[i].t_start;
		if (wk[i].t_end > last)
			last = wk[i].t_end;
	}
	out->wall_s = last - first;
	return ret;
}
