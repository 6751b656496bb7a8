/* persist.c -- rpmem_persist, rpmem_deep_persist, rpmem_flush and rpmem_drain: argument checks, then the lane's path */
#include <string.h>

#include "rpmem.h"

int
rpmem_check_args(struct rpmem_pool *rpp, const char *func, size_t offset,
	size_t length, unsigned lane, unsigned flags, unsigned known_flags,
	int hdr_applies)
{
	int ret = rpmem_pool_check(rpp);
	if (ret)
		return rpmem_fail_last(func, ret);
	if (flags & ~known_flags)
		return rpmem_fail(func, EINVAL, "unknown flags 0x%x", flags & ~known_flags);
	if (hdr_applies && rpp->has_hdr && offset < RPMEM_HDR_SIZE)
		return rpmem_fail(func, EINVAL, "offset %zu is inside the %d-byte "
			"pool header", offset, RPMEM_HDR_SIZE);
	if (lane >= rpp->nlanes)
		return rpmem_fail(func, EINVAL, "lane %u out of range (pool has %u "
			"lanes)", lane, rpp->nlanes);
	if (!proto_range_ok(offset, length, rpp->pool_size))
		return rpmem_fail(func, EINVAL, "offset %zu + length %zu exceeds "
			"the pool size %zu", offset, length, rpp->pool_size);
	return length == 0;
}

int
rpmem_lane_free_for(struct rpmem_pool *rpp, const char *func, unsigned lane)
{
	if (atomic_load(&rpp->lanes[lane].async_held))
		return rpmem_fail(func, EBUSY, "lane %u has an asynchronous persist "
			"in flight", lane);
	return 0;
}

/* the synchronous calls' checks: the arguments, then a lane no future owns */
static int
check_range(struct rpmem_pool *rpp, const char *func, size_t offset,
	size_t length, unsigned lane, unsigned flags, unsigned known_flags,
	int hdr_applies)
{
	int ret = rpmem_check_args(rpp, func, offset, length, lane, flags,
		known_flags, hdr_applies);
	return ret ? ret : rpmem_lane_free_for(rpp, func, lane);
}

/* after the writes of [offset, offset + length): APM reads them back, GPSPM asks rpmemd */
static int
make_durable(struct rpmem_pool *rpp, struct rpmem_lane *l, size_t offset, size_t length)
{
	if (rpp->persist_method == PROTO_PERSIST_APM)
		return rpmem_lane_read_after_write(rpp, l, offset, length);
	return rpmem_lane_request(rpp, l, PROTO_OP_PERSIST, offset, length, NULL);
}

int
rpmem_persist(RPMEMpool *rpp, size_t offset, size_t length, unsigned lane,
	unsigned flags)
{
	int ret = check_range(rpp, __func__, offset, length, lane, flags,
		RPMEM_PERSIST_RELAXED, 1);
	if (ret)
		return ret < 0 ? -1 : 0;

	struct rpmem_lane *l = &rpp->lanes[lane];
	/*
	 * Small and not relaxed: the data travels in the request, stored with
	 * CPU stores (8-byte atomicity RDMA writes do not give), whatever the method.
	 */
	if (!(flags & RPMEM_PERSIST_RELAXED) && length <= PROTO_INLINE_MAX)
		ret = rpmem_lane_request(rpp, l, PROTO_OP_PERSIST_INLINE, offset,
			length, rpp->pool_addr + offset);
	else {
		ret = rpmem_lane_write(rpp, l, RPMEM_SYNC_SLOT, offset, length);
		if (ret == 0)
			ret = make_durable(rpp, l, offset, length);
	}
	return ret ? rpmem_fail_last(__func__, ret) : 0;
}

int
rpmem_deep_persist(RPMEMpool *rpp, size_t offset, size_t length, unsigned lane)
{
	/* the header rule applies only to pools that have a header (PMDK: always) */
	int ret = check_range(rpp, __func__, offset, length, lane, 0, 0, 1);
	if (ret)
		return ret < 0 ? -1 : 0;

	struct rpmem_lane *l = &rpp->lanes[lane];
	ret = rpmem_lane_write(rpp, l, RPMEM_SYNC_SLOT, offset, length);
	if (ret == 0)
		ret = rpmem_lane_request(rpp, l, PROTO_OP_DEEP_PERSIST, offset,
			length, NULL);
	return ret ? rpmem_fail_last(__func__, ret) : 0;
}

int
rpmem_flush(RPMEMpool *rpp, size_t offset, size_t length, unsigned lane,
	unsigned flags)
{
	int ret = check_range(rpp, __func__, offset, length, lane, flags,
		RPMEM_FLUSH_RELAXED, 1);
	if (ret)
		return ret < 0 ? -1 : 0;

	struct rpmem_lane *l = &rpp->lanes[lane];
	ret = rpmem_lane_write(rpp, l, RPMEM_SYNC_SLOT, offset, length);
	if (ret == 0)
		ret = rpmem_lane_progress(rpp, l);
	if (ret)
		return rpmem_fail_last(__func__, ret);

	/* drain persists the smallest range covering every flush since the last one */
	if (l->flush_lo == l->flush_hi) {
		l->flush_lo = offset;
		l->flush_hi = offset + length;
	} else {
		if (offset < l->flush_lo)
			l->flush_lo = offset;
		if (offset + length > l->flush_hi)
			l->flush_hi = offset + length;
	}
	return 0;
}

int
rpmem_drain(RPMEMpool *rpp, unsigned lane, unsigned flags)
{
	int ret = rpmem_pool_check(rpp);
	if (ret)
		return rpmem_fail_last(__func__, ret);
	if (flags != 0)
		return rpmem_fail(__func__, EINVAL, "unknown flags 0x%x", flags);
	if (lane >= rpp->nlanes)
		return rpmem_fail(__func__, EINVAL, "lane %u out of range (pool has "
			"%u lanes)", lane, rpp->nlanes);
	if (rpmem_lane_free_for(rpp, __func__, lane))
		return -1;

	struct rpmem_lane *l = &rpp->lanes[lane];
	if (l->flush_lo == l->flush_hi)
		return 0;
	ret = make_durable(rpp, l, l->flush_lo, l->flush_hi - l->flush_lo);
	if (ret)
		return rpmem_fail_last(__func__, ret);
	l->flush_lo = l->flush_hi = 0;
	return 0;
}
