/* inband.c -- rpmemd's in-band server: open the domain, register the pool, listen; report status; tear down */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "inband_impl.h"
#include "log.h"
#include "util.h"

static int
attr_check(const struct rpmemd_inband_attr *attr)
{
	if (attr->node == NULL || attr->node[0] == '\0')
		return err_set(-EINVAL, "in-band: no address to listen on");
	if (strlen(attr->node) > PROTO_ADDRESS_MAX)
		return err_set(-EINVAL, "in-band: address '%s' longer than %d bytes",
			attr->node, PROTO_ADDRESS_MAX);
	if (attr->pool_addr == NULL || attr->pool_size == 0)
		return err_set(-EINVAL, "in-band: no pool to serve");
	if (attr->hdr_size > attr->pool_size)
		return err_set(-EINVAL, "in-band: header of %zu bytes is larger "
			"than the %zu-byte pool", attr->hdr_size, attr->pool_size);
	if (attr->nlanes == 0)
		return err_set(-EINVAL, "in-band: 0 lanes asked");
	if (attr->secret == NULL)
		return err_set(-EINVAL, "in-band: no connection secret");
	if (!attr->ops.persist || !attr->ops.deep_persist ||
			!attr->ops.memcpy_persist)
		return err_set(-EINVAL, "in-band: persist operations missing");
	return 0;
}

/* what the provider allows: an endpoint and a completion queue per lane */
static unsigned
lanes_granted(unsigned asked, const struct fi_info *info)
{
	unsigned n = asked < RPMEMD_MAX_LANES ? asked : RPMEMD_MAX_LANES;
	const struct fi_domain_attr *d = info->domain_attr;
	if (d && d->ep_cnt && d->ep_cnt < n)
		n = (unsigned)d->ep_cnt;
	if (d && d->cq_cnt && d->cq_cnt < n)
		n = (unsigned)d->cq_cnt;
	return n;
}

/* the domain, the pool's and the lane buffers' registrations */
static int
open_domain(struct rpmemd_inband *ib, const struct rpmemd_inband_attr *attr)
{
	struct fi_info *info;
	int ret = fabric_getinfo(attr->provider, attr->node, "0", 1, &info);
	if (ret)
		return ret;
	ib->nlanes = lanes_granted(attr->nlanes, info);
	ret = fabric_domain_open(info, &ib->dom);
	fi_freeinfo(info);
	if (ret)
		return ret;
	ib->dom_open = 1;

	ret = fabric_mr_reg(&ib->dom, attr->pool_addr, attr->pool_size,
		FABRIC_MR_REMOTE_ACCESS, &ib->pool_mr);
	if (ret)
		return ret;
	ib->pool_mr_reg = 1;

	size_t len = (size_t)ib->nlanes * LANE_BUF_SIZE;
	ib->bufs = aligned_alloc(util_pagesize(), ALIGN_UP(len, util_pagesize()));
	if (ib->bufs == NULL)
		return err_set(-ENOMEM, "in-band: no memory for %u lanes' buffers",
			ib->nlanes);
	memset(ib->bufs, 0, len);
	ret = fabric_mr_reg(&ib->dom, ib->bufs, len, FABRIC_MR_LOCAL_ACCESS,
		&ib->bufs_mr);
	if (ret)
		return ret;
	ib->bufs_mr_reg = 1;
	return 0;
}

static int
alloc_lanes(struct rpmemd_inband *ib)
{
	ib->lanes = calloc(ib->nlanes, sizeof(*ib->lanes));
	if (ib->lanes == NULL)
		return err_set(-ENOMEM, "in-band: no memory for %u lanes", ib->nlanes);
	for (unsigned i = 0; i < ib->nlanes; i++) {
		ib->lanes[i].ib = ib;
		ib->lanes[i].idx = i;
		ib->lanes[i].open_leader = -1;
		ib->lanes[i].buf = ib->bufs + (size_t)i * LANE_BUF_SIZE;
	}
	return 0;
}

int
rpmemd_inband_listen(const struct rpmemd_inband_attr *attr,
	struct rpmemd_inband **out, struct rpmemd_inband_info *info)
{
	int ret = attr_check(attr);
	if (ret)
		return ret;
	struct rpmemd_inband *ib = calloc(1, sizeof(*ib));
	if (ib == NULL)
		return err_set(-ENOMEM, "in-band: no memory");
	ib->ops = attr->ops;
	ib->pool_size = attr->pool_size;
	ib->hdr_size = attr->hdr_size;
	memcpy(ib->secret, attr->secret, PROTO_SECRET_SIZE);
	atomic_init(&ib->stop, 0);
	atomic_init(&ib->lost, 0);

	if ((ret = open_domain(ib, attr)) || (ret = alloc_lanes(ib)))
		goto err;
	ret = fabric_listen(&ib->dom, &ib->listener);
	if (ret)
		goto err;
	ib->listening = 1;

	memset(info, 0, sizeof(*info));
	snprintf(info->address, sizeof(info->address), "%s", attr->node);
	info->port = ib->listener.port;
	info->raddr = ib->pool_mr.addr;
	info->rkey = ib->pool_mr.key;
	info->nlanes = ib->nlanes;
	log_msg(LOG_INFO, "in-band: %s listening on %s for %u lanes (%u asked)",
		fabric_provider_name(attr->provider), ib->listener.addr, ib->nlanes,
		attr->nlanes);
	*out = ib;
	return 0;

err:
	rpmemd_inband_close(ib);
	return ret;
}

int
rpmemd_inband_status(struct rpmemd_inband *ib)
{
	return atomic_load(&ib->lost) ? -ECONNRESET : 0;
}

void
rpmemd_inband_close(struct rpmemd_inband *ib)
{
	if (ib == NULL)
		return;
	if (ib->lanes)
		inband_lanes_stop(ib);
	if (ib->listening)
		fabric_listener_close(&ib->listener);
	if (ib->bufs_mr_reg)
		fabric_mr_dereg(&ib->bufs_mr);
	if (ib->pool_mr_reg)
		fabric_mr_dereg(&ib->pool_mr);
	if (ib->dom_open)
		fabric_domain_close(&ib->dom);
	free(ib->lanes);
	free(ib->bufs);
	/* the secret must not outlive the server in freed memory */
	explicit_bzero(ib->secret, sizeof(ib->secret));
	free(ib);
}
