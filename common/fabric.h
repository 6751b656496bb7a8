/* fabric.h -- thin libfabric FI_EP_MSG helpers shared by librpmem and rpmemd: providers, MRs, endpoints, bounded waits */
#ifndef COMMON_FABRIC_H
#define COMMON_FABRIC_H 1

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include <rdma/fabric.h>
#include <rdma/fi_cm.h>
#include <rdma/fi_domain.h>
#include <rdma/fi_endpoint.h>
#include <rdma/fi_eq.h>
#include <rdma/fi_errno.h>
#include <rdma/fi_rma.h>

/*
 * Every function returns 0 (or a count) on success and a negative errno on
 * failure, after recording a specific message with err_set() that starts
 * with "fabric: " and names the peer where there is one.
 */

/* API version asked of fi_getinfo: the first with the explicit FI_MR_* modes */
#define FABRIC_API_VERSION FI_VERSION(1, 5)

/* the mr_mode bits the helpers can honour; a provider picks what it needs */
#define FABRIC_MR_MODES (FI_MR_LOCAL | FI_MR_VIRT_ADDR | FI_MR_ALLOCATED | \
	FI_MR_PROV_KEY)

/* "[ffff:...:ffff]:65535" fits */
#define FABRIC_ADDR_STR_MAX 64

/* the largest connection data the helpers carry (tcp and sockets allow 256) */
#define FABRIC_CM_DATA_MAX 256

/* providers, as bits of a mask, in the order of preference */
enum fabric_provider {
	FABRIC_PROV_VERBS = 1 << 0,
	FABRIC_PROV_TCP = 1 << 1,
	FABRIC_PROV_SOCKETS = 1 << 2,
};

#define FABRIC_PROV_ALL (FABRIC_PROV_VERBS | FABRIC_PROV_TCP | FABRIC_PROV_SOCKETS)

/*
 * The providers the environment allows: tcp unless RPMEM_ENABLE_TCP=0,
 * sockets when RPMEM_ENABLE_SOCKETS=1, verbs unless RPMEM_ENABLE_VERBS=0;
 * RPMEM_PROVIDER=name allows that one only, whatever the others say.
 * A value that is not a boolean or a provider name is -EINVAL.
 */
int fabric_provider_from_env(unsigned *mask);

/* "verbs", "tcp", "sockets"; "unknown" for anything else */
const char *fabric_provider_name(enum fabric_provider prov);

/* the provider called name; -EINVAL for an unknown name */
int fabric_provider_parse(const char *name, enum fabric_provider *prov);

/*
 * fi_getinfo for one provider: FI_EP_MSG, FI_MSG | FI_RMA, send-after-write
 * and read-after-write ordering, FABRIC_MR_MODES. passive != 0 makes node
 * and service the local address to listen on (service "0": any free port).
 * -ENODATA when the provider is absent or cannot reach node.
 */
int fabric_getinfo(enum fabric_provider prov, const char *node,
	const char *service, int passive, struct fi_info **info);

/*
 * The first provider of mask (verbs, tcp, sockets in this order) that
 * fi_getinfo offers for node:service; -EPROTONOSUPPORT when none does.
 */
int fabric_getinfo_any(unsigned mask, const char *node, const char *service,
	int passive, enum fabric_provider *prov, struct fi_info **info);

/* "127.0.0.1:40000" or "[::1]:40000" for a sockaddr; "?" for anything else */
void fabric_addr_str(const void *sockaddr, size_t len, char *buf, size_t size);

/* a fabric and a domain, the owner of memory registrations and endpoints */
struct fabric_domain {
	struct fi_info *info;		/* a copy, owned */
	struct fid_fabric *fabric;
	struct fid_domain *domain;
	uint64_t next_key;		/* for providers without FI_MR_PROV_KEY */
};

int fabric_domain_open(const struct fi_info *info, struct fabric_domain *dom);
void fabric_domain_close(struct fabric_domain *dom);

/* what a registered buffer is used for; both bits may be given */
enum fabric_mr_access {
	FABRIC_MR_LOCAL_ACCESS = 1 << 0,	/* source/sink of our own posts */
	FABRIC_MR_REMOTE_ACCESS = 1 << 1,	/* target of the peer's RDMA */
};

struct fabric_mr {
	struct fid_mr *mr;
	void *desc;	/* pass with every post that uses the buffer */
	uint64_t key;	/* hand to the peer */
	/*
	 * the RMA address of the buffer's first byte as the peer must give it:
	 * the virtual address with FI_MR_VIRT_ADDR, 0 (offsets) without
	 */
	uint64_t addr;
};

int fabric_mr_reg(struct fabric_domain *dom, void *buf, size_t len,
	unsigned access, struct fabric_mr *mr);
