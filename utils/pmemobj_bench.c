/* pmemobj_bench.c -- pmemobj_memcpy_persist of 4 KiB and 64 KiB to a pool with two remote replicas against one and none, rounds interleaved, with the 1.3x target of the two-replica time */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "pmemobj_bench.h"

#define MAX_ROUNDS 1000
#define WARMUP_MS 20
/* 2 remote replicas take at most this many times the 1-replica time: they are written in parallel */
#define TARGET 1.3

static const size_t Sizes[] = { 4096, 64 << 10 };
#define NSIZES (sizeof(Sizes) / sizeof(Sizes[0]))
#define NTHREADS 2	/* rows of 1 thread and of opts.threads */

struct opts {
	int rounds;
	int ms;
	size_t pool_size;
	unsigned threads;
	int only;	/* -1: every pool; else only the pool with this many remote replicas */
	const char *dir;
};

/* one row: a size, a thread count, a pool */
struct row {
	uint64_t ops;
	double busy_s, wall_s;
	double round_lat[MAX_ROUNDS];	/* mean latency of each round, s */
};

static struct row Rows[NSIZES][NTHREADS][OBJBENCH_CONFIGS];

static void
usage(void)
{
	fprintf(stderr, "usage: pmemobj_bench [-r rounds (1..%d)] [-t ms per row and round] "
		"[-s pool MiB (>= 8)] [-T threads (1..%d)] [-p remote replicas (0..2): only that pool, "
		"to profile it] [-d dir]\n", MAX_ROUNDS,
		OBJBENCH_MAX_THREADS);
}

/* a whole decimal number in [min, max], or -1 with a message naming the option */
static long
number(int opt, const char *v, long min, long max)
{
	char *end;
	errno = 0;
	long n = strtol(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0' || n < min || n > max) {
		fprintf(stderr, "pmemobj_bench: -%c %s: not a number in %ld..%ld\n", opt, v, min, max);
		return -1;
	}
	return n;
}

static int
parse(int argc, char *argv[], struct opts *o)
{
	*o = (struct opts){ 15, 100, (size_t)32 << 20, OBJBENCH_MAX_THREADS, -1, "/dev/shm" };
	int c;
	long n;
	while ((c = getopt(argc, argv, "r:t:s:T:p:d:")) != -1) {
		switch (c) {
		case 'r':
			if ((n = number(c, optarg, 1, MAX_ROUNDS)) < 0)
				return -1;
			o->rounds = (int)n;
			break;
		case 't':
			if ((n = number(c, optarg, 1, 60000)) < 0)
				return -1;
			o->ms = (int)n;
			break;
		case 's':
			if ((n = number(c, optarg, 8, 4096)) < 0)
				return -1;
			o->pool_size = (size_t)n << 20;
			break;
		case 'T':
			if ((n = number(c, optarg, 1, OBJBENCH_MAX_THREADS)) < 0)
				return -1;
			o->threads = (unsigned)n;
			break;
		case 'p':
			if ((n = number(c, optarg, 0, OBJBENCH_CONFIGS - 1)) < 0)
				return -1;
			o->only = (int)n;
			break;
		case 'd':
			o->dir = optarg;
			break;
		default:
			return -1;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "pmemobj_bench: unexpected argument %s\n", argv[optind]);
		return -1;
	}
	return 0;
}

static void
print_machine(const struct opts *o)
{
	char model[256] = "unknown CPU", line[512];
	FILE *f = fopen("/proc/cpuinfo", "r");
	while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
		char *colon = strchr(line, ':');
		if (strncmp(line, "model name", 10) == 0 && colon != NULL) {
			snprintf(model, sizeof(model), "%s", colon + 2);
			model[strcspn(model, "\n")] = '\0';
			break;
		}
	}
	if (f != NULL)
		fclose(f);
	struct utsname u;
	if (uname(&u) != 0) {
		strcpy(u.sysname, "?");
		strcpy(u.release, "?");
	}
	printf("pmemobj_bench: pmemobj_memcpy_persist, pools of %zu MiB in %s: the primary "
		"alone, with 1 remote replica, with 2 (two rpmemd, each its own poolset-dir), "
		"%s, RPMEM_SSH %s\n", o->pool_size >> 20, o->dir, getenv("RPMEM_PROVIDER"),
		getenv("RPMEM_SSH"));
	printf("machine: %s, %ld CPUs online, %s %s, RPMEM_SPIN_US %s, PMEMOBJ_NLANES %s\n",
		model, sysconf(_SC_NPROCESSORS_ONLN), u.sysname, u.release,
		getenv("RPMEM_SPIN_US") ? getenv("RPMEM_SPIN_US") : "unset (50)",
		getenv("PMEMOBJ_NLANES"));
}

static void
print_load(const char *when)
{
	char load[64] = "?";
	FILE *f = fopen("/proc/loadavg", "r");
	if (f != NULL) {
		if (fgets(load, sizeof(load), f) == NULL)
			strcpy(load, "?");
		fclose(f);
	}
	/* the first three fields: 1, 5 and 15 minutes */
	char *p = load;
	for (int i = 0; i < 3 && p != NULL; i++)
		p = strchr(p + 1, ' ');
	if (p != NULL)
		*p = '\0';
	printf("load average %s at the %s\n", load, when);
}

/* the thread counts of the rows: 1, then opts.threads when it is more */
static unsigned
threads_of(const struct opts *o, unsigned t)
{
	return t == 0 ? 1 : o->threads;
}

