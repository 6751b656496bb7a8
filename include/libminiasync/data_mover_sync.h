/*
 * data_mover_sync.h -- a mover that runs each operation in the thread that
 * polls its future, on the first poll. See data_mover_sync_new(3).
 */
#ifndef LIBMINIASYNC_DATA_MOVER_SYNC_H
#define LIBMINIASYNC_DATA_MOVER_SYNC_H 1

#include "vdm.h"

#ifdef __cplusplus
extern "C" {
#endif

struct data_mover_sync;

struct data_mover_sync *data_mover_sync_new(void);
struct vdm *data_mover_sync_get_vdm(struct data_mover_sync *dms);
void data_mover_sync_delete(struct data_mover_sync *dms);

#ifdef __cplusplus
}
#endif
#endif /* LIBMINIASYNC_DATA_MOVER_SYNC_H */
