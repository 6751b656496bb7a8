/* config.c -- pmem2_config: how a source is mapped (range, granularity, sharing, protection, mover) */
#include <stdint.h>
#include <stdlib.h>

#include "pmem2.h"

#define PROT_ALL (PMEM2_PROT_EXEC | PMEM2_PROT_READ | PMEM2_PROT_WRITE)

void
pmem2_config_init(struct pmem2_config *cfg)
{
	cfg->offset = 0;
	cfg->length = 0;
	cfg->requested_max_granularity = PMEM2_GRANULARITY_INVALID;
	cfg->sharing = PMEM2_SHARED;
	cfg->protection_flag = PMEM2_PROT_READ | PMEM2_PROT_WRITE;
	cfg->reserv = NULL;
	cfg->reserv_offset = 0;
	cfg->vdm = NULL;
}

int
pmem2_config_new(struct pmem2_config **cfg)
{
	*cfg = NULL;
	struct pmem2_config *c = malloc(sizeof(*c));
	if (c == NULL)
		return pmem2_err_sys(-ENOMEM, ENOMEM, "cannot allocate a config");
	pmem2_config_init(c);
	*cfg = c;
	return 0;
}

int
pmem2_config_delete(struct pmem2_config **cfg)
{
	free(*cfg);
	*cfg = NULL;
	return 0;
}

int
pmem2_config_set_required_store_granularity(struct pmem2_config *cfg,
	enum pmem2_granularity g)
{
	switch (g) {
	case PMEM2_GRANULARITY_BYTE:
	case PMEM2_GRANULARITY_CACHE_LINE:
	case PMEM2_GRANULARITY_PAGE:
		cfg->requested_max_granularity = g;
		return 0;
	}
	return pmem2_err(PMEM2_E_GRANULARITY_NOT_SUPPORTED,
		"unknown granularity value %d", (int)g);
}

int
pmem2_config_set_offset(struct pmem2_config *cfg, size_t offset)
{
	/* mmap takes a signed off_t */
	if (offset > INT64_MAX)
		return pmem2_err(PMEM2_E_OFFSET_OUT_OF_RANGE,
			"offset is greater than INT64_MAX");
	cfg->offset = offset;
	return 0;
}

/* the length is checked against the source when mapping */
int
pmem2_config_set_length(struct pmem2_config *cfg, size_t length)
{
	cfg->length = length;
	return 0;
}

int
pmem2_config_set_sharing(struct pmem2_config *cfg,
	enum pmem2_sharing_type type)
{
	switch (type) {
	case PMEM2_SHARED:
	case PMEM2_PRIVATE:
		cfg->sharing = type;
		return 0;
	}
	return pmem2_err(PMEM2_E_INVALID_SHARING_VALUE,
		"invalid sharing value %d", (int)type);
}

int
pmem2_config_set_protection(struct pmem2_config *cfg, unsigned prot)
{
	if ((prot & ~PROT_ALL) != 0)
		return pmem2_err(PMEM2_E_INVALID_PROT_FLAG,
			"invalid protection flags 0x%x (unknown bits 0x%x)",
			prot, prot & ~PROT_ALL);
	cfg->protection_flag = prot;
	return 0;
}

/* the offset is checked against the reservation when mapping */
int
pmem2_config_set_vm_reservation(struct pmem2_config *cfg,
	struct pmem2_vm_reservation *rsv, size_t offset)
{
	cfg->reserv = rsv;
	cfg->reserv_offset = offset;
	return 0;
}

/* NULL: the default mover of each map; a mover must outlive the maps made with it */
int
pmem2_config_set_vdm(struct pmem2_config *cfg, struct vdm *vdm)
{
	cfg->vdm = vdm;
	return 0;
}
