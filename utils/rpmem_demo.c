/* rpmem_demo.c -- the project's main job: start rpmemd here, replicate a pool with lanes in threads, read it back, verify */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <librpmem.h>

/* absolute paths given by the Makefile; the defaults when the environment does not say */
#ifndef DEMO_SSH
#define DEMO_SSH "tests/lib/rpmem_ssh_local.sh"
#endif
#ifndef DEMO_RPMEMD
#define DEMO_RPMEMD "build/release/bin/rpmemd"
#endif

#define NTHREADS 4
#define RANGE 4096	/* each persist: one 4 KiB range, as a page-sized log record would be */
#define SET_NAME "demo.set"
#define PART_NAME "demo.part"
#define HDR_SIZE 4096	/* the pool header rpmemd keeps when attributes are given */

struct demo {
	const char *target;
	const char *set_name;
	size_t size;
	char dir[PATH_MAX];	/* the temporary poolset-dir, "" when the user runs the daemon */
	char log[PATH_MAX + 16];
	char *pool;
	RPMEMpool *rpp;
	unsigned nlanes;
};

struct worker {
	struct demo *d;
	unsigned lane;
	size_t begin, end;	/* the pool range this thread writes and persists */
	unsigned long persists;
	int failed;
	char why[512];
};

static double
mib(size_t bytes)
{
	return (double)bytes / (1 << 20);
}

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* the byte at pool offset off: different in every range, so a misplaced range shows */
static unsigned char
pattern(size_t off)
{
	uint64_t x = (off / RANGE) * 0x9E3779B97F4A7C15ULL + (off % RANGE);
	return (unsigned char)(x ^ (x >> 29));
}

static int
usage(const char *prog)
{
	fprintf(stderr, "usage: %s [-s size[K|M|G]] [-t target] [-n pool-set-name]\n"
		"  replicates a pool of size bytes (default 64M) to rpmemd on target\n"
		"  (default localhost, started here through %s unless RPMEM_SSH/RPMEM_CMD are set)\n",
		prog, DEMO_SSH);
	return 2;
}

static int
parse_size(const char *s, size_t *size)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	int shift = 0;
	if (*end == 'K' || *end == 'k')
		shift = 10;
	else if (*end == 'M' || *end == 'm')
		shift = 20;
	else if (*end == 'G' || *end == 'g')
		shift = 30;
	if (shift)
		end++;
	if (errno || end == s || *end != '\0' || v == 0 || v > (SIZE_MAX >> shift))
		return -1;
	*size = (size_t)v << shift;
	return 0;
}

