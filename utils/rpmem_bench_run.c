/* rpmem_bench_run.c -- the timed loop of rpmem_bench: threads started together, each op timed, medians and quantiles */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rpmem_bench.h"

/* bounds the memory of one row's samples (16 MiB) */
#define SAMPLES_MAX ((size_t)2 << 20)

struct job {
	const struct bench_target *t;
	pthread_barrier_t *start;
	unsigned thread;
	size_t len;
	int ms;
	uint64_t *lat;		/* this thread's latencies, or NULL */
	size_t nlat, cap;
	uint64_t ops;
	uint64_t ns;		/* from the common start to this thread's end */
	int failed;
};

static uint64_t
now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void *
job_main(void *arg)
{
	struct job *j = arg;
	const struct bench_target *t = j->t;
	size_t slots = t->span / j->len;
	pthread_barrier_wait(j->start);
	uint64_t t0 = now_ns(), end = t0 + (uint64_t)j->ms * 1000000u, now = t0;
	for (size_t slot = 0; now < end; slot = slot + 1 == slots ? 0 : slot + 1) {
		uint64_t s = now;
		if (t->op(t->ctx, j->thread, slot * j->len, j->len) != 0) {
			j->failed = 1;
			return NULL;
		}
		now = now_ns();
		if (j->lat && j->nlat < j->cap)
			j->lat[j->nlat++] = now - s;
		j->ops++;
	}
	if (t->finish && t->finish(t->ctx, j->thread) != 0) {
		j->failed = 1;
		return NULL;
	}
	j->ns = now_ns() - t0;
	return NULL;
}

static int
samples_append(struct bench_samples *s, const uint64_t *v, size_t n)
{
	if (s->n + n > SAMPLES_MAX)
		n = SAMPLES_MAX - s->n;
	if (s->n + n > s->cap) {
		size_t cap = s->cap ? s->cap : 4096;
		while (cap < s->n + n)
			cap *= 2;
		uint64_t *nv = realloc(s->v, cap * sizeof(*nv));
		if (nv == NULL)
			return -1;
		s->v = nv;
		s->cap = cap;
	}
	memcpy(s->v + s->n, v, n * sizeof(*v));
	s->n += n;
	return 0;
}

int
bench_run(const struct bench_target *t, unsigned nthreads, size_t len,
	int ms, struct bench_samples *lat, struct bench_round *out)
{
	struct job jobs[BENCH_MAX_THREADS];
	pthread_t th[BENCH_MAX_THREADS];
	pthread_barrier_t start;
	if (nthreads < 1 || nthreads > BENCH_MAX_THREADS || len > t->span)
		return -1;
	pthread_barrier_init(&start, NULL, nthreads);
	int ret = 0;
	unsigned started = 0;
	for (unsigned i = 0; i < nthreads; i++) {
		jobs[i] = (struct job){ .t = t, .start = &start, .thread = i, .len = len,
			.ms = ms };
		if (lat) {
			jobs[i].cap = SAMPLES_MAX / nthreads;
			jobs[i].lat = malloc(jobs[i].cap * sizeof(uint64_t));
			if (jobs[i].lat == NULL)
				jobs[i].cap = 0;
		}
	}
	/* thread 0 runs here: one thread less to wake on the 1-lane rows */
	for (unsigned i = 1; i < nthreads; i++) {
		if (pthread_create(&th[i], NULL, job_main, &jobs[i]) != 0) {
			fprintf(stderr, "rpmem_bench: cannot start a thread\n");
			exit(1);	/* the others wait on the barrier forever */
		}
		started++;
	}
	job_main(&jobs[0]);
	for (unsigned i = 1; i <= started; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&start);

	uint64_t bytes = 0, ns = 0;
	out->ops = 0;
	for (unsigned i = 0; i < nthreads; i++) {
		if (jobs[i].failed)
			ret = -1;
		if (lat && ret == 0 && samples_append(lat, jobs[i].lat, jobs[i].nlat))
			ret = -1;
		free(jobs[i].lat);
		bytes += jobs[i].ops * len;
		out->ops += jobs[i].ops;
		if (jobs[i].ns > ns)
			ns = jobs[i].ns;
	}
	out->mb_per_s = ns ? (double)bytes * 1e3 / (double)ns : 0;
	return ret;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

double
bench_quantile_us(struct bench_samples *s, double q)
{
	if (s->n == 0)
		return 0;
	qsort(s->v, s->n, sizeof(*s->v), cmp_u64);
	size_t i = (size_t)(q * (double)(s->n - 1) + 0.5);
	return (double)s->v[i] / 1e3;
}

double
bench_median(double *v, size_t n)
{
	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

void
bench_samples_free(struct bench_samples *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}
