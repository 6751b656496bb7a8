/* pmem2_bench.c -- memcpy/memset/persist throughput of a libpmem2; built once against ours, once against PMDK */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libpmem2.h>

/*
 * Access pattern (the same for every build, see doc/benchmarks.md):
 * one destination cursor walks the whole mapping sequentially across all
 * rows and runs, advancing by the operation size and wrapping at the end;
 * at the start of a row it is rounded up to a multiple of the size, so every
 * destination is size-aligned (64-byte aligned at least). memcpy reads from a
 * fixed 2 MiB buffer through a second cursor that wraps the same way.
 */

#define SRC_SIZE ((size_t)2 << 20)
#define CACHE_LINE 64
#define MAX_ROWS 64
#define DEFAULT_FILE "/dev/shm/pmem2_bench.pool"
#define DEFAULT_SIZE ((size_t)1 << 30)

enum op { OP_MEMCPY, OP_MEMSET, OP_PERSIST };

struct row {
	char name[64];
	enum op op;
	unsigned flags;
	size_t size;
	unsigned long long ops;	/* 0: calibrate */
};

struct bench {
	char *base;
	size_t len;
	char *src;
	size_t dst_off;
	size_t src_off;
	pmem2_memcpy_fn memcpy_fn;
	pmem2_memset_fn memset_fn;
	pmem2_persist_fn persist_fn;
};

static const size_t sizes[] = { 64, 256, 4096, 64 << 10, 2 << 20 };

static const struct {
	const char *name;
	unsigned flags;
} flag_sets[] = {
	{ "default", 0 },
	{ "NONTEMPORAL", PMEM2_F_MEM_NONTEMPORAL },
	{ "TEMPORAL", PMEM2_F_MEM_TEMPORAL },
	{ "NOFLUSH", PMEM2_F_MEM_NOFLUSH },
};

static const char *
size_name(size_t size, char *buf, size_t buflen)
{
	if (size >= (1 << 20) && size % (1 << 20) == 0)
		snprintf(buf, buflen, "%zuMiB", size >> 20);
	else if (size >= 1024 && size % 1024 == 0)
		snprintf(buf, buflen, "%zuKiB", size >> 10);
	else
		snprintf(buf, buflen, "%zuB", size);
	return buf;
}

static int
add_row(struct row *rows, int n, enum op op, const char *what, unsigned flags,
	size_t size)
{
	char sz[24];
	struct row *r = &rows[n];
	memset(r, 0, sizeof(*r));
	r->op = op;
	r->flags = flags;
	r->size = size;
	snprintf(r->name, sizeof(r->name), "%s_%s", what,
		size_name(size, sz, sizeof(sz)));
	return n + 1;
}

/* the fixed row list: the order is part of the access pattern */
static int
build_rows(struct row *rows)
{
	int n = 0;
	char what[40];
	static const char *const opname[] = { "memcpy", "memset" };
	for (int op = OP_MEMCPY; op <= OP_MEMSET; op++)
		for (size_t f = 0; f < sizeof(flag_sets) / sizeof(flag_sets[0]); f++)
			for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
				snprintf(what, sizeof(what), "%s_%s", opname[op],
					flag_sets[f].name);
				n = add_row(rows, n, op, what, flag_sets[f].flags,
					sizes[s]);
			}
	n = add_row(rows, n, OP_PERSIST, "persist", 0, 64);
	n = add_row(rows, n, OP_PERSIST, "persist", 0, 4096);
	return n;
}

