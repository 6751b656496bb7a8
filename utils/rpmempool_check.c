/* rpmempool_check.c -- rpmempool check: is every replica of the pool set good, and if not, what is wrong with each */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "rpmempool.h"

int
cmd_check(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (c == 'h') {
			pool_help();
			return EXIT_OK;
		}
		return pool_bad_option("check", c, argv);
	}
	const char *path = pool_path_arg("check", argc, argv, optind);
	if (path == NULL)
		return EXIT_ERROR;

	struct obj_replica_health *h;
	unsigned n;
	if (pool_health(path, &h, &n) != 0) {
		pool_error("check", "cannot check '%s': %s", path, err_last());
		return EXIT_ERROR;
	}
	unsigned bad = 0;
	for (unsigned r = 0; r < n; r++) {
		if (h[r].state == OBJ_HEALTH_OK)
			continue;
		printf("%s: %s: %s\n", h[r].name, obj_health_state_name(h[r].state), pool_why(&h[r]));
		bad++;
	}
	if (bad == 0)
		printf("%s: consistent (%u replica%s)\n", path, n, n == 1 ? "" : "s");
	else
		printf("%s: not consistent: %u of %u replicas need 'rpmempool sync'\n", path, bad, n);
	free(h);
	return bad == 0 ? EXIT_OK : EXIT_FAILED;
}
