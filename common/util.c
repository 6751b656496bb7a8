/* util.c -- small helpers shared by every component */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

size_t
util_pagesize(void)
{
	static size_t pagesize;
	if (pagesize == 0) {
		long v = sysconf(_SC_PAGESIZE);
		pagesize = v > 0 ? (size_t)v : 4096;
	}
	return pagesize;
}

int
util_env_is_true(const char *name)
{
	const char *v = getenv(name);
	if (v == NULL)
		return 0;
	return strcmp(v, "1") == 0 || strcasecmp(v, "y") == 0 ||
		strcasecmp(v, "yes") == 0 || strcasecmp(v, "on") == 0 ||
		strcasecmp(v, "true") == 0;
}

long long
util_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
util_is_zero(const void *buf, size_t len)
{
	const unsigned char *b = buf;
	for (size_t i = 0; i < len; i++)
		if (b[i] != 0)
			return 0;
	return 1;
}