static double
clock_ns(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static size_t
round_up(size_t off, size_t size, size_t limit)
{
	off = (off + size - 1) / size * size;
	return off >= limit ? 0 : off;
}

static void
run_memcpy(struct bench *b, const struct row *r, unsigned long long n)
{
	size_t sz = r->size, d = b->dst_off, s = b->src_off;
	for (unsigned long long i = 0; i < n; i++) {
		b->memcpy_fn(b->base + d, b->src + s, sz, r->flags);
		d += sz;
		if (d >= b->len)
			d = 0;
		s += sz;
		if (s >= SRC_SIZE)
			s = 0;
	}
	b->dst_off = d;
	b->src_off = s;
}

static void
run_memset(struct bench *b, const struct row *r, unsigned long long n)
{
	size_t sz = r->size, d = b->dst_off;
	for (unsigned long long i = 0; i < n; i++) {
		b->memset_fn(b->base + d, (int)(i & 0xff), sz, r->flags);
		d += sz;
		if (d >= b->len)
			d = 0;
	}
	b->dst_off = d;
}

/* a persist is timed with the stores that dirty its range: one 8-byte store per line */
static void
run_persist(struct bench *b, const struct row *r, unsigned long long n)
{
	size_t sz = r->size, d = b->dst_off;
	for (unsigned long long i = 0; i < n; i++) {
		char *p = b->base + d;
		for (size_t off = 0; off < sz; off += CACHE_LINE)
			*(volatile uint64_t *)(p + off) = i;
		b->persist_fn(p, sz);
		d += sz;
		if (d >= b->len)
			d = 0;
	}
	b->dst_off = d;
}

/*
 * runs n operations of a row and returns the CPU nanoseconds of this thread:
 * on a shared machine, time the CPU spent on other processes is not ours;
 * the wall-clock nanoseconds go to *wall
 */
static double
run_row(struct bench *b, const struct row *r, unsigned long long n, double *wall)
{
	b->dst_off = round_up(b->dst_off, r->size, b->len);
	b->src_off = round_up(b->src_off, r->size, SRC_SIZE);
	double w0 = clock_ns(CLOCK_MONOTONIC);
	double t0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	switch (r->op) {
	case OP_MEMCPY: run_memcpy(b, r, n); break;
	case OP_MEMSET: run_memset(b, r, n); break;
	case OP_PERSIST: run_persist(b, r, n); break;
	}
	double t = clock_ns(CLOCK_THREAD_CPUTIME_ID) - t0;
	if (wall)
		*wall = clock_ns(CLOCK_MONOTONIC) - w0;
	return t;
}

/* doubles a pilot run until it lasts 5 ms, then scales it to the target */
static unsigned long long
calibrate(struct bench *b, const struct row *r, double target_ns)
{
	unsigned long long n = 16;
	double t;
	while ((t = run_row(b, r, n, NULL)) < 5e6 && t < target_ns)
		n *= 2;
	double ops = target_ns / (t / (double)n);
	return ops < 1 ? 1 : (unsigned long long)ops;
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
	qsort(v, (size_t)n, sizeof(v[0]), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int
load_ops(const char *path, struct row *rows, int nrows)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "pmem2_bench: cannot open ops file %s: %s\n",
			path, strerror(errno));
		return -1;
	}
	char name[64];
	unsigned long long ops;
	while (fscanf(f, "%63s %llu", name, &ops) == 2)
		for (int i = 0; i < nrows; i++)
			if (strcmp(rows[i].name, name) == 0)
				rows[i].ops = ops;
	fclose(f);
	for (int i = 0; i < nrows; i++)
		if (rows[i].ops == 0) {
			fprintf(stderr, "pmem2_bench: ops file %s has no count for row %s\n",
				path, rows[i].name);
			return -1;
		}
	return 0;
}

static void
usage(void)
{
	fprintf(stderr,
		"usage: pmem2_bench [-f file] [-s bytes] [-r repeats] [-t ms | -n ops | -O opsfile] [-F filter]\n"
		"  -f file     mapped file (default " DEFAULT_FILE "); one it creates\n"
		"              is removed at exit, an existing one is kept (and resized)\n"
		"  -s bytes    file size (default 1 GiB; a multiple of 2 MiB)\n"
		"  -r repeats  timed runs per row; the median is printed (default 5)\n"
		"  -t ms       calibrate each row to about ms milliseconds of thread CPU\n"
		"              time per run (default 60)\n"
		"  -n ops      fixed operation count for every row\n"
		"  -O opsfile  fixed operation count per row: lines \"row ops\"\n"
		"  -F text     run only rows whose name contains text\n"
		"The map requires CACHE_LINE store granularity; on tmpfs set\n"
		"PMEM2_FORCE_GRANULARITY=cache_line.\n");
}

static const char *
granularity_name(enum pmem2_granularity g)
{
	switch (g) {
	case PMEM2_GRANULARITY_BYTE: return "BYTE";
	case PMEM2_GRANULARITY_CACHE_LINE: return "CACHE_LINE";
	case PMEM2_GRANULARITY_PAGE: return "PAGE";
	}
	return "?";
}

/* names the shared object this binary really called into */
static void
print_library(void)
{
	Dl_info info;
	void *fn = (void *)(uintptr_t)pmem2_map_new;
	if (dladdr(fn, &info) && info.dli_fname) {
		char real[4096];
		const char *name = realpath(info.dli_fname, real) ? real : info.dli_fname;
		printf("# library %s\n", name);
	} else {
		printf("# library unknown\n");
	}
}

