/* region.c -- which nd region a source lives on: its id from sysfs, its object from libndctl */
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include <ndctl/libndctl.h>

#include "pmem2.h"
#include "region.h"

int
pmem2_sysfs_read_ull(const char *path, unsigned long long *val)
{
	FILE *f = fopen(path, "re");
	if (f == NULL)
		return -errno;

	char buf[64];
	char *line = fgets(buf, sizeof(buf), f);
	int e = ferror(f) ? errno : 0;
	fclose(f);
	if (line == NULL)
		return e ? -e : 1;

	char *end;
	errno = 0;
	unsigned long long v = strtoull(buf, &end, 0);
	if (errno != 0 || end == buf || buf[0] == '-' ||
			(*end != '\n' && *end != '\0'))
		return 1;
	*val = v;
	return 0;
}

int
pmem2_devdax_read_attr(dev_t st_rdev, const char *attr,
	unsigned long long *val)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "/sys/dev/char/%u:%u/%s",
		major(st_rdev), minor(st_rdev), attr);
	int ret = pmem2_sysfs_read_ull(path, val);
	if (ret != -ENOENT)
		return ret;

	/* older kernels keep some attributes on the parent nd device */
	snprintf(path, sizeof(path), "/sys/dev/char/%u:%u/device/%s",
		major(st_rdev), minor(st_rdev), attr);
	return pmem2_sysfs_read_ull(path, val);
}

int
pmem2_region_read_attr(unsigned id, const char *attr, unsigned long long *val)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "/sys/bus/nd/devices/region%u/%s",
		id, attr);
	return pmem2_sysfs_read_ull(path, val);
}

int
pmem2_source_sysfs_dir(const struct pmem2_source *src, char *buf)
{
	char path[64];
	if (src->ftype == PMEM2_FTYPE_DEVDAX)
		snprintf(path, sizeof(path), "/sys/dev/char/%u:%u",
			major(src->st_rdev), minor(src->st_rdev));
	else
		snprintf(path, sizeof(path), "/sys/dev/block/%u:%u",
			major(src->st_dev), minor(src->st_dev));
	if (realpath(path, buf) == NULL)
		return -errno;
	return 0;
}

/*
 * Devices of an nd bus sit below it in sysfs:
 * .../ndbusN/regionR/namespaceR.M/block/pmemX or .../ndbusN/regionR/daxR.M/daxR.M
 * so the region is the "region<R>" component that follows an "ndbus" one.
 */
static int
region_in_path(const char *path, unsigned *id)
{
	int on_bus = 0;
	const char *p = path;
	while (*p != '\0') {
		while (*p == '/')
			p++;
		size_t n = strcspn(p, "/");
		if (n > 5 && strncmp(p, "ndbus", 5) == 0)
			on_bus = 1;
		unsigned v;
		int used = 0;
		if (on_bus && n > 6 && strncmp(p, "region", 6) == 0 &&
				sscanf(p, "region%u%n", &v, &used) == 1 &&
				(size_t)used == n) {
			*id = v;
			return 0;
		}
		p += n;
	}
	return -1;
}

static int
not_found(const struct pmem2_source *src, const char *why)
{
	if (src->ftype == PMEM2_FTYPE_DEVDAX)
		return pmem2_err(PMEM2_E_DAX_REGION_NOT_FOUND,
			"device DAX %u:%u is not on an nd region (%s)",
			major(src->st_rdev), minor(src->st_rdev), why);
	return pmem2_err(PMEM2_E_DAX_REGION_NOT_FOUND,
		"file is not on a pmem device (no nd region found for "
		"st_dev %u:%u: %s)",
		major(src->st_dev), minor(src->st_dev), why);
}

int
pmem2_source_region_id(const struct pmem2_source *src, unsigned *region_id)
{
	if (src->type != PMEM2_SOURCE_FD)
		return pmem2_err(PMEM2_E_NOSUPP,
			"an anonymous source has no nd region");

	char path[PATH_MAX];
	int ret = pmem2_source_sysfs_dir(src, path);
	if (ret == -ENOENT)
		return not_found(src, "the device has no sysfs entry");
	if (ret < 0)
		return pmem2_err_sys(ret, -ret,
			"cannot resolve the sysfs path of the device");
	if (region_in_path(path, region_id) != 0)
		return not_found(src, path);
	log_msg(LOG_INFO, "source on nd region%u (%s)", *region_id, path);
	return 0;
}

static struct ndctl_region *
find_region(struct ndctl_ctx *ctx, unsigned id)
{
	struct ndctl_bus *bus;
	struct ndctl_region *region;
	ndctl_bus_foreach(ctx, bus) {
		ndctl_region_foreach(bus, region) {
			if (ndctl_region_get_id(region) == id)
				return region;
		}
	}
	return NULL;
}

int
pmem2_region_ndctl(const struct pmem2_source *src, struct ndctl_ctx **ctx,
	struct ndctl_region **region)
{
	unsigned id;
	int ret = pmem2_source_region_id(src, &id);
	if (ret)
		return ret;

	ret = ndctl_new(ctx);
	if (ret) {
		int e = ret < 0 ? -ret : ENOMEM;
		return pmem2_err_sys(-e, e, "cannot create a libndctl context");
	}
	*region = find_region(*ctx, id);
	if (*region == NULL) {
		ndctl_unref(*ctx);
		*ctx = NULL;
		return pmem2_err(PMEM2_E_DAX_REGION_NOT_FOUND,
			"libndctl does not know nd region%u", id);
	}
	return 0;
}

int
pmem2_region_nosupp(const char *what)
{
	char why[ERR_MSG_MAX];
	snprintf(why, sizeof(why), "%s", err_last());
	return pmem2_err(PMEM2_E_NOSUPP, "%s is not supported: %s", what, why);
}
