/* config.c -- rpmemd_config_read: defaults, which files are read, command line options and overrides */
#include <errno.h>
#include <sys/stat.h>

#include "config_test.h"

static void
defaults_are_pmdks_with_the_home_directory_as_poolset_dir(void **state)
{
	(void)state;
	struct rpmemd_config cfg;
	assert_succeeds(READ_ARGS(&cfg, NULL, NULL, NULL));
	assert_dump(&cfg, "/var/log/rpmemd.log", test_tmpdir(), "no", "yes",
		"yes", "err", 0);
	assert_null(cfg.remove);
	assert_null(cfg.config_file);
	assert_int_equal(cfg.force, 0);
	assert_int_equal(cfg.pool_set, 0);
	assert_int_equal(cfg.help, 0);
	assert_int_equal(cfg.version, 0);
	rpmemd_config_fini(&cfg);
}

/* help and version work even when the config file is missing or broken */
static void
version_and_help_are_reported_without_reading_files(void **state)
{
	(void)state;
	char bad[PATH_MAX];
	write_config(bad, "dir = /x\n");
	struct rpmemd_config cfg;
	const char *flags[] = {"-V", "--version", "-h", "--help"};
	for (int i = 0; i < 4; i++) {
		assert_succeeds(READ_ARGS(&cfg, bad, bad, (char *)flags[i]));
		assert_int_equal(cfg.version, i < 2);
		assert_int_equal(cfg.help, i >= 2);
		rpmemd_config_fini(&cfg);
	}
	assert_succeeds(READ_ARGS(&cfg, NULL, NULL, "-c", "/nonexistent/rpmemd.conf", "-h"));
	assert_int_equal(cfg.help, 1);
	rpmemd_config_fini(&cfg);
}

static void
usage_lists_every_option_on_a_line_of_its_own(void **state)
{
	(void)state;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	rpmemd_config_usage(f);
	fclose(f);

	static const char *const lines[] = {
		"  -c, --config <path> ", "  -h, --help ", "  -V, --version ",
		"      --log-file <path> ", "      --poolset-dir <dir> ",
		"      --persist-apm ", "      --persist-general ",
		"      --use-syslog ", "      --log-level <level> ",
		"  -t, --nthreads <n> ", "  -r, --remove <poolset> ",
		"  -f, --force ", "  -s, --pool-set ",
	};
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		char *at = strstr(text, lines[i]);
		if (at == NULL || (at != text && at[-1] != '\n'))
			fail_msg("no line starting with '%s' in:\n%s", lines[i], text);
	}
	/* nothing else is indented as an option line */
	int n = 0;
	for (char *p = text; (p = strstr(p, "\n  ")) != NULL; p += 3)
		n++;
	assert_int_equal(n, 13);
	assert_true(strncmp(text, "usage: rpmemd [options]\n", 24) == 0);
	free(text);
}

static void
config_option_naming_a_missing_file_fails(void **state)
{
	(void)state;
	struct rpmemd_config cfg;
	assert_fails(READ_ARGS(&cfg, NULL, NULL, "-c", "/nonexistent/rpmemd.conf"),
		-ENOENT,
		"cannot open config file /nonexistent/rpmemd.conf: No such file or directory");
	rpmemd_config_fini(&cfg);
	assert_fails(READ_ARGS(&cfg, NULL, NULL, "--config="),
		-EINVAL, "option --config: empty value");
	rpmemd_config_fini(&cfg);
}

static void
missing_default_files_are_skipped(void **state)
{
	(void)state;
	struct rpmemd_config cfg;
	assert_succeeds(READ_ARGS(&cfg, "/nonexistent/rpmemd.conf",
		"/nonexistent/.rpmemd.conf", NULL));
	assert_dump(&cfg, "/var/log/rpmemd.log", test_tmpdir(), "no", "yes",
		"yes", "err", 0);
	rpmemd_config_fini(&cfg);
}

