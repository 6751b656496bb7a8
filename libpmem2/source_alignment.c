/* source_alignment.c -- pmem2_source_alignment: page size, or a device DAX's align from sysfs */
#include <sys/sysmacros.h>

#include "pmem2.h"
#include "region.h"

static int
devdax_alignment(const struct pmem2_source *src, size_t *alignment)
{
	unsigned long long v;
	int ret = pmem2_devdax_read_attr(src->st_rdev, "align", &v);
	if (ret < 0)
		return pmem2_err_sys(ret, -ret,
			"cannot read the alignment of device DAX %u:%u from "
			"/sys/dev/char/%u:%u/align", major(src->st_rdev),
			minor(src->st_rdev), major(src->st_rdev),
			minor(src->st_rdev));
	if (ret > 0)
		return pmem2_err(PMEM2_E_INVALID_ALIGNMENT_FORMAT,
			"invalid alignment of device DAX %u:%u in sysfs",
			major(src->st_rdev), minor(src->st_rdev));
	if (!IS_POW2(v) || v > SIZE_MAX)
		return pmem2_err(PMEM2_E_INVALID_ALIGNMENT_VALUE,
			"alignment %llu of device DAX %u:%u is not a power "
			"of two", v, major(src->st_rdev), minor(src->st_rdev));
	*alignment = (size_t)v;
	return 0;
}

int
pmem2_source_alignment(const struct pmem2_source *src, size_t *alignment)
{
	if (src->type == PMEM2_SOURCE_FD && src->ftype == PMEM2_FTYPE_DEVDAX)
		return devdax_alignment(src, alignment);
	*alignment = util_pagesize();
	return 0;
}
