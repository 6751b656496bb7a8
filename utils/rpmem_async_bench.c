/* rpmem_async_bench.c -- throughput of N asynchronous 4 KiB persists in flight, one per lane or all on one lane, against synchronous rpmem_persist on one lane, rpmemd on loopback */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <librpmem/async.h>

#ifndef DEMO_SSH
#define DEMO_SSH "tests/lib/rpmem_ssh_local.sh"
#endif
#ifndef DEMO_RPMEMD
#define DEMO_RPMEMD "build/release/bin/rpmemd"
#endif

#define POOL_SIZE ((size_t)64 << 20)
#define HDR 4096
#define OP_SIZE 4096
#define WARM_CHUNK ((size_t)1 << 20)
/* futures on as many lanes, at most */
#define MAX_LANES 8
/* futures on one lane, at most: all its slots (PROTO_INBAND_DEPTH) */
#define MAX_INFLIGHT 16
/* each future in flight walks its own region of the pool */
#define REGION_SPAN ((POOL_SIZE - HDR) / MAX_INFLIGHT)

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* offset of the k-th operation of a future: 4 KiB steps through its region */
static size_t
op_offset(unsigned region, unsigned long k)
{
	return HDR + region * REGION_SPAN + (k * OP_SIZE) % (REGION_SPAN - OP_SIZE);
}

/* synchronous persists on lane 0 for ms: operations per second, or -1 */
static double
sync_rate(RPMEMpool *rpp, int ms)
{
	unsigned long n = 0;
	double start = now_s(), end = start + ms / 1e3, t;
	while ((t = now_s()) < end) {
		if (rpmem_persist(rpp, op_offset(0, n), OP_SIZE, 0, 0)) {
			fprintf(stderr, "rpmem_async_bench: rpmem_persist: %s\n", rpmem_errormsg());
			return -1;
		}
		n++;
	}
	return (double)n / (t - start);
}

/*
 * inflight futures, on as many lanes or all on lane 0, each replaced as soon
 * as it completes, polled in turn by this one thread for ms: operations per
 * second, or -1
 */