/* running as root, a directory is what stays unreadable as a file */
static void
a_default_file_that_cannot_be_read_is_an_error(void **state)
{
	(void)state;
	struct rpmemd_config cfg;
	char msg[PATH_MAX + 64];
	snprintf(msg, sizeof(msg), "config file %s is not a regular file", test_tmpdir());
	assert_fails(READ_ARGS(&cfg, NULL, test_tmpdir(), NULL), -EINVAL, msg);
	rpmemd_config_fini(&cfg);
	/* a FIFO with no writer: refused at once, not waited on */
	char fifo[PATH_MAX];
	snprintf(fifo, sizeof(fifo), "%s/fifo.conf", test_tmpdir());
	assert_int_equal(mkfifo(fifo, 0600), 0);
	snprintf(msg, sizeof(msg), "config file %s is not a regular file", fifo);
	assert_fails(READ_ARGS(&cfg, fifo, NULL, NULL), -EINVAL, msg);
	unlink(fifo);
	rpmemd_config_fini(&cfg);
	assert_fails(READ_ARGS(&cfg, "/etc/passwd/rpmemd.conf", NULL, NULL), -ENOTDIR,
		"cannot open config file /etc/passwd/rpmemd.conf: Not a directory");
	rpmemd_config_fini(&cfg);
}

static void
the_user_file_overrides_the_system_file(void **state)
{
	(void)state;
	char sys[PATH_MAX], user[PATH_MAX];
	write_config(sys, "log-level = info\nnthreads = 3\npersist-apm = yes\n");
	write_config(user, "log-level = warn\n");
	struct rpmemd_config cfg;
	assert_succeeds(READ_ARGS(&cfg, sys, user, NULL));
	assert_dump(&cfg, "/var/log/rpmemd.log", test_tmpdir(), "yes", "yes",
		"yes", "warn", 3);
	rpmemd_config_fini(&cfg);
}

static void
a_config_option_replaces_both_default_files(void **state)
{
	(void)state;
	char sys[PATH_MAX], user[PATH_MAX], only[PATH_MAX];
	write_config(sys, "log-level = info\n");
	write_config(user, "persist-apm = yes\n");
	write_config(only, "nthreads = 5\n");
	struct rpmemd_config cfg;
	assert_succeeds(READ_ARGS(&cfg, sys, user, "--config", only));
	assert_string_equal(cfg.config_file, only);
	assert_dump(&cfg, "/var/log/rpmemd.log", test_tmpdir(), "no", "yes",
		"yes", "err", 5);
	rpmemd_config_fini(&cfg);
}

static void
the_command_line_overrides_the_files(void **state)
{
	(void)state;
	char file[PATH_MAX];
	write_config(file, "log-level = info\npoolset-dir = /a\nnthreads = 2\n"
		"persist-general = no\n");
	struct rpmemd_config cfg;
	assert_succeeds(READ_ARGS(&cfg, file, NULL, "--log-level=debug",
		"--poolset-dir", "/b", "-t", "9", "--persist-general"));
	assert_dump(&cfg, "/var/log/rpmemd.log", "/b", "no", "yes", "yes",
		"debug", 9);
	rpmemd_config_fini(&cfg);
}

static void
every_setting_option_applies(void **state)
{
	(void)state;
	struct rpmemd_config cfg;
	assert_succeeds(READ_ARGS(&cfg, NULL, NULL, "--log-file", "/l.log",
		"--poolset-dir=/p", "--persist-apm", "--log-level", "notice",
		"--nthreads=7"));
	assert_dump(&cfg, "/l.log", "/p", "yes", "yes", "no", "notice", 7);
	rpmemd_config_fini(&cfg);
	assert_succeeds(READ_ARGS(&cfg, NULL, NULL, "--log-level", "info",
		"--log-level", "warn", "-t0"));
	assert_dump(&cfg, "/var/log/rpmemd.log", test_tmpdir(), "no", "yes",
		"yes", "warn", 0);
	rpmemd_config_fini(&cfg);
}

/*
 * log-file turns syslog off; settings apply in the order read (system file,
 * user file, command line; each top to bottom), so a later use-syslog wins.
 */
