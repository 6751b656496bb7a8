/* config_file.c -- rpmemd.conf text: comments, whitespace, every key, last wins, each bad line refused */
#include <errno.h>

#include "config_test.h"

/* parses text over the defaults; the file is called "f.conf" in messages */
static int
parse(struct rpmemd_config *cfg, const char *text)
{
	assert_succeeds(rpmemd_config_defaults(cfg));
	return rpmemd_config_parse_text(cfg, text, strlen(text), "f.conf");
}

static void
expect_refused(const char *text, const char *msg)
{
	struct rpmemd_config cfg;
	assert_fails(parse(&cfg, text), -EINVAL, msg);
	rpmemd_config_fini(&cfg);
}

static void
every_key_with_comments_and_whitespace_is_applied_last_one_winning(void **state)
{
	(void)state;
	struct rpmemd_config cfg;
	assert_succeeds(parse(&cfg,
		"# rpmemd configuration\n"
		"\n"
		"log-file = /first.log\n"
		"   log-file=/var/log/second.log   # the second wins\n"
		"\tpoolset-dir\t=\t/pools\t\n"
		"persist-apm = no\n"
		"persist-apm = yes\n"
		"persist-general = no   \n"
		"   \t  \n"
		"use-syslog = yes\n"
		"log-level = debug\n"
		"log-level = info\n"
		"nthreads = 16 # threads\n"
		"# nthreads = 3\n"));
	assert_dump(&cfg, "/var/log/second.log", "/pools", "yes", "no", "yes",
		"info", 16);
	rpmemd_config_fini(&cfg);
}

static void
comments_run_from_a_hash_to_the_end_of_the_line(void **state)
{
	(void)state;
	struct rpmemd_config cfg;
	assert_succeeds(parse(&cfg, "poolset-dir = /a#b\nlog-level = warn#x=y\n#==\n"));
	assert_string_equal(cfg.poolset_dir, "/a");
	assert_int_equal(cfg.log_level, RPMEMD_LOG_WARN);
	rpmemd_config_fini(&cfg);
}

static void
crlf_endings_and_a_last_line_without_newline_are_accepted(void **state)
{
	(void)state;
	struct rpmemd_config cfg;
	assert_succeeds(parse(&cfg, "log-level = notice\r\nnthreads = 3"));
	assert_int_equal(cfg.log_level, RPMEMD_LOG_NOTICE);
	assert_int_equal(cfg.nthreads, 3);
	rpmemd_config_fini(&cfg);
	assert_succeeds(parse(&cfg, ""));
	assert_succeeds(rpmemd_config_parse_text(&cfg, "\n\n", 2, "f.conf"));
	rpmemd_config_fini(&cfg);
}

/* the text need not be NUL-terminated: only len bytes are read */
static void
only_len_bytes_of_the_text_are_read(void **state)
{
	(void)state;
	struct rpmemd_config cfg;
	const char text[] = "log-level = warn\nlog-level = loud\n";
	assert_succeeds(rpmemd_config_defaults(&cfg));
	assert_succeeds(rpmemd_config_parse_text(&cfg, text, 17, "f.conf"));
	assert_int_equal(cfg.log_level, RPMEMD_LOG_WARN);
	rpmemd_config_fini(&cfg);
}

static void
each_malformed_line_is_refused_naming_file_line_and_problem(void **state)
{
	(void)state;
	expect_refused("; comment\n", "f.conf:1: ';' does not start a comment (use '#')");
	expect_refused("# ok\n\ndir = /x\n", "f.conf:3: unknown key 'dir'");
	expect_refused("Log-Level = info\n", "f.conf:1: unknown key 'Log-Level'");
	expect_refused("log-file\n", "f.conf:1: missing '=' in 'log-file'");
	expect_refused("log-file /x # =\n", "f.conf:1: missing '=' in 'log-file /x'");
	expect_refused("= /x\n", "f.conf:1: missing key before '='");
	expect_refused("log-file =   \n", "f.conf:1: empty value for log-file");
	expect_refused("poolset-dir = \t# none\n", "f.conf:1: empty value for poolset-dir");
	expect_refused("use-syslog = maybe\n",
		"f.conf:1: invalid value 'maybe' for use-syslog (yes or no)");
	expect_refused("persist-apm = YES\n",
		"f.conf:1: invalid value 'YES' for persist-apm (yes or no)");
	expect_refused("persist-general = 1\n",
		"f.conf:1: invalid value '1' for persist-general (yes or no)");
	expect_refused("log-level = loud\n",
		"f.conf:1: invalid log level 'loud' (err, warn, notice, info or debug)");
	expect_refused("log-level = info ; verbose\n",
		"f.conf:1: whitespace inside the value 'info ; verbose' of log-level (comments start with '#')");
	expect_refused("log-file = /a b\n",
		"f.conf:1: whitespace inside the value '/a b' of log-file (comments start with '#')");
	expect_refused("log-file = /a=b\n\nlog-level ==info\n",
		"f.conf:3: invalid log level '=info' (err, warn, notice, info or debug)");
	expect_refused("poolset-dir = pools\n",
		"f.conf:1: poolset-dir 'pools' is not an absolute path");
	expect_refused("log-file = /a\x01\n",
		"f.conf:1: control character 0x01 in the value of log-file");
	expect_refused("nthreads = -1\n", "f.conf:1: invalid number of threads '-1'");
	expect_refused("nthreads = 2x\n", "f.conf:1: invalid number of threads '2x'");
	expect_refused("nthreads = 4096\n",
		"f.conf:1: number of threads '4096' is too large (at most 1024)");
}

