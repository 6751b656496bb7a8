/* pmemobj_bench_pools.c -- the pools pmemobj_bench compares: a primary alone, with one remote replica, with two (each behind its own rpmemd and poolset-dir), in one temporary directory */
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pmemobj_bench.h"

#ifndef DEMO_SSH
#define DEMO_SSH "tests/lib/rpmem_ssh_local.sh"
#endif
#ifndef DEMO_RPMEMD
#define DEMO_RPMEMD "build/release/bin/rpmemd"
#endif

#define LAYOUT "pmemobj_bench"
/* the root object starts past the header and the pool descriptor */
#define ROOT_OFF 8192
#define REGION_ALIGN ((size_t)64 << 10)
#define FILL_CHUNK ((size_t)1 << 20)

/* the remote replicas of each pool set; both names exist in the 2-remote pool's two poolset-dirs */
static const char *const Remote_sets[OBJBENCH_CONFIGS] = {
	"", "REPLICA localhost one.set\n", "REPLICA localhost r1.set\nREPLICA localhost r2.set\n"
};
/* the poolset-dir of each pool's first remote replica; the next ones follow */
static const unsigned First_daemon[OBJBENCH_CONFIGS] = { 0, 0, 1 };
static const char *const Part_names[] = { "one", "r1", "r2" };

