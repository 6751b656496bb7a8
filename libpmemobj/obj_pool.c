/* obj_pool.c -- an open pool's record: made, its replicas and lanes set up, released */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "obj_pool.h"

/* lanes asked of rpmemd without PMEMOBJ_NLANES: one per CPU, at most this many */
#define OBJ_NLANES_MAX_DEFAULT 64

static atomic_uint_fast64_t Next_id = 1;

struct obj_pool *
obj_pool_alloc(void)
{
	struct obj_pool *pool = calloc(1, sizeof(*pool));
	if (pool == NULL) {
		err_set(-ENOMEM, "out of memory for a pool");
		return NULL;
	}
	pool->id = atomic_fetch_add(&Next_id, 1);
	pthread_mutex_init(&pool->root_lock, NULL);
	pthread_mutex_init(&pool->mark_lock, NULL);
	return pool;
}

int
obj_pool_reps_init(struct obj_pool *pool)
{
	const struct poolset *set = pool->os.set;
	pool->reps = calloc(set->nreplicas, sizeof(*pool->reps));
	if (pool->reps == NULL)
		return err_set(-ENOMEM, "out of memory for %u replicas", set->nreplicas);
	pool->nreps = set->nreplicas;
	for (unsigned r = 0; r < pool->nreps; r++) {
		obj_rep_init(&pool->reps[r], &pool->os, r);
		pool->nremote += pool->reps[r].remote;
	}
	return 0;
}

unsigned
obj_nlanes_wanted(void)
{
	const char *v = getenv("PMEMOBJ_NLANES");
	if (v != NULL) {
		char *end;
		errno = 0;
		unsigned long n = strtoul(v, &end, 10);
		if (v[0] != '\0' && v[0] != '-' && *end == '\0' && n > 0 && errno == 0)
			return n > 1024 ? 1024 : (unsigned)n;
		log_msg(LOG_WARN, "PMEMOBJ_NLANES=%s is not a positive integer, ignored", v);
	}
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (cpus < 1)
		cpus = 1;
	return cpus > OBJ_NLANES_MAX_DEFAULT ? OBJ_NLANES_MAX_DEFAULT : (unsigned)cpus;
}

int
obj_pool_lanes_init(struct obj_pool *pool)
{
	if (pool->nremote == 0)
		return 0;
	unsigned n = obj_nlanes_wanted();
	for (unsigned r = 1; r < pool->nreps; r++)
		if (pool->reps[r].remote && pool->reps[r].nlanes < n)
			n = pool->reps[r].nlanes;
	pool->lanes = calloc(n, sizeof(*pool->lanes));
	if (pool->lanes == NULL)
		return err_set(-ENOMEM, "out of memory for %u lanes", n);
	for (unsigned l = 0; l < n; l++) {
		pool->lanes[l].futs = calloc(pool->nremote, sizeof(*pool->lanes[l].futs));
		if (pool->lanes[l].futs == NULL)
			return err_set(-ENOMEM, "out of memory for %u lanes", n);
		pthread_mutex_init(&pool->lanes[l].lock, NULL);
		/* counted as they are made, so obj_pool_free releases exactly these */
		pool->nlanes = l + 1;
	}
	log_msg(LOG_INFO, "pool '%s': %u lane(s) over %u remote replica(s)", pool->os.path,
		pool->nlanes, pool->nremote);
	return 0;
}

void
obj_pool_free(struct obj_pool *pool)
{
	if (pool == NULL)
		return;
	for (unsigned r = 0; r < pool->nreps; r++)
		obj_rep_close(&pool->reps[r]);
	for (unsigned l = 0; l < pool->nlanes; l++) {
		pthread_mutex_destroy(&pool->lanes[l].lock);
		free(pool->lanes[l].futs);
	}
	free(pool->lanes);
	free(pool->reps);
	obj_set_free(&pool->os);
	pthread_mutex_destroy(&pool->root_lock);
	pthread_mutex_destroy(&pool->mark_lock);
	free(pool);
}
