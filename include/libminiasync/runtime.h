/*
 * runtime.h -- polls futures in the calling thread until they complete,
 * sleeping while none can progress and waking when one of them says it
 * can. See runtime_new(3).
 */
#ifndef LIBMINIASYNC_RUNTIME_H
#define LIBMINIASYNC_RUNTIME_H 1

#include "future.h"

#ifdef __cplusplus
extern "C" {
#endif

struct runtime;

struct runtime *runtime_new(void);
void runtime_delete(struct runtime *runtime);
void runtime_wait_multiple(struct runtime *runtime, struct future *futs[],
	size_t nfuts);
void runtime_wait(struct runtime *runtime, struct future *fut);

#ifdef __cplusplus
}
#endif
#endif /* LIBMINIASYNC_RUNTIME_H */
