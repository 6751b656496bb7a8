/* errormsg.c -- pmem2_errormsg, pmem2_perror and pmem2_err_to_errno */
#include <stdarg.h>
#include <stdio.h>

#include "pmem2.h"

const char *
pmem2_errormsg(void)
{
	return err_last();
}

int
pmem2_err_to_errno(int err)
{
	if (err > 0)
		return EINVAL;	/* not an error code at all; PMDK aborts here */
	if (err == PMEM2_E_NOSUPP)
		return ENOTSUP;
	if (err <= PMEM2_E_UNKNOWN)
		return EINVAL;
	return -err;
}

void
pmem2_perror(const char *format, ...)
{
	char prefix[ERR_MSG_MAX];
	va_list ap;
	va_start(ap, format);
	vsnprintf(prefix, sizeof(prefix), format, ap);
	va_end(ap);
	fprintf(stderr, "%s: %s\n", prefix, err_last());
}
