/* rpmem_bench.c -- librpmem against rpmemd on loopback, row by row beside the bare libfabric ceiling of the same link */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <librpmem.h>

#include "rpmem_bench.h"

#ifndef DEMO_SSH
#define DEMO_SSH "tests/lib/rpmem_ssh_local.sh"
#endif
#ifndef DEMO_RPMEMD
#define DEMO_RPMEMD "build/release/bin/rpmemd"
#endif

#define SET_NAME "bench.set"
#define PART_NAME "bench.part"
#define DATA_START 4096		/* the rows stay clear of the first page */
#define LAT_MAX 4096		/* sizes up to this are latency rows, above bandwidth rows */
#define WARMUP_MS 20

enum mode { PERSIST, RELAXED, FLUSH_DRAIN, DEEP, NMODES };
static const char *const Mode_names[NMODES] = {
	"persist", "relaxed persist", "flush+drain", "deep persist"
};
static const size_t Sizes[] = { 64, 4096, 64 << 10, 1 << 20 };

struct opts {
	const char *providers[2];
	unsigned nproviders;
	int rounds;
	int ms;
	size_t pool_size;
	const char *dir;
};

/* librpmem, one call (or two for flush+drain) per operation, on the thread's lane */
struct ours {
	RPMEMpool *rpp;
	enum mode mode;
	size_t span;
};

/* the results of one (size, lanes) group: the ceiling and the four modes */
struct group {
	size_t size;
	unsigned lanes;
	struct bench_samples lat[NMODES + 1];	/* [NMODES]: the ceiling */
	double *mbs[NMODES + 1];		/* per round */
	int nmbs;
};

static int
ours_op(void *ctx, unsigned thread, size_t off, size_t len)
{
	struct ours *o = ctx;
	size_t at = DATA_START + thread * o->span + off;
	int ret;
	switch (o->mode) {
	case PERSIST:
		ret = rpmem_persist(o->rpp, at, len, thread, 0);
		break;
	case RELAXED:
		ret = rpmem_persist(o->rpp, at, len, thread, RPMEM_PERSIST_RELAXED);
		break;
	case FLUSH_DRAIN:
		ret = rpmem_flush(o->rpp, at, len, thread, 0);
		if (ret == 0)
			ret = rpmem_drain(o->rpp, thread, 0);
		break;
	default:
		ret = rpmem_deep_persist(o->rpp, at, len, thread);
		break;
	}
	if (ret)
		fprintf(stderr, "rpmem_bench: %s of %zu bytes at %zu on lane %u: %s\n",
			Mode_names[o->mode], len, at, thread, rpmem_errormsg());
	return ret;
}

static int
usage(void)
{
	fprintf(stderr, "usage: rpmem_bench [-p tcp|sockets]... [-r rounds] [-t ms] "
		"[-s pool-size-MiB] [-d dir]\n"
		"  -p  provider (default: tcp, then sockets)\n"
		"  -r  rounds per row, ours and the ceiling alternately (default 7)\n"
		"  -t  milliseconds per row and round (default 100)\n"
		"  -s  the remote pool (default 64 MiB)\n"
		"  -d  where the daemon's temporary poolset-dir goes (default /dev/shm)\n");
	return 2;
}

static int
parse_opts(int argc, char *argv[], struct opts *o)
{
	*o = (struct opts){ .rounds = 7, .ms = 100, .pool_size = 64 << 20, .dir = "/dev/shm" };
	int c;
	while ((c = getopt(argc, argv, "p:r:t:s:d:h")) != -1) {
		switch (c) {
		case 'p':
			if ((strcmp(optarg, "tcp") && strcmp(optarg, "sockets")) ||
					o->nproviders == 2)
				return usage();
			o->providers[o->nproviders++] = optarg;
			break;
		case 'r': o->rounds = atoi(optarg); break;
		case 't': o->ms = atoi(optarg); break;
		case 's': o->pool_size = (size_t)atoi(optarg) << 20; break;
		case 'd': o->dir = optarg; break;
		default: return usage();
		}
	}
	if (optind != argc || o->rounds < 1 || o->ms < 1 || o->pool_size < (8 << 20))
		return usage();
	if (o->nproviders == 0) {
		o->providers[0] = "tcp";
		o->providers[1] = "sockets";
		o->nproviders = 2;
	}
	return 0;
}

