/* rpmempool_create.c -- rpmempool create: a pool made as pmemobj_create makes it, from a pool set file or as a single file */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include <libpmemobj.h>

#include "rpmempool.h"

/* an octal mode of at most 07777 */
static int
parse_mode(const char *s, mode_t *mode)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 8);
	if (errno != 0 || end == s || *end != '\0' || s[0] == '-' || v > 07777)
		return -1;
	*mode = (mode_t)v;
	return 0;
}

int
cmd_create(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "layout", required_argument, NULL, 'l' },
		{ "size", required_argument, NULL, 's' },
		{ "mode", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *layout = NULL;
	size_t size = 0;
	mode_t mode = 0600;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":l:s:m:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'l':
			layout = optarg;
			break;
		case 's':
			if (pool_parse_size(optarg, &size) != 0)
				return pool_usage_error("create",
					"size '%s' is not a size (digits with an optional K, M, G, T suffix)",
					optarg);
			break;
		case 'm':
			if (parse_mode(optarg, &mode) != 0)
				return pool_usage_error("create",
					"mode '%s' is not an octal file mode (such as 0600)", optarg);
			break;
		case 'h':
			pool_help();
			return EXIT_OK;
		default:
			return pool_bad_option("create", c, argv);
		}
	}
	const char *path = pool_path_arg("create", argc, argv, optind);
	if (path == NULL)
		return EXIT_ERROR;

	/* the path as pmemobj_create reads it: a malformed set file is the user's input error */
	struct obj_set os;
	if (obj_set_load(path, size, 1, &os) != 0) {
		pool_error("create", "%s", err_last());
		return EXIT_ERROR;
	}
	unsigned nreplicas = os.set->nreplicas;
	obj_set_free(&os);

	PMEMobjpool *pop = pmemobj_create(path, layout, size, mode);
	if (pop == NULL) {
		pool_error("create", "'%s' not created: %s", path, pmemobj_errormsg());
		return EXIT_FAILED;
	}
	pmemobj_close(pop);
	printf("%s: created with %u replica%s\n", path, nreplicas, nreplicas == 1 ? "" : "s");
	return EXIT_OK;
}
