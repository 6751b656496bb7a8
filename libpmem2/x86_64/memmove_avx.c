/* memmove_avx.c -- the memmove kernels built for AVX (this file gets -mavx) */
#define ISA avx
#include "memmove_kernels.h"
