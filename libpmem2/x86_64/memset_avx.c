/* memset_avx.c -- the memset kernels built for AVX (this file gets -mavx) */
#define ISA avx
#include "memset_kernels.h"
