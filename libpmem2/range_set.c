/* range_set.c -- sorted non-overlapping ranges: the map registry and reservations use it */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "range_set.h"

/* index of the first member whose end is above addr (members before it lie wholly below addr) */
static size_t
lower_bound(const struct range_set *s, uintptr_t addr)
{
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->v[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

ptrdiff_t
range_set_first_overlap(const struct range_set *s, uintptr_t start, uintptr_t end)
{
	size_t i = lower_bound(s, start);
	if (i < s->n && s->v[i].start < end)
		return (ptrdiff_t)i;
	return -1;
}

int
range_set_insert(struct range_set *s, uintptr_t start, uintptr_t end, void *owner)
{
	size_t i = lower_bound(s, start);
	if (i < s->n && s->v[i].start < end)
		return -EEXIST;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		struct range *v = realloc(s->v, cap * sizeof(*v));
		if (v == NULL)
			return -ENOMEM;
		s->v = v;
		s->cap = cap;
	}
	memmove(&s->v[i + 1], &s->v[i], (s->n - i) * sizeof(s->v[0]));
	s->v[i] = (struct range){ start, end, owner };
	s->n++;
	return 0;
}

ptrdiff_t
range_set_index_of(const struct range_set *s, const void *owner)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].owner == owner)
			return (ptrdiff_t)i;
	return -1;
}

int
range_set_remove(struct range_set *s, const void *owner)
{
	ptrdiff_t i = range_set_index_of(s, owner);
	if (i < 0)
		return -ENOENT;
	memmove(&s->v[i], &s->v[i + 1], (s->n - (size_t)i - 1) * sizeof(s->v[0]));
	s->n--;
	return 0;
}

void
range_set_fini(struct range_set *s)
{
	free(s->v);
	*s = (struct range_set)RANGE_SET_INIT;
}
