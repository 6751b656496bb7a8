/* test_maps.h -- count the lines of /proc/self/maps (all, or those of one file) to see what a call left mapped */
#ifndef TEST_MAPS_H
#define TEST_MAPS_H 1

#include <stdio.h>
#include <string.h>
#include <valgrind/valgrind.h>

#include "test_common.h"

/* valgrind maps memory of its own into the process: byte counts then mean nothing */
#define TEST_SKIP_ADDRESS_SPACE_ACCOUNTING_UNDER_VALGRIND() do { \
	if (RUNNING_ON_VALGRIND) \
		SKIP_BECAUSE("valgrind maps its own memory, address-space accounting is meaningless"); \
} while (0)

/* how many mappings of the process are backed by the file at path */
static inline int
test_count_file_mappings(const char *path)
{
	FILE *f = fopen("/proc/self/maps", "r");
	assert_non_null(f);
	char line[4096 + 256];
	int n = 0;
	size_t plen = strlen(path);
	while (fgets(line, sizeof(line), f) != NULL) {
		size_t len = strlen(line);
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len >= plen && strcmp(line + len - plen, path) == 0)
			n++;
	}
	fclose(f);
	return n;
}

/*
 * How many bytes of address space the process has mapped, heap and stack
 * left out (malloc and calls move them); counts bytes, not lines, because
 * the kernel merges neighbouring anonymous mappings into one line.
 */
static inline size_t
test_mapped_bytes(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	assert_non_null(f);
	char line[4096 + 256];
	size_t total = 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strstr(line, "[heap]") || strstr(line, "[stack]"))
			continue;
		unsigned long start, end;
		if (sscanf(line, "%lx-%lx", &start, &end) == 2)
			total += end - start;
	}
	fclose(f);
	return total;
}

#endif /* TEST_MAPS_H */
