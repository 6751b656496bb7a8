/* errormsg.c -- pmemobj_errormsg and how calls fail: errno plus this thread's message */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "obj_pool.h"

const char *
pmemobj_errormsg(void)
{
	return err_last();
}

int
obj_fail(int errnum, const char *fmt, ...)
{
	char msg[ERR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	err_set(-1, "%s", msg);
	errno = errnum;
	return -1;
}