/* ---- the daemon's side: a temporary poolset-dir holding a one-part set ---- */

struct daemon_dir {
	char dir[PATH_MAX];	/* "" when the user's RPMEM_CMD runs the daemon */
};

static int
daemon_dir_make(struct daemon_dir *d, const struct opts *o)
{
	d->dir[0] = '\0';
	if (getenv("RPMEM_SSH") == NULL)
		setenv("RPMEM_SSH", DEMO_SSH, 1);
	if (getenv("RPMEM_CMD") != NULL)
		return 0;
	snprintf(d->dir, sizeof(d->dir), "%s/rpmem_bench.XXXXXX", o->dir);
	if (mkdtemp(d->dir) == NULL) {
		fprintf(stderr, "rpmem_bench: cannot create a directory in %s: %s\n",
			o->dir, strerror(errno));
		d->dir[0] = '\0';
		return -1;
	}
	char path[PATH_MAX + 32];
	snprintf(path, sizeof(path), "%s/%s", d->dir, SET_NAME);
	FILE *f = fopen(path, "w");
	if (f == NULL || fprintf(f, "PMEMPOOLSET\nOPTION NOHDRS\n%zu %s\n",
			o->pool_size, PART_NAME) < 0 || fclose(f) != 0) {
		fprintf(stderr, "rpmem_bench: cannot write %s\n", path);
		return -1;
	}
	char cmd[3 * PATH_MAX];
	snprintf(cmd, sizeof(cmd), "%s --poolset-dir=%s --log-file=%s/rpmemd.log",
		DEMO_RPMEMD, d->dir, d->dir);
	setenv("RPMEM_CMD", cmd, 1);
	return 0;
}

static void
daemon_dir_remove(struct daemon_dir *d)
{
	if (d->dir[0] == '\0')
		return;
	char path[PATH_MAX + 32];
	const char *names[] = { SET_NAME, PART_NAME, "rpmemd.log" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", d->dir, names[i]);
		unlink(path);
	}
	rmdir(d->dir);
	unsetenv("RPMEM_CMD");
}

/* ---- measuring ---- */

static const char *
size_name(size_t size, char *buf, size_t len)
{
	if (size >= (1 << 20))
		snprintf(buf, len, "%zu MiB", size >> 20);
	else if (size >= 1024)
		snprintf(buf, len, "%zu KiB", size >> 10);
	else
		snprintf(buf, len, "%zu B", size);
	return buf;
}

/* the ceiling's target for a group: round trips for latency rows, RDMA writes for bandwidth rows */
static struct bench_target
ceiling_target(struct bare *b, size_t size)
{
	struct bench_target t = { .ctx = b, .span = bare_span(b) };
	if (size <= LAT_MAX) {
		t.op = bare_pingpong;
	} else {
		t.op = bare_write;
		t.finish = bare_write_finish;
	}
	return t;
}

/* rounds of: the ceiling, then each mode; latencies pooled, bandwidth per round */
static int
measure_group(const struct opts *o, RPMEMpool *rpp, struct bare *b, size_t span,
	struct group *g)
{
	struct ours ours[NMODES];
	struct bench_target t[NMODES + 1];
	for (int m = 0; m < NMODES; m++) {
		ours[m] = (struct ours){ rpp, (enum mode)m, span };
		t[m] = (struct bench_target){ .op = ours_op, .ctx = &ours[m], .span = span };
	}
	t[NMODES] = ceiling_target(b, g->size);
	for (int i = 0; i <= NMODES; i++) {
		g->mbs[i] = calloc((size_t)o->rounds, sizeof(double));
		if (g->mbs[i] == NULL)
			return -1;
	}

