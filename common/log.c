/* log.c -- leveled logging configured from the environment, in every build */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "log_syslog.h"

int Log_level;

static FILE *Log_file;
static int Log_syslog;
static const char *Log_ident = "";
static pthread_mutex_t Log_lock = PTHREAD_MUTEX_INITIALIZER;

static int
parse_level(const char *s)
{
	if (s == NULL || *s == '\0')
		return LOG_NONE;
	char *end;
	long v = strtol(s, &end, 10);
	if (*end != '\0' || v < 0)
		return LOG_NONE;
	return v > LOG_DEBUG ? LOG_DEBUG : (int)v;
}

static FILE *
open_log_file(const char *name)
{
	char path[PATH_MAX];
	size_t len = strlen(name);
	if (len > 0 && name[len - 1] == '-')
		snprintf(path, sizeof(path), "%s%d", name, (int)getpid());
	else
		snprintf(path, sizeof(path), "%s", name);
	FILE *f = fopen(path, "ae");
	if (f != NULL)
		setvbuf(f, NULL, _IOLBF, 0);
	return f;
}

void
log_init(const char *ident, const char *level_env, const char *file_env)
{
	Log_ident = ident;
	Log_level = parse_level(secure_getenv(level_env));
	const char *file = secure_getenv(file_env);
	if (Log_level > LOG_NONE && file != NULL && *file != '\0') {
		Log_file = open_log_file(file);
		if (Log_file == NULL)
			fprintf(stderr, "<%s>: cannot open log file %s, logging to stderr\n",
				ident, file);
	}
}

int
log_to_file(const char *ident, const char *path, int level)
{
	FILE *f = open_log_file(path);
	if (f == NULL)
		return -errno;
	log_fini();
	Log_ident = ident;
	Log_file = f;
	Log_level = level;
	return 0;
}

void
log_to_syslog(const char *ident, int level)
{
	log_fini();
	Log_ident = ident;
	log_syslog_open(ident);
	Log_syslog = 1;
	Log_level = level;
}

void
log_fini(void)
{
	if (Log_file != NULL) {
		fclose(Log_file);
		Log_file = NULL;
	}
	if (Log_syslog) {
		log_syslog_close();
		Log_syslog = 0;
	}
	Log_level = LOG_NONE;
}

void
log_write(int level, const char *file, int line, const char *func,
	const char *fmt, ...)
{
	char msg[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* text from peers (pool set names, reasons) must not forge log lines */
	for (char *c = msg; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';

	const char *base = file ? strrchr(file, '/') : NULL;
	base = base ? base + 1 : file;

	if (Log_syslog) {
		log_syslog_write(level, msg);
		return;
	}
	pthread_mutex_lock(&Log_lock);
	FILE *out = Log_file ? Log_file : stderr;
	if (base != NULL)
		fprintf(out, "<%s>: <%d> [%s:%d %s] %s\n", Log_ident, level, base,
			line, func, msg);
	else
		fprintf(out, "<%s>: <%d> %s\n", Log_ident, level, msg);
	pthread_mutex_unlock(&Log_lock);
}
