/* vm_reservation_threads.c -- many threads mapping and unmapping in one reservation at once */
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_common.h"
#include "test_pmem2.h"

#define NTHREADS 4
#define SLOTS_PER_THREAD 4
#define NSLOTS (NTHREADS * SLOTS_PER_THREAD)
#define SLOT_SIZE (64UL << 10)
#define ITERATIONS 500
#define RACE_ROUNDS 200

struct shared {
	struct pmem2_vm_reservation *rsv;
	struct pmem2_source *src;
	char *base;
	pthread_barrier_t barrier;
	int errors;		/* protected by lock */
	char what[256];
	pthread_mutex_t lock;
};

struct worker {
	struct shared *sh;
	int id;
	int wins;
};

static void
report(struct shared *sh, const char *what, int ret)
{
	pthread_mutex_lock(&sh->lock);
	if (sh->errors++ == 0)
		snprintf(sh->what, sizeof(sh->what), "%s: %d (%s)", what, ret,
			pmem2_errormsg());
	pthread_mutex_unlock(&sh->lock);
}

static int
map_slot(struct shared *sh, int slot, struct pmem2_map **map)
{
	struct pmem2_config *cfg;
	if (pmem2_config_new(&cfg) != 0)
		return -1;
	pmem2_config_set_required_store_granularity(cfg,
		PMEM2_GRANULARITY_PAGE);
	pmem2_config_set_length(cfg, SLOT_SIZE);
	pmem2_config_set_vm_reservation(cfg, sh->rsv,
		(size_t)slot * SLOT_SIZE);
	int ret = pmem2_map_new(map, cfg, sh->src);
	pmem2_config_delete(&cfg);
	return ret;
}

/* each thread maps, checks and unmaps its own slots, over and over */
static void *
own_slots(void *arg)
{
	struct worker *w = arg;
	struct shared *sh = w->sh;
	for (int i = 0; i < ITERATIONS; i++) {
		int slot = w->id * SLOTS_PER_THREAD + i % SLOTS_PER_THREAD;
		size_t off = (size_t)slot * SLOT_SIZE;
		struct pmem2_map *map = NULL;
		int ret = map_slot(sh, slot, &map);
		if (ret != 0) {
			report(sh, "map_new", ret);
			break;
		}
		if ((char *)pmem2_map_get_address(map) != sh->base + off) {
			report(sh, "address", 0);
			break;
		}
		struct pmem2_map *found = NULL;
		ret = pmem2_vm_reservation_map_find(sh->rsv, off, SLOT_SIZE,
			&found);
		if (ret != 0 || found != map) {
			report(sh, "map_find", ret);
			break;
		}
		/* the file is shared by all: each thread owns a few bytes */
		char *mine = (char *)pmem2_map_get_address(map) + w->id * 8;
		memcpy(mine, &i, sizeof(i));
		pmem2_get_persist_fn(map)(mine, sizeof(i));
		int back;
		memcpy(&back, mine, sizeof(back));
		if (back != i) {
			report(sh, "data", back);
			break;
		}
		ret = pmem2_map_delete(&map);
		if (ret != 0) {
			report(sh, "map_delete", ret);
			break;
		}
	}
	return NULL;
}

/* all threads race for the same slot: exactly one may win each round */
static void *
same_slot(void *arg)
{
	struct worker *w = arg;
	struct shared *sh = w->sh;
	for (int round = 0; round < RACE_ROUNDS; round++) {
		pthread_barrier_wait(&sh->barrier);
		struct pmem2_map *map = NULL;
		int ret = map_slot(sh, round % NSLOTS, &map);
		if (ret != 0 && ret != PMEM2_E_MAPPING_EXISTS)
			report(sh, "racing map_new", ret);
		pthread_barrier_wait(&sh->barrier);
		if (ret == 0) {
			w->wins++;
			ret = pmem2_map_delete(&map);
			if (ret != 0)
				report(sh, "racing map_delete", ret);
		}
	}
	return NULL;
}

static void
run(void *(*fn)(void *), struct worker *workers, struct shared *sh)
{
	pthread_t th[NTHREADS];
	for (int i = 0; i < NTHREADS; i++) {
		workers[i].sh = sh;
		workers[i].id = i;
		workers[i].wins = 0;
		assert_int_equal(pthread_create(&th[i], NULL, fn, &workers[i]),
			0);
	}
	for (int i = 0; i < NTHREADS; i++)
		assert_int_equal(pthread_join(th[i], NULL), 0);
	if (sh->errors != 0)
		fail_msg("%d errors, first: %s", sh->errors, sh->what);
}

