/* async_common.h -- what the async_* tests share: a file map of a forced granularity with a mover of each kind, a shadow of what it must hold, and the two ways to wait */
#ifndef ASYNC_COMMON_H
#define ASYNC_COMMON_H 1

#define PMEM2_USE_MINIASYNC 1
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpmem2.h>
#include <libminiasync.h>

#include "test_common.h"
#include "test_pmem2.h"

static const enum pmem2_granularity Async_grans[] = {
	PMEM2_GRANULARITY_BYTE,
	PMEM2_GRANULARITY_CACHE_LINE,
	PMEM2_GRANULARITY_PAGE,
};
#define ASYNC_NGRANS 3
static const char *const Async_gran_names[] = { "BYTE", "CACHE_LINE", "PAGE" };
static const char *const Async_gran_env[] = { "byte", "cache_line", "page" };

enum async_mover {
	MOVER_DEFAULT,	/* none set in the config: the map's own */
	MOVER_SYNC,	/* data_mover_sync */
	MOVER_THREADS,	/* data_mover_threads, 4 workers */
};
#define ASYNC_NMOVERS 3
static const char *const Async_mover_names[] = { "default", "sync", "threads" };

/* a map of one granularity on a /dev/shm file, its mover, and the shadow of its contents */
struct async_target {
	enum pmem2_granularity gran;
	enum async_mover mover;
	struct data_mover_sync *dms;
	struct data_mover_threads *dmt;
	struct vdm *vdm;	/* what the config was given; NULL for the default mover */
	struct pmem2_map *map;
	char *base;
	size_t size;
	unsigned char *shadow;
	int fd;
	char path[PATH_MAX];
};

static inline struct vdm *
async_mover_new(struct async_target *t, enum async_mover m)
{
	t->mover = m;
	t->dms = NULL;
	t->dmt = NULL;
	switch (m) {
	case MOVER_SYNC:
		t->dms = data_mover_sync_new();
		assert_non_null(t->dms);
		return data_mover_sync_get_vdm(t->dms);
	case MOVER_THREADS:
		t->dmt = data_mover_threads_new(4, 128, FUTURE_NOTIFIER_WAKER);
		assert_non_null(t->dmt);
		return data_mover_threads_get_vdm(t->dmt);
	case MOVER_DEFAULT:
	default:
		return NULL;
	}
}

static inline void
async_mover_delete(struct async_target *t)
{
	if (t->dms != NULL)
		data_mover_sync_delete(t->dms);
	if (t->dmt != NULL)
		data_mover_threads_delete(t->dmt);
	t->dms = NULL;
	t->dmt = NULL;
}

/* maps fd with PMEM2_FORCE_GRANULARITY set to g and vdm in the config (PAGE requested: any granularity will do) */
static inline struct pmem2_map *
async_map_fd(int fd, enum pmem2_granularity g, struct vdm *vdm)
{
	struct pmem2_source *src = test_source_fd(fd);
	struct pmem2_config *cfg;
	assert_int_equal(pmem2_config_new(&cfg), 0);
	assert_int_equal(pmem2_config_set_required_store_granularity(cfg,
		PMEM2_GRANULARITY_PAGE), 0);
	assert_int_equal(pmem2_config_set_vdm(cfg, vdm), 0);
	setenv("PMEM2_FORCE_GRANULARITY", Async_gran_env[g], 1);
	struct pmem2_map *map = NULL;
	int ret = pmem2_map_new(&map, cfg, src);
	unsetenv("PMEM2_FORCE_GRANULARITY");
	if (ret != 0)
		fail_msg("pmem2_map_new: %d (%s)", ret, pmem2_errormsg());
	assert_int_equal(pmem2_map_get_store_granularity(map), g);
	assert_int_equal(pmem2_config_delete(&cfg), 0);
	assert_int_equal(pmem2_source_delete(&src), 0);
	return map;
}

/* a size-byte file map of granularity g with mover m; map and shadow hold the same pattern */
static inline void
async_target_open(struct async_target *t, enum pmem2_granularity g,
	enum async_mover m, size_t size)
{
	memset(t, 0, sizeof(*t));
	t->gran = g;
	t->size = size;
	t->vdm = async_mover_new(t, m);
	t->fd = test_tmpfile(NULL, size, O_RDWR, t->path);
	t->map = async_map_fd(t->fd, g, t->vdm);
	assert_true(pmem2_map_get_size(t->map) >= size);
	t->base = pmem2_map_get_address(t->map);
	t->shadow = malloc(size);
	assert_non_null(t->shadow);
	test_fill_pattern(t->shadow, size, 77u + 3u * (unsigned)g + (unsigned)m);
	memcpy(t->base, t->shadow, size);
}

/* fails naming the first byte where buf and the shadow differ */
static inline void
async_expect_shadow(struct async_target *t, const unsigned char *buf,
	const char *where)
{
	if (memcmp(buf, t->shadow, t->size) == 0)
		return;
	size_t i = 0;
	while (buf[i] == t->shadow[i])
		i++;
	fail_msg("%s map, %s mover, %s: byte %zu is 0x%02x, expected 0x%02x",
		Async_gran_names[t->gran], Async_mover_names[t->mover], where,
		i, buf[i], t->shadow[i]);
}

/* checks the map, unmaps it, then checks what the file holds (pread) against the shadow */
static inline void
async_target_close(struct async_target *t)
{
	async_expect_shadow(t, (unsigned char *)t->base, "in the map");
	test_map_delete(&t->map);
	unsigned char *file = malloc(t->size);
	assert_non_null(file);
	assert_int_equal(pread(t->fd, file, t->size, 0), (ssize_t)t->size);
	async_expect_shadow(t, file, "in the file after unmapping");
	free(file);
	close(t->fd);
	unlink(t->path);
	async_mover_delete(t);
	free(t->shadow);
}

/* waits for fut: by polling without a notifier (rt NULL) or through the runtime */
static inline void
async_wait(struct runtime *rt, struct pmem2_future *fut)
{
	if (rt == NULL)
		FUTURE_BUSY_POLL(fut);
	else
		runtime_wait(rt, FUTURE_AS_RUNNABLE(fut));
	assert_int_equal(FUTURE_STATE(fut), FUTURE_STATE_COMPLETE);
}

/* the vdm flags pmem2 asked the mover for (the field PMDK's test reads) */
static inline uint64_t
async_vdm_flags(struct pmem2_future *fut)
{
	return fut->data.op.fut.data.operation.data.memcpy.flags;
}

/* 1 when the chain ends with the operation, 0 when a finaliser (persist) follows it */
static inline int
async_without_finaliser(struct pmem2_future *fut)
{
	return FUTURE_CHAIN_ENTRY_IS_LAST(&fut->data.op);
}

#endif /* ASYNC_COMMON_H */