/* a file this run creates is removed at exit: 1 GiB of tmpfs is RAM */
static int
map_file(struct bench *b, const char *path, size_t size, int *fdp,
	struct pmem2_map **mapp, int *created)
{
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	*created = fd >= 0;
	if (fd < 0 && errno == EEXIST)
		fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "pmem2_bench: %s: %s\n", path, strerror(errno));
		return -1;
	}
	*fdp = fd;
	off_t cur = lseek(fd, 0, SEEK_END);
	if (cur != (off_t)size && ftruncate(fd, (off_t)size) != 0) {
		fprintf(stderr, "pmem2_bench: cannot size %s to %zu: %s\n",
			path, size, strerror(errno));
		return -1;
	}

	struct pmem2_source *src = NULL;
	struct pmem2_config *cfg = NULL;
	int ret = -1;
	if (pmem2_source_from_fd(&src, fd) || pmem2_config_new(&cfg) ||
	    pmem2_config_set_required_store_granularity(cfg,
			PMEM2_GRANULARITY_CACHE_LINE) ||
	    pmem2_map_new(mapp, cfg, src)) {
		fprintf(stderr, "pmem2_bench: cannot map %s: %s\n", path,
			pmem2_errormsg());
		goto out;
	}
	b->base = pmem2_map_get_address(*mapp);
	b->len = pmem2_map_get_size(*mapp);
	b->memcpy_fn = pmem2_get_memcpy_fn(*mapp);
	b->memset_fn = pmem2_get_memset_fn(*mapp);
	b->persist_fn = pmem2_get_persist_fn(*mapp);
	printf("# file %s size %zu granularity %s\n", path, b->len,
		granularity_name(pmem2_map_get_store_granularity(*mapp)));
	ret = 0;
out:
	if (cfg)
		pmem2_config_delete(&cfg);
	if (src)
		pmem2_source_delete(&src);
	return ret;
}

int
main(int argc, char *argv[])
{
	const char *path = DEFAULT_FILE, *opsfile = NULL, *filter = NULL;
	size_t size = DEFAULT_SIZE;
	int repeats = 5;
	double target_ms = 60;
	unsigned long long fixed_ops = 0;
	int c;

	while ((c = getopt(argc, argv, "f:s:r:t:n:O:F:h")) != -1) {
		switch (c) {
		case 'f': path = optarg; break;
		case 's': size = strtoull(optarg, NULL, 0); break;
		case 'r': repeats = atoi(optarg); break;
		case 't': target_ms = atof(optarg); break;
		case 'n': fixed_ops = strtoull(optarg, NULL, 0); break;
		case 'O': opsfile = optarg; break;
		case 'F': filter = optarg; break;
		default: usage(); return c == 'h' ? 0 : 2;
		}
	}
	if (size < SRC_SIZE || size % SRC_SIZE || repeats < 1 || repeats > 1000 ||
	    target_ms <= 0) {
		usage();
		return 2;
	}

	struct row rows[MAX_ROWS];
	int nrows = build_rows(rows);
	if (opsfile && load_ops(opsfile, rows, nrows))
		return 1;
	for (int i = 0; i < nrows && fixed_ops; i++)
		rows[i].ops = fixed_ops;

	struct bench b;
	memset(&b, 0, sizeof(b));
	b.src = aligned_alloc(4096, SRC_SIZE);
	if (!b.src) {
		perror("pmem2_bench: source buffer");
		return 1;
	}
	for (size_t i = 0; i < SRC_SIZE; i++)
		b.src[i] = (char)(i * 131 + 7);

	print_library();
	int fd = -1, created = 0;
	struct pmem2_map *map = NULL;
	int ret = 1;
	if (map_file(&b, path, size, &fd, &map, &created))
		goto out;

	/* fault every page in before timing: page faults are not the subject */
	for (size_t off = 0; off < b.len; off += 4096)
		*(volatile char *)(b.base + off) = 0;

	printf("# repeats %d, %s\n", repeats, opsfile ? "ops from file" :
		fixed_ops ? "fixed ops" : "calibrated ops");
	double samples[1000], wall[1000];
	for (int i = 0; i < nrows; i++) {
		struct row *r = &rows[i];
		if (filter && !strstr(r->name, filter))
			continue;
		unsigned long long n = r->ops ? r->ops :
			calibrate(&b, r, target_ms * 1e6);
		run_row(&b, r, n / 8 + 1, NULL);	/* warm-up */
		for (int k = 0; k < repeats; k++) {
			samples[k] = run_row(&b, r, n, &wall[k]) / (double)n;
			wall[k] /= (double)n;
		}
		double ns = median(samples, repeats);
		printf("row %s ops %llu ns_per_op %.3f gb_per_s %.3f wall_ns_per_op %.3f\n",
			r->name, n, ns, (double)r->size / ns, median(wall, repeats));
		fflush(stdout);
	}
	ret = 0;
out:
	if (map)
		pmem2_map_delete(&map);
	if (fd >= 0)
		close(fd);
	if (created)
		unlink(path);
	free(b.src);
	return ret;
}
