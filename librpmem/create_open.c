/* create_open.c -- rpmem_create and rpmem_open: check the arguments, start rpmemd over ssh, connect the lanes */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rpmem.h"

static int
attr_is_zero(const struct rpmem_pool_attr *attr)
{
	static const struct rpmem_pool_attr zero;
	return attr == NULL || memcmp(attr, &zero, sizeof(zero)) == 0;
}

/* PMDK's checks in PMDK's order, each with its own message; 0 or -1 */
static int
check_args(const char *func, const char *target, const char *pool_set_name,
	void *pool_addr, size_t pool_size, unsigned *nlanes)
{
	size_t page = util_pagesize();
	if (target == NULL)
		return rpmem_fail(func, EINVAL, "target is NULL");
	if (pool_set_name == NULL)
		return rpmem_fail(func, EINVAL, "pool_set_name is NULL");
	if (pool_addr == NULL)
		return rpmem_fail(func, EINVAL, "pool_addr is NULL");
	if (!IS_ALIGNED((uintptr_t)pool_addr, page))
		return rpmem_fail(func, EINVAL, "pool_addr %p is not aligned to the "
			"page size %zu", pool_addr, page);
	if (pool_size == 0)
		return rpmem_fail(func, EINVAL, "pool_size is 0");
	if (!IS_ALIGNED(pool_size, page))
		return rpmem_fail(func, EINVAL, "pool_size %zu is not a multiple of "
			"the page size %zu", pool_size, page);
	if (nlanes == NULL)
		return rpmem_fail(func, EINVAL, "nlanes is NULL");
	if (*nlanes == 0)
		return rpmem_fail(func, EINVAL, "*nlanes is 0");
	size_t len = strlen(pool_set_name);
	if (len == 0)
		return rpmem_fail(func, EINVAL, "pool_set_name is empty");
	if (len > PROTO_POOL_SET_MAX)
		return rpmem_fail(func, ENAMETOOLONG, "pool_set_name is %zu bytes "
			"long, at most %d are allowed", len, PROTO_POOL_SET_MAX);
	return 0;
}

static enum proto_provider
wire_provider(enum fabric_provider prov)
{
	switch (prov) {
	case FABRIC_PROV_VERBS: return PROTO_PROVIDER_VERBS;
	case FABRIC_PROV_SOCKETS: return PROTO_PROVIDER_SOCKETS;
	default: return PROTO_PROVIDER_TCP;
	}
}

/* the provider the environment allows that can reach the target host */
static int
choose_provider(struct rpmem_pool *rpp)
{
	unsigned mask;
	int ret = fabric_provider_from_env(&mask);
	if (ret)
		return ret;
	struct fi_info *info;
	/* any port: only "can this provider reach the host" is asked */
	ret = fabric_getinfo_any(mask, rpp->t.node, "0", 0, &rpp->prov, &info);
	if (ret) {
		char names[64] = "";
		for (unsigned p = FABRIC_PROV_VERBS; p <= FABRIC_PROV_SOCKETS; p <<= 1)
			if (mask & p)
				snprintf(names + strlen(names), sizeof(names) - strlen(names),
					"%s%s", names[0] ? ", " : "",
					fabric_provider_name((enum fabric_provider)p));
		/* PMDK's errno for "no provider" */
		return err_set(-ENOMEDIUM, "no enabled libfabric provider (%s) can "
			"reach %s", names[0] ? names : "none", rpp->t.node);
	}
	fi_freeinfo(info);
	log_msg(LOG_INFO, "provider %s for %s", fabric_provider_name(rpp->prov),
		rpp->t.node);
	return 0;
}

/* an ssh child that failed before answering: its stderr says why */
static int
ssh_failed(struct rpmem_pool *rpp, int ret)
{
	char why[ERR_MSG_MAX], child[ERR_MSG_MAX];
	rpmem_last_copy(why, sizeof(why));
	rpmem_ssh_finish(&rpp->ssh, rpp->timeout_ms);
	rpmem_ssh_describe(&rpp->ssh, child, sizeof(child));
	if (ret == -ETIMEDOUT || ret == -ECONNRESET || ret == -EPIPE) {
		if (ret == -EPIPE)
			ret = -ECONNRESET;
		return err_set(ret, "cannot start rpmemd on %s: %s%s%s", rpp->target,
			child[0] ? child : why, child[0] ? " -- " : "",
			child[0] ? why : "");
	}
	return err_set(ret, "%s%s%s", why, child[0] ? " -- ssh: " : "", child);
}

