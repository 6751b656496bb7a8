/* config.c -- rpmemd's settings: defaults, one validated setter shared by files and options, dump */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "err.h"
#include "util.h"

static const char *const Level_names[] = {
	[RPMEMD_LOG_ERR] = "err",
	[RPMEMD_LOG_WARN] = "warn",
	[RPMEMD_LOG_NOTICE] = "notice",
	[RPMEMD_LOG_INFO] = "info",
	[RPMEMD_LOG_DBG] = "debug",
};

const char *
rpmemd_config_log_level_name(enum rpmemd_log_level level)
{
	if ((unsigned)level >= ARRAY_SIZE(Level_names))
		return "?";
	return Level_names[level];
}

int
rpmemd_config_defaults(struct rpmemd_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->persist_general = 1;
	cfg->use_syslog = 1;
	cfg->log_level = RPMEMD_LOG_ERR;
	cfg->log_file = strdup(RPMEMD_DEFAULT_LOG_FILE);
	if (cfg->log_file == NULL)
		return err_set(-ENOMEM, "out of memory");

	/* no home is not an error yet: a config file may set poolset-dir */
	const char *home = rpmemd_config_home();
	if (home != NULL) {
		cfg->poolset_dir = strdup(home);
		if (cfg->poolset_dir == NULL)
			return err_set(-ENOMEM, "out of memory");
	}
	return 0;
}

/* replaces *field by value with $HOME expanded */
static int
set_path(char **field, const char *value, const char *where)
{
	int ret;
	char *path = rpmemd_config_expand_home(value, &ret);
	if (path == NULL && ret == -ENOENT)
		return err_set(ret, "%s: cannot expand $HOME in '%s': HOME is not set and the user has no passwd entry",
			where, value);
	if (path == NULL && ret == -ENAMETOOLONG)
		return err_set(ret, "%s: '%s' with $HOME expanded is longer than PATH_MAX",
			where, value);
	if (path == NULL)
		return err_set(ret, "out of memory");
	free(*field);
	*field = path;
	return 0;
}

static int
set_log_file(struct rpmemd_config *cfg, const char *value, const char *where)
{
	int ret = set_path(&cfg->log_file, value, where);
	if (ret != 0)
		return ret;
	/*
	 * As in PMDK, naming a log file means logging to it, so syslog goes
	 * off. Settings apply in the order they are read (system file, user
	 * file or -c file, then the command line, each first to last): a
	 * use-syslog read after log-file turns syslog back on.
	 */
	cfg->use_syslog = 0;
	return 0;
}

static int
set_poolset_dir(struct rpmemd_config *cfg, const char *value, const char *where)
{
	int ret = set_path(&cfg->poolset_dir, value, where);
	if (ret != 0)
		return ret;
	if (cfg->poolset_dir[0] != '/')
		return err_set(-EINVAL, "%s: poolset-dir '%s' is not an absolute path",
			where, cfg->poolset_dir);
	return 0;
}

static int
parse_bool(int *field, const char *key, const char *value, const char *where)
{
	if (strcmp(value, "yes") == 0)
		*field = 1;
	else if (strcmp(value, "no") == 0)
		*field = 0;
	else
		return err_set(-EINVAL, "%s: invalid value '%s' for %s (yes or no)",
			where, value, key);
	return 0;
}

static int
set_persist_apm(struct rpmemd_config *cfg, const char *value, const char *where)
{
	return parse_bool(&cfg->persist_apm, "persist-apm", value, where);
}

static int
set_persist_general(struct rpmemd_config *cfg, const char *value,
	const char *where)
{
	return parse_bool(&cfg->persist_general, "persist-general", value, where);
}

static int
set_use_syslog(struct rpmemd_config *cfg, const char *value, const char *where)
{
	return parse_bool(&cfg->use_syslog, "use-syslog", value, where);
}

static int
set_log_level(struct rpmemd_config *cfg, const char *value, const char *where)
{
	for (size_t i = 0; i < ARRAY_SIZE(Level_names); i++) {
		if (strcmp(value, Level_names[i]) == 0) {
			cfg->log_level = (enum rpmemd_log_level)i;
			return 0;
		}
	}
	return err_set(-EINVAL,
		"%s: invalid log level '%s' (err, warn, notice, info or debug)",
		where, value);
}

/* decimal digits only: no sign, no spaces, no base prefix */
static int
set_nthreads(struct rpmemd_config *cfg, const char *value, const char *where)
{
	unsigned long v = 0;
	for (const char *p = value; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			return err_set(-EINVAL, "%s: invalid number of threads '%s'",
				where, value);
		if (v <= RPMEMD_NTHREADS_MAX) /* saturates */
			v = v * 10 + (unsigned long)(*p - '0');
	}
	if (v > RPMEMD_NTHREADS_MAX)
		return err_set(-EINVAL,
			"%s: number of threads '%s' is too large (at most %d)",
			where, value, RPMEMD_NTHREADS_MAX);
	cfg->nthreads = (unsigned)v;
	return 0;
}

