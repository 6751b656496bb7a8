/* rpmempool_args.c -- what every rpmempool command does with its arguments: messages, usage errors, the PATH operand, sizes */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rpmempool.h"

static void __attribute__((format(printf, 2, 0)))
say(const char *cmd, const char *fmt, va_list ap)
{
	fprintf(stderr, "rpmempool %s: ", cmd);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
pool_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say(cmd, fmt, ap);
	va_end(ap);
}

int
pool_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say(cmd, fmt, ap);
	va_end(ap);
	fprintf(stderr, "try 'rpmempool %s --help'\n", cmd);
	return EXIT_ERROR;
}

int
pool_bad_option(const char *cmd, int c, char *argv[])
{
	/* optind is past the offending word: getopt reports it there */
	const char *word = argv[optind - 1];
	if (c == ':')
		return pool_usage_error(cmd, "option '%s' needs a value", word);
	if (optopt != 0 && strncmp(word, "--", 2) != 0)
		return pool_usage_error(cmd, "unknown option '-%c'", optopt);
	return pool_usage_error(cmd, "unknown option '%s'", word);
}

const char *
pool_path_arg(const char *cmd, int argc, char *argv[], int first)
{
	if (first >= argc) {
		pool_usage_error(cmd, "PATH (a pool set file or a pool file) is missing");
		return NULL;
	}
	if (first + 1 < argc) {
		pool_usage_error(cmd, "one PATH expected, '%s' is one too many", argv[first + 1]);
		return NULL;
	}
	if (argv[first][0] == '\0') {
		pool_usage_error(cmd, "PATH is empty");
		return NULL;
	}
	return argv[first];
}

/* the units pool set files take (poolset(5)): binary with or without "iB", decimal with "B" */
static uint64_t
unit(const char *u)
{
	static const char binary[] = "KMGTP";
	static const char decimal[] = "kMGTP";
	if (u[0] == '\0' || strcmp(u, "B") == 0)
		return 1;
	const char *b = strchr(binary, u[0]);
	const char *d = strchr(decimal, u[0]);
	if (b != NULL && (u[1] == '\0' || strcmp(u + 1, "iB") == 0))
		return 1ull << (10 * (b - binary + 1));
	if (d != NULL && strcmp(u + 1, "B") == 0) {
		uint64_t m = 1;
		for (long i = 0; i <= d - decimal; i++)
			m *= 1000;
		return m;
	}
	return 0;
}

int
pool_parse_size(const char *s, size_t *out)
{
	if (s[0] < '0' || s[0] > '9')
		return -1;
	errno = 0;
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	uint64_t m = unit(end);
	if (errno != 0 || m == 0 || v > SIZE_MAX / m)
		return -1;
	*out = (size_t)(v * m);
	return 0;
}
