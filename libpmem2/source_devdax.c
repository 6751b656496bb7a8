/* source_devdax.c -- recognising a device DAX: its sysfs subsystem is "dax" */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "pmem2.h"

int
pmem2_devdax_check(dev_t st_rdev)
{
	char path[64];
	char real[PATH_MAX];
	snprintf(path, sizeof(path), "/sys/dev/char/%u:%u/subsystem",
		major(st_rdev), minor(st_rdev));
	if (realpath(path, real) == NULL) {
		int e = errno;
		return pmem2_err_sys(-e, e, "realpath %s", path);
	}
	const char *base = strrchr(real, '/');
	base = base ? base + 1 : real;
	return strcmp(base, "dax") == 0;
}
