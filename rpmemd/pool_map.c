/* pool_map.c -- maps a pool set's parts contiguously into one libpmem2 reservation, and unmaps them */
#include <errno.h>

#include "db_internal.h"
#include "err.h"
#include "log.h"
#include "poolset.h"

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

/* a libpmem2 failure as -errno, with libpmem2's message after ours */
static int
pmem2_fail(struct rpmemd_pool *pool, unsigned p, int ret, const char *what)
{
	return err_set(-pmem2_err_to_errno(ret), "pool set '%s': part %u: %s: %s", pool->name, p,
		what, pmem2_errormsg());
}

static int
map_part(struct rpmemd_pool *pool, unsigned p)
{
	struct rpmemd_part *part = &pool->parts[p];
	struct pmem2_config *cfg;
	int ret = pmem2_config_new(&cfg);
	if (ret)
		return pmem2_fail(pool, p, ret, "no mapping configuration");
	/* PAGE is the coarsest we accept: libpmem2 then gives the finest the file offers */
	pmem2_config_set_required_store_granularity(cfg, PMEM2_GRANULARITY_PAGE);
	pmem2_config_set_offset(cfg, part->file_off);
	pmem2_config_set_length(cfg, part->len);
	pmem2_config_set_vm_reservation(cfg, pool->rsv, part->pool_off);
	ret = pmem2_map_new(&part->map, cfg, part->src);
	pmem2_config_delete(&cfg);
	if (ret)
		return pmem2_fail(pool, p, ret, "cannot be mapped");
	part->persist = pmem2_get_persist_fn(part->map);
	part->memcpy_fn = pmem2_get_memcpy_fn(part->map);
	return 0;
}

int
db_pool_map(struct rpmemd_pool *pool)
{
	int ret = pmem2_vm_reservation_new(&pool->rsv, NULL, pool->size);
	if (ret)
		return err_set(-pmem2_err_to_errno(ret),
			"pool set '%s': no address range of %zu bytes for the pool: %s", pool->name,
			pool->size, pmem2_errormsg());
	enum pmem2_granularity g = PMEM2_GRANULARITY_BYTE;
	for (unsigned p = 0; p < pool->nparts; p++) {
		ret = map_part(pool, p);
		if (ret) {
			db_pool_unmap(pool);
			return ret;
		}
		enum pmem2_granularity pg = pmem2_map_get_store_granularity(pool->parts[p].map);
		if (pg > g)
			g = pg;
	}
	pool->addr = pmem2_vm_reservation_get_address(pool->rsv);
	log_msg(LOG_INFO, "pool set '%s': %u part(s), %zu usable bytes mapped at %p, %s granularity",
		pool->name, pool->nparts, pool->size, pool->addr, granularity_name(g));
	return 0;
}

int
rpmemd_pool_is_pmem(const struct rpmemd_pool *pool)
{
	if (pool->nparts == 0)
		return 0;
	for (unsigned p = 0; p < pool->nparts; p++) {
		struct pmem2_map *map = pool->parts[p].map;
		/* PAGE: the kernel or our msync must write dirty pages back */
		if (map == NULL || pmem2_map_get_store_granularity(map) == PMEM2_GRANULARITY_PAGE)
			return 0;
	}
	return 1;
}

void
db_pool_unmap(struct rpmemd_pool *pool)
{
	for (unsigned p = 0; p < pool->nparts; p++) {
		struct rpmemd_part *part = &pool->parts[p];
		if (part->map != NULL && pmem2_map_delete(&part->map) != 0)
			log_msg(LOG_WARN, "pool set '%s': part %u cannot be unmapped: %s",
				pool->name, p, pmem2_errormsg());
	}
	if (pool->rsv != NULL && pmem2_vm_reservation_delete(&pool->rsv) != 0)
		log_msg(LOG_WARN, "pool set '%s': its address range cannot be released: %s",
			pool->name, pmem2_errormsg());
	pool->addr = NULL;
}
