/* pmemobj_bench.h -- what the parts of pmemobj_bench share: the three pools under test (0, 1 and 2 remote replicas) and the timed persist loop */
#ifndef PMEMOBJ_BENCH_H
#define PMEMOBJ_BENCH_H 1

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include <libpmemobj.h>

/* the configurations, by how many remote replicas the pool has */
#define OBJBENCH_CONFIGS 3
/* poolset-dirs: one daemon for the 1-remote pool, two for the 2-remote pool */
#define OBJBENCH_DAEMONS 3
#define OBJBENCH_MAX_THREADS 4

struct objbench_pool {
	unsigned nremote;
	PMEMobjpool *pop;
	char *root;		/* the root object: the threads' regions */
	size_t region;		/* bytes of each thread's region */
};

struct objbench_world {
	char dir[PATH_MAX];				/* everything lives below it */
	char daemon_dir[OBJBENCH_DAEMONS][PATH_MAX + 16];	/* each rpmemd's poolset-dir */
	struct objbench_pool pools[OBJBENCH_CONFIGS];	/* index: remote replicas */
};

/*
 * Makes a temporary directory below base with the primaries, the pool set
 * files and a poolset-dir per daemon, points librpmem at the build's
 * rpmemd through the local ssh stand-in (unless RPMEM_SSH / RPMEM_CMD are
 * set), creates the three pools of pool_size bytes with a root object of
 * every thread's region and writes the whole root once (so no timed call
 * faults a page in). -1 with a message on stderr; what was made is gone.
 */
int objbench_world_create(struct objbench_world *w, const char *base, size_t pool_size);

/* closes the pools (their daemons exit) and removes the directory */
void objbench_world_destroy(struct objbench_world *w);

/* what one timed run gives */
struct objbench_run {
	uint64_t ops;
	double busy_s;	/* the calls' times, summed over the threads */
	double wall_s;	/* first thread's start to last thread's end */
};

/*
 * pmemobj_memcpy_persist of size bytes in nthreads threads started
 * together, each walking its own region for about ms milliseconds. -1
 * with the call's message on stderr when a call failed.
 */
int objbench_persist_run(const struct objbench_pool *p, size_t size, unsigned nthreads,
	int ms, struct objbench_run *out);

#endif /* PMEMOBJ_BENCH_H */
