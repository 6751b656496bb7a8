/* obj_health.h -- the state of every replica of a pool set, for the pool tool: which are good, missing, damaged, foreign, stale or unreachable, and why */
#ifndef OBJ_HEALTH_H
#define OBJ_HEALTH_H 1

#include "obj_rep.h"

enum obj_health_state {
	OBJ_HEALTH_OK,
	OBJ_HEALTH_MISSING,	/* a part file or the remote pool does not exist */
	OBJ_HEALTH_DAMAGED,	/* a header or the descriptor does not verify */
	OBJ_HEALTH_FOREIGN,	/* belongs to another pool set, or out of the ring */
	OBJ_HEALTH_STALE,	/* marked stale: writes did not reach it */
	OBJ_HEALTH_UNREACHABLE,	/* cannot be looked at: rpmemd not reachable, busy, I/O error */
};

struct obj_replica_health {
	unsigned r;
	int remote;
	enum obj_health_state state;
	char name[OBJ_NAME_MAX];
	char why[ERR_MSG_MAX];	/* "" when OK */
	int have_hdr;		/* hdr below was read and decodes */
	struct obj_hdr hdr;	/* local: part 0's; remote: the attributes only */
	uint64_t pool_size;	/* local: what its descriptor says */
};

/* a state's name: "ok", "missing", "damaged", "foreign", "stale", "unreachable" */
const char *obj_health_state_name(enum obj_health_state s);

/*
 * Looks at every replica of the pool at path (a pool file or a pool set)
 * one by one, without opening the pool: locks each local replica while it
 * reads it (EBUSY: the pool is open elsewhere, an error), opens each
 * remote one through rpmemd. The reference is the primary when it is OK,
 * else the first OK local replica; the others are compared with it.
 * *out (free with free()) gets os->set->nreplicas entries. 0, or -errno
 * (set file unreadable or malformed, EBUSY, ENOMEM) with a message.
 */
int obj_health_list(const char *path, struct obj_replica_health **out, unsigned *n);

/* the reference replica of a list (OK and local), or -1 when there is none */
int obj_health_reference(const struct obj_replica_health *h, unsigned n);

#endif /* OBJ_HEALTH_H */
