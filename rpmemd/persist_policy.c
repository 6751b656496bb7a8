/* persist_policy.c -- rpmemd's choice between GPSPM and APM (RDMA read after write), conservative by design */
#include <stddef.h>

#include "persist_policy.h"

enum proto_persist_method
rpmemd_persist_method(int persist_apm, enum fabric_provider prov, int pool_is_pmem,
	const char **why)
{
	const char *reason = "";
	enum proto_persist_method m = PROTO_PERSIST_GPSPM;
	/* the order decides which reason is given when several apply: the operator's first */
	if (!persist_apm)
		reason = "--persist-apm not asked";
	else if (prov == FABRIC_PROV_TCP)
		reason = "the tcp provider cannot make RDMA writes durable by themselves";
	else if (prov == FABRIC_PROV_SOCKETS)
		reason = "the sockets provider cannot make RDMA writes durable by themselves";
	else if (prov != FABRIC_PROV_VERBS)
		reason = "the provider cannot make RDMA writes durable by themselves";
	else if (!pool_is_pmem)
		reason = "the pool is not on persistent memory";
	else
		m = PROTO_PERSIST_APM;
	if (why != NULL)
		*why = reason;
	return m;
}
