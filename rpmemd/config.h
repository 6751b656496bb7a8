/* config.h -- rpmemd's configuration: defaults, config files, command line, in that order */
#ifndef RPMEMD_CONFIG_H
#define RPMEMD_CONFIG_H 1

#include <stddef.h>
#include <stdio.h>

#define RPMEMD_SYSTEM_CONFIG "/etc/rpmemd/rpmemd.conf"
#define RPMEMD_USER_CONFIG ".rpmemd.conf"	/* in the home directory */
#define RPMEMD_DEFAULT_LOG_FILE "/var/log/rpmemd.log"

/* bounds on a config file; longer input is an error, not truncated */
#define RPMEMD_CONFIG_FILE_MAX (64 * 1024)
#define RPMEMD_CONFIG_LINE_MAX 1024	/* newline excluded */
#define RPMEMD_NTHREADS_MAX 1024	/* as many as PMDK's rpmemd allowed lanes */

enum rpmemd_log_level {
	RPMEMD_LOG_ERR,
	RPMEMD_LOG_WARN,
	RPMEMD_LOG_NOTICE,
	RPMEMD_LOG_INFO,
	RPMEMD_LOG_DBG,
};

struct rpmemd_config {
	/* settings: config files and command line */
	char *log_file;
	char *poolset_dir;		/* absolute, $HOME expanded */
	int persist_apm;
	int persist_general;
	int use_syslog;
	enum rpmemd_log_level log_level;
	unsigned nthreads;		/* 0: one per lane */

	/* actions: command line only */
	char *remove;			/* -r: the pool set to remove, NULL otherwise */
	int force;			/* -f: with -r, ignore missing parts */
	int pool_set;			/* -s: with -r, remove the set file too */
	char *config_file;		/* -c: the only file read, NULL otherwise */
	int help;			/* -h: the caller prints rpmemd_config_usage() */
	int version;			/* -V: the caller prints the version */
};

/*
 * Fills cfg: defaults, then /etc/rpmemd/rpmemd.conf and $HOME/.rpmemd.conf
 * (each optional: a missing file is skipped, one that cannot be read is an
 * error), or only the file of -c (which must exist), then the command line.
 * With -h or -V the files are not read (help works beside a broken file).
 * Never exits and never prints; returns 0 or a negative errno with a message
 * in err_last(). Call rpmemd_config_fini() in either case.
 */
int rpmemd_config_read(struct rpmemd_config *cfg, int argc, char *argv[]);

/*
 * rpmemd_config_read() with the default files given (NULL: none), so that tests
 * depend on neither /etc nor the real home directory.
 */
int rpmemd_config_read_files(struct rpmemd_config *cfg, int argc, char *argv[],
	const char *system_path, const char *user_path);

/* the defaults (poolset-dir is the home directory); 0 or a negative errno */
int rpmemd_config_defaults(struct rpmemd_config *cfg);

/*
 * Applies one setting (config file key, or long option without "--") given as
 * text, validated as the file parser does; where ("file:line" or "option")
 * starts the error message. 0 or -EINVAL / -ENOMEM.
 */
int rpmemd_config_set(struct rpmemd_config *cfg, const char *key,
	const char *value, const char *where);

/*
 * Parses the text of a config file (len bytes, need not be NUL-terminated),
 * applying each line to cfg in order. Pure but for the home directory lookup
 * of "$HOME" in path values, so it can be fuzzed. Errors name filename and
 * the line: "<filename>:<line>: unknown key 'dir'".
 */
int rpmemd_config_parse_text(struct rpmemd_config *cfg, const char *text,
	size_t len, const char *filename);

/* reads and applies the file at path; a missing file is an error only when must_exist */
int rpmemd_config_read_file(struct rpmemd_config *cfg, const char *path,
	int must_exist);

/*
 * The command line in two passes over argv (options only: rpmemd takes no
 * operands), because -c must be known before the files are read and the
 * settings must apply after them. parse_actions checks every option and
 * records the actions (-c -r -f -s -h -V); parse_settings applies the
 * settings in argv order. Each restarts getopt, so both may be called again.
 */
int rpmemd_config_parse_actions(struct rpmemd_config *cfg, int argc,
	char *argv[]);
int rpmemd_config_parse_settings(struct rpmemd_config *cfg, int argc,
	char *argv[]);

/*
 * The home directory: $HOME when set and not empty, else the passwd entry of
 * the real user; NULL when neither exists. The string is thread-local,
 * valid until the next call in the same thread.
 */
const char *rpmemd_config_home(void);

/*
 * Copies value with each "$HOME" not followed by a letter or a digit replaced
 * by the home directory ("$HOMEsuffix" stays literal). Returns a malloc'ed
 * string, or NULL with *ret = -ENOENT (no home directory), -ENAMETOOLONG
 * (longer than PATH_MAX) or -ENOMEM; records no message (the caller knows
 * which setting it was).
 */
char *rpmemd_config_expand_home(const char *value, int *ret);

const char *rpmemd_config_log_level_name(enum rpmemd_log_level level);

/* prints the effective settings as config file lines (so the dump reads back) */
void rpmemd_config_dump(const struct rpmemd_config *cfg, FILE *f);

/* prints the help text: one line per option */
void rpmemd_config_usage(FILE *f);

/* frees what cfg holds; cfg may be zeroed, partly or fully set */
void rpmemd_config_fini(struct rpmemd_config *cfg);

#endif /* RPMEMD_CONFIG_H */
