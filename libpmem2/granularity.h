/* granularity.h -- effective store granularity of a map and why a request cannot be met */
#ifndef PMEM2_GRANULARITY_H
#define PMEM2_GRANULARITY_H 1

#include "pmem2.h"

/*
 * The finest granularity a new mapping guarantees: BYTE for anonymous and
 * private mappings (byte_always), else PMEM2_FORCE_GRANULARITY when set,
 * else PAGE without MAP_SYNC, CACHE_LINE with it, BYTE with it on eADR.
 */
enum pmem2_granularity pmem2_min_granularity(bool byte_always, bool map_sync);

const char *pmem2_granularity_name(enum pmem2_granularity g);

/* the message for a request finer than what is available */
const char *pmem2_granularity_unavailable_reason(enum pmem2_granularity available);

#endif /* PMEM2_GRANULARITY_H */
