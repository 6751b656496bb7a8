/*
 * libpmem2.h -- public entry point of libpmem2, the local persistence engine;
 * define PMEM2_USE_MINIASYNC before including it for the asynchronous copies
 * (they need libminiasync's headers)
 */
#ifndef LIBPMEM2_H
#define LIBPMEM2_H 1

#include <libpmem2/base.h>
#ifdef PMEM2_USE_MINIASYNC
#include <libpmem2/async.h>
#endif

#endif /* LIBPMEM2_H */
