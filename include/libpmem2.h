/* libpmem2.h -- public entry point of libpmem2, the local persistence engine */
#ifndef LIBPMEM2_H
#define LIBPMEM2_H 1

#include <libpmem2/base.h>

#endif /* LIBPMEM2_H */
