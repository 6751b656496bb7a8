/* util.h -- small arithmetic and alignment helpers used across components */
#ifndef COMMON_UTIL_H
#define COMMON_UTIL_H 1

#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define ALIGN_DOWN(x, a) ((x) & ~((uintptr_t)(a) - 1))
#define ALIGN_UP(x, a) ALIGN_DOWN((x) + (a) - 1, (a))
#define IS_ALIGNED(x, a) (((x) & ((uintptr_t)(a) - 1)) == 0)
#define IS_POW2(x) ((x) != 0 && ((x) & ((x) - 1)) == 0)

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/* page size of this system, read once */
size_t util_pagesize(void);

/* 1 when the string is a true-ish environment value ("1", "y", "yes", "on", "true") */
int util_env_is_true(const char *name);

/* 1 when all len bytes of buf are zero (len 0 included) */
int util_is_zero(const void *buf, size_t len);

/* CLOCK_MONOTONIC in milliseconds: the clock of every bounded wait */
long long util_now_ms(void);

#endif /* COMMON_UTIL_H */
