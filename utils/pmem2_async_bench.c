/* pmem2_async_bench.c -- pmem2_memcpy_async of 2 MiB (default mover, threads mover with 8 in flight) against the map's synchronous memcpy, at each granularity */
#define PMEM2_USE_MINIASYNC 1
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libminiasync.h>
#include <libpmem2.h>

#define FILE_SIZE ((size_t)64 << 20)
#define COPY ((size_t)2 << 20)
#define NSLOTS (FILE_SIZE / COPY)
#define INFLIGHT 8
#define MAX_ROUNDS 64

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

enum way { SYNC, ASYNC_DEFAULT, ASYNC_THREADS, NWAYS };
static const char *const Way_names[NWAYS] = {
	"memcpy_fn (sync)", "memcpy_async, default mover", "memcpy_async, threads mover",
};

/* copies for ms, one way; GB/s */
static double
run(enum way way, struct pmem2_map *map, struct runtime *rt, const char *src, int ms)
{
	char *base = pmem2_map_get_address(map);
	pmem2_memcpy_fn copy = pmem2_get_memcpy_fn(map);
	size_t bytes = 0, k = 0;
	double start = now_s(), end = start + ms / 1e3;
	while (now_s() < end) {
		if (way == SYNC) {
			copy(base + (k++ % NSLOTS) * COPY, src, COPY, 0);
			bytes += COPY;
			continue;
		}
		/* a batch in flight at once, waited together */
		unsigned n = way == ASYNC_THREADS ? INFLIGHT : 1;
		struct pmem2_future f[INFLIGHT];
		struct future *fs[INFLIGHT];
		for (unsigned i = 0; i < n; i++) {
			f[i] = pmem2_memcpy_async(map, base + (k++ % NSLOTS) * COPY,
				src, COPY, 0);
			fs[i] = FUTURE_AS_RUNNABLE(&f[i]);
		}
		runtime_wait_multiple(rt, fs, n);
		for (unsigned i = 0; i < n; i++)
			if (FUTURE_OUTPUT(&f[i])->dest == NULL) {
				fprintf(stderr, "pmem2_async_bench: a copy failed\n");
				return -1;
			}
		bytes += n * COPY;
	}
	return (double)bytes / (now_s() - start) / 1e9;
}

/* a map of fd at the forced granularity, with vdm (NULL: the default mover) */
static struct pmem2_map *
map_with(int fd, struct vdm *vdm)
{
	struct pmem2_config *cfg;
	struct pmem2_source *src;
	struct pmem2_map *map = NULL;
	if (pmem2_config_new(&cfg) || pmem2_source_from_fd(&src, fd))
		return NULL;
	if (pmem2_config_set_required_store_granularity(cfg, PMEM2_GRANULARITY_PAGE) == 0 &&
			(vdm == NULL || pmem2_config_set_vdm(cfg, vdm) == 0))
		if (pmem2_map_new(&map, cfg, src))
			map = NULL;
	pmem2_source_delete(&src);
	pmem2_config_delete(&cfg);
	return map;
}

int
main(int argc, char *argv[])
{
	int rounds = argc > 1 ? atoi(argv[1]) : 7;
	int ms = argc > 2 ? atoi(argv[2]) : 200;
	const char *dir = argc > 3 ? argv[3] : "/dev/shm";
	if (rounds < 1 || rounds > MAX_ROUNDS || ms < 1) {
		fprintf(stderr, "usage: pmem2_async_bench [rounds] [ms per row and round] [dir]\n");
		return 2;
	}
	char path[4096];
	snprintf(path, sizeof(path), "%s/pmem2_async_bench.XXXXXX", dir);
	int fd = mkstemp(path);
	if (fd < 0 || ftruncate(fd, (off_t)FILE_SIZE)) {
		perror("pmem2_async_bench: file");
		return 1;
	}
	unlink(path);
	char *src = malloc(COPY);
	memset(src, 0x3c, COPY);
	struct data_mover_threads *dmt = data_mover_threads_new(2, 128, FUTURE_NOTIFIER_WAKER);
	struct runtime *rt = runtime_new();
	if (src == NULL || dmt == NULL || rt == NULL)
		return 1;

	printf("2 MiB copies into a %zu MiB file in %s, %d rounds of %d ms per row (median); "
		"threads mover: 2 workers, %d copies in flight\n\n", FILE_SIZE >> 20, dir,
		rounds, ms, INFLIGHT);
	printf("| granularity | way | GB/s | vs sync |\n|---|---|---:|---:|\n");
	static const char *const Grans[] = { "page", "cache_line", "byte" };
	int ret = 0;
	for (size_t g = 0; g < 3 && ret == 0; g++) {
		setenv("PMEM2_FORCE_GRANULARITY", Grans[g], 1);
		struct pmem2_map *plain = map_with(fd, NULL);
		struct pmem2_map *threaded = map_with(fd, data_mover_threads_get_vdm(dmt));
		if (plain == NULL || threaded == NULL) {
			pmem2_perror("pmem2_async_bench: map");
			return 1;
		}
		double v[NWAYS][MAX_ROUNDS];
		for (int r = 0; r < rounds && ret == 0; r++)
			for (int w = 0; w < NWAYS; w++)
				if ((v[w][r] = run((enum way)w, w == ASYNC_THREADS ? threaded : plain,
						rt, src, ms)) < 0)
					ret = 1;
		double med[NWAYS];
		for (int w = 0; w < NWAYS && ret == 0; w++) {
			qsort(v[w], (size_t)rounds, sizeof(double), cmp_double);
			med[w] = v[w][rounds / 2];
			printf("| %s | %s | %.1f | %.2f |\n", Grans[g], Way_names[w], med[w],
				med[w] / med[SYNC]);
		}
		pmem2_map_delete(&plain);
		pmem2_map_delete(&threaded);
	}
	runtime_delete(rt);
	data_mover_threads_delete(dmt);
	free(src);
	close(fd);
	return ret;
}