static struct shared *
world(int fd)
{
	struct shared *sh = calloc(1, sizeof(*sh));
	assert_non_null(sh);
	assert_int_equal(pmem2_vm_reservation_new(&sh->rsv, NULL,
		NSLOTS * SLOT_SIZE), 0);
	sh->base = pmem2_vm_reservation_get_address(sh->rsv);
	sh->src = test_source_fd(fd);
	pthread_mutex_init(&sh->lock, NULL);
	pthread_barrier_init(&sh->barrier, NULL, NTHREADS);
	return sh;
}

static void
world_end(struct shared *sh)
{
	struct pmem2_map *found;
	assert_int_equal(pmem2_vm_reservation_map_find_first(sh->rsv, &found),
		PMEM2_E_MAPPING_NOT_FOUND);
	assert_int_equal(pmem2_vm_reservation_delete(&sh->rsv), 0);
	pmem2_source_delete(&sh->src);
	pthread_barrier_destroy(&sh->barrier);
	pthread_mutex_destroy(&sh->lock);
	free(sh);
}

static void
threads_mapping_their_own_slots_of_one_reservation_never_collide(
	void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, SLOT_SIZE, O_RDWR, NULL);
	struct shared *sh = world(fd);
	struct worker workers[NTHREADS];
	run(own_slots, workers, sh);
	/* the last value each thread wrote is in the file */
	for (int i = 0; i < NTHREADS; i++) {
		int v;
		assert_int_equal(pread(fd, &v, sizeof(v), i * 8),
			(ssize_t)sizeof(v));
		assert_int_equal(v, ITERATIONS - 1);
	}
	world_end(sh);
	close(fd);
}

static void
threads_racing_for_one_slot_let_exactly_one_win(void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, SLOT_SIZE, O_RDWR, NULL);
	struct shared *sh = world(fd);
	struct worker workers[NTHREADS];
	run(same_slot, workers, sh);
	int wins = 0;
	for (int i = 0; i < NTHREADS; i++)
		wins += workers[i].wins;
	assert_int_equal(wins, RACE_ROUNDS);
	world_end(sh);
	close(fd);
}

/* no reservation: map, write, persist, check the file, unmap (global registry) */
static void *
own_maps(void *arg)
{
	struct worker *w = arg;
	struct shared *sh = w->sh;
	struct pmem2_config *cfg;
	if (pmem2_config_new(&cfg) != 0) {
		report(sh, "config_new", -1);
		return NULL;
	}
	pmem2_config_set_required_store_granularity(cfg,
		PMEM2_GRANULARITY_PAGE);
	pmem2_config_set_offset(cfg, (size_t)w->id * SLOT_SIZE);
	pmem2_config_set_length(cfg, SLOT_SIZE);
	int fd = -1;
	pmem2_source_get_fd(sh->src, &fd);
	for (int i = 0; i < ITERATIONS; i++) {
		struct pmem2_map *map = NULL;
		int ret = pmem2_map_new(&map, cfg, sh->src);
		if (ret != 0) {
			report(sh, "map_new", ret);
			break;
		}
		char *addr = pmem2_map_get_address(map);
		pmem2_get_memset_fn(map)(addr + (size_t)i % SLOT_SIZE,
			i & 0x7f, 1, 0);
		pmem2_get_persist_fn(map)(addr, SLOT_SIZE);
		char c;
		if (pread(fd, &c, 1, (off_t)((size_t)w->id * SLOT_SIZE +
				(size_t)i % SLOT_SIZE)) != 1 || c != (i & 0x7f)) {
			report(sh, "file content", c);
			break;
		}
		ret = pmem2_map_delete(&map);
		if (ret != 0) {
			report(sh, "map_delete", ret);
			break;
		}
	}
	pmem2_config_delete(&cfg);
	return NULL;
}

static void
threads_mapping_and_persisting_outside_reservations_work_together(
	void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, NTHREADS * SLOT_SIZE, O_RDWR, NULL);
	struct shared *sh = world(fd);
	struct worker workers[NTHREADS];
	run(own_maps, workers, sh);
	world_end(sh);
	close(fd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(threads_mapping_their_own_slots_of_one_reservation_never_collide),
		cmocka_unit_test(threads_racing_for_one_slot_let_exactly_one_win),
		cmocka_unit_test(threads_mapping_and_persisting_outside_reservations_work_together),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
