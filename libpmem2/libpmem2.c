/* libpmem2.c -- load-time set-up: logging from the environment, then CPU kernels */
#include "arch.h"
#include "pmem2.h"

__attribute__((constructor)) static void
libpmem2_init(void)
{
	log_init("libpmem2", "PMEM2_LOG_LEVEL", "PMEM2_LOG_FILE");
	pmem2_arch_init();
}

__attribute__((destructor)) static void
libpmem2_fini(void)
{
	log_fini();
}
