/* source_size.c -- pmem2_source_size: file length, device DAX size from sysfs, anonymous size */
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "pmem2.h"
#include "region.h"

/* sysfs has the size, so no libndctl is needed (PMDK required it) */
static int
devdax_size(const struct pmem2_source *src, size_t *size)
{
	unsigned long long v;
	int ret = pmem2_devdax_read_attr(src->st_rdev, "size", &v);
	if (ret < 0)
		return pmem2_err_sys(ret, -ret,
			"cannot read the size of device DAX %u:%u from "
			"/sys/dev/char/%u:%u/size", major(src->st_rdev),
			minor(src->st_rdev), major(src->st_rdev),
			minor(src->st_rdev));
	if (ret > 0 || v > SIZE_MAX)
		return pmem2_err(PMEM2_E_INVALID_SIZE_FORMAT,
			"invalid size of device DAX %u:%u in sysfs",
			major(src->st_rdev), minor(src->st_rdev));
	*size = (size_t)v;
	return 0;
}

static int
file_size(const struct pmem2_source *src, size_t *size)
{
	struct stat st;
	if (fstat(src->fd, &st) != 0) {
		int e = errno;
		return pmem2_err_sys(-e, e, "fstat");
	}
	if (st.st_size < 0)
		return pmem2_err(PMEM2_E_INVALID_FILE_HANDLE,
			"the kernel reports a negative size (%lld) for fd %d",
			(long long)st.st_size, src->fd);
	*size = (size_t)st.st_size;
	return 0;
}

int
pmem2_source_size(const struct pmem2_source *src, size_t *size)
{
	if (src->type == PMEM2_SOURCE_ANON) {
		*size = src->anon_size;
		return 0;
	}
	if (src->ftype == PMEM2_FTYPE_DEVDAX)
		return devdax_size(src, size);
	return file_size(src, size);
}
