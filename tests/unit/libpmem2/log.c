/* log.c -- PMEM2_LOG_LEVEL / PMEM2_LOG_FILE are honoured in the release build */
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libpmem2.h>

#include "test_common.h"

/* this program's path: /proc/self/exe would be valgrind under TEST_WRAPPER */
static const char *Self;

/* what the child does, with the log environment it was given */
static int
child_main(const char *what)
{
	struct pmem2_config *cfg;
	if (pmem2_config_new(&cfg))
		return 1;
	if (strcmp(what, "error") == 0) {
		int ret = pmem2_config_set_offset(cfg, (size_t)INT64_MAX + 1);
		pmem2_config_delete(&cfg);
		return ret == PMEM2_E_OFFSET_OUT_OF_RANGE ? 0 : 1;
	}

	int fd = test_tmpfile(NULL, 1 << 20, O_RDWR, NULL);
	struct pmem2_source *src;
	struct pmem2_map *map;
	if (pmem2_source_from_fd(&src, fd) ||
	    pmem2_config_set_required_store_granularity(cfg, PMEM2_GRANULARITY_PAGE) ||
	    pmem2_map_new(&map, cfg, src))
		return 1;
	pmem2_map_delete(&map);
	pmem2_source_delete(&src);
	pmem2_config_delete(&cfg);
	close(fd);
	return 0;
}

/* runs this program as a child doing `what` with the given log settings; returns its pid */
static pid_t
run_child(const char *what, const char *level, const char *file)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (level)
			setenv("PMEM2_LOG_LEVEL", level, 1);
		else
			unsetenv("PMEM2_LOG_LEVEL");
		if (file)
			setenv("PMEM2_LOG_FILE", file, 1);
		else
			unsetenv("PMEM2_LOG_FILE");
		execl(Self, Self, "--child", what, (char *)NULL);
		_exit(127);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	return pid;
}

static char *
log_path(const char *name)
{
	static char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/%s", test_tmpdir(), name);
	return path;
}

static char *
read_log(const char *path)
{
	size_t len;
	char *s = test_read_file(path, &len);
	s[len] = '\0';
	unlink(path);
	return s;
}

static void
level_3_logs_the_granularity_decision_to_the_file(void **state)
{
	char *path = log_path("info.log");
	run_child("map", "3", path);
	char *log = read_log(path);
	assert_non_null(strstr(log, "<libpmem2>: <3>"));
	assert_non_null(strstr(log, "granularity PAGE"));
	free(log);
}

static void
errors_are_logged_at_level_1_with_their_message(void **state)
{
	char *path = log_path("error.log");
	run_child("error", "1", path);
	char *log = read_log(path);
	assert_non_null(strstr(log, "<libpmem2>: <1>"));
	assert_non_null(strstr(log, "offset is greater than INT64_MAX"));
	/* level 1 shows errors only, not decisions */
	assert_null(strstr(log, "<3>"));
	free(log);
}

static void
file_name_ending_in_dash_gets_the_pid_appended(void **state)
{
	char prefix[PATH_MAX];
	snprintf(prefix, sizeof(prefix), "%s", log_path("pid.log-"));
	pid_t pid = run_child("map", "3", prefix);
	char path[PATH_MAX + 16];
	snprintf(path, sizeof(path), "%s%d", prefix, (int)pid);
	char *log = read_log(path);
	assert_non_null(strstr(log, "granularity PAGE"));
	free(log);
}

static void
level_0_or_garbage_writes_no_file(void **state)
{
	const char *levels[] = { "0", "abc", "-1", "" };
	for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
		char *path = log_path("quiet.log");
		run_child("error", levels[i], path);
		struct stat st;
		assert_int_equal(stat(path, &st), -1);
	}
}

int
main(int argc, char *argv[])
{
	if (argc == 3 && strcmp(argv[1], "--child") == 0)
		return child_main(argv[2]);
	Self = argv[0];

	const struct CMUnitTest tests[] = {
		cmocka_unit_test(level_3_logs_the_granularity_decision_to_the_file),
		cmocka_unit_test(errors_are_logged_at_level_1_with_their_message),
		cmocka_unit_test(file_name_ending_in_dash_gets_the_pid_appended),
		cmocka_unit_test(level_0_or_garbage_writes_no_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
