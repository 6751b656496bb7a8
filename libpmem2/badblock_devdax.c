/* badblock_devdax.c -- bad blocks of a device DAX: its part of the region's list; clearing through libndctl */
#include <stdio.h>

#include <ndctl/libndctl.h>

#include "badblock.h"
#include "region.h"

struct dax_range {
	struct pmem2_badblock_context *ctx;
	unsigned long long region_start;	/* physical addresses */
	unsigned long long begin;
	unsigned long long end;
};

/* region bad blocks count sectors from the region's start: keep ours */
static int
add_clipped(void *arg, unsigned long long sector, unsigned long long count)
{
	struct dax_range *r = arg;
	unsigned long long b = r->region_start + sector * BB_SECTOR;
	unsigned long long e = b + count * BB_SECTOR;
	if (b < r->begin)
		b = r->begin;
	if (e > r->end)
		e = r->end;
	if (b >= e)
		return 0;
	return badblock_add(r->ctx, (size_t)(b - r->begin), (size_t)(e - b));
}

static int
read_attrs(struct pmem2_badblock_context *ctx, unsigned region,
	struct dax_range *r)
{
	unsigned long long size;
	if (pmem2_region_read_attr(region, "resource", &r->region_start))
		return pmem2_err(PMEM2_E_NOSUPP,
			"cannot read the start address of nd region%u", region);
	if (pmem2_devdax_read_attr(ctx->src.st_rdev, "resource", &r->begin) ||
			pmem2_devdax_read_attr(ctx->src.st_rdev, "size", &size))
		return pmem2_err(PMEM2_E_NOSUPP,
			"cannot read the address range of the device DAX "
			"from sysfs (resource, size)");
	r->end = r->begin + size;
	return 0;
}

int
badblock_list_devdax(struct pmem2_badblock_context *ctx, unsigned region)
{
	struct dax_range r = { .ctx = ctx };
	int ret = read_attrs(ctx, region, &r);
	if (ret)
		return ret;
	ctx->phys_start = r.begin;

	char path[64];
	snprintf(path, sizeof(path), "/sys/bus/nd/devices/region%u/badblocks",
		region);
	return badblock_read_sysfs(path, add_clipped, &r);
}

/* ask the platform which range it can clear, then clear it */
static int
clear_range(struct ndctl_bus *bus, unsigned long long addr,
	unsigned long long len)
{
	int ret = 0;
	struct ndctl_cmd *clear = NULL;
	struct ndctl_cmd *cap = ndctl_bus_cmd_new_ars_cap(bus, addr, len);
	if (cap == NULL)
		return pmem2_err(PMEM2_E_NOSUPP,
			"the nd bus does not support address range scrub");
	if (ndctl_cmd_submit(cap) < 0) {
		ret = pmem2_err(PMEM2_E_NOSUPP, "the ARS capability command "
			"failed for 0x%llx length %llu", addr, len);
		goto out;
	}
	struct ndctl_range range;
	if (ndctl_cmd_ars_cap_get_range(cap, &range) != 0) {
		ret = pmem2_err(PMEM2_E_NOSUPP,
			"no clearable range for 0x%llx length %llu", addr, len);
		goto out;
	}
	clear = ndctl_bus_cmd_new_clear_error(range.address, range.length, cap);
	if (clear == NULL || ndctl_cmd_submit(clear) < 0) {
		ret = pmem2_err(PMEM2_E_NOSUPP, "the clear error command "
			"failed for 0x%llx length %llu", range.address,
			range.length);
		goto out;
	}
	unsigned long long cleared = ndctl_cmd_clear_error_get_cleared(clear);
	if (cleared != range.length)
		ret = pmem2_err(PMEM2_E_IO_FAIL, "cleared only %llu of %llu "
			"bytes at 0x%llx", cleared, range.length,
			range.address);
out:
	if (clear)
		ndctl_cmd_unref(clear);
	ndctl_cmd_unref(cap);
	return ret;
}

int
badblock_clear_devdax(struct pmem2_badblock_context *ctx,
	const struct pmem2_badblock *bb)
{
	struct ndctl_ctx *nd;
	struct ndctl_region *region;
	int ret = pmem2_region_ndctl(&ctx->src, &nd, &region);
	if (ret == PMEM2_E_DAX_REGION_NOT_FOUND)
		return pmem2_region_nosupp("clearing bad blocks");
	if (ret)
		return ret;
	ret = clear_range(ndctl_region_get_bus(region),
		ctx->phys_start + bb->offset, bb->length);
	ndctl_unref(nd);
	return ret;
}
