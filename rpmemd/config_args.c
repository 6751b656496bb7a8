/* config_args.c -- rpmemd's command line: getopt_long restarted per pass, never exits, never prints */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "err.h"

/* long-only settings get codes beyond any character */
enum {
	OPT_LOG_FILE = 256,
	OPT_POOLSET_DIR,
	OPT_PERSIST_APM,
	OPT_PERSIST_GENERAL,
	OPT_USE_SYSLOG,
	OPT_LOG_LEVEL,
};

static const struct option Options[] = {
	{"config", required_argument, NULL, 'c'},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},
	{"log-file", required_argument, NULL, OPT_LOG_FILE},
	{"poolset-dir", required_argument, NULL, OPT_POOLSET_DIR},
	{"persist-apm", no_argument, NULL, OPT_PERSIST_APM},
	{"persist-general", no_argument, NULL, OPT_PERSIST_GENERAL},
	{"use-syslog", no_argument, NULL, OPT_USE_SYSLOG},
	{"log-level", required_argument, NULL, OPT_LOG_LEVEL},
	{"nthreads", required_argument, NULL, 't'},
	{"remove", required_argument, NULL, 'r'},
	{"force", no_argument, NULL, 'f'},
	{"pool-set", no_argument, NULL, 's'},
	{NULL, 0, NULL, 0},
};

/*
 * '+': stop at the first operand instead of permuting the caller's argv;
 * ':': report a missing argument as ':' rather than '?'.
 */
static const char Short_options[] = "+:c:hVt:r:fs";

static const char *
long_name(int val)
{
	for (const struct option *o = Options; o->name != NULL; o++) {
		if (o->val == val)
			return o->name;
	}
	return NULL;
}

/* getopt_long returned '?': an unknown option, or an argument to one that takes none */
static int
bad_option(char *argv[], int opt)
{
	const char *name = opt != 0 ? long_name(opt) : NULL;
	if (name != NULL)
		return err_set(-EINVAL, "option --%s takes no argument", name);
	if (opt > 0x20 && opt < 0x7f)
		return err_set(-EINVAL, "unknown option '-%c'", opt);
	if (opt != 0)
		return err_set(-EINVAL, "unknown option 0x%02x", (unsigned)opt & 0xff);
	/* an unknown long option: glibc has already stepped past it */
	return err_set(-EINVAL, "unknown or ambiguous option '%s'", argv[optind - 1]);
}

static int
record_action(struct rpmemd_config *cfg, int opt, const char *arg)
{
	char **field = NULL;
	switch (opt) {
	case 'c':
		field = &cfg->config_file;
		break;
	case 'r':
		field = &cfg->remove;
		break;
	case 'h':
		cfg->help = 1;
		return 0;
	case 'V':
		cfg->version = 1;
		return 0;
	case 'f':
		cfg->force = 1;
		return 0;
	case 's':
		cfg->pool_set = 1;
		return 0;
	default:
		return 0; /* a setting: the second pass applies it */
	}
	if (arg[0] == '\0')
		return err_set(-EINVAL, "option --%s: empty value", long_name(opt));
	char *copy = strdup(arg);
	if (copy == NULL)
		return err_set(-ENOMEM, "out of memory");
	free(*field);
	*field = copy;
	return 0;
}

static int
apply_setting(struct rpmemd_config *cfg, int opt, const char *arg)
{
	if (opt != 't' && opt < OPT_LOG_FILE)
		return 0; /* an action: the first pass recorded it */
	const char *key = long_name(opt);
	char where[64];
	snprintf(where, sizeof(where), "option --%s", key);
	/* a flag option is the file's "key = yes" */
	return rpmemd_config_set(cfg, key, arg != NULL ? arg : "yes", where);
}

static int
each_option(struct rpmemd_config *cfg, int argc, char *argv[],
	int (*fn)(struct rpmemd_config *cfg, int opt, const char *arg))
{
	optind = 0; /* glibc: a full restart, so the parser can run again */
	opterr = 0; /* errors are ours to report, not getopt's to print */
	int opt;
	while ((opt = getopt_long(argc, argv, Short_options, Options, NULL)) != -1) {
		if (opt == '?')
			return bad_option(argv, optopt);
		if (opt == ':')
			return err_set(-EINVAL, "option --%s needs an argument",
				long_name(optopt));
		int ret = fn(cfg, opt, optarg);
		if (ret != 0)
			return ret;
	}
	if (optind < argc)
		return err_set(-EINVAL, "unexpected argument '%s'", argv[optind]);
	return 0;
}

int
rpmemd_config_parse_actions(struct rpmemd_config *cfg, int argc, char *argv[])
{
	return each_option(cfg, argc, argv, record_action);
}

int
rpmemd_config_parse_settings(struct rpmemd_config *cfg, int argc, char *argv[])
{
	return each_option(cfg, argc, argv, apply_setting);
}

void
rpmemd_config_usage(FILE *f)
{
	fprintf(f,
		"usage: rpmemd [options]\n"
		"the remote persistent memory daemon, started by librpmem over ssh\n"
		"\n"
		"  -c, --config <path>      read only this config file (default: "
		RPMEMD_SYSTEM_CONFIG ", then ~/" RPMEMD_USER_CONFIG ")\n"
		"  -h, --help               print this help and exit\n"
		"  -V, --version            print the version and exit\n"
		"      --log-file <path>    log to this file, not syslog (default "
		RPMEMD_DEFAULT_LOG_FILE ")\n"
		"      --poolset-dir <dir>  absolute directory of the pool set files (default $HOME)\n"
		"      --persist-apm        use the appliance persistency method where possible\n"
		"      --persist-general    use the general-purpose persistency method (default)\n"
		"      --use-syslog         log to syslog (default)\n"
		"      --log-level <level>  err, warn, notice, info or debug (default err)\n"
		"  -t, --nthreads <n>       worker threads, 0 for one per lane (default 0)\n"
		"  -r, --remove <poolset>   remove the parts of the pool set and exit\n"
		"  -f, --force              with --remove: ignore missing or broken parts\n"
		"  -s, --pool-set           with --remove: remove the pool set file too\n");
}
