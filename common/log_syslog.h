/* log_syslog.h -- the syslog sink of common/log, apart because <syslog.h> names clash with log.h's levels */
#ifndef COMMON_LOG_SYSLOG_H
#define COMMON_LOG_SYSLOG_H 1

void log_syslog_open(const char *ident);
void log_syslog_close(void);
/* level is one of log.h's levels (1 error .. 4 debug) */
void log_syslog_write(int level, const char *msg);

#endif /* COMMON_LOG_SYSLOG_H */
