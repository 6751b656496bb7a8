/* source_anon.c -- pmem2_source backed by anonymous memory of a given size */
#include <stdlib.h>

#include "pmem2.h"

int
pmem2_source_from_anon(struct pmem2_source **src, size_t size)
{
	*src = NULL;
	struct pmem2_source *s = calloc(1, sizeof(*s));
	if (s == NULL)
		return pmem2_err_sys(-ENOMEM, ENOMEM, "cannot allocate a source");
	s->type = PMEM2_SOURCE_ANON;
	s->anon_size = size;
	s->fd = -1;
	*src = s;
	return 0;
}
