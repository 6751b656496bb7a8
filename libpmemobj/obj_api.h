/* obj_api.h -- the public header as the library sees it: its functions keep default visibility, everything else stays inside */
#ifndef OBJ_API_H
#define OBJ_API_H 1

#pragma GCC visibility push(default)
#include <libpmemobj.h>
#pragma GCC visibility pop

#endif /* OBJ_API_H */
