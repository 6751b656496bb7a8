/* device_id.c -- pmem2_source_device_id: the unique ids of the DIMMs under a source, concatenated */
#include <string.h>

#include <ndctl/libndctl.h>

#include "pmem2.h"
#include "region.h"

/* bytes needed for every DIMM id of the region plus the NUL; 0 on error */
static size_t
id_length(struct ndctl_region *region)
{
	size_t len = 1;
	struct ndctl_dimm *dimm;
	ndctl_dimm_foreach_in_region(region, dimm) {
		const char *uid = ndctl_dimm_get_unique_id(dimm);
		if (uid == NULL) {
			pmem2_err(PMEM2_E_NOSUPP, "DIMM %s has no unique id",
				ndctl_dimm_get_devname(dimm));
			return 0;
		}
		len += strlen(uid);
	}
	return len;
}

static void
id_copy(struct ndctl_region *region, char *id)
{
	id[0] = '\0';
	struct ndctl_dimm *dimm;
	ndctl_dimm_foreach_in_region(region, dimm)
		strcat(id, ndctl_dimm_get_unique_id(dimm));
}

int
pmem2_source_device_id(const struct pmem2_source *src, char *id, size_t *len)
{
	if (src->type == PMEM2_SOURCE_ANON)
		return pmem2_err(PMEM2_E_NOSUPP,
			"an anonymous source has no device id");

	struct ndctl_ctx *ctx;
	struct ndctl_region *region;
	int ret = pmem2_region_ndctl(src, &ctx, &region);
	if (ret == PMEM2_E_DAX_REGION_NOT_FOUND)
		return pmem2_region_nosupp("device id");
	if (ret)
		return ret;

	size_t need = id_length(region);
	if (need == 0) {
		ret = PMEM2_E_NOSUPP;
	} else if (id == NULL) {
		*len = need;
	} else if (*len < need) {
		ret = pmem2_err(PMEM2_E_BUFFER_TOO_SMALL,
			"device id needs %zu bytes, the buffer has %zu",
			need, *len);
	} else {
		id_copy(region, id);
	}
	ndctl_unref(ctx);
	return ret;
}