/* the whole connection; on failure everything started is undone */
static int
connect_pool(struct rpmem_pool *rpp, const struct rpmem_env *env, uint16_t type,
	const char *pool_set_name, unsigned *nlanes,
	const struct rpmem_pool_attr *create_attr, struct proto_open_resp *resp)
{
	int ret = choose_provider(rpp);
	if (ret)
		return ret;
	ret = rpmem_ssh_start(&rpp->ssh, env->ssh, &rpp->t,
		rpp->prov == FABRIC_PROV_SOCKETS, env->cmd);
	if (ret)
		return ret;
	ret = rpmem_obc_hello(rpp);
	if (ret)
		return ssh_failed(rpp, ret);

	struct proto_create_req req;
	memset(&req, 0, sizeof(req));
	req.pool_size = rpp->pool_size;
	req.nlanes = *nlanes < env->max_nlanes ? *nlanes : env->max_nlanes;
	req.provider = (uint8_t)wire_provider(rpp->prov);
	snprintf(req.pool_set, sizeof(req.pool_set), "%s", pool_set_name);
	if (type == PROTO_CREATE && create_attr) {
		req.has_attr = 1;
		req.attr = *create_attr;
	}
	ret = rpmem_obc_create_open(rpp, type, &req, resp);
	if (ret)
		return ssh_failed(rpp, ret);
	if (resp->nlanes == 0 || resp->nlanes > req.nlanes ||
			resp->pool_size < rpp->pool_size) {
		ret = err_set(-EPROTO, "rpmemd on %s granted %u lanes of %u and a "
			"pool of %llu bytes for %zu", rpp->target, resp->nlanes,
			req.nlanes, (unsigned long long)resp->pool_size, rpp->pool_size);
		goto undo;
	}
	rpp->nlanes = resp->nlanes;
	/* the decoder accepts only GPSPM and APM; rpmemd knows whether its memory is pmem */
	rpp->persist_method = (enum proto_persist_method)resp->persist_method;
	rpp->created = type == PROTO_CREATE;
	rpp->has_hdr = type == PROTO_CREATE ? !attr_is_zero(create_attr) :
		resp->has_attr;

	ret = rpmem_fabric_init(rpp, resp);
	if (ret)
		goto undo;
	return 0;

undo: {
	char why[ERR_MSG_MAX];
	rpmem_last_copy(why, sizeof(why));
	rpmem_fabric_fini(rpp);
	/* a pool this connection created goes away with it */
	rpmem_obc_close(rpp, rpp->created ? PROTO_CLOSE_REMOVE : 0);
	rpmem_ssh_finish(&rpp->ssh, rpp->timeout_ms);
	return err_set(ret, "%s", why);
	}
}

static RPMEMpool *
create_open(const char *func, uint16_t type, const char *target,
	const char *pool_set_name, void *pool_addr, size_t pool_size,
	unsigned *nlanes, const struct rpmem_pool_attr *create_attr,
	struct rpmem_pool_attr *open_attr)
{
	if (check_args(func, target, pool_set_name, pool_addr, pool_size, nlanes))
		return NULL;
	struct rpmem_pool *rpp = calloc(1, sizeof(*rpp));
	if (rpp == NULL) {
		rpmem_fail(func, ENOMEM, "out of memory for the pool handle");
		return NULL;
	}
	rpp->ssh.fd = rpp->ssh.err_fd = -1;
	rpp->pool_addr = pool_addr;
	rpp->pool_size = pool_size;
	int ret = target_parse(target, &rpp->t);
	if (ret) {
		rpmem_fail_last(func, ret);
		free(rpp);
		return NULL;
	}
	snprintf(rpp->target, sizeof(rpp->target), "%s", target);

	struct rpmem_env env;
	ret = rpmem_env_read(&env);
	if (ret == 0) {
		rpp->timeout_ms = env.timeout_ms;
		rpp->wq_size = env.wq_size;
		struct proto_open_resp *resp = calloc(1, sizeof(*resp));
		ret = resp ? connect_pool(rpp, &env, type, pool_set_name, nlanes,
			create_attr, resp) : err_set(-ENOMEM, "out of memory");
		if (ret == 0 && open_attr)
			*open_attr = resp->attr;
		free(resp);
	}
	rpmem_env_free(&env);
	if (ret) {
		rpmem_fail_last(func, ret);
		free(rpp);
		return NULL;
	}
	log_msg(LOG_INFO, "%s: %s on %s: %u lanes over %s, %s", func, pool_set_name,
		target, rpp->nlanes, fabric_provider_name(rpp->prov),
		rpp->persist_method == PROTO_PERSIST_APM ?
		"appliance persistency (RDMA read after write)" :
		"general purpose persistency (rpmemd persists)");
	*nlanes = rpp->nlanes;
	return rpp;
}

RPMEMpool *
rpmem_create(const char *target, const char *pool_set_name, void *pool_addr,
	size_t pool_size, unsigned *nlanes,
	const struct rpmem_pool_attr *create_attr)
{
	return create_open(__func__, PROTO_CREATE, target, pool_set_name,
		pool_addr, pool_size, nlanes, create_attr, NULL);
}

RPMEMpool *
rpmem_open(const char *target, const char *pool_set_name, void *pool_addr,
	size_t pool_size, unsigned *nlanes, struct rpmem_pool_attr *open_attr)
{
	return create_open(__func__, PROTO_OPEN, target, pool_set_name,
		pool_addr, pool_size, nlanes, NULL, open_attr);
}