static void
log_file_turns_syslog_off_unless_use_syslog_comes_later(void **state)
{
	(void)state;
	char only_file[PATH_MAX], file_then_syslog[PATH_MAX];
	char syslog_then_file[PATH_MAX], syslog_yes[PATH_MAX];
	write_config(only_file, "log-file = /l\n");
	write_config(file_then_syslog, "log-file = /l\nuse-syslog = yes\n");
	write_config(syslog_then_file, "use-syslog = yes\nlog-file = /l\n");
	write_config(syslog_yes, "use-syslog = yes\n");
	struct rpmemd_config cfg;

	assert_succeeds(READ_ARGS(&cfg, only_file, NULL, NULL));
	assert_int_equal(cfg.use_syslog, 0);
	rpmemd_config_fini(&cfg);
	assert_succeeds(READ_ARGS(&cfg, file_then_syslog, NULL, NULL));
	assert_int_equal(cfg.use_syslog, 1);
	rpmemd_config_fini(&cfg);
	assert_succeeds(READ_ARGS(&cfg, syslog_then_file, NULL, NULL));
	assert_int_equal(cfg.use_syslog, 0);
	rpmemd_config_fini(&cfg);
	/* a later file, then the command line */
	assert_succeeds(READ_ARGS(&cfg, syslog_yes, only_file, NULL));
	assert_int_equal(cfg.use_syslog, 0);
	rpmemd_config_fini(&cfg);
	assert_succeeds(READ_ARGS(&cfg, only_file, syslog_yes, NULL));
	assert_int_equal(cfg.use_syslog, 1);
	rpmemd_config_fini(&cfg);
	assert_succeeds(READ_ARGS(&cfg, only_file, NULL, "--use-syslog"));
	assert_int_equal(cfg.use_syslog, 1);
	assert_string_equal(cfg.log_file, "/l");
	rpmemd_config_fini(&cfg);
	assert_succeeds(READ_ARGS(&cfg, syslog_yes, NULL, "--log-file", "/m"));
	assert_int_equal(cfg.use_syslog, 0);
	rpmemd_config_fini(&cfg);
	assert_succeeds(READ_ARGS(&cfg, NULL, NULL, "--use-syslog", "--log-file", "/m"));
	assert_int_equal(cfg.use_syslog, 0);
	rpmemd_config_fini(&cfg);
	assert_succeeds(READ_ARGS(&cfg, NULL, NULL, "--log-file", "/m", "--use-syslog"));
	assert_int_equal(cfg.use_syslog, 1);
	rpmemd_config_fini(&cfg);
}

static void
remove_force_and_pool_set_are_recorded(void **state)
{
	(void)state;
	struct rpmemd_config cfg;
	assert_succeeds(READ_ARGS(&cfg, NULL, NULL, "-r", "dir/my.set", "-f", "-s"));
	assert_string_equal(cfg.remove, "dir/my.set");
	assert_int_equal(cfg.force, 1);
	assert_int_equal(cfg.pool_set, 1);
	rpmemd_config_fini(&cfg);
	assert_succeeds(READ_ARGS(&cfg, NULL, NULL, "--remove=a.set", "--pool-set"));
	assert_string_equal(cfg.remove, "a.set");
	assert_int_equal(cfg.force, 0);
	assert_int_equal(cfg.pool_set, 1);
	rpmemd_config_fini(&cfg);
	assert_succeeds(READ_ARGS(&cfg, NULL, NULL, "-fsr", "b.set"));
	assert_string_equal(cfg.remove, "b.set");
	assert_int_equal(cfg.force, 1);
	assert_int_equal(cfg.pool_set, 1);
	rpmemd_config_fini(&cfg);
}

static void
force_or_pool_set_without_remove_is_an_error(void **state)
{
	(void)state;
	struct rpmemd_config cfg;
	assert_fails(READ_ARGS(&cfg, NULL, NULL, "--force"), -EINVAL,
		"--force and --pool-set are valid only with --remove");
	rpmemd_config_fini(&cfg);
	assert_fails(READ_ARGS(&cfg, NULL, NULL, "-s"), -EINVAL,
		"--force and --pool-set are valid only with --remove");
	rpmemd_config_fini(&cfg);
	assert_fails(READ_ARGS(&cfg, NULL, NULL, "--remove", ""), -EINVAL,
		"option --remove: empty value");
	rpmemd_config_fini(&cfg);
}

