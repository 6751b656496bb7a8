/* region.h -- finding the nd hardware behind a source through sysfs: attributes, region, device DAX */
#ifndef PMEM2_REGION_H
#define PMEM2_REGION_H 1

#include <sys/types.h>

struct pmem2_source;
struct ndctl_ctx;
struct ndctl_region;

/*
 * Reads one unsigned number (decimal, or hex with 0x) from a sysfs file.
 * 0 on success, -errno when the file cannot be read, 1 when its content
 * is not a number; records no error message (the caller knows the context).
 */
int pmem2_sysfs_read_ull(const char *path, unsigned long long *val);

/* the same for an attribute of a device DAX: <attr> or device/<attr> */
int pmem2_devdax_read_attr(dev_t st_rdev, const char *attr,
	unsigned long long *val);

/* the same for an attribute of nd region <id>: /sys/bus/nd/devices/region<id>/<attr> */
int pmem2_region_read_attr(unsigned id, const char *attr,
	unsigned long long *val);

/*
 * The canonical sysfs directory of the device a source lives on
 * (/sys/dev/char/M:m for a device DAX, /sys/dev/block/M:m for a file),
 * resolved into buf (PATH_MAX bytes); -errno without a message on failure.
 */
int pmem2_source_sysfs_dir(const struct pmem2_source *src, char *buf);

/*
 * The libndctl object of the nd region a source lives on, for what only
 * libndctl knows (DIMM ids, shutdown counts, error clearing). On success
 * the caller releases *ctx with ndctl_unref(). PMEM2_E_DAX_REGION_NOT_FOUND
 * when the source is on no nd region; other errors as negative codes.
 */
int pmem2_region_ndctl(const struct pmem2_source *src, struct ndctl_ctx **ctx,
	struct ndctl_region **region);

/*
 * After pmem2_region_ndctl() found no region: fails with PMEM2_E_NOSUPP and
 * the message "<what> is not supported: <why the region was not found>".
 */
int pmem2_region_nosupp(const char *what);

#endif /* PMEM2_REGION_H */
