/*
 * libpmemobj/types.h -- the limits PMDK's libpmemobj/types.h gives that
 * libpmemobj core keeps: the layout name's size. PMDK's type-safe TOID
 * macros are not here (they belong to the allocator, which this library
 * does not have).
 */
#ifndef LIBPMEMOBJ_TYPES_H
#define LIBPMEMOBJ_TYPES_H 1

#include <libpmemobj/base.h>

#ifdef __cplusplus
extern "C" {
#endif

/* the layout name, its terminating NUL included */
#define PMEMOBJ_MAX_LAYOUT ((size_t)1024)

#ifdef __cplusplus
}
#endif
#endif /* LIBPMEMOBJ_TYPES_H */
