/* read.c -- rpmem_read: RDMA reads of the remote pool, bounds checked (PMDK had none) */
#include "rpmem.h"

int
rpmem_read(RPMEMpool *rpp, void *buff, size_t offset, size_t length,
	unsigned lane)
{
	int ret = rpmem_pool_check(rpp);
	if (ret)
		return rpmem_fail_last(__func__, ret);
	if (lane >= rpp->nlanes)
		return rpmem_fail(__func__, EINVAL, "lane %u out of range (pool has "
			"%u lanes)", lane, rpp->nlanes);
	if (!proto_range_ok(offset, length, rpp->pool_size))
		return rpmem_fail(__func__, EINVAL, "offset %zu + length %zu exceeds "
			"the pool size %zu", offset, length, rpp->pool_size);
	if (rpmem_lane_free_for(rpp, __func__, lane))
		return -1;
	if (length == 0)
		return 0;
	if (buff == NULL)
		return rpmem_fail(__func__, EINVAL, "buff is NULL");

	ret = rpmem_lane_read(rpp, &rpp->lanes[lane], buff, offset, length);
	return ret ? rpmem_fail_last(__func__, ret) : 0;
}
