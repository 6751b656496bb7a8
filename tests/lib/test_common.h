/* test_common.h -- helpers shared by the cmocka unit tests: temp files, skips, env */
#ifndef TEST_COMMON_H
#define TEST_COMMON_H 1

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

/* skip the current test, printing why (the runner shows it) */
#define SKIP_BECAUSE(...) do { \
	printf("SKIP: " __VA_ARGS__); \
	printf("\n"); \
	fflush(stdout); \
	skip(); \
} while (0)

/*
 * Creates a file of the given size in dir (NULL: /dev/shm when usable, else
 * /tmp) with a unique name; opens it with flags (O_RDWR, O_RDONLY...).
 * Writes the path to path (PATH_MAX bytes) when not NULL. The file is
 * unlinked at exit if the test forgets to. Returns the fd; fails the test on error.
 */
int test_tmpfile(const char *dir, size_t size, int flags, char *path);

/* a fresh directory under /tmp, removed with its contents at exit */
const char *test_tmpdir(void);

/* reads the whole file at path into a malloc'ed buffer; *len gets its size */
void *test_read_file(const char *path, size_t *len);

/* fills buf with a deterministic pattern that depends on seed */
void test_fill_pattern(void *buf, size_t len, unsigned seed);

/* CLOCK_MONOTONIC in milliseconds: deadlines of hang guards, figures */
long long test_now_ms(void);

#endif /* TEST_COMMON_H */
