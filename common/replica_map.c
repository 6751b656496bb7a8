/* replica_map.c -- maps a replica's parts contiguously into one libpmem2 vm reservation, and unmaps them */
#include <errno.h>

#include "err.h"
#include "log.h"
#include "replica_internal.h"

static const char *
granularity_name(enum pmem2_granularity g)
{
	switch (g) {
	case PMEM2_GRANULARITY_BYTE: return "byte";
	case PMEM2_GRANULARITY_CACHE_LINE: return "cache line";
	case PMEM2_GRANULARITY_PAGE: return "page";
	}
	return "unknown";
}

static int
map_part(struct replica *rep, unsigned p)
{
	struct replica_part *part = &rep->parts[p];
	struct pmem2_config *cfg;
	int ret = pmem2_config_new(&cfg);
	if (ret)
		return replica_pmem2_err(rep, p, ret, "no mapping configuration");
	/* PAGE is the coarsest we accept: libpmem2 then gives the finest the file offers */
	pmem2_config_set_required_store_granularity(cfg, PMEM2_GRANULARITY_PAGE);
	pmem2_config_set_offset(cfg, part->file_off);
	pmem2_config_set_length(cfg, part->len);
	pmem2_config_set_vm_reservation(cfg, rep->rsv, part->pool_off);
	ret = pmem2_map_new(&part->map, cfg, part->src);
	pmem2_config_delete(&cfg);
	if (ret)
		return replica_pmem2_err(rep, p, ret, "cannot be mapped");
	part->persist = pmem2_get_persist_fn(part->map);
	part->memcpy_fn = pmem2_get_memcpy_fn(part->map);
	return 0;
}

int
replica_map(struct replica *rep)
{
	if (rep->parts == NULL)
		return err_set(-EINVAL, "replica_map: the replica is not initialized");
	if (rep->rsv != NULL)
		return err_set(-EINVAL, "%s: the replica is mapped already", rep->name);
	for (unsigned p = 0; p < rep->nparts; p++)
		if (rep->parts[p].src == NULL || rep->parts[p].len == 0)
			return err_set(-EINVAL, "%s: part %u is not laid out (create or open first)",
				rep->name, p);
	int ret = pmem2_vm_reservation_new(&rep->rsv, NULL, rep->size);
	if (ret)
		return err_set(-pmem2_err_to_errno(ret),
			"%s: no address range of %zu bytes for the pool: %s", rep->name, rep->size,
			pmem2_errormsg());
	enum pmem2_granularity g = PMEM2_GRANULARITY_BYTE;
	for (unsigned p = 0; p < rep->nparts; p++) {
		ret = map_part(rep, p);
		if (ret) {
			replica_unmap(rep);
			return ret;
		}
		enum pmem2_granularity pg = pmem2_map_get_store_granularity(rep->parts[p].map);
		if (pg > g)
			g = pg;
	}
	rep->granularity = g;
	rep->addr = pmem2_vm_reservation_get_address(rep->rsv);
	log_msg(LOG_INFO, "%s: %u part(s), %zu usable bytes mapped at %p, %s granularity",
		rep->name, rep->nparts, rep->size, rep->addr, granularity_name(g));
	return 0;
}

int
replica_is_pmem(const struct replica *rep)
{
	if (rep->nparts == 0 || rep->addr == NULL)
		return 0;
	for (unsigned p = 0; p < rep->nparts; p++) {
		struct pmem2_map *map = rep->parts[p].map;
		/* PAGE: the kernel or our msync must write dirty pages back */
		if (map == NULL || pmem2_map_get_store_granularity(map) == PMEM2_GRANULARITY_PAGE)
			return 0;
	}
	return 1;
}

void
replica_unmap(struct replica *rep)
{
	for (unsigned p = 0; p < rep->nparts; p++) {
		struct replica_part *part = &rep->parts[p];
		if (part->map != NULL && pmem2_map_delete(&part->map) != 0)
			log_msg(LOG_WARN, "%s: part %u cannot be unmapped: %s", rep->name, p,
				pmem2_errormsg());
		part->persist = NULL;
		part->memcpy_fn = NULL;
	}
	if (rep->rsv != NULL && pmem2_vm_reservation_delete(&rep->rsv) != 0)
		log_msg(LOG_WARN, "%s: its address range cannot be released: %s", rep->name,
			pmem2_errormsg());
	rep->addr = NULL;
}
