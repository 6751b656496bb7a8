/* version.c -- pmemobj_check_version: this library implements the calls of API 2.4 it documents */
#include <stddef.h>

#include "obj_pool.h"

const char *
pmemobj_check_version(unsigned major_required, unsigned minor_required)
{
	if (major_required != PMEMOBJ_MAJOR_VERSION) {
		err_set(0, "libpmemobj-core major version mismatch (need %u, found %u)",
			major_required, PMEMOBJ_MAJOR_VERSION);
		return err_last();
	}
	if (minor_required > PMEMOBJ_MINOR_VERSION) {
		err_set(0, "libpmemobj-core minor version mismatch (need %u, found %u)",
			minor_required, PMEMOBJ_MINOR_VERSION);
		return err_last();
	}
	return NULL;
}
