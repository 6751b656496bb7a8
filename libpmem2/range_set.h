/* range_set.h -- non-overlapping [start, end) ranges kept sorted, each with an owner pointer */
#ifndef PMEM2_RANGE_SET_H
#define PMEM2_RANGE_SET_H 1

#include <stddef.h>
#include <stdint.h>

struct range {
	uintptr_t start;
	uintptr_t end;		/* exclusive */
	void *owner;
};

/* a sorted array: lookups are binary searches, inserts move the tail (sets stay small) */
struct range_set {
	struct range *v;
	size_t n;
	size_t cap;
};

#define RANGE_SET_INIT { NULL, 0, 0 }

/* 0, -EEXIST when [start, end) overlaps a member, -ENOMEM; end must be > start */
int range_set_insert(struct range_set *s, uintptr_t start, uintptr_t end, void *owner);
/* removes the member owned by owner; 0, or -ENOENT */
int range_set_remove(struct range_set *s, const void *owner);
/* index of the lowest member overlapping [start, end), or -1 */
ptrdiff_t range_set_first_overlap(const struct range_set *s, uintptr_t start, uintptr_t end);
/* index of the member owned by owner, or -1 (a scan: owner is never dereferenced) */
ptrdiff_t range_set_index_of(const struct range_set *s, const void *owner);
void range_set_fini(struct range_set *s);

#endif /* PMEM2_RANGE_SET_H */
