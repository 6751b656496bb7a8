/* log.c -- common/log: file sink, levels, and peer text that cannot forge lines */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "log.h"
#include "test_common.h"

static char *
log_file(void)
{
	static char path[4200];
	snprintf(path, sizeof(path), "%s/common.log", test_tmpdir());
	return path;
}

static char *
slurp(const char *path)
{
	size_t len;
	char *s = test_read_file(path, &len);
	s[len] = '\0';
	return s;
}

static void
control_characters_in_a_message_cannot_start_a_new_line(void **state)
{
	char *path = log_file();
	unlink(path);
	assert_int_equal(log_to_file("test", path, LOG_INFO), 0);
	const char *name = "pool.set\n<rpmemd>: <1> forged line\r\033[2J";
	log_msg(LOG_INFO, "create pool set '%s'", name);
	log_fini();

	char *s = slurp(path);
	/* one line, ended by the logger's own newline */
	assert_non_null(strstr(s, "create pool set 'pool.set?<rpmemd>: <1> forged line??[2J'\n"));
	assert_ptr_equal(strchr(s, '\n'), s + strlen(s) - 1);
	free(s);
}

static void
messages_above_the_level_are_dropped(void **state)
{
	char *path = log_file();
	unlink(path);
	assert_int_equal(log_to_file("test", path, LOG_WARN), 0);
	log_msg(LOG_INFO, "not this one");
	log_msg(LOG_WARN, "this one");
	log_fini();
	char *s = slurp(path);
	assert_null(strstr(s, "not this one"));
	assert_non_null(strstr(s, "<test>: <2>"));
	assert_non_null(strstr(s, "this one"));
	free(s);
}

static void
recorded_errors_are_logged_at_the_level_err_log_at_chose(void **state)
{
	char *path = log_file();
	unlink(path);
	assert_int_equal(log_to_file("test", path, LOG_INFO), 0);
	assert_int_equal(err_set(-5, "logged at level 1"), -5);
	err_log_at(LOG_DEBUG);
	assert_int_equal(err_set_sys(-2, 2, "only recorded"), -2);
	assert_string_equal(err_last(), "only recorded: No such file or directory");
	err_log_at(LOG_ERROR);
	log_fini();
	char *s = slurp(path);
	assert_non_null(strstr(s, "<test>: <1> logged at level 1"));
	assert_null(strstr(s, "only recorded"));
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(control_characters_in_a_message_cannot_start_a_new_line),
		cmocka_unit_test(messages_above_the_level_are_dropped),
		cmocka_unit_test(recorded_errors_are_logged_at_the_level_err_log_at_chose),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
