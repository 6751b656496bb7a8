/* libpmemobj.c -- load-time set-up: logging from PMEMOBJ_LOG_LEVEL and PMEMOBJ_LOG_FILE */
#include "log.h"

__attribute__((constructor)) static void
libpmemobj_init(void)
{
	log_init("libpmemobj-core", "PMEMOBJ_LOG_LEVEL", "PMEMOBJ_LOG_FILE");
}

__attribute__((destructor)) static void
libpmemobj_fini(void)
{
	log_fini();
}