static const struct {
	const char *key;
	int (*set)(struct rpmemd_config *cfg, const char *value, const char *where);
} Settings[] = {
	{"log-file", set_log_file},
	{"poolset-dir", set_poolset_dir},
	{"persist-apm", set_persist_apm},
	{"persist-general", set_persist_general},
	{"use-syslog", set_use_syslog},
	{"log-level", set_log_level},
	{"nthreads", set_nthreads},
};

/*
 * Values never hold whitespace or control characters, whatever their
 * source: in a file, "value ; note" is far more often a mistaken comment
 * than a path with spaces, and a path with a newline only does harm in logs.
 */
static int
check_value(const char *key, const char *value, const char *where)
{
	if (value[0] == '\0')
		return err_set(-EINVAL, "%s: empty value for %s", where, key);
	for (const char *p = value; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == ' ' || c == '\t')
			return err_set(-EINVAL,
				"%s: whitespace inside the value '%s' of %s (comments start with '#')",
				where, value, key);
		if (c < 0x20 || c == 0x7f)
			return err_set(-EINVAL,
				"%s: control character 0x%02x in the value of %s",
				where, c, key);
	}
	return 0;
}

int
rpmemd_config_set(struct rpmemd_config *cfg, const char *key,
	const char *value, const char *where)
{
	for (size_t i = 0; i < ARRAY_SIZE(Settings); i++) {
		if (strcmp(key, Settings[i].key) != 0)
			continue;
		int ret = check_value(key, value, where);
		if (ret != 0)
			return ret;
		return Settings[i].set(cfg, value, where);
	}
	return err_set(-EINVAL, "%s: unknown key '%s'", where, key);
}

/* what must hold once every source was read */
static int
check_final(const struct rpmemd_config *cfg)
{
	if (cfg->poolset_dir == NULL)
		return err_set(-EINVAL,
			"no poolset-dir: it is not configured and there is no home directory");
	if (cfg->poolset_dir[0] != '/')
		return err_set(-EINVAL, "poolset-dir '%s' is not an absolute path",
			cfg->poolset_dir);
	if ((cfg->force || cfg->pool_set) && cfg->remove == NULL)
		return err_set(-EINVAL, "--force and --pool-set are valid only with --remove");
	return 0;
}

int
rpmemd_config_read_files(struct rpmemd_config *cfg, int argc, char *argv[],
	const char *system_path, const char *user_path)
{
	int ret = rpmemd_config_defaults(cfg);
	if (ret == 0)
		ret = rpmemd_config_parse_actions(cfg, argc, argv);
	if (ret != 0)
		return ret;
	/* help and version must work beside a broken config file */
	if (cfg->help || cfg->version)
		return 0;

	if (cfg->config_file != NULL) {
		ret = rpmemd_config_read_file(cfg, cfg->config_file, 1);
	} else {
		if (system_path != NULL)
			ret = rpmemd_config_read_file(cfg, system_path, 0);
		if (ret == 0 && user_path != NULL)
			ret = rpmemd_config_read_file(cfg, user_path, 0);
	}
	if (ret == 0)
		ret = rpmemd_config_parse_settings(cfg, argc, argv);
	if (ret == 0)
		ret = check_final(cfg);
	return ret;
}

int
rpmemd_config_read(struct rpmemd_config *cfg, int argc, char *argv[])
{
	char user_path[PATH_MAX];
	const char *home = rpmemd_config_home();
	int n = -1;
	if (home != NULL)
		n = snprintf(user_path, sizeof(user_path), "%s/%s", home,
			RPMEMD_USER_CONFIG);
	/* no home, or one too long for a path: there is no user file to read */
	const char *user = n > 0 && (size_t)n < sizeof(user_path) ? user_path : NULL;
	return rpmemd_config_read_files(cfg, argc, argv, RPMEMD_SYSTEM_CONFIG, user);
}

void
rpmemd_config_dump(const struct rpmemd_config *cfg, FILE *f)
{
	/* log-file before use-syslog: read back, the dump gives the same settings */
	fprintf(f, "log-file = %s\n", cfg->log_file != NULL ? cfg->log_file : "");
	fprintf(f, "poolset-dir = %s\n",
		cfg->poolset_dir != NULL ? cfg->poolset_dir : "");
	fprintf(f, "persist-apm = %s\n", cfg->persist_apm ? "yes" : "no");
	fprintf(f, "persist-general = %s\n", cfg->persist_general ? "yes" : "no");
	fprintf(f, "use-syslog = %s\n", cfg->use_syslog ? "yes" : "no");
	fprintf(f, "log-level = %s\n", rpmemd_config_log_level_name(cfg->log_level));
	fprintf(f, "nthreads = %u\n", cfg->nthreads);
}

void
rpmemd_config_fini(struct rpmemd_config *cfg)
{
	free(cfg->log_file);
	free(cfg->poolset_dir);
	free(cfg->remove);
	free(cfg->config_file);
	memset(cfg, 0, sizeof(*cfg));
}