	struct bench_round r;
	for (int i = 0; i <= NMODES; i++)
		if (bench_run(&t[i], g->lanes, g->size, WARMUP_MS, NULL, &r))
			return -1;
	int want_lat = g->size <= LAT_MAX;
	for (int round = 0; round < o->rounds; round++) {
		int order[NMODES + 1] = { NMODES, PERSIST, RELAXED, FLUSH_DRAIN, DEEP };
		for (int k = 0; k <= NMODES; k++) {
			int i = order[k];
			if (bench_run(&t[i], g->lanes, g->size, o->ms,
					want_lat ? &g->lat[i] : NULL, &r))
				return -1;
			g->mbs[i][round] = r.mb_per_s;
		}
		g->nmbs = round + 1;
	}
	return 0;
}

struct verdict {
	double lat_ratio;	/* 64 B persist, 1 lane: ours median / round trip median */
	double bw_ratio;	/* 1 MiB persist, 1 lane: ours MB/s / RDMA write MB/s */
};

static void
print_group(const char *prov, struct group *g, unsigned window, struct verdict *v)
{
	char sz[32];
	size_name(g->size, sz, sizeof(sz));
	double ceil_med = 0, ceil_p99 = 0;
	double ceil_mbs = bench_median(g->mbs[NMODES], (size_t)g->nmbs);
	int lat = g->size <= LAT_MAX;
	/* the targets are for tcp, 1 lane */
	int judged = strcmp(prov, "tcp") == 0 && g->lanes == 1;
	if (lat) {
		ceil_med = bench_quantile_us(&g->lat[NMODES], 0.5);
		ceil_p99 = bench_quantile_us(&g->lat[NMODES], 0.99);
		printf("| %s | ceiling: send/recv round trip | %s | %u | %.1f | %.1f | %.1f | | |\n",
			prov, sz, g->lanes, ceil_med, ceil_p99, ceil_mbs);
	} else {
		printf("| %s | ceiling: RDMA write, %u in flight | %s | %u | | | %.1f | | |\n",
			prov, window, sz, g->lanes, ceil_mbs);
	}
	for (int m = 0; m < NMODES; m++) {
		double mbs = bench_median(g->mbs[m], (size_t)g->nmbs);
		if (lat) {
			double med = bench_quantile_us(&g->lat[m], 0.5);
			double p99 = bench_quantile_us(&g->lat[m], 0.99);
			double ratio = ceil_med > 0 ? med / ceil_med : 0;
			printf("| %s | %s | %s | %u | %.1f | %.1f | %.1f | %.2f (latency) | %s |\n",
				prov, Mode_names[m], sz, g->lanes, med, p99, mbs, ratio,
				judged && m == PERSIST && g->size == 64 ?
					(ratio <= 1.5 ? "target <= 1.5: met" :
						"target <= 1.5: MISSED") : "");
			if (g->lanes == 1 && m == PERSIST && g->size == 64)
				v->lat_ratio = ratio;
		} else {
			double ratio = ceil_mbs > 0 ? mbs / ceil_mbs : 0;
			printf("| %s | %s | %s | %u | | | %.1f | %.2f (bandwidth) | %s |\n",
				prov, Mode_names[m], sz, g->lanes, mbs, ratio,
				judged && m == PERSIST && g->size == (1 << 20) ?
					(ratio >= 0.7 ? "target >= 0.7: met" :
						"target >= 0.7: MISSED") : "");
			if (g->lanes == 1 && m == PERSIST && g->size == (1 << 20))
				v->bw_ratio = ratio;
		}
	}
	fflush(stdout);
}

static void
group_free(struct group *g)
{
	for (int i = 0; i <= NMODES; i++) {
		bench_samples_free(&g->lat[i]);
		free(g->mbs[i]);
	}
}

