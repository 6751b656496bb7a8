/* pmem2.h -- libpmem2's internal view: object layouts and the contracts between its files */
#ifndef PMEM2_INTERNAL_H
#define PMEM2_INTERNAL_H 1

#include <errno.h>
#include <stdbool.h>
#include <sys/types.h>

/*
 * The public API keeps default visibility; everything else stays inside the
 * library. The asynchronous calls are part of it: libminiasync's headers are
 * inline only, so the library does not link libminiasync.
 */
#define PMEM2_USE_MINIASYNC 1
#pragma GCC visibility push(default)
#include <libpmem2.h>
#pragma GCC visibility pop

#include "err.h"
#include "log.h"
#include "util.h"

/*
 * Fails a public call: records the message for pmem2_errormsg(), sets errno
 * to the matching errno value and evaluates to ret. Each argument is
 * evaluated once, before errno changes, so errno may appear in them.
 */
#define pmem2_err(ret, ...) ({ \
	int pmem2_ret_ = (ret); \
	err_set(pmem2_ret_, __VA_ARGS__); \
	errno = pmem2_err_to_errno(pmem2_ret_); \
	pmem2_ret_; \
})
/* the same with ": strerror(errnum)" appended to the message */
#define pmem2_err_sys(ret, errnum, ...) ({ \
	int pmem2_ret_ = (ret); \
	err_set_sys(pmem2_ret_, (errnum), __VA_ARGS__); \
	errno = pmem2_err_to_errno(pmem2_ret_); \
	pmem2_ret_; \
})

/* a granularity no config starts with: the user must choose one */
#define PMEM2_GRANULARITY_INVALID ((enum pmem2_granularity)3)

#define PMEM2_CACHELINE_SIZE 64

enum pmem2_source_type {
	PMEM2_SOURCE_UNSPECIFIED,
	PMEM2_SOURCE_ANON,
	PMEM2_SOURCE_FD,
};

enum pmem2_file_type {
	PMEM2_FTYPE_REG = 1,
	PMEM2_FTYPE_DEVDAX = 2,
	PMEM2_FTYPE_DIR = 3,
};

struct pmem2_source {
	enum pmem2_source_type type;
	enum pmem2_file_type ftype;	/* PMEM2_SOURCE_FD only */
	size_t anon_size;		/* PMEM2_SOURCE_ANON only */
	int fd;				/* -1 in a map's copy */
	dev_t st_rdev;
	dev_t st_dev;
};

struct pmem2_config {
	size_t offset;
	size_t length;				/* 0: to the end of the source */
	enum pmem2_granularity requested_max_granularity;
	enum pmem2_sharing_type sharing;
	unsigned protection_flag;
	struct pmem2_vm_reservation *reserv;
	size_t reserv_offset;
	struct vdm *vdm;			/* NULL: each map gets its default mover */
};

/*
 * The mover of a map's asynchronous calls when the config names none: runs
 * each operation in the polling thread with the map's own copy functions.
 * Embedded in the map, so it lives and dies with it.
 */
struct pmem2_default_mover {
	struct vdm base;		/* first: a struct vdm * is a struct pmem2_default_mover * */
	struct pmem2_map *map;
};

struct pmem2_map {
	void *addr;
	size_t reserved_length;		/* 0 for pmem2_map_from_existing */
	size_t content_length;
	enum pmem2_granularity effective_granularity;
	bool map_sync;

	pmem2_persist_fn persist_fn;
	pmem2_flush_fn flush_fn;
	pmem2_drain_fn drain_fn;
	int (*deep_flush_fn)(struct pmem2_map *map, void *ptr, size_t size);
	pmem2_memmove_fn memmove_fn;
	pmem2_memcpy_fn memcpy_fn;
	pmem2_memset_fn memset_fn;

	struct pmem2_vm_reservation *reserv;
	size_t reserv_offset;
	struct pmem2_source source;	/* copy of the source, fd = -1 */

	struct vdm *vdm;		/* the config's mover, or &default_mover.base */
	struct pmem2_default_mover default_mover;
};

/* config.c: fill a config with its defaults (for pmem2_config_new) */
void pmem2_config_init(struct pmem2_config *cfg);

/* source_devdax.c: 1 when the char device st_rdev is a device DAX, 0 if not, <0 error */
int pmem2_devdax_check(dev_t st_rdev);
/* region.c: the nd region a source lives on, through sysfs; PMEM2_E_* when none */
int pmem2_source_region_id(const struct pmem2_source *src, unsigned *region_id);

/* persist.c: the per-granularity function sets assigned to a map */
void pmem2_set_flush_fns(struct pmem2_map *map);
void pmem2_set_mem_fns(struct pmem2_map *map);
/* msync of the registered maps under [addr, addr + len); 0 or -errno */
int pmem2_persist_pages_checked(const void *addr, size_t len);

/* mover.c: gives the map its mover, vdm (from the config) or its default one */
void pmem2_map_set_vdm(struct pmem2_map *map, struct vdm *vdm);

/* deep_flush.c: what pmem2_deep_flush does per granularity */
int pmem2_deep_flush_page(struct pmem2_map *map, void *ptr, size_t size);
int pmem2_deep_flush_cache(struct pmem2_map *map, void *ptr, size_t size);
int pmem2_deep_flush_byte(struct pmem2_map *map, void *ptr, size_t size);

/* granularity.c */
int pmem2_auto_flush(void);	/* 1 when the platform has eADR */
int pmem2_force_granularity(enum pmem2_granularity *g); /* 1 if forced by env */

#endif /* PMEM2_INTERNAL_H */
