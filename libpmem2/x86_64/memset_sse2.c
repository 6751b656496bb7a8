/* memset_sse2.c -- the memset kernels built for SSE2 (the x86-64 baseline) */
#define ISA sse2
#include "memset_kernels.h"
