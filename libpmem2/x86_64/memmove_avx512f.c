/* memmove_avx512f.c -- the memmove kernels built for AVX-512F (this file gets -mavx512f) */
#define ISA avx512f
#include "memmove_kernels.h"
