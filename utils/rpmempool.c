/* rpmempool.c -- rpmempool, the pool tool for replicated pools: its commands, --help and --version */
#include <stdio.h>
#include <string.h>

#include "rpmempool.h"

static const char Usage[] =
	"usage: rpmempool COMMAND [OPTIONS] PATH\n"
	"       rpmempool -h | --help | -V | --version\n"
	"PATH is a pool set file or a single pool file of libpmemobj core.\n"
	"\n"
	"commands:\n"
	"  create [-l LAYOUT] [-s SIZE] [-m MODE] PATH\n"
	"        make a pool as pmemobj_create(3) does\n"
	"        -l, --layout LAYOUT  the layout name (default none)\n"
	"        -s, --size SIZE      pool size of a single file (8M, 1G...); not for a pool set\n"
	"        -m, --mode MODE      octal mode of the files made (default 0600)\n"
	"  info [-j] PATH\n"
	"        the pool set, every replica, its headers, health and stale marks\n"
	"        -j, --json           one JSON object instead of text\n"
	"  check PATH\n"
	"        exit 0 when every replica is consistent, 1 when not (a line per problem)\n"
	"  sync [-p] [-n] PATH\n"
	"        rebuild every missing, damaged, foreign or stale replica from a good one\n"
	"        -p, --progress       progress lines on stderr (default when it is a terminal)\n"
	"        -n, --dry-run        say what would be rebuilt, change nothing\n"
	"  rm [-f] [-s] PATH\n"
	"        remove the local parts and the remote replicas (through rpmemd)\n"
	"        -f, --force          ignore missing parts and replicas\n"
	"        -s, --pool-set       also remove the pool set files (local and remote)\n"
	"\n"
	"every command: -h, --help prints this text\n"
	"exit status: 0 done (check: consistent), 1 failed (check: not consistent),\n"
	"2 bad usage or the pool cannot be looked at\n";

static const struct {
	const char *name;
	int (*run)(int argc, char *argv[]);
} Commands[] = {
	{ "create", cmd_create },
	{ "info", cmd_info },
	{ "check", cmd_check },
	{ "sync", cmd_sync },
	{ "rm", cmd_rm },
};

void
pool_help(void)
{
	fputs(Usage, stdout);
}

int
main(int argc, char *argv[])
{
	if (argc < 2) {
		fputs(Usage, stderr);
		return EXIT_ERROR;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0) {
		pool_help();
		return EXIT_OK;
	}
	if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
		printf("rpmempool version %s\n", RPMEMPOOL_VERSION);
		return EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(Commands) / sizeof(Commands[0]); i++)
		if (strcmp(cmd, Commands[i].name) == 0)
			return Commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "rpmempool: unknown command '%s' (one of create, info, check, sync, rm)\n"
		"try 'rpmempool --help'\n", cmd);
	return EXIT_ERROR;
}