static unsigned
nthread_rows(const struct opts *o)
{
	return o->threads > 1 ? 2 : 1;
}

/* whether pool c is measured */
static int
runs(const struct opts *o, unsigned c)
{
	return o->only < 0 || (unsigned)o->only == c;
}

/* every row once, untimed: connections, lanes and caches warm */
static int
warm_up(struct objbench_world *w, const struct opts *o)
{
	struct objbench_run run;
	for (unsigned s = 0; s < NSIZES; s++)
		for (unsigned t = 0; t < nthread_rows(o); t++)
			for (unsigned c = 0; c < OBJBENCH_CONFIGS; c++)
				if (runs(o, c) && objbench_persist_run(&w->pools[c], Sizes[s], threads_of(o, t),
						WARMUP_MS, &run))
					return -1;
	return 0;
}

/*
 * Round after round, every (size, threads) group runs its three pools back
 * to back, starting with a different one each round: drift of the machine
 * (other programs, the CPU's clock) hits every pool alike.
 */
static int
measure(struct objbench_world *w, const struct opts *o)
{
	for (int r = 0; r < o->rounds; r++) {
		for (unsigned s = 0; s < NSIZES; s++) {
			for (unsigned t = 0; t < nthread_rows(o); t++) {
				for (unsigned k = 0; k < OBJBENCH_CONFIGS; k++) {
					unsigned c = (k + (unsigned)r) % OBJBENCH_CONFIGS;
					if (!runs(o, c))
						continue;
					struct objbench_run run;
					if (objbench_persist_run(&w->pools[c], Sizes[s],
							threads_of(o, t), o->ms, &run))
						return -1;
					struct row *row = &Rows[s][t][c];
					row->ops += run.ops;
					row->busy_s += run.busy_s;
					row->wall_s += run.wall_s;
					row->round_lat[r] = run.ops ? run.busy_s / run.ops : 0;
				}
			}
		}
	}
	return 0;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* the 2-replica / 1-replica ratio of each round, sorted: pairs measured within a second of each other */
static void
round_ratios(const struct row *one, const struct row *two, int rounds, double *out)
{
	for (int r = 0; r < rounds; r++)
		out[r] = one->round_lat[r] > 0 ? two->round_lat[r] / one->round_lat[r] : 0;
	qsort(out, (size_t)rounds, sizeof(*out), cmp_double);
}

/*
 * Prints the table; 1 when every 1-thread row met the target, else 0. The
 * verdict is on the median of the rounds' ratios: a round that something
 * else on the machine disturbed moves the pooled means, not the median.
 */
static int
report(const struct opts *o)
{
	static double ratios[MAX_ROUNDS];
	int met_all = 1;
	printf("\n| size | threads | remote replicas | mean latency (us) | ops/s | MB/s "
		"| 2 remote / 1 remote: of the means | median of rounds | rounds' range "
		"| target (median) |\n");
	printf("|---|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
	for (unsigned s = 0; s < NSIZES; s++) {
		for (unsigned t = 0; t < nthread_rows(o); t++) {
			struct row *one = &Rows[s][t][1], *two = &Rows[s][t][2];
			for (unsigned c = 0; c < OBJBENCH_CONFIGS; c++) {
				if (!runs(o, c))
					continue;
				struct row *row = &Rows[s][t][c];
				double lat = row->ops ? row->busy_s / row->ops : 0;
				double ops = row->wall_s > 0 ? row->ops / row->wall_s : 0;
				printf("| %zu KiB | %u | %u | %.1f | %.0f | %.1f |", Sizes[s] >> 10,
					threads_of(o, t), c, lat * 1e6, ops, ops * Sizes[s] / 1e6);
				if (c != 2 || one->ops == 0 || two->ops == 0) {
					printf(" | | | |\n");
					continue;
				}
				double pooled = (two->busy_s / two->ops) / (one->busy_s / one->ops);
				round_ratios(one, two, o->rounds, ratios);
				int n = o->rounds;
				double median = n % 2 ? ratios[n / 2] :
					(ratios[n / 2 - 1] + ratios[n / 2]) / 2;
				int met = median <= TARGET;
				if (t == 0 && !met)
					met_all = 0;
				printf(" %.2f | %.2f | %.2f-%.2f | <= %.1fx: %s |\n", pooled, median,
					ratios[0], ratios[n - 1], TARGET, met ? "MET" : "MISSED");
			}
		}
	}
	return met_all;
}

int
main(int argc, char *argv[])
{
	struct opts o;
	if (parse(argc, argv, &o)) {
		usage();
		return 2;
	}
	static struct objbench_world w;
	if (objbench_world_create(&w, o.dir, o.pool_size))
		return 1;
	print_machine(&o);
	printf("%d rounds of %d ms per row, the three pools in turn in every round (each round "
		"starting with the next one); mean latency: the calls' time / calls, pooled over "
		"rounds and threads; ops/s and MB/s: all threads together; the target is judged "
		"on the median of the rounds' ratios\n", o.rounds, o.ms);
	print_load("start");
	fflush(stdout);
	int ret = warm_up(&w, &o) || measure(&w, &o) ? 1 : 0;
	if (ret == 0) {
		int met = report(&o);
		printf("\ntarget, 2 remote replicas <= %.1fx the 1-replica time, 4 KiB and 64 KiB, "
			"1 thread: %s\n", TARGET, o.only >= 0 ? "not judged (-p)" :
			met ? "MET" : "MISSED");
		print_load("end");
	}
	objbench_world_destroy(&w);
	return ret;
}