static void
unknown_options_and_operands_are_errors(void **state)
{
	(void)state;
	struct rpmemd_config cfg;
	assert_fails(READ_ARGS(&cfg, NULL, NULL, "--bogus"), -EINVAL,
		"unknown or ambiguous option '--bogus'");
	rpmemd_config_fini(&cfg);
	assert_fails(READ_ARGS(&cfg, NULL, NULL, "--log"), -EINVAL,
		"unknown or ambiguous option '--log'");
	rpmemd_config_fini(&cfg);
	assert_fails(READ_ARGS(&cfg, NULL, NULL, "-x"), -EINVAL,
		"unknown option '-x'");
	rpmemd_config_fini(&cfg);
	assert_fails(READ_ARGS(&cfg, NULL, NULL, "-r", "a.set", "-fd"), -EINVAL,
		"unknown option '-d'");
	rpmemd_config_fini(&cfg);
	assert_fails(READ_ARGS(&cfg, NULL, NULL, "--persist-apm=yes"), -EINVAL,
		"option --persist-apm takes no argument");
	rpmemd_config_fini(&cfg);
	assert_fails(READ_ARGS(&cfg, NULL, NULL, "--log-file"), -EINVAL,
		"option --log-file needs an argument");
	rpmemd_config_fini(&cfg);
	assert_fails(READ_ARGS(&cfg, NULL, NULL, "-t"), -EINVAL,
		"option --nthreads needs an argument");
	rpmemd_config_fini(&cfg);
	assert_fails(READ_ARGS(&cfg, NULL, NULL, "-V", "extra"), -EINVAL,
		"unexpected argument 'extra'");
	rpmemd_config_fini(&cfg);
	assert_fails(READ_ARGS(&cfg, NULL, NULL, "--", "-h"), -EINVAL,
		"unexpected argument '-h'");
	rpmemd_config_fini(&cfg);
}

/* rpmemd's argv is left in order: getopt runs in POSIX mode */
static void
argv_is_not_permuted(void **state)
{
	(void)state;
	char *argv[] = {"rpmemd", "extra", "--force", NULL};
	struct rpmemd_config cfg;
	assert_fails(rpmemd_config_read_files(&cfg, 3, argv, NULL, NULL), -EINVAL,
		"unexpected argument 'extra'");
	assert_string_equal(argv[1], "extra");
	assert_string_equal(argv[2], "--force");
	rpmemd_config_fini(&cfg);
}

static void
nthreads_is_a_decimal_number_up_to_1024(void **state)
{
	(void)state;
	static const struct {
		const char *arg;
		const char *msg;
	} bad[] = {
		{"-1", "option --nthreads: invalid number of threads '-1'"},
		{"abc", "option --nthreads: invalid number of threads 'abc'"},
		{"12x", "option --nthreads: invalid number of threads '12x'"},
		{"+3", "option --nthreads: invalid number of threads '+3'"},
		{"0x10", "option --nthreads: invalid number of threads '0x10'"},
		{"1025", "option --nthreads: number of threads '1025' is too large (at most 1024)"},
		{"99999999999999999999999", "option --nthreads: number of threads "
			"'99999999999999999999999' is too large (at most 1024)"},
		{"", "option --nthreads: empty value for nthreads"},
		{" 3", "option --nthreads: whitespace inside the value ' 3' of nthreads (comments start with '#')"},
	};
	struct rpmemd_config cfg;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_fails(READ_ARGS(&cfg, NULL, NULL, "-t", (char *)bad[i].arg),
			-EINVAL, bad[i].msg);
		rpmemd_config_fini(&cfg);
	}
	assert_succeeds(READ_ARGS(&cfg, NULL, NULL, "-t", "1024"));
	assert_int_equal(cfg.nthreads, 1024);
	rpmemd_config_fini(&cfg);
	assert_succeeds(READ_ARGS(&cfg, NULL, NULL, "--nthreads", "007"));
	assert_int_equal(cfg.nthreads, 7);
	rpmemd_config_fini(&cfg);
}

