/* fabric.c -- libfabric provider choice, getinfo hints, domain and memory registration, error translation */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "err.h"
#include "fabric.h"
#include "log.h"

static const struct {
	enum fabric_provider prov;
	const char *name;
} Providers[] = {
	{ FABRIC_PROV_VERBS, "verbs" },
	{ FABRIC_PROV_TCP, "tcp" },
	{ FABRIC_PROV_SOCKETS, "sockets" },
};

#define NPROVIDERS (sizeof(Providers) / sizeof(Providers[0]))

const char *
fabric_provider_name(enum fabric_provider prov)
{
	for (size_t i = 0; i < NPROVIDERS; i++)
		if (Providers[i].prov == prov)
			return Providers[i].name;
	return "unknown";
}

int
fabric_provider_parse(const char *name, enum fabric_provider *prov)
{
	for (size_t i = 0; i < NPROVIDERS; i++) {
		if (strcmp(Providers[i].name, name) == 0) {
			*prov = Providers[i].prov;
			return 0;
		}
	}
	return err_set(-EINVAL, "fabric: unknown provider '%s' (verbs, tcp or sockets)",
		name);
}

/* a boolean environment variable; unset or empty means dflt */
static int
env_flag(const char *name, int dflt, int *out)
{
	const char *v = getenv(name);
	if (v == NULL || *v == '\0') {
		*out = dflt;
		return 0;
	}
	static const char *const yes[] = { "1", "y", "yes", "on", "true" };
	static const char *const no[] = { "0", "n", "no", "off", "false" };
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(v, yes[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcasecmp(v, no[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	return err_set(-EINVAL, "fabric: %s=%s is not a boolean (0 or 1)", name, v);
}

int
fabric_provider_from_env(unsigned *mask)
{
	const char *forced = getenv("RPMEM_PROVIDER");
	if (forced != NULL && *forced != '\0') {
		enum fabric_provider prov;
		if (fabric_provider_parse(forced, &prov))
			return err_set(-EINVAL, "fabric: RPMEM_PROVIDER=%s is not "
				"a provider (verbs, tcp or sockets)", forced);
		*mask = (unsigned)prov;
		return 0;
	}

	int verbs, tcp, sockets;
	int ret;
	if ((ret = env_flag("RPMEM_ENABLE_VERBS", 1, &verbs)) ||
			(ret = env_flag("RPMEM_ENABLE_TCP", 1, &tcp)) ||
			(ret = env_flag("RPMEM_ENABLE_SOCKETS", 0, &sockets)))
		return ret;

	*mask = (verbs ? FABRIC_PROV_VERBS : 0) | (tcp ? FABRIC_PROV_TCP : 0) |
		(sockets ? FABRIC_PROV_SOCKETS : 0);
	return 0;
}

/* the hints every endpoint of ours needs */
static struct fi_info *
make_hints(enum fabric_provider prov)
{
	struct fi_info *hints = fi_allocinfo();
	if (hints == NULL)
		return NULL;
	hints->fabric_attr->prov_name = strdup(fabric_provider_name(prov));
	if (hints->fabric_attr->prov_name == NULL) {
		fi_freeinfo(hints);
		return NULL;
	}
	hints->ep_attr->type = FI_EP_MSG;
	hints->caps = FI_MSG | FI_RMA;
	hints->addr_format = FI_SOCKADDR;
	/* one thread per lane, lanes share the domain and the pool's MR */
	hints->domain_attr->threading = FI_THREAD_SAFE;
	hints->domain_attr->mr_mode = FABRIC_MR_MODES;
	/* a persist request must not overtake the writes it covers, nor a read them */
	hints->tx_attr->msg_order = FI_ORDER_SAW | FI_ORDER_RAW;
	hints->rx_attr->msg_order = FI_ORDER_SAW | FI_ORDER_RAW;
	return hints;
}

int
fabric_getinfo(enum fabric_provider prov, const char *node, const char *service,
	int passive, struct fi_info **info)
{
	struct fi_info *hints = make_hints(prov);
	if (hints == NULL)
		return err_set(-ENOMEM, "fabric: out of memory for the hints");

	const char *name = fabric_provider_name(prov);
	int ret = fi_getinfo(FABRIC_API_VERSION, node, service,
		passive ? FI_SOURCE : 0, hints, info);
	fi_freeinfo(hints);
	if (ret == -FI_ENODATA)
		return err_set(-ENODATA, "fabric: provider %s is not available "
			"for %s:%s", name, node ? node : "*", service);
	if (ret)
		return fabric_err(ret, "fabric: fi_getinfo(%s, %s:%s) failed", name,
			node ? node : "*", service);

	struct fi_info *fi = *info;
	log_msg(LOG_INFO, "fabric: %s for %s:%s: domain %s, mr_mode 0x%x, "
		"inject %zu, max_msg_size %zu", name, node ? node : "*", service,
		fi->domain_attr->name, (unsigned)fi->domain_attr->mr_mode,
		fi->tx_attr->inject_size, fi->ep_attr->max_msg_size);
	size_t key_size = fi->domain_attr->mr_key_size;
	if (key_size > sizeof(uint64_t) || (fi->domain_attr->mr_mode & FI_MR_RAW)) {
		fi_freeinfo(fi);
		*info = NULL;
		return err_set(-ENOTSUP, "fabric: provider %s needs raw MR keys "
			"(%zu bytes), not supported", name, key_size);
	}
	return 0;
}

int
fabric_getinfo_any(unsigned mask, const char *node, const char *service,
	int passive, enum fabric_provider *prov, struct fi_info **info)
{
	char tried[64] = "";
	for (size_t i = 0; i < NPROVIDERS; i++) {
		if (!(mask & (unsigned)Providers[i].prov))
			continue;
		if (fabric_getinfo(Providers[i].prov, node, service, passive, info) == 0) {
			*prov = Providers[i].prov;
			return 0;
		}
		size_t used = strlen(tried);
		snprintf(tried + used, sizeof(tried) - used, "%s%s", used ? ", " : "",
			Providers[i].name);
	}
	return err_set(-EPROTONOSUPPORT, "fabric: no enabled provider (%s) can "
		"reach %s:%s", tried[0] ? tried : "none", node ? node : "*", service);
}

void
fabric_addr_str(const void *sockaddr, size_t len, char *buf, size_t size)
{
	char host[INET6_ADDRSTRLEN];
	const struct sockaddr *sa = sockaddr;

	if (sa != NULL && len >= sizeof(struct sockaddr_in) &&
			sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = sockaddr;
		inet_ntop(AF_INET, &in->sin_addr, host, sizeof(host));
		snprintf(buf, size, "%s:%u", host, ntohs(in->sin_port));
	} else if (sa != NULL && len >= sizeof(struct sockaddr_in6) &&
			sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = sockaddr;
		inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
		snprintf(buf, size, "[%s]:%u", host, ntohs(in6->sin6_port));
	} else {
		snprintf(buf, size, "?");
	}
}

int
fabric_err(int fi_ret, const char *fmt, ...)
{
	int code = fi_ret < 0 ? -fi_ret : fi_ret;
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	int ret;
	if (code == 0)
		ret = -EIO;
	else if (code < FI_ERRNO_OFFSET)
		ret = -code; /* FI_E* below the offset are the errno values */
	else if (code == FI_ETRUNC || code == FI_ETOOSMALL)
		ret = -EMSGSIZE;
	else if (code == FI_ENOKEY || code == FI_EKEYREJECTED)
		ret = -EACCES;
	else
		ret = -EIO;
	return err_set(ret, "%s: %s", msg, fi_strerror(code));
}

int
fabric_domain_open(const struct fi_info *info, struct fabric_domain *dom)
{
	memset(dom, 0, sizeof(*dom));
	dom->next_key = 1;
	dom->info = fi_dupinfo(info);
	if (dom->info == NULL)
		return err_set(-ENOMEM, "fabric: out of memory copying fi_info");

	const char *prov = info->fabric_attr->prov_name;
	int ret = fi_fabric(dom->info->fabric_attr, &dom->fabric, NULL);
	if (ret) {
		ret = fabric_err(ret, "fabric: fi_fabric(%s) failed", prov);
		goto err_info;
	}
	ret = fi_domain(dom->fabric, dom->info, &dom->domain, NULL);
	if (ret) {
		ret = fabric_err(ret, "fabric: fi_domain(%s, %s) failed", prov,
			info->domain_attr->name);
		goto err_fabric;
	}
	return 0;

err_fabric:
	fi_close(&dom->fabric->fid);
err_info:
	fi_freeinfo(dom->info);
	memset(dom, 0, sizeof(*dom));
	return ret;
}

void
fabric_domain_close(struct fabric_domain *dom)
{
	if (dom->domain)
		fi_close(&dom->domain->fid);
	if (dom->fabric)
		fi_close(&dom->fabric->fid);
	if (dom->info)
		fi_freeinfo(dom->info);
	memset(dom, 0, sizeof(*dom));
}

int
fabric_mr_reg(struct fabric_domain *dom, void *buf, size_t len, unsigned access,
	struct fabric_mr *mr)
{
	memset(mr, 0, sizeof(*mr));
	uint64_t acc = 0;
	if (access & FABRIC_MR_LOCAL_ACCESS)
		acc |= FI_SEND | FI_RECV | FI_READ | FI_WRITE;
	if (access & FABRIC_MR_REMOTE_ACCESS)
		acc |= FI_REMOTE_READ | FI_REMOTE_WRITE;
	if (acc == 0)
		return err_set(-EINVAL, "fabric: memory registration without access");

	int mode = dom->info->domain_attr->mr_mode;
	/* without FI_MR_PROV_KEY the key is ours to pick, unique in the domain */
	uint64_t key = (mode & FI_MR_PROV_KEY) ? 0 :
		__atomic_fetch_add(&dom->next_key, 1, __ATOMIC_RELAXED);

	int ret = fi_mr_reg(dom->domain, buf, len, acc, 0, key, 0, &mr->mr, NULL);
	if (ret)
		return fabric_err(ret, "fabric: cannot register %zu bytes at %p",
			len, buf);
	mr->desc = fi_mr_desc(mr->mr);
	mr->key = fi_mr_key(mr->mr);
	mr->addr = (mode & FI_MR_VIRT_ADDR) ? (uint64_t)(uintptr_t)buf : 0;
	return 0;
}

void
fabric_mr_dereg(struct fabric_mr *mr)
{
	if (mr->mr)
		fi_close(&mr->mr->fid);
	memset(mr, 0, sizeof(*mr));
}
