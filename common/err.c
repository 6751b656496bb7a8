/* err.c -- thread-local last-error message: record, format and read back */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "log.h"

static __thread char Last_error[ERR_MSG_MAX];
static int Err_log_level = LOG_ERROR;

void
err_log_at(int level)
{
	Err_log_level = level;
}

__attribute__((format(printf, 3, 0))) static void
record(int level, int errnum, const char *fmt, va_list ap)
{
	int n = vsnprintf(Last_error, sizeof(Last_error), fmt, ap);
	if (n < 0)
		n = 0;
	if (errnum != 0 && (size_t)n < sizeof(Last_error)) {
		char buf[128];
		const char *s = strerror_r(errnum, buf, sizeof(buf));
		snprintf(Last_error + n, sizeof(Last_error) - (size_t)n, ": %s", s);
	}
	/* where err.c was called from is in the message itself, not in err.c */
	if (level <= Log_level)
		log_write(level, NULL, 0, NULL, "%s", Last_error);
}

int
err_set(int ret, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;
	va_start(ap, fmt);
	record(Err_log_level, 0, fmt, ap);
	va_end(ap);
	errno = saved;
	return ret;
}

int
err_set_sys(int ret, int errnum, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;
	va_start(ap, fmt);
	record(Err_log_level, errnum, fmt, ap);
	va_end(ap);
	errno = saved;
	return ret;
}

int
err_set_quiet(int ret, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;
	va_start(ap, fmt);
	record(LOG_DEBUG, 0, fmt, ap);
	va_end(ap);
	errno = saved;
	return ret;
}

const char *
err_last(void)
{
	return Last_error;
}
