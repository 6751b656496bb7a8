/* fabric_ep.c -- connected FI_EP_MSG endpoints: open, connect with a secret, listen/accept, post operations */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "fabric.h"
#include "log.h"

int
fabric_ep_open(struct fabric_domain *dom, const struct fi_info *info,
	size_t cq_size, struct fabric_ep *ep)
{
	memset(ep, 0, sizeof(*ep));
	ep->dom = dom;
	fabric_addr_str(info->dest_addr, info->dest_addrlen, ep->peer,
		sizeof(ep->peer));
	if (info->dest_addr && info->dest_addrlen <= sizeof(ep->dest)) {
		memcpy(&ep->dest, info->dest_addr, info->dest_addrlen);
		ep->destlen = info->dest_addrlen;
	}

	struct fi_eq_attr eq_attr = { .size = 8, .wait_obj = FI_WAIT_UNSPEC };
	int ret = fi_eq_open(dom->fabric, &eq_attr, &ep->eq, NULL);
	if (ret) {
		ret = fabric_err(ret, "fabric: cannot open the event queue for %s",
			ep->peer);
		goto err;
	}
	/* FI_WAIT_UNSPEC: tcp gives a pollfd set, sockets an fd; both sleep in sread */
	struct fi_cq_attr cq_attr = {
		.size = cq_size,
		.format = FI_CQ_FORMAT_MSG,
		.wait_obj = FI_WAIT_UNSPEC,
	};
	ret = fi_cq_open(dom->domain, &cq_attr, &ep->cq, NULL);
	if (ret) {
		ret = fabric_err(ret, "fabric: cannot open a %zu-entry completion "
			"queue for %s", cq_size, ep->peer);
		goto err;
	}
	ret = fi_endpoint(dom->domain, (struct fi_info *)info, &ep->ep, NULL);
	if (ret) {
		ret = fabric_err(ret, "fabric: cannot open an endpoint for %s",
			ep->peer);
		goto err;
	}
	if ((ret = fi_ep_bind(ep->ep, &ep->eq->fid, 0)) ||
			(ret = fi_ep_bind(ep->ep, &ep->cq->fid, FI_TRANSMIT | FI_RECV))) {
		ret = fabric_err(ret, "fabric: cannot bind the queues of the "
			"endpoint for %s", ep->peer);
		goto err;
	}
	ret = fi_enable(ep->ep);
	if (ret) {
		ret = fabric_err(ret, "fabric: cannot enable the endpoint for %s",
			ep->peer);
		goto err;
	}
	return 0;

err:
	fabric_ep_close(ep);
	return ret;
}

int
fabric_ep_connect(struct fabric_ep *ep, const void *cm_data, size_t len,
	int timeout_ms)
{
	size_t max = 0;
	size_t optlen = sizeof(max);
	if (fi_getopt(&ep->ep->fid, FI_OPT_ENDPOINT, FI_OPT_CM_DATA_SIZE, &max,
			&optlen) == 0 && len > max)
		return err_set(-EMSGSIZE, "fabric: %zu bytes of connection data, "
			"the provider carries at most %zu", len, max);
	if (ep->destlen == 0)
		return err_set(-EINVAL, "fabric: no destination address to connect to");

	/* sockets connects synchronously (bounded by its own connection timeout) */
	int ret = fi_connect(ep->ep, &ep->dest, cm_data, len);
	if (ret == -FI_ECONNREFUSED)
		return err_set(-ECONNREFUSED, "fabric: connection to %s refused",
			ep->peer);
	if (ret)
		return fabric_err(ret, "fabric: cannot connect to %s", ep->peer);

	struct fi_eq_cm_entry entry;
	ret = fabric_eq_wait(ep->eq, ep->peer, FI_CONNECTED, &entry, sizeof(entry),
		timeout_ms);
	if (ret < 0)
		return ret;
	ep->connected = 1;
	log_msg(LOG_INFO, "fabric: connected to %s", ep->peer);
	return 0;
}

int
fabric_ep_accept(struct fabric_ep *ep, int timeout_ms)
{
	int ret = fi_accept(ep->ep, NULL, 0);
	if (ret)
		return fabric_err(ret, "fabric: cannot accept the connection from %s",
			ep->peer);

	struct fi_eq_cm_entry entry;
	ret = fabric_eq_wait(ep->eq, ep->peer, FI_CONNECTED, &entry, sizeof(entry),
		timeout_ms);
	if (ret < 0)
		return ret;
	ep->connected = 1;
	log_msg(LOG_INFO, "fabric: accepted the connection from %s", ep->peer);
	return 0;
}

void
fabric_ep_close(struct fabric_ep *ep)
{
	/* tell the peer at once, so that it does not wait for its bound */
	if (ep->ep && ep->connected && !ep->lost)
		fi_shutdown(ep->ep, 0);
	if (ep->ep)
		fi_close(&ep->ep->fid);
	if (ep->cq)
		fi_close(&ep->cq->fid);
	if (ep->eq)
		fi_close(&ep->eq->fid);
	ep->ep = NULL;
	ep->cq = NULL;
	ep->eq = NULL;
	ep->connected = 0;
}

/* a failed post: the sticky loss if that is why, else the provider's reason */
static int
post_failed(struct fabric_ep *ep, ssize_t ret, const char *op, size_t len)
{
	if (ret == -FI_EAGAIN)
		return err_set(-EAGAIN, "fabric: the queue of %s is full (%s of %zu "
			"bytes)", ep->peer, op, len);
	if (fabric_ep_check(ep) == -ECONNRESET)
		return -ECONNRESET;
	return fabric_err((int)ret, "fabric: %s of %zu bytes with %s failed", op,
		len, ep->peer);
}

