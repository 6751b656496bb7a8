/* obj_set.h -- what a pmemobj path names: a pool set file or a single pool file made into a one-part set, with libpmemobj's size rules */
#ifndef OBJ_SET_H
#define OBJ_SET_H 1

#include <stddef.h>

#include "poolset.h"

struct obj_set {
	struct poolset *set;
	int is_set;		/* 1: a pool set file; 0: a single file (one replica, one part, line 0) */
	int existing_file;	/* single file given to create with poolsize 0: reused, not made */
	char *path;		/* as given */
};

/*
 * Reads path as pmemobj_create (create = 1, with poolsize) or pmemobj_open
 * (create = 0) sees it: a file whose first line is PMEMPOOLSET is a pool
 * set (poolsize must be 0), anything else a single pool file (create: made
 * when poolsize != 0, EEXIST if it exists; poolsize 0 reuses an existing
 * file). Sets with OPTION NOHDRS, parts below PMEMOBJ_MIN_PART and single
 * files below PMEMOBJ_MIN_POOL are refused. 0, or -errno with a message.
 */
int obj_set_load(const char *path, size_t poolsize, int create, struct obj_set *os);
void obj_set_free(struct obj_set *os);

/* how messages name replica r (part p of a local one): "replica 2 (line 7, /x/r2.part0)" */
#define OBJ_NAME_MAX 512
void obj_set_name(const struct obj_set *os, unsigned r, unsigned p, char *buf, size_t len);

#endif /* OBJ_SET_H */
