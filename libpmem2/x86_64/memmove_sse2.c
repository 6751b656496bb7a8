/* memmove_sse2.c -- the memmove kernels built for SSE2 (the x86-64 baseline) */
#define ISA sse2
#include "memmove_kernels.h"