int
fabric_post_send(struct fabric_ep *ep, const void *buf, size_t len, void *desc,
	void *ctx)
{
	if (ep->lost)
		return fabric_ep_check(ep);
	ssize_t ret = fi_send(ep->ep, buf, len, desc, 0, ctx);
	return ret ? post_failed(ep, ret, "send", len) : 0;
}

int
fabric_post_recv(struct fabric_ep *ep, void *buf, size_t len, void *desc,
	void *ctx)
{
	if (ep->lost)
		return fabric_ep_check(ep);
	ssize_t ret = fi_recv(ep->ep, buf, len, desc, 0, ctx);
	return ret ? post_failed(ep, ret, "receive", len) : 0;
}

int
fabric_post_write(struct fabric_ep *ep, const void *buf, size_t len, void *desc,
	uint64_t raddr, uint64_t key, void *ctx)
{
	if (ep->lost)
		return fabric_ep_check(ep);
	ssize_t ret = fi_write(ep->ep, buf, len, desc, 0, raddr, key, ctx);
	return ret ? post_failed(ep, ret, "RDMA write", len) : 0;
}

int
fabric_post_read(struct fabric_ep *ep, void *buf, size_t len, void *desc,
	uint64_t raddr, uint64_t key, void *ctx)
{
	if (ep->lost)
		return fabric_ep_check(ep);
	ssize_t ret = fi_read(ep->ep, buf, len, desc, 0, raddr, key, ctx);
	return ret ? post_failed(ep, ret, "RDMA read", len) : 0;
}

int
fabric_listen(struct fabric_domain *dom, struct fabric_listener *l)
{
	memset(l, 0, sizeof(*l));
	l->dom = dom;
	fabric_addr_str(dom->info->src_addr, dom->info->src_addrlen, l->addr,
		sizeof(l->addr));

	struct fi_eq_attr eq_attr = { .size = 16, .wait_obj = FI_WAIT_UNSPEC };
	int ret = fi_eq_open(dom->fabric, &eq_attr, &l->eq, NULL);
	if (ret) {
		ret = fabric_err(ret, "fabric: cannot open the event queue to "
			"listen on %s", l->addr);
		goto err;
	}
	ret = fi_passive_ep(dom->fabric, dom->info, &l->pep, NULL);
	if (ret) {
		ret = fabric_err(ret, "fabric: cannot open a passive endpoint on %s",
			l->addr);
		goto err;
	}
	if ((ret = fi_pep_bind(l->pep, &l->eq->fid, 0)) ||
			(ret = fi_listen(l->pep))) {
		ret = fabric_err(ret, "fabric: cannot listen on %s", l->addr);
		goto err;
	}

	struct sockaddr_storage ss;
	size_t len = sizeof(ss);
	ret = fi_getname(&l->pep->fid, &ss, &len);
	if (ret) {
		ret = fabric_err(ret, "fabric: cannot read the address listened on");
		goto err;
	}
	fabric_addr_str(&ss, len, l->addr, sizeof(l->addr));
	if (ss.ss_family == AF_INET)
		l->port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	else if (ss.ss_family == AF_INET6)
		l->port = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	log_msg(LOG_INFO, "fabric: listening on %s", l->addr);
	return 0;

err:
	fabric_listener_close(l);
	return ret;
}

/* compares without an early exit, so the time taken says nothing about the secret */
static int
secret_matches(const uint8_t *data, size_t len, const uint8_t *secret,
	size_t secret_len)
{
	/* some transports pad connection data with zeros (rdma_cm) */
	if (len < secret_len)
		return 0;
	uint8_t diff = 0;
	for (size_t i = 0; i < secret_len; i++)
		diff |= (uint8_t)(data[i] ^ secret[i]);
	for (size_t i = secret_len; i < len; i++)
		diff |= data[i];
	return diff == 0;
}

int
fabric_listener_next(struct fabric_listener *l, const void *secret,
	size_t secret_len, int timeout_ms, struct fi_info **req)
{
	union {
		struct fi_eq_cm_entry cm;
		uint8_t raw[sizeof(struct fi_eq_cm_entry) + FABRIC_CM_DATA_MAX];
	} entry;
	memset(&entry, 0, sizeof(entry));
	int n = fabric_eq_wait(l->eq, l->addr, FI_CONNREQ, &entry, sizeof(entry),
		timeout_ms);
	if (n < 0)
		return n;

	struct fi_info *info = entry.cm.info;
	size_t len = (size_t)n > sizeof(entry.cm) ? (size_t)n - sizeof(entry.cm) : 0;
	char peer[FABRIC_ADDR_STR_MAX];
	fabric_addr_str(info->dest_addr, info->dest_addrlen, peer, sizeof(peer));

	if (!secret_matches(entry.cm.data, len, secret, secret_len)) {
		int ret = fi_reject(l->pep, info->handle, NULL, 0);
		if (ret)
			log_msg(LOG_WARN, "fabric: fi_reject of %s failed: %s", peer,
				fi_strerror(-ret));
		fi_freeinfo(info);
		return err_set(-EACCES, "fabric: connection request from %s to %s "
			"refused: wrong secret", peer, l->addr);
	}
	*req = info;
	return 0;
}

void
fabric_listener_close(struct fabric_listener *l)
{
	if (l->pep)
		fi_close(&l->pep->fid);
	if (l->eq)
		fi_close(&l->eq->fid);
	l->pep = NULL;
	l->eq = NULL;
}
