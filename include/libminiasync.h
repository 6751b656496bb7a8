/*
 * libminiasync.h -- futures, virtual data movers (synchronous and threads)
 * and a runtime: asynchronous memory operations composed as chains of
 * futures. Source-compatible with pmem's miniasync 0.2. See libminiasync(7).
 * Link with -lminiasync -pthread (pkg-config libminiasync).
 */
#ifndef LIBMINIASYNC_H
#define LIBMINIASYNC_H 1

#include "libminiasync/future.h"
#include "libminiasync/vdm.h"
#include "libminiasync/data_mover_threads.h"
#include "libminiasync/data_mover_sync.h"
#include "libminiasync/runtime.h"

#endif /* LIBMINIASYNC_H */
