/* persist_policy.h -- which persistency method rpmemd offers a client: APM only for verbs on real pmem when asked */
#ifndef RPMEMD_PERSIST_POLICY_H
#define RPMEMD_PERSIST_POLICY_H 1

#include "fabric.h"
#include "proto.h"

/*
 * The method for one session, a pure function of its arguments. The
 * appliance method (APM: the client makes its RDMA writes durable by an RDMA
 * read after them, rpmemd is not involved) is chosen only when all hold:
 *  - persist_apm: the operator asked for it (--persist-apm);
 *  - prov is verbs: only there do RDMA writes land in our memory with no
 *    software of ours in the path (tcp and sockets copy them in user space,
 *    where a read completing proves nothing about durability);
 *  - pool_is_pmem: every part of the pool is persistent memory mapped so
 *    that data DMA'd into it needs no CPU cache flush (MAP_SYNC, store
 *    granularity CACHE_LINE or BYTE).
 * Otherwise GPSPM, and *why (when why is not NULL) gets a short reason for
 * the log; with APM *why is "".
 */
enum proto_persist_method rpmemd_persist_method(int persist_apm, enum fabric_provider prov,
	int pool_is_pmem, const char **why);

#endif /* RPMEMD_PERSIST_POLICY_H */
