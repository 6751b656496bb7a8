/* errormsg.c -- rpmem_errormsg and how the API functions fail: errno plus a message naming the function */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rpmem.h"

const char *
rpmem_errormsg(void)
{
	return err_last();
}

int
rpmem_fail(const char *func, int errnum, const char *fmt, ...)
{
	char msg[ERR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	err_set(-1, "%s: %s", func, msg);
	errno = errnum;
	return -1;
}

void
rpmem_last_copy(char *buf, size_t size)
{
	snprintf(buf, size, "%s", err_last());
}

int
rpmem_fail_last(const char *func, int ret)
{
	char msg[ERR_MSG_MAX];
	rpmem_last_copy(msg, sizeof(msg));
	int errnum = ret < 0 ? -ret : EINVAL;
	if (msg[0] == '\0')
		snprintf(msg, sizeof(msg), "%s", strerror(errnum));
	return rpmem_fail(func, errnum, "%s", msg);
}
