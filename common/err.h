/* err.h -- thread-local last-error message, one per library that links common/ */
#ifndef COMMON_ERR_H
#define COMMON_ERR_H 1

#define ERR_MSG_MAX 1024

/*
 * Records a formatted message as this thread's last error, logs it at level 1
 * and returns ret, so that a failing path reads: return err_set(CODE, "...").
 * errno is preserved.
 */
int err_set(int ret, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* the same, with ": strerror(errnum)" appended */
int err_set_sys(int ret, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * The same as err_set, logged only at the debug level: for outcomes a caller
 * may expect and retry, such as a bounded wait that ran out.
 */
int err_set_quiet(int ret, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * The level at which err_set and err_set_sys log what they record (default
 * 1, the libraries' convention). A program that logs its own decisions
 * about each error, as rpmemd does, lowers it to debug to say things once.
 */
void err_log_at(int level);

/* this thread's last error message; "" when none was recorded */
const char *err_last(void);

#endif /* COMMON_ERR_H */