static void
bad_option_values_name_the_option(void **state)
{
	(void)state;
	struct rpmemd_config cfg;
	assert_fails(READ_ARGS(&cfg, NULL, NULL, "--log-level", "loud"), -EINVAL,
		"option --log-level: invalid log level 'loud' (err, warn, notice, info or debug)");
	rpmemd_config_fini(&cfg);
	assert_fails(READ_ARGS(&cfg, NULL, NULL, "--poolset-dir", "pools"), -EINVAL,
		"option --poolset-dir: poolset-dir 'pools' is not an absolute path");
	rpmemd_config_fini(&cfg);
	assert_fails(READ_ARGS(&cfg, NULL, NULL, "--log-file="), -EINVAL,
		"option --log-file: empty value for log-file");
	rpmemd_config_fini(&cfg);
}

/* the parser restarts getopt: a failed run leaves nothing behind for the next */
static void
the_parser_runs_again_after_a_failure(void **state)
{
	(void)state;
	struct rpmemd_config cfg;
	assert_fails(READ_ARGS(&cfg, NULL, NULL, "-t", "1", "-fq", "--log-level", "info"),
		-EINVAL, "unknown option '-q'");
	rpmemd_config_fini(&cfg);
	assert_succeeds(READ_ARGS(&cfg, NULL, NULL, "-t", "2", "--log-level", "info"));
	assert_int_equal(cfg.nthreads, 2);
	assert_int_equal(cfg.log_level, RPMEMD_LOG_INFO);
	rpmemd_config_fini(&cfg);
}

/* the real entry point reads $HOME/.rpmemd.conf (HOME is the test's temp dir) */
static void
config_read_uses_the_home_directory_file(void **state)
{
	(void)state;
	if (access(RPMEMD_SYSTEM_CONFIG, F_OK) == 0)
		SKIP_BECAUSE("%s exists on this machine", RPMEMD_SYSTEM_CONFIG);
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/.rpmemd.conf", test_tmpdir());
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("log-level = notice\n", f);
	fclose(f);

	char *argv[] = {"rpmemd", "-t", "4", NULL};
	struct rpmemd_config cfg;
	int ret = rpmemd_config_read(&cfg, 3, argv);
	unlink(path);
	if (ret != 0)
		fail_msg("rpmemd_config_read: %s", err_last());
	assert_dump(&cfg, "/var/log/rpmemd.log", test_tmpdir(), "no", "yes",
		"yes", "notice", 4);
	rpmemd_config_fini(&cfg);
}

int
main(void)
{
	setenv("HOME", test_tmpdir(), 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults_are_pmdks_with_the_home_directory_as_poolset_dir),
		cmocka_unit_test(version_and_help_are_reported_without_reading_files),
		cmocka_unit_test(usage_lists_every_option_on_a_line_of_its_own),
		cmocka_unit_test(config_option_naming_a_missing_file_fails),
		cmocka_unit_test(missing_default_files_are_skipped),
		cmocka_unit_test(a_default_file_that_cannot_be_read_is_an_error),
		cmocka_unit_test(the_user_file_overrides_the_system_file),
		cmocka_unit_test(a_config_option_replaces_both_default_files),
		cmocka_unit_test(the_command_line_overrides_the_files),
		cmocka_unit_test(every_setting_option_applies),
		cmocka_unit_test(log_file_turns_syslog_off_unless_use_syslog_comes_later),
		cmocka_unit_test(remove_force_and_pool_set_are_recorded),
		cmocka_unit_test(force_or_pool_set_without_remove_is_an_error),
		cmocka_unit_test(unknown_options_and_operands_are_errors),
		cmocka_unit_test(argv_is_not_permuted),
		cmocka_unit_test(nthreads_is_a_decimal_number_up_to_1024),
		cmocka_unit_test(bad_option_values_name_the_option),
		cmocka_unit_test(the_parser_runs_again_after_a_failure),
		cmocka_unit_test(config_read_uses_the_home_directory_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
