/* usc.c -- pmem2_source_device_usc: unsafe shutdown count, summed over the DIMMs under a source */
#include <ndctl/libndctl.h>

#include "pmem2.h"
#include "region.h"

static int
sum_usc(struct ndctl_region *region, uint64_t *usc)
{
	uint64_t sum = 0;
	struct ndctl_dimm *dimm;
	ndctl_dimm_foreach_in_region(region, dimm) {
		long long n = ndctl_dimm_get_dirty_shutdown(dimm);
		if (n < 0)
			return pmem2_err(PMEM2_E_NOSUPP,
				"cannot read the unsafe shutdown count of "
				"DIMM %s", ndctl_dimm_get_devname(dimm));
		sum += (uint64_t)n;
	}
	*usc = sum;
	return 0;
}

int
pmem2_source_device_usc(const struct pmem2_source *src, uint64_t *usc)
{
	if (src->type == PMEM2_SOURCE_ANON)
		return pmem2_err(PMEM2_E_NOSUPP,
			"an anonymous source has no unsafe shutdown count");

	struct ndctl_ctx *ctx;
	struct ndctl_region *region;
	int ret = pmem2_region_ndctl(src, &ctx, &region);
	if (ret == PMEM2_E_DAX_REGION_NOT_FOUND)
		return pmem2_region_nosupp("unsafe shutdown count");
	if (ret)
		return ret;

	ret = sum_usc(region, usc);
	ndctl_unref(ctx);
	return ret;
}
