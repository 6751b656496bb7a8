/* version.c -- rpmem_check_version: this library implements API 1.3 */
#include "rpmem.h"

const char *
rpmem_check_version(unsigned major_required, unsigned minor_required)
{
	if (major_required != RPMEM_MAJOR_VERSION) {
		err_set(0, "librpmem major version mismatch (need %u, found %u)",
			major_required, RPMEM_MAJOR_VERSION);
		return err_last();
	}
	if (minor_required > RPMEM_MINOR_VERSION) {
		err_set(0, "librpmem minor version mismatch (need %u, found %u)",
			minor_required, RPMEM_MINOR_VERSION);
		return err_last();
	}
	return NULL;
}
