/* lane_setup.c -- set-up and teardown of all lanes: the domain, the buffers of every slot, the receives, the connections */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lane_layout.h"
#include "rpmem.h"

/* the buffers of a lane's slots and receives inside the one registration */
static void
lane_place(struct rpmem_lane *lane, uint8_t *space)
{
	uint8_t *recv = space + PROTO_INBAND_DEPTH * LANE_REQ_SPACE;
	uint8_t *scratch = recv + PROTO_INBAND_DEPTH * LANE_RECV_SPACE;
	lane->resp = recv;
	for (unsigned s = 0; s < PROTO_INBAND_DEPTH; s++) {
		lane->slots[s].req = space + (size_t)s * LANE_REQ_SPACE;
		lane->slots[s].scratch = scratch + (size_t)s * LANE_SCRATCH_SPACE;
	}
}

static int
lane_connect(struct rpmem_pool *rpp, struct rpmem_lane *lane,
	const struct proto_open_resp *resp)
{
	/* sends, writes and reads in flight (the work queue), the receives, and slack */
	size_t cq_size = (size_t)rpp->wq_size + PROTO_INBAND_DEPTH + 4;
	int ret = fabric_ep_open(&rpp->dom, rpp->dom.info, cq_size, &lane->ep);
	if (ret)
		return ret;
	/* one receive per slot: every request in flight has a buffer for its answer */
	for (unsigned i = 0; i < PROTO_INBAND_DEPTH; i++)
		if ((ret = rpmem_lane_post_recv(rpp, lane, i)))
			return ret;
	return fabric_ep_connect(&lane->ep, resp->secret, PROTO_SECRET_SIZE,
		rpp->timeout_ms);
}

static int
open_domain(struct rpmem_pool *rpp, const struct proto_open_resp *resp)
{
	char port[8];
	snprintf(port, sizeof(port), "%u", resp->port);
	struct fi_info *info;
	int ret = fabric_getinfo(rpp->prov, resp->address, port, 0, &info);
	if (ret)
		return ret;
	ret = fabric_domain_open(info, &rpp->dom);
	fi_freeinfo(info);
	if (ret)
		return ret;
	rpp->dom_open = 1;

	size_t max = rpp->dom.info->ep_attr->max_msg_size;
	rpp->max_chunk = max && max < RPMEM_MAX_CHUNK ? max : RPMEM_MAX_CHUNK;
	/* the provider's transmit queue holds the sends, writes and reads in flight */
	size_t tx = rpp->dom.info->tx_attr->size;
	if (tx > 2 && rpp->wq_size > tx - 1)
		rpp->wq_size = (unsigned)(tx - 1);
	return 0;
}

/* the lanes and their locks, before anything can fail half-way */
static int
alloc_lanes(struct rpmem_pool *rpp)
{
	rpp->lanes = calloc(rpp->nlanes, sizeof(*rpp->lanes));
	if (rpp->lanes == NULL)
		return err_set(-ENOMEM, "out of memory for %u lanes", rpp->nlanes);
	for (unsigned i = 0; i < rpp->nlanes; i++) {
		struct rpmem_lane *lane = &rpp->lanes[i];
		int ret = pthread_mutex_init(&lane->async_lock, NULL);
		if (ret)
			return err_set_sys(-ret, ret, "cannot create lane %u's lock", i);
		lane->async_lock_init = 1;
		atomic_init(&lane->async_held, 0);
	}
	return 0;
}

int
rpmem_fabric_init(struct rpmem_pool *rpp, const struct proto_open_resp *resp)
{
	rpp->raddr = resp->raddr;
	rpp->rkey = resp->rkey;
	int ret = open_domain(rpp, resp);
	if (ret)
		return ret;
	if ((ret = alloc_lanes(rpp)))
		return ret;

	rpp->bufs_size = (size_t)rpp->nlanes * LANE_SPACE;
	rpp->bufs = aligned_alloc(64, rpp->bufs_size);
	if (rpp->bufs == NULL)
		return err_set(-ENOMEM, "out of memory for %u lanes' buffers",
			rpp->nlanes);
	memset(rpp->bufs, 0, rpp->bufs_size);
	ret = fabric_mr_reg(&rpp->dom, rpp->bufs, rpp->bufs_size,
		FABRIC_MR_LOCAL_ACCESS, &rpp->buf_mr);
	if (ret)
		return ret;

	for (unsigned i = 0; i < rpp->nlanes; i++) {
		struct rpmem_lane *lane = &rpp->lanes[i];
		lane_place(lane, rpp->bufs + (size_t)i * LANE_SPACE);
		ret = lane_connect(rpp, lane, resp);
		if (ret)
			return ret;
	}

	/* after connecting: registering a large pool takes time the daemon may not wait */
	return fabric_mr_reg(&rpp->dom, rpp->pool_addr, rpp->pool_size,
		FABRIC_MR_LOCAL_ACCESS, &rpp->pool_mr);
}

void
rpmem_fabric_fini(struct rpmem_pool *rpp)
{
	for (unsigned i = 0; rpp->lanes && i < rpp->nlanes; i++) {
		struct rpmem_lane *lane = &rpp->lanes[i];
		/* what is still in flight must not be dropped (fabric.md, pitfall 3) */
		if (lane->ep.ep && lane->ep.connected && !atomic_load(&rpp->lost))
			rpmem_lane_quiesce(rpp, lane);
		fabric_ep_close(&lane->ep);
		if (lane->bounce) {
			fabric_mr_dereg(&lane->bounce_mr);
			free(lane->bounce);
		}
		if (lane->async_lock_init)
			pthread_mutex_destroy(&lane->async_lock);
	}
	if (rpp->pool_mr.mr)
		fabric_mr_dereg(&rpp->pool_mr);
	if (rpp->buf_mr.mr)
		fabric_mr_dereg(&rpp->buf_mr);
	if (rpp->dom_open)
		fabric_domain_close(&rpp->dom);
	rpp->dom_open = 0;
	free(rpp->lanes);
	free(rpp->bufs);
	rpp->lanes = NULL;
	rpp->bufs = NULL;
}
