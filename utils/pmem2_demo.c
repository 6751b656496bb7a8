/* pmem2_demo.c -- the project's main job in miniature: map a file, copy and persist through libpmem2 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpmem2.h>

static const char *
granularity_name(enum pmem2_granularity g)
{
	switch (g) {
	case PMEM2_GRANULARITY_BYTE: return "byte";
	case PMEM2_GRANULARITY_CACHE_LINE: return "cache line";
	case PMEM2_GRANULARITY_PAGE: return "page";
	}
	return "?";
}

int
main(int argc, char *argv[])
{
	const char *path = argc > 1 ? argv[1] : "/tmp/pmem2_demo.pool";
	const size_t size = 4 << 20;
	int ret = 1;

	int fd = open(path, O_RDWR | O_CREAT, 0600);
	if (fd < 0 || ftruncate(fd, size) != 0) {
		perror(path);
		return 1;
	}

	struct pmem2_config *cfg = NULL;
	struct pmem2_source *src = NULL;
	struct pmem2_map *map = NULL;
	if (pmem2_config_new(&cfg) ||
	    pmem2_config_set_required_store_granularity(cfg, PMEM2_GRANULARITY_PAGE) ||
	    pmem2_source_from_fd(&src, fd) ||
	    pmem2_map_new(&map, cfg, src)) {
		pmem2_perror("cannot map %s", path);
		goto out;
	}

	char *addr = pmem2_map_get_address(map);
	printf("mapped %s: %zu bytes at %p, store granularity: %s\n", path,
		pmem2_map_get_size(map), (void *)addr,
		granularity_name(pmem2_map_get_store_granularity(map)));

	const char msg[] = "hello, persistent world";
	pmem2_memcpy_fn memcpy_fn = pmem2_get_memcpy_fn(map);
	memcpy_fn(addr, msg, sizeof(msg), 0);
	printf("copied %zu bytes with pmem2_memcpy_fn (persistent on return)\n",
		sizeof(msg));

	pmem2_memset_fn memset_fn = pmem2_get_memset_fn(map);
	memset_fn(addr + 4096, 0x5a, 64 << 10, PMEM2_F_MEM_NONTEMPORAL);
	printf("set 65536 bytes to 0x5a with non-temporal stores\n");

	addr[1 << 20] = 'x';
	pmem2_get_persist_fn(map)(addr + (1 << 20), 1);
	printf("stored one byte and persisted it with pmem2_persist_fn\n");

	int r = pmem2_deep_flush(map, addr, 4096);
	printf("deep flush of the first page: %s\n", r == 0 ? "ok" : pmem2_errormsg());

	printf("read back: \"%s\"\n", addr);
	ret = 0;
out:
	pmem2_map_delete(&map);
	pmem2_source_delete(&src);
	pmem2_config_delete(&cfg);
	close(fd);
	unlink(path);
	return ret;
}