static int
write_file(const char *dir, const char *name, const char *text)
{
	char path[PATH_MAX + 64];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (f == NULL || fputs(text, f) == EOF || fclose(f) != 0) {
		fprintf(stderr, "pmemobj_bench: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* a one-part remote pool set of pool_size bytes named name.set in dir */
static int
write_remote_set(const char *dir, const char *name, size_t pool_size)
{
	char file[64], text[128];
	snprintf(file, sizeof(file), "%s.set", name);
	snprintf(text, sizeof(text), "PMEMPOOLSET\n%zuK %s.part\n", pool_size >> 10, name);
	return write_file(dir, file, text);
}

static int
make_dirs(struct objbench_world *w, const char *base, size_t pool_size)
{
	snprintf(w->dir, sizeof(w->dir), "%s/pmemobj-bench-XXXXXX", base);
	if (mkdtemp(w->dir) == NULL) {
		fprintf(stderr, "pmemobj_bench: cannot make a directory in %s: %s\n", base,
			strerror(errno));
		w->dir[0] = '\0';
		return -1;
	}
	for (unsigned d = 0; d < OBJBENCH_DAEMONS; d++) {
		snprintf(w->daemon_dir[d], sizeof(w->daemon_dir[d]), "%s/rpmemd%u", w->dir, d);
		if (mkdir(w->daemon_dir[d], 0700) != 0) {
			fprintf(stderr, "pmemobj_bench: cannot make %s: %s\n", w->daemon_dir[d],
				strerror(errno));
			return -1;
		}
	}
	if (write_remote_set(w->daemon_dir[0], "one", pool_size))
		return -1;
	/* librpmem hands its RPMEM_CMD entries out in turn: either daemon may get either set */
	for (unsigned d = 1; d < OBJBENCH_DAEMONS; d++)
		if (write_remote_set(w->daemon_dir[d], "r1", pool_size) ||
				write_remote_set(w->daemon_dir[d], "r2", pool_size))
			return -1;
	for (unsigned c = 0; c < OBJBENCH_CONFIGS; c++) {
		char name[32], text[256];
		snprintf(name, sizeof(name), "pool%u.set", c);
		/* the primary's part is relative to the set file's directory */
		snprintf(text, sizeof(text), "PMEMPOOLSET\n%zuK pool%u.part\n%s",
			pool_size >> 10, c, Remote_sets[c]);
		if (write_file(w->dir, name, text))
			return -1;
	}
	return 0;
}

/* the command that starts rpmemd (the build's, or PMEMOBJ_BENCH_RPMEMD) serving poolset-dir dir, appended to cmd */
static void
append_daemon(char *cmd, size_t size, const char *dir)
{
	const char *rpmemd = getenv("PMEMOBJ_BENCH_RPMEMD");
	size_t len = strlen(cmd);
	snprintf(cmd + len, size - len, "%s%s --poolset-dir=%s --log-file=%s/rpmemd.log",
		len ? "|" : "", rpmemd && *rpmemd ? rpmemd : DEMO_RPMEMD, dir, dir);
}

/* how many of the remote parts dir holds */
static int
count_parts(const char *dir)
{
	char path[PATH_MAX + 16];
	int n = 0;
	for (size_t i = 0; i < sizeof(Part_names) / sizeof(Part_names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s.part", dir, Part_names[i]);
		n += access(path, F_OK) == 0;
	}
	return n;
}

/* creates pool c, its root over every thread's region, and writes the root once */
static int
create_pool(struct objbench_world *w, unsigned c, size_t pool_size)
{
	struct objbench_pool *p = &w->pools[c];
	p->nremote = c;
	char path[PATH_MAX + 32];
	snprintf(path, sizeof(path), "%s/pool%u.set", w->dir, c);
	p->pop = pmemobj_create(path, LAYOUT, 0, 0600);
	if (p->pop == NULL) {
		fprintf(stderr, "pmemobj_bench: pmemobj_create(%s): %s\n", path, pmemobj_errormsg());
		return -1;
	}
	p->region = (pool_size - ROOT_OFF) / OBJBENCH_MAX_THREADS / REGION_ALIGN * REGION_ALIGN;
	size_t root_size = p->region * OBJBENCH_MAX_THREADS;
	p->root = pmemobj_direct(pmemobj_root(p->pop, root_size));
	if (p->root == NULL) {
		fprintf(stderr, "pmemobj_bench: pmemobj_root(%zu) of %s: %s\n", root_size, path,
			pmemobj_errormsg());
		return -1;
	}
	for (size_t off = 0; off < root_size; off += FILL_CHUNK) {
		size_t n = root_size - off < FILL_CHUNK ? root_size - off : FILL_CHUNK;
		errno = 0;
		pmemobj_memset_persist(p->pop, p->root + off, 0x5a, n);
		if (errno != 0) {
			fprintf(stderr, "pmemobj_bench: pmemobj_memset_persist of %s: %s\n", path,
				pmemobj_errormsg());
			return -1;
		}
	}
	return 0;
}

int
objbench_world_create(struct objbench_world *w, const char *base, size_t pool_size)
{
	memset(w, 0, sizeof(*w));
	if (make_dirs(w, base, pool_size))
		goto fail;
	if (getenv("RPMEM_SSH") == NULL)
		setenv("RPMEM_SSH", DEMO_SSH, 1);
	if (getenv("RPMEM_PROVIDER") == NULL)
		setenv("RPMEM_PROVIDER", "tcp", 1);
	/* one lane per thread: threads do not queue on a lane's lock */
	if (getenv("PMEMOBJ_NLANES") == NULL) {
		char n[16];
		snprintf(n, sizeof(n), "%u", OBJBENCH_MAX_THREADS);
		setenv("PMEMOBJ_NLANES", n, 1);
	}
	int own_cmd = getenv("RPMEM_CMD") == NULL;
	for (unsigned c = 0; c < OBJBENCH_CONFIGS; c++) {
		if (own_cmd) {
			/* pool c: daemons First_daemon[c] .. + c, one connection each */
			char cmd[OBJBENCH_DAEMONS * (3 * PATH_MAX + 64)] = "";
			for (unsigned d = First_daemon[c]; d < First_daemon[c] + c; d++)
				append_daemon(cmd, sizeof(cmd), w->daemon_dir[d]);
			setenv("RPMEM_CMD", cmd, 1);
		}
		if (create_pool(w, c, pool_size))
			goto fail;
	}
	if (own_cmd)
		unsetenv("RPMEM_CMD");
	/* the two remote replicas went to two daemons, each with its own poolset-dir */
	for (unsigned d = 0; own_cmd && d < OBJBENCH_DAEMONS; d++) {
		if (count_parts(w->daemon_dir[d]) != 1) {
			fprintf(stderr, "pmemobj_bench: %s holds %d remote parts, not 1\n",
				w->daemon_dir[d], count_parts(w->daemon_dir[d]));
			goto fail;
		}
	}
	return 0;
fail:
	objbench_world_destroy(w);
	return -1;
}

static int
remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	if (remove(path) != 0)
		fprintf(stderr, "pmemobj_bench: cannot remove %s: %s\n", path, strerror(errno));
	return 0;
}

void
objbench_world_destroy(struct objbench_world *w)
{
	for (unsigned c = 0; c < OBJBENCH_CONFIGS; c++) {
		if (w->pools[c].pop != NULL)
			pmemobj_close(w->pools[c].pop);
		w->pools[c].pop = NULL;
	}
	if (w->dir[0] != '\0')
		nftw(w->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	w->dir[0] = '\0';
}