void fabric_mr_dereg(struct fabric_mr *mr);

/* a connected endpoint with its own completion queue and event queue */
struct fabric_ep {
	struct fabric_domain *dom;
	struct fid_ep *ep;
	struct fid_cq *cq;
	struct fid_eq *eq;
	int connected;
	int lost;	/* 0, or -ECONNRESET once the connection is gone (sticky) */
	char lost_reason[128];
	char peer[FABRIC_ADDR_STR_MAX];
	struct sockaddr_storage dest;	/* the peer, for fi_connect */
	size_t destlen;
};

/*
 * Opens, binds and enables an endpoint with a cq_size-entry completion queue
 * (sends, receives, writes and reads all complete there) and its own event
 * queue. info is dom->info on the active side, the connection request on the
 * passive side (see fabric_listener_next). Receives may be posted at once.
 */
int fabric_ep_open(struct fabric_domain *dom, const struct fi_info *info,
	size_t cq_size, struct fabric_ep *ep);

/* connects to info's destination carrying cm_data (e.g. a secret) */
int fabric_ep_connect(struct fabric_ep *ep, const void *cm_data, size_t len,
	int timeout_ms);

/* accepts the connection request the endpoint was opened for */
int fabric_ep_accept(struct fabric_ep *ep, int timeout_ms);

/* shuts the connection down when it is up and frees everything; idempotent */
void fabric_ep_close(struct fabric_ep *ep);

/*
 * Post one operation; ctx comes back in the completion. desc is the
 * fabric_mr desc of the local buffer (NULL only if it is not registered
 * and the provider does not need FI_MR_LOCAL). -EAGAIN: the queue is full,
 * reap completions first. -ECONNRESET once the connection was lost.
 */
int fabric_post_send(struct fabric_ep *ep, const void *buf, size_t len,
	void *desc, void *ctx);
int fabric_post_recv(struct fabric_ep *ep, void *buf, size_t len,
	void *desc, void *ctx);
int fabric_post_write(struct fabric_ep *ep, const void *buf, size_t len,
	void *desc, uint64_t raddr, uint64_t key, void *ctx);
int fabric_post_read(struct fabric_ep *ep, void *buf, size_t len,
	void *desc, uint64_t raddr, uint64_t key, void *ctx);

/*
 * Polls the completion queue for a moment (RPMEM_SPIN_US, default 50 us)
 * before a caller sleeps: 1 with *n set (completions, or -FI_EAVAIL for a
 * failed one) when something came, 0 when nothing did.
 */
int fabric_cq_spin(struct fabric_ep *ep, struct fi_cq_msg_entry *entries, size_t max,
	ssize_t *n);

/*
 * Waits up to timeout_ms (>= 0) for completions on the endpoint's queue.
 * Returns how many entries were stored (1..max), or:
 *  -ETIMEDOUT   nothing completed in time,
 *  -ECONNRESET  the connection was lost (peer died, shut down, link cut),
 *               sticky: every later wait and post returns it at once,
 *  another negative errno: an operation failed; entries[0] then holds its
 *               op_context and flags.
 */
int fabric_cq_wait(struct fabric_ep *ep, struct fi_cq_msg_entry *entries,
	size_t max, int timeout_ms);

/* 0 while the connection is up, -ECONNRESET once FI_SHUTDOWN arrived; never blocks */
int fabric_ep_check(struct fabric_ep *ep);

/* a passive endpoint accepting connections that present a secret */
struct fabric_listener {
	struct fabric_domain *dom;
	struct fid_pep *pep;
	struct fid_eq *eq;
	uint16_t port;		/* the port bound, useful with service "0" */
	char addr[FABRIC_ADDR_STR_MAX];
};

/* listens on dom->info's source address (fabric_getinfo(..., passive = 1)) */
int fabric_listen(struct fabric_domain *dom, struct fabric_listener *l);

/*
 * Waits up to timeout_ms for a connection request. A request whose
 * connection data is exactly the secret gives 0 and *req (open the endpoint
 * with it, then fi_freeinfo it). Any other request is rejected with
 * fi_reject and gives -EACCES; the listener stays usable.
 */
int fabric_listener_next(struct fabric_listener *l, const void *secret,
	size_t secret_len, int timeout_ms, struct fi_info **req);

void fabric_listener_close(struct fabric_listener *l);

/*
 * Internal to the fabric_*.c files: a libfabric return code (negative,
 * FI_E* or errno) as a negative errno, with the message "<fmt>: <reason>".
 */
int fabric_err(int fi_ret, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* internal: waits for one event of type want on eq; returns the bytes read */
int fabric_eq_wait(struct fid_eq *eq, const char *peer, uint32_t want,
	void *entry, size_t size, int timeout_ms);

#endif /* COMMON_FABRIC_H */