static int
bench_provider(const struct opts *o, const char *prov, struct verdict *v)
{
	enum fabric_provider fp;
	if (fabric_provider_parse(prov, &fp))
		return -1;
	setenv("RPMEM_PROVIDER", prov, 1);
	if (strcmp(prov, "sockets") == 0)
		setenv("RPMEM_ENABLE_SOCKETS", "1", 1);

	struct daemon_dir d;
	int ret = -1;
	RPMEMpool *rpp = NULL;
	struct bare *b = NULL;
	char *pool = mmap(NULL, o->pool_size, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (pool == MAP_FAILED)
		return -1;
	for (size_t i = 0; i < o->pool_size; i++)
		pool[i] = (char)(i * 31 + (i >> 12));
	if (daemon_dir_make(&d, o))
		goto out;

	unsigned nlanes = BENCH_MAX_THREADS;
	rpp = rpmem_create("localhost", SET_NAME, pool, o->pool_size, &nlanes, NULL);
	if (rpp == NULL) {
		fprintf(stderr, "rpmem_bench: rpmem_create over %s: %s\n", prov,
			rpmem_errormsg());
		goto out;
	}
	b = bare_start(fp, nlanes);
	if (b == NULL)
		goto out;
	/* an experiment's knob: the ceiling's writes in flight */
	if (getenv("RPMEM_BENCH_WINDOW"))
		bare_set_window(b, (unsigned)atoi(getenv("RPMEM_BENCH_WINDOW")));
	fprintf(stderr, "rpmem_bench: %s: rpmemd serves %s in %s, %u lanes\n", prov,
		SET_NAME, d.dir[0] ? d.dir : "(RPMEM_CMD)", nlanes);

	/* each lane's region: the pool after the first page, split in two, whole MiBs */
	size_t span = ((o->pool_size - DATA_START) / BENCH_MAX_THREADS) & ~(size_t)((1 << 20) - 1);
	ret = 0;
	for (size_t s = 0; s < sizeof(Sizes) / sizeof(Sizes[0]) && ret == 0; s++)
		for (unsigned lanes = 1; lanes <= nlanes && ret == 0; lanes++) {
			struct group g = { .size = Sizes[s], .lanes = lanes };
			ret = measure_group(o, rpp, b, span, &g);
			if (ret == 0)
				print_group(prov, &g, bare_window(b), v);
			group_free(&g);
		}
out:
	bare_stop(b);
	if (rpp && rpmem_close(rpp) != 0) {
		fprintf(stderr, "rpmem_bench: rpmem_close: %s\n", rpmem_errormsg());
		ret = -1;
	}
	if (rpp && d.dir[0] && rpmem_remove("localhost", SET_NAME, RPMEM_REMOVE_POOL_SET))
		fprintf(stderr, "rpmem_bench: rpmem_remove: %s\n", rpmem_errormsg());
	daemon_dir_remove(&d);
	munmap(pool, o->pool_size);
	unsetenv("RPMEM_ENABLE_SOCKETS");
	return ret;
}

int
main(int argc, char *argv[])
{
	struct opts o;
	if (parse_opts(argc, argv, &o))
		return 2;
	printf("%d rounds per row, %d ms per row and round; ours and the ceiling alternate "
		"within each round\n\n", o.rounds, o.ms);
	printf("| provider | mode | size | lanes | median us | p99 us | MB/s | ours/ceiling | target |\n");
	printf("|---|---|---:|---:|---:|---:|---:|---:|---|\n");
	int ret = 0;
	struct verdict v[2] = { { 0, 0 }, { 0, 0 } };
	for (unsigned i = 0; i < o.nproviders && ret == 0; i++)
		ret = bench_provider(&o, o.providers[i], &v[i]);
	if (ret)
		return 1;
	printf("\n");
	for (unsigned i = 0; i < o.nproviders; i++)
		if (strcmp(o.providers[i], "tcp") == 0)
			printf("targets on tcp: 64 B persist median latency %.2fx the bare round "
				"trip (<= 1.5: %s); 1 MiB persist bandwidth %.2fx the bare RDMA "
				"write bandwidth (>= 0.7: %s)\n", v[i].lat_ratio,
				v[i].lat_ratio <= 1.5 ? "met" : "MISSED", v[i].bw_ratio,
				v[i].bw_ratio >= 0.7 ? "met" : "MISSED");
	return 0;
}