static void
nul_bytes_are_refused(void **state)
{
	(void)state;
	struct rpmemd_config cfg;
	assert_succeeds(rpmemd_config_defaults(&cfg));
	assert_fails(rpmemd_config_parse_text(&cfg, "# a\nlog-level = info\0x\n", 23,
		"f.conf"), -EINVAL, "f.conf:2: NUL byte in the line");
	rpmemd_config_fini(&cfg);
}

static void
lines_are_bounded_to_1024_bytes(void **state)
{
	(void)state;
	char text[2 * RPMEMD_CONFIG_LINE_MAX];
	/* exactly the limit: "log-file = /aaa...a" */
	memset(text, 'a', sizeof(text));
	memcpy(text, "log-file = /", 12);
	text[RPMEMD_CONFIG_LINE_MAX] = '\n';
	struct rpmemd_config cfg;
	assert_succeeds(rpmemd_config_defaults(&cfg));
	assert_succeeds(rpmemd_config_parse_text(&cfg, text,
		RPMEMD_CONFIG_LINE_MAX + 1, "f.conf"));
	assert_int_equal(strlen(cfg.log_file), RPMEMD_CONFIG_LINE_MAX - 11);
	/* one more byte, on the second line */
	text[RPMEMD_CONFIG_LINE_MAX] = 'a';
	memcpy(text, "# x\n", 4);
	memcpy(text + 4, "log-file = /", 12);
	text[4 + RPMEMD_CONFIG_LINE_MAX + 1] = '\n';
	assert_fails(rpmemd_config_parse_text(&cfg, text,
		4 + RPMEMD_CONFIG_LINE_MAX + 2, "f.conf"), -EINVAL,
		"f.conf:2: line longer than 1024 bytes");
	rpmemd_config_fini(&cfg);
}

static void
files_are_bounded_to_64_kib(void **state)
{
	(void)state;
	size_t len = RPMEMD_CONFIG_FILE_MAX + 1;
	char *text = malloc(len + 1);
	assert_non_null(text);
	memset(text, '\n', len);
	text[len] = '\0';
	struct rpmemd_config cfg;
	assert_succeeds(rpmemd_config_defaults(&cfg));
	assert_fails(rpmemd_config_parse_text(&cfg, text, len, "f.conf"), -EINVAL,
		"f.conf: larger than 65536 bytes");
	assert_succeeds(rpmemd_config_parse_text(&cfg, text, len - 1, "f.conf"));

	char path[PATH_MAX], msg[PATH_MAX + 64];
	write_config(path, text);
	snprintf(msg, sizeof(msg), "config file %s is larger than 65536 bytes", path);
	assert_fails(rpmemd_config_read_file(&cfg, path, 1), -EFBIG, msg);
	rpmemd_config_fini(&cfg);
	free(text);
}

/* a file on disk: the same parser, messages name its path */
static void
read_file_applies_the_file_and_names_it_in_errors(void **state)
{
	(void)state;
	char good[PATH_MAX], bad[PATH_MAX], msg[PATH_MAX + 64];
	write_config(good, "use-syslog = no\nnthreads = 8\n");
	write_config(bad, "nthreads = 8\nverbose = yes\n");
	struct rpmemd_config cfg;
	assert_succeeds(rpmemd_config_defaults(&cfg));
	assert_succeeds(rpmemd_config_read_file(&cfg, good, 1));
	assert_int_equal(cfg.use_syslog, 0);
	assert_int_equal(cfg.nthreads, 8);
	snprintf(msg, sizeof(msg), "%s:2: unknown key 'verbose'", bad);
	assert_fails(rpmemd_config_read_file(&cfg, bad, 1), -EINVAL, msg);
	assert_succeeds(rpmemd_config_read_file(&cfg, "/nonexistent.conf", 0));
	rpmemd_config_fini(&cfg);
}

/* the dump is a config file that reads back to the same settings */
static void
the_dump_reads_back_as_the_same_configuration(void **state)
{
	(void)state;
	struct rpmemd_config cfg, back;
	assert_succeeds(parse(&cfg, "log-file = /l\nuse-syslog = yes\n"
		"persist-apm = yes\nlog-level = debug\nnthreads = 12\n"
		"poolset-dir = /srv/pools\n"));
	char *first = dump_config(&cfg);
	assert_succeeds(parse(&back, first));
	char *second = dump_config(&back);
	assert_string_equal(first, second);
	assert_dump(&back, "/l", "/srv/pools", "yes", "yes", "yes", "debug", 12);
	free(first);
	free(second);
	rpmemd_config_fini(&cfg);
	rpmemd_config_fini(&back);
}

int
main(void)
{
	setenv("HOME", test_tmpdir(), 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_key_with_comments_and_whitespace_is_applied_last_one_winning),
		cmocka_unit_test(comments_run_from_a_hash_to_the_end_of_the_line),
		cmocka_unit_test(crlf_endings_and_a_last_line_without_newline_are_accepted),
		cmocka_unit_test(only_len_bytes_of_the_text_are_read),
		cmocka_unit_test(each_malformed_line_is_refused_naming_file_line_and_problem),
		cmocka_unit_test(nul_bytes_are_refused),
		cmocka_unit_test(lines_are_bounded_to_1024_bytes),
		cmocka_unit_test(files_are_bounded_to_64_kib),
		cmocka_unit_test(read_file_applies_the_file_and_names_it_in_errors),
		cmocka_unit_test(the_dump_reads_back_as_the_same_configuration),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