/* a poolset-dir in RAM (like the pmem it stands for) holding a one-part pool set */
static int
make_poolset_dir(struct demo *d)
{
	const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" :
		getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	snprintf(d->dir, sizeof(d->dir), "%s/rpmem_demo.XXXXXX", base);
	if (mkdtemp(d->dir) == NULL) {
		fprintf(stderr, "rpmem_demo: cannot create a directory in %s: %s\n",
			base, strerror(errno));
		d->dir[0] = '\0';
		return -1;
	}
	char path[PATH_MAX + 32];
	snprintf(path, sizeof(path), "%s/%s", d->dir, d->set_name);
	FILE *f = fopen(path, "w");
	if (f == NULL || fprintf(f, "PMEMPOOLSET\n%zu %s\n", d->size, PART_NAME) < 0 ||
			fclose(f) != 0) {
		fprintf(stderr, "rpmem_demo: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	snprintf(d->log, sizeof(d->log), "%s/rpmemd.log", d->dir);
	return 0;
}

/* RPMEM_SSH, RPMEM_CMD and RPMEM_PROVIDER, unless the user set them */
static int
set_environment(struct demo *d)
{
	if (getenv("RPMEM_SSH") == NULL)
		setenv("RPMEM_SSH", DEMO_SSH, 1);
	if (getenv("RPMEM_PROVIDER") == NULL)
		setenv("RPMEM_PROVIDER", "tcp", 1);
	if (getenv("RPMEM_CMD") != NULL)
		return 0;
	if (make_poolset_dir(d))
		return -1;
	char cmd[3 * PATH_MAX];
	snprintf(cmd, sizeof(cmd), "%s --poolset-dir=%s --log-file=%s --log-level=info",
		DEMO_RPMEMD, d->dir, d->log);
	setenv("RPMEM_CMD", cmd, 1);
	return 0;
}

/* what rpmemd logged, shown when something failed */
static void
show_daemon_log(const struct demo *d)
{
	if (d->dir[0] == '\0')
		return;
	FILE *f = fopen(d->log, "r");
	if (f == NULL)
		return;
	fprintf(stderr, "rpmemd's log (%s):\n", d->log);
	char line[1024];
	while (fgets(line, sizeof(line), f))
		fprintf(stderr, "  %s", line);
	fclose(f);
}

static void
remove_poolset_dir(struct demo *d)
{
	if (d->dir[0] == '\0')
		return;
	char path[PATH_MAX + 32];
	const char *names[] = { d->set_name, PART_NAME, "rpmemd.log" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", d->dir, names[i]);
		unlink(path);
	}
	if (rmdir(d->dir) != 0)
		fprintf(stderr, "rpmem_demo: cannot remove %s: %s\n", d->dir, strerror(errno));
}

static void *
write_and_persist(void *arg)
{
	struct worker *w = arg;
	for (size_t off = w->begin; off < w->end; off += RANGE) {
		size_t len = w->end - off < RANGE ? w->end - off : RANGE;
		for (size_t i = 0; i < len; i++)
			w->d->pool[off + i] = (char)pattern(off + i);
		if (rpmem_persist(w->d->rpp, off, len, w->lane, 0) != 0) {
			snprintf(w->why, sizeof(w->why), "rpmem_persist of %zu bytes at "
				"offset %zu on lane %u: %s", len, off, w->lane,
				rpmem_errormsg());
			w->failed = 1;
			return NULL;
		}
		w->persists++;
	}
	return NULL;
}

/* one thread per lane, each on its own slice of the pool */
static int
replicate(struct demo *d)
{
	unsigned n = d->nlanes < NTHREADS ? d->nlanes : NTHREADS;
	struct worker w[NTHREADS];
	pthread_t t[NTHREADS];
	size_t data = d->size - HDR_SIZE;
	size_t slice = (data / n + RANGE - 1) / RANGE * RANGE;
	double start = now_s();
	unsigned started = 0;
	for (unsigned i = 0; i < n; i++) {
		size_t begin = HDR_SIZE + (i * slice < data ? i * slice : data);
		size_t end = begin + slice < d->size ? begin + slice : d->size;
		w[i] = (struct worker){ .d = d, .lane = i, .begin = begin, .end = end };
		if (pthread_create(&t[i], NULL, write_and_persist, &w[i]) != 0)
			break;
		started++;
	}
	int failed = started < n;
	unsigned long persists = 0;
	for (unsigned i = 0; i < started; i++) {
		pthread_join(t[i], NULL);
		if (w[i].failed) {
			fprintf(stderr, "rpmem_demo: %s\n", w[i].why);
			failed = 1;
		}
		persists += w[i].persists;
	}
	double secs = now_s() - start;
	if (failed)
		return -1;
	printf("%u threads wrote and persisted %zu KiB (the pool after its header) in "
		"%d KiB ranges: %.2f s, %.0f MiB/s, %.0f persists/s\n", n, data >> 10,
		RANGE >> 10, secs,
		mib(data) / secs, (double)persists / secs);
	return 0;
}

/* reads the whole pool back from the remote side into a fresh buffer and compares */
static int
read_back(struct demo *d)
{
	size_t data = d->size - HDR_SIZE;
	char *back = calloc(1, data);
	if (back == NULL) {
		fprintf(stderr, "rpmem_demo: out of memory\n");
		return -1;
	}
	double start = now_s();
	int ret = rpmem_read(d->rpp, back, HDR_SIZE, data, 0);
	double secs = now_s() - start;
	if (ret != 0) {
		fprintf(stderr, "rpmem_demo: rpmem_read: %s\n", rpmem_errormsg());
		free(back);
		return -1;
	}
	for (size_t i = 0; i < data; i++)
		if ((unsigned char)back[i] != pattern(HDR_SIZE + i)) {
			fprintf(stderr, "rpmem_demo: byte %zu read back is 0x%02x, "
				"0x%02x was persisted\n", HDR_SIZE + i,
				(unsigned char)back[i], pattern(HDR_SIZE + i));
			free(back);
			return -1;
		}
	free(back);
	printf("read back and verified %zu KiB (rpmem_read: %.2f s, %.0f MiB/s)\n",
		data >> 10, secs, mib(data) / secs);
	return 0;
}

static int
run(struct demo *d)
{
	d->pool = mmap(NULL, d->size, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (d->pool == MAP_FAILED) {
		fprintf(stderr, "rpmem_demo: cannot map %zu bytes: %s\n", d->size,
			strerror(errno));
		return -1;
	}
	/* the attributes rpmemd keeps in the pool header, the first 4 KiB */
	struct rpmem_pool_attr attr;
	memset(&attr, 0, sizeof(attr));
	memcpy(attr.signature, "RPMEMDMO", RPMEM_POOL_HDR_SIG_LEN);
	attr.major = 1;
	for (int i = 0; i < RPMEM_POOL_HDR_UUID_LEN; i++)
		attr.uuid[i] = attr.poolset_uuid[i] = (unsigned char)(rand() ^ i);
	d->nlanes = NTHREADS;
	d->rpp = rpmem_create(d->target, d->set_name, d->pool, d->size, &d->nlanes, &attr);
	if (d->rpp == NULL) {
		fprintf(stderr, "rpmem_demo: rpmem_create: %s\n", rpmem_errormsg());
		return -1;
	}
	printf("started rpmemd on %s through %s (provider %s, %u lanes)\n", d->target,
		getenv("RPMEM_SSH"), getenv("RPMEM_PROVIDER"), d->nlanes);
	printf("created remote pool %s (%g MiB, a 4 KiB header with its attributes)%s%s\n",
		d->set_name, mib(d->size), d->dir[0] ? " in " : "", d->dir);

	int ret = replicate(d);
	if (ret == 0)
		ret = read_back(d);
	if (rpmem_close(d->rpp) != 0) {
		fprintf(stderr, "rpmem_demo: rpmem_close: %s\n", rpmem_errormsg());
		ret = -1;
	}
	d->rpp = NULL;
	if (ret)
		return ret;
	printf("closed the connection; rpmemd exited\n");

	/* the pool set file too when it is ours */
	int flags = d->dir[0] ? RPMEM_REMOVE_POOL_SET : 0;
	if (rpmem_remove(d->target, d->set_name, flags) != 0) {
		fprintf(stderr, "rpmem_demo: rpmem_remove: %s\n", rpmem_errormsg());
		return -1;
	}
	printf("removed the remote pool%s\n", flags ? " and its pool set file" : "");
	return 0;
}

int
main(int argc, char *argv[])
{
	struct demo d = { .target = "localhost", .set_name = SET_NAME, .size = 64 << 20 };
	int opt;
	while ((opt = getopt(argc, argv, "s:t:n:h")) != -1) {
		switch (opt) {
		case 's':
			if (parse_size(optarg, &d.size) || d.size < RPMEM_MIN_PART ||
					d.size % (size_t)sysconf(_SC_PAGESIZE)) {
				fprintf(stderr, "rpmem_demo: -s %s: a size of at least 2M "
					"and a multiple of the page size is needed\n", optarg);
				return 2;
			}
			break;
		case 't': d.target = optarg; break;
		case 'n': d.set_name = optarg; break;
		default: return usage(argv[0]);
		}
	}
	if (optind != argc)
		return usage(argv[0]);

	srand((unsigned)time(NULL) ^ (unsigned)getpid());
	if (set_environment(&d) != 0) {
		remove_poolset_dir(&d);
		return 1;
	}
	int ret = run(&d);
	if (ret)
		show_daemon_log(&d);
	if (d.pool && d.pool != MAP_FAILED)
		munmap(d.pool, d.size);
	remove_poolset_dir(&d);
	return ret ? 1 : 0;
}
