/* granularity.c -- which store granularity a new map gets: env override, MAP_SYNC, eADR */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "granularity.h"

#define ND_DEVICES "/sys/bus/nd/devices"

/* 1 when the region's persistence_domain says the CPU caches are persistent */
static int
region_is_eadr(int dirfd, const char *region)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/persistence_domain", region);
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	char buf[32];
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0 || buf[n - 1] != '\n')
		return 0;
	buf[n - 1] = '\0';
	return strcmp(buf, "cpu_cache") == 0;
}

static int Auto_flush;

/* eADR only if every nd region says cpu_cache; no regions, no eADR */
static void
detect_auto_flush(void)
{
	DIR *d = opendir(ND_DEVICES);
	if (d == NULL)
		return;
	int regions = 0, eadr = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_type != DT_LNK || strstr(e->d_name, "region") == NULL)
			continue;
		regions++;
		eadr += region_is_eadr(dirfd(d), e->d_name);
	}
	closedir(d);
	Auto_flush = regions > 0 && eadr == regions;
	log_msg(LOG_INFO, "eADR (persistent CPU caches): %s (%d nd regions)",
		Auto_flush ? "yes" : "no", regions);
}

int
pmem2_auto_flush(void)
{
	/* the platform does not change while we run: look once (PMDK looked at every map) */
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, detect_auto_flush);
	return Auto_flush;
}

int
pmem2_force_granularity(enum pmem2_granularity *g)
{
	const char *v = getenv("PMEM2_FORCE_GRANULARITY");
	if (v == NULL)
		return 0;
	if (strcasecmp(v, "BYTE") == 0)
		*g = PMEM2_GRANULARITY_BYTE;
	else if (strcasecmp(v, "CACHE_LINE") == 0 || strcasecmp(v, "CACHELINE") == 0)
		*g = PMEM2_GRANULARITY_CACHE_LINE;
	else if (strcasecmp(v, "PAGE") == 0)
		*g = PMEM2_GRANULARITY_PAGE;
	else {
		log_msg(LOG_WARN, "PMEM2_FORCE_GRANULARITY=\"%s\" ignored: use BYTE, CACHE_LINE or PAGE", v);
		return 0;
	}
	return 1;
}

enum pmem2_granularity
pmem2_min_granularity(bool byte_always, bool map_sync)
{
	enum pmem2_granularity g;
	if (byte_always)
		return PMEM2_GRANULARITY_BYTE;
	if (pmem2_force_granularity(&g))
		return g;
	if (!map_sync)
		return PMEM2_GRANULARITY_PAGE;
	return pmem2_auto_flush() ? PMEM2_GRANULARITY_BYTE : PMEM2_GRANULARITY_CACHE_LINE;
}

const char *
pmem2_granularity_name(enum pmem2_granularity g)
{
	switch (g) {
	case PMEM2_GRANULARITY_BYTE: return "BYTE";
	case PMEM2_GRANULARITY_CACHE_LINE: return "CACHE_LINE";
	case PMEM2_GRANULARITY_PAGE: return "PAGE";
	}
	return "INVALID";
}

const char *
pmem2_granularity_unavailable_reason(enum pmem2_granularity available)
{
	if (available == PMEM2_GRANULARITY_PAGE)
		return "requested granularity not available because fd doesn't point to DAX-enabled file or kernel doesn't support MAP_SYNC flag (Linux >= 4.15)";
	return "requested granularity not available because the platform doesn't support eADR";
}
