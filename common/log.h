/* log.h -- leveled logging to stderr or a file, configured from <LIB>_LOG_LEVEL / <LIB>_LOG_FILE */
#ifndef COMMON_LOG_H
#define COMMON_LOG_H 1

enum log_level {
	LOG_NONE = 0,
	LOG_ERROR = 1,	/* every error recorded with err_set() */
	LOG_WARN = 2,	/* unusual conditions that are handled */
	LOG_INFO = 3,	/* decisions: chosen kernels, granularity, paths */
	LOG_DEBUG = 4,	/* per-call tracing */
};

/* the level in force; read without a call so that disabled logging costs one compare */
extern int Log_level;

/*
 * Reads the level (0..4; larger values mean 4) and the file name from the
 * given environment variables. A file name ending in '-' gets the process id
 * appended, as in PMDK. Without a file, messages go to stderr.
 * ident prefixes every line, e.g. "libpmem2".
 */
void log_init(const char *ident, const char *level_env, const char *file_env);
void log_fini(void);

/* for programs with their own settings (rpmemd): all lines to the file, or to syslog */
int log_to_file(const char *ident, const char *path, int level);
void log_to_syslog(const char *ident, int level);

/* file NULL: a line without the source location (errors recorded by err.c) */
void log_write(int level, const char *file, int line, const char *func,
	const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#define log_msg(level, ...) do { \
	if ((level) <= Log_level) \
		log_write((level), __FILE__, __LINE__, __func__, __VA_ARGS__); \
} while (0)

#endif /* COMMON_LOG_H */
