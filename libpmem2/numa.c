/* numa.c -- pmem2_source_numa_node: the NUMA node of the nd region under a source */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "pmem2.h"

/* the region's own sysfs attribute, as libndctl reads it; -1 means none */
static int
region_numa_node(unsigned id, int *node)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "/sys/bus/nd/devices/region%u/numa_node",
		id);
	FILE *f = fopen(path, "re");
	if (f == NULL) {
		int e = errno;
		return pmem2_err_sys(-e, e, "cannot open %s", path);
	}
	int v;
	int n = fscanf(f, "%d", &v);
	fclose(f);
	if (n != 1)
		return pmem2_err(PMEM2_E_NOSUPP,
			"%s does not hold a NUMA node number", path);
	*node = v;
	return 0;
}

int
pmem2_source_numa_node(const struct pmem2_source *src, int *numa_node)
{
	if (src->type == PMEM2_SOURCE_ANON)
		return pmem2_err(PMEM2_E_NOSUPP,
			"an anonymous source is not bound to a NUMA node");

	unsigned id;
	int ret = pmem2_source_region_id(src, &id);
	if (ret)
		return ret;
	return region_numa_node(id, numa_node);
}
