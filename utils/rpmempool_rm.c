/* rpmempool_rm.c -- rpmempool rm: a pool's local parts and its remote replicas (through rpmemd) removed, the pool set files too on request */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <unistd.h>

#include "rpmempool.h"

static int
remove_remote(const struct obj_set *os, unsigned r, int force, int poolset)
{
	const struct poolset_replica *sr = &os->set->replicas[r];
	char name[OBJ_NAME_MAX];
	obj_set_name(os, r, 0, name, sizeof(name));
	int flags = (force ? RPMEM_REMOVE_FORCE : 0) | (poolset ? RPMEM_REMOVE_POOL_SET : 0);
	errno = 0;
	if (rpmem_remove(sr->target, sr->set_name, flags) != 0) {
		pool_error("rm", "%s: not removed: %s", name, rpmem_errormsg());
		return -1;
	}
	return 0;
}

static int
remove_local(const struct obj_set *os, unsigned r, int force)
{
	char name[OBJ_NAME_MAX];
	obj_set_name(os, r, 0, name, sizeof(name));
	if (replica_remove(os->set, r, REPLICA_UNCONFINED, name, force) != 0) {
		pool_error("rm", "%s: not removed: %s", name, pool_unnamed(err_last(), name));
		return -1;
	}
	return 0;
}

int
cmd_rm(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "pool-set", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int force = 0, poolset = 0;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "fsh", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			force = 1;
			break;
		case 's':
			poolset = 1;
			break;
		case 'h':
			pool_help();
			return EXIT_OK;
		default:
			return pool_bad_option("rm", c, argv);
		}
	}
	const char *path = pool_path_arg("rm", argc, argv, optind);
	if (path == NULL)
		return EXIT_ERROR;

	struct obj_set os;
	int ret = obj_set_load(path, 0, 0, &os);
	if (ret == -ENOENT && force)
		return EXIT_OK;
	if (ret) {
		pool_error("rm", "%s", err_last());
		return EXIT_ERROR;
	}
	/* the primary first: a pool open anywhere holds its lock, and nothing is removed */
	ret = 0;
	for (unsigned r = 0; ret == 0 && r < os.set->nreplicas; r++)
		ret = os.set->replicas[r].remote ? remove_remote(&os, r, force, poolset) :
			remove_local(&os, r, force);
	if (ret == 0 && poolset && os.is_set && unlink(path) != 0) {
		pool_error("rm", "pool set file '%s' not removed: %m", path);
		ret = -1;
	}
	obj_set_free(&os);
	return ret == 0 ? EXIT_OK : EXIT_FAILED;
}
