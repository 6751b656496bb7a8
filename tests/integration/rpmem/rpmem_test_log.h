/* rpmem_test_log.h -- the real rpmemd's log file in integration tests: show it when a test fails, look for a line in it */
#ifndef RPMEM_TEST_LOG_H
#define RPMEM_TEST_LOG_H 1

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_common.h"

/* copies the log file at path to stdout, so that a failing test shows what the daemon said */
static inline void
rpmem_log_print(const char *path)
{
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		printf("(no daemon log at %s)\n", path);
		return;
	}
	printf("--- %s ---\n", path);
	char line[1024];
	while (fgets(line, sizeof(line), f) != NULL)
		fputs(line, stdout);
	fclose(f);
	fflush(stdout);
}

/* 1 when some line of the log file at path contains text */
static inline int
rpmem_log_has(const char *path, const char *text)
{
	size_t len;
	/* test_read_file allocates one byte more than the file holds */
	char *buf = test_read_file(path, &len);
	buf[len] = '\0';
	int found = strstr(buf, text) != NULL;
	free(buf);
	return found;
}

#endif /* RPMEM_TEST_LOG_H */
