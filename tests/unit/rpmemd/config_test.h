/* config_test.h -- helpers of the rpmemd configuration tests: argv building, files, dumps */
#ifndef RPMEMD_CONFIG_TEST_H
#define RPMEMD_CONFIG_TEST_H 1

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_common.h"
#include "config.h"
#include "err.h"

/* rpmemd_config_read_files() on "rpmemd" followed by the given arguments */
#define READ_ARGS(cfg, sys, user, ...) \
	read_args((cfg), (sys), (user), (char *[]){"rpmemd", __VA_ARGS__, NULL})

static inline int
read_args(struct rpmemd_config *cfg, const char *sys, const char *user,
	char *argv[])
{
	int argc = 0;
	while (argv[argc] != NULL)
		argc++;
	return rpmemd_config_read_files(cfg, argc, argv, sys, user);
}

/* writes text to a new file in the test's temp dir; path gets its name (PATH_MAX) */
static inline void
write_config(char *path, const char *text)
{
	int fd = test_tmpfile(test_tmpdir(), 0, O_RDWR, path);
	size_t len = strlen(text);
	if (write(fd, text, len) != (ssize_t)len)
		fail_msg("write %s failed", path);
	close(fd);
}

/* the dump as a malloc'ed string */
static inline char *
dump_config(const struct rpmemd_config *cfg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	rpmemd_config_dump(cfg, f);
	fclose(f);
	return buf;
}

static inline void
assert_dump(const struct rpmemd_config *cfg, const char *log_file,
	const char *poolset_dir, const char *apm, const char *general,
	const char *syslog, const char *level, unsigned nthreads)
{
	char want[3 * PATH_MAX];
	snprintf(want, sizeof(want),
		"log-file = %s\npoolset-dir = %s\npersist-apm = %s\n"
		"persist-general = %s\nuse-syslog = %s\nlog-level = %s\n"
		"nthreads = %u\n", log_file, poolset_dir, apm, general, syslog,
		level, nthreads);
	char *got = dump_config(cfg);
	assert_string_equal(got, want);
	free(got);
}

/* the failing call's return code and exact message */
#define assert_fails(call, code, msg) do { \
	int ret_ = (call); \
	if (ret_ != (code)) \
		fail_msg("%s = %d (%s), expected %d", #call, ret_, err_last(), (code)); \
	assert_string_equal(err_last(), (msg)); \
} while (0)

#define assert_succeeds(call) do { \
	int ret_ = (call); \
	if (ret_ != 0) \
		fail_msg("%s = %d: %s", #call, ret_, err_last()); \
} while (0)

#endif /* RPMEMD_CONFIG_TEST_H */
