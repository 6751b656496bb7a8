/* memset_avx512f.c -- the memset kernels built for AVX-512F (this file gets -mavx512f) */
#define ISA avx512f
#include "memset_kernels.h"
