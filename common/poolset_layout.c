/* poolset_layout.c -- how a replica's parts become one pool: headers, usable size, minimum part size */
#include <errno.h>

#include "err.h"
#include "poolset.h"
#include "util.h"

int
poolset_part_has_hdr(const struct poolset *set, unsigned p)
{
	if (set->nohdrs)
		return 0;
	return !set->singlehdr || p == 0;
}

/* the bytes part p adds to the contiguous pool */
static int
part_bytes(const struct poolset *set, const struct poolset_part *part, unsigned p,
	size_t pagesize, uint64_t *bytes)
{
	if (part->size == 0)
		return err_set(-EINVAL, "line %u: part size AUTO is known only once the device is open",
			part->line);
	uint64_t s = part->size & ~((uint64_t)pagesize - 1);
	if (s == 0)
		return err_set(-EINVAL, "line %u: part size %llu is smaller than the page size %zu",
			part->line, (unsigned long long)part->size, pagesize);
	/* part 0's header is the pool's; the others are skipped in the contiguous mapping */
	if (p > 0 && poolset_part_has_hdr(set, p)) {
		if (s <= POOLSET_HDR_SIZE)
			return err_set(-EINVAL,
				"line %u: part size %llu leaves no data after its %u-byte header",
				part->line, (unsigned long long)part->size, POOLSET_HDR_SIZE);
		s -= POOLSET_HDR_SIZE;
	}
	*bytes = s;
	return 0;
}

int
poolset_replica_size(const struct poolset *set, unsigned r, size_t pagesize, uint64_t *size)
{
	if (r >= set->nreplicas)
		return err_set(-EINVAL, "replica %u does not exist (the set has %u)", r,
			set->nreplicas);
	if (!IS_POW2(pagesize) || pagesize < POOLSET_HDR_SIZE)
		return err_set(-EINVAL, "page size %zu is not a power of two of at least %u",
			pagesize, POOLSET_HDR_SIZE);
	const struct poolset_replica *rep = &set->replicas[r];
	if (rep->remote)
		return err_set(-EINVAL, "line %u: replica %u is remote: its size is known on its node",
			rep->line, r);
	uint64_t sum = 0;
	for (unsigned p = 0; p < rep->nparts; p++) {
		uint64_t bytes = 0;
		int ret = part_bytes(set, &rep->parts[p], p, pagesize, &bytes);
		if (ret)
			return ret;
		if (sum + bytes < sum)
			return err_set(-EINVAL, "replica %u: its size overflows 64 bits", r);
		sum += bytes;
	}
	*size = sum;
	return 0;
}

int
poolset_check_min_part(const struct poolset *set, uint64_t min)
{
	for (unsigned r = 0; r < set->nreplicas; r++) {
		const struct poolset_replica *rep = &set->replicas[r];
		for (unsigned p = 0; p < rep->nparts; p++) {
			const struct poolset_part *part = &rep->parts[p];
			if (part->size != 0 && part->size < min)
				return err_set(-EINVAL,
					"line %u: part size %llu is below the minimum of %llu bytes",
					part->line, (unsigned long long)part->size,
					(unsigned long long)min);
		}
	}
	return 0;
}
