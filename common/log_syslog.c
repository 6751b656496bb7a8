/* log_syslog.c -- sends log lines to syslog (LOG_USER, with the pid) at the matching priority */
#include <syslog.h>

#include "log_syslog.h"

void
log_syslog_open(const char *ident)
{
	openlog(ident, LOG_PID, LOG_USER);
}

void
log_syslog_close(void)
{
	closelog();
}

void
log_syslog_write(int level, const char *msg)
{
	static const int prio[] = { LOG_ERR, LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG };
	int p = level < 0 ? LOG_ERR : level > 4 ? LOG_DEBUG : prio[level];
	syslog(p, "%s", msg);
}