static double
async_rate(RPMEMpool *rpp, unsigned inflight, int one_lane, int ms)
{
	struct rpmem_persist_future f[MAX_INFLIGHT];
	unsigned long k[MAX_INFLIGHT] = { 0 }, n = 0;
	for (unsigned i = 0; i < inflight; i++)
		f[i] = rpmem_persist_async(rpp, op_offset(i, k[i]++), OP_SIZE,
			one_lane ? 0 : i, 0);
	double start = now_s(), end = start + ms / 1e3, t = start;
	int ret = 0;
	while (ret == 0 && (t = now_s()) < end) {
		for (unsigned i = 0; i < inflight; i++) {
			if (future_poll(FUTURE_AS_RUNNABLE(&f[i]), NULL) != FUTURE_STATE_COMPLETE)
				continue;
			if (FUTURE_OUTPUT(&f[i])->error) {
				fprintf(stderr, "rpmem_async_bench: rpmem_persist_async: %s\n",
					rpmem_errormsg());
				ret = -1;
				break;
			}
			n++;
			f[i] = rpmem_persist_async(rpp, op_offset(i, k[i]++), OP_SIZE,
				one_lane ? 0 : i, 0);
		}
	}
	/* every future completes before the pool may close */
	for (unsigned i = 0; i < inflight; i++)
		while (future_poll(FUTURE_AS_RUNNABLE(&f[i]), NULL) != FUTURE_STATE_COMPLETE)
			;
	return ret ? -1 : (double)n / (t - start);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* rounds of sync and async alternating; prints the sync row first, then the async one */
static int
row(RPMEMpool *rpp, unsigned inflight, int one_lane, int rounds, int ms)
{
	double sync_ops[64], async_ops[64];
	int r;
	for (r = 0; r < rounds && r < 64; r++) {
		sync_ops[r] = sync_rate(rpp, ms);
		async_ops[r] = async_rate(rpp, inflight, one_lane, ms);
		if (sync_ops[r] < 0 || async_ops[r] < 0)
			return -1;
	}
	double s = median(sync_ops, r), a = median(async_ops, r);
	if (inflight == 1 && !one_lane)
		printf("| rpmem_persist | 1 | 1 | %.0f | %.1f | 1.00 | |\n", s, s * OP_SIZE / 1e6);
	const char *target = inflight == 8 ? (a / s >= 2 ? ">= 2x: met" : ">= 2x: MISSED") : "";
	printf("| rpmem_persist_async | %u | %u | %.0f | %.1f | %.2f | %s |\n",
		one_lane ? 1 : inflight, inflight, a, a * OP_SIZE / 1e6, a / s, target);
	fflush(stdout);
	return 0;
}

/* a temporary poolset-dir with a one-part set, and librpmem's environment aimed at it */
static int
daemon_dir(char *dir, size_t size, const char *base)
{
	snprintf(dir, size, "%s/rpmem-async-bench-XXXXXX", base);
	if (mkdtemp(dir) == NULL)
		return -1;
	char path[PATH_MAX + 32], cmd[2 * PATH_MAX + 64];
	snprintf(path, sizeof(path), "%s/bench.set", dir);
	FILE *f = fopen(path, "w");
	if (f == NULL)
		return -1;
	fprintf(f, "PMEMPOOLSET\n%zuM bench.part\n", POOL_SIZE >> 20);
	fclose(f);
	if (getenv("RPMEM_SSH") == NULL)
		setenv("RPMEM_SSH", DEMO_SSH, 1);
	snprintf(cmd, sizeof(cmd), "%s --poolset-dir=%s", DEMO_RPMEMD, dir);
	if (getenv("RPMEM_CMD") == NULL)
		setenv("RPMEM_CMD", cmd, 1);
	if (getenv("RPMEM_PROVIDER") == NULL)
		setenv("RPMEM_PROVIDER", "tcp", 1);
	return 0;
}

int
main(int argc, char *argv[])
{
	int rounds = argc > 1 ? atoi(argv[1]) : 7;
	int ms = argc > 2 ? atoi(argv[2]) : 200;
	const char *base = argc > 3 ? argv[3] : "/dev/shm";
	if (rounds < 1 || ms < 1) {
		fprintf(stderr, "usage: rpmem_async_bench [rounds] [ms per row and round] [dir]\n");
		return 2;
	}
	char dir[PATH_MAX];
	if (daemon_dir(dir, sizeof(dir), base)) {
		perror("rpmem_async_bench: poolset-dir");
		return 1;
	}
	char *pool = mmap(NULL, POOL_SIZE, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (pool == MAP_FAILED)
		return 1;
	memset(pool, 0x5a, POOL_SIZE);
	struct rpmem_pool_attr attr;
	memset(&attr, 0, sizeof(attr));
	memcpy(attr.signature, "BENCH", 5);
	unsigned nlanes = MAX_LANES;
	RPMEMpool *rpp = rpmem_create("localhost", "bench.set", pool, POOL_SIZE, &nlanes, &attr);
	int ret = 1;
	if (rpp == NULL) {
		fprintf(stderr, "rpmem_async_bench: rpmem_create: %s\n", rpmem_errormsg());
		goto out;
	}
	/* the daemon's pool file gets its pages first: the first rows must not pay for them */
	for (size_t off = HDR; off < POOL_SIZE; off += WARM_CHUNK) {
		if (rpmem_persist(rpp, off, WARM_CHUNK < POOL_SIZE - off ? WARM_CHUNK : POOL_SIZE - off,
				0, RPMEM_PERSIST_RELAXED)) {
			fprintf(stderr, "rpmem_async_bench: warming up: %s\n", rpmem_errormsg());
			goto close;
		}
	}
	printf("%s, %u lanes, %d rounds of %d ms per row (median), sync and async alternate\n\n",
		getenv("RPMEM_PROVIDER"), nlanes, rounds, ms);
	printf("| 4 KiB persists | lanes | in flight | ops/s | MB/s | vs sync, 1 lane | target |\n");
	printf("|---|---:|---:|---:|---:|---:|---|\n");
	int status = 0;
	/* futures one per lane, then all on lane 0; each row against sync rounds of its own */
	for (int one_lane = 0; one_lane <= 1 && status == 0; one_lane++) {
		unsigned max = one_lane ? MAX_INFLIGHT : nlanes;
		for (unsigned inflight = 1; inflight <= max && status == 0; inflight *= 2)
			status = row(rpp, inflight, one_lane, rounds, ms);
	}
	ret = status ? 1 : 0;
close:
	if (rpmem_close(rpp) != 0)
		fprintf(stderr, "rpmem_async_bench: rpmem_close: %s\n", rpmem_errormsg());
	if (rpmem_remove("localhost", "bench.set", RPMEM_REMOVE_POOL_SET))
		fprintf(stderr, "rpmem_async_bench: rpmem_remove: %s\n", rpmem_errormsg());
out:
	rmdir(dir);
	munmap(pool, POOL_SIZE);
	return ret;
}
