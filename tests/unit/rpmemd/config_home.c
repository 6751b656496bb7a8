/* config_home.c -- "$HOME" in log-file and poolset-dir: where it is replaced, and HOME unset */
#include <errno.h>
#include <pwd.h>

#include "config_test.h"

static char Home[PATH_MAX];

static void
expect_expansion(const char *value, const char *want)
{
	int ret = 1;
	char *got = rpmemd_config_expand_home(value, &ret);
	if (got == NULL)
		fail_msg("expand \"%s\" = %d", value, ret);
	assert_int_equal(ret, 0);
	assert_string_equal(got, want);
	free(got);
}

static const char *
passwd_home(void)
{
	struct passwd *pw = getpwuid(getuid());
	assert_non_null(pw);
	return pw->pw_dir;
}

static int
restore_home(void **state)
{
	(void)state;
	setenv("HOME", Home, 1);
	return 0;
}

static void
home_is_replaced_as_a_prefix_in_the_middle_and_alone(void **state)
{
	(void)state;
	char want[3 * PATH_MAX];
	snprintf(want, sizeof(want), "%s/pools", Home);
	expect_expansion("$HOME/pools", want);
	snprintf(want, sizeof(want), "/srv/%s", Home);
	expect_expansion("/srv/$HOME", want);
	expect_expansion("$HOME", Home);
	snprintf(want, sizeof(want), "%s/a/%s/b", Home, Home);
	expect_expansion("$HOME/a/$HOME/b", want);
	snprintf(want, sizeof(want), "%s_x", Home);
	expect_expansion("$HOME_x", want);
	snprintf(want, sizeof(want), "%s-x.log", Home);
	expect_expansion("$HOME-x.log", want);
	expect_expansion("/var/log/rpmemd.log", "/var/log/rpmemd.log");
	expect_expansion("$HOM/x", "$HOM/x");
}

/* followed by a letter or digit it is another variable's name: kept literally */
static void
home_followed_by_a_letter_or_digit_stays_literal(void **state)
{
	(void)state;
	expect_expansion("$HOMEstickysuffix", "$HOMEstickysuffix");
	expect_expansion("/x/$HOME1", "/x/$HOME1");
	char want[3 * PATH_MAX];
	snprintf(want, sizeof(want), "/x/$HOMEa/%s", Home);
	expect_expansion("/x/$HOMEa/$HOME", want);
	snprintf(want, sizeof(want), "$HOMEZ%s", Home);
	expect_expansion("$HOMEZ$HOME", want);
}

static void
path_settings_expand_home_in_files_and_options(void **state)
{
	(void)state;
	char file[PATH_MAX], want_log[2 * PATH_MAX], want_dir[2 * PATH_MAX];
	write_config(file, "log-file = $HOME/rpmemd.log\npoolset-dir = $HOME/pools\n");
	snprintf(want_log, sizeof(want_log), "%s/rpmemd.log", Home);
	snprintf(want_dir, sizeof(want_dir), "%s/pools", Home);
	struct rpmemd_config cfg;
	assert_succeeds(READ_ARGS(&cfg, file, NULL, NULL));
	assert_string_equal(cfg.log_file, want_log);
	assert_string_equal(cfg.poolset_dir, want_dir);
	rpmemd_config_fini(&cfg);

	assert_succeeds(READ_ARGS(&cfg, NULL, NULL, "--poolset-dir", "$HOME/pools",
		"--log-file", "$HOMEx"));
	assert_string_equal(cfg.poolset_dir, want_dir);
	assert_string_equal(cfg.log_file, "$HOMEx");
	rpmemd_config_fini(&cfg);

	/* a literal "$HOMEx" is a relative path */
	assert_fails(READ_ARGS(&cfg, NULL, NULL, "--poolset-dir", "$HOMEx"), -EINVAL,
		"option --poolset-dir: poolset-dir '$HOMEx' is not an absolute path");
	rpmemd_config_fini(&cfg);
}

static void
home_unset_or_empty_means_the_passwd_home(void **state)
{
	(void)state;
	char want[2 * PATH_MAX];
	snprintf(want, sizeof(want), "%s/pools", passwd_home());

	unsetenv("HOME");
	expect_expansion("$HOME/pools", want);
	struct rpmemd_config cfg;
	assert_succeeds(READ_ARGS(&cfg, NULL, NULL, NULL));
	assert_string_equal(cfg.poolset_dir, passwd_home());
	rpmemd_config_fini(&cfg);

	setenv("HOME", "", 1);
	expect_expansion("$HOME/pools", want);
	assert_string_equal(rpmemd_config_home(), passwd_home());
}

static void
a_relative_home_makes_the_default_poolset_dir_an_error(void **state)
{
	(void)state;
	setenv("HOME", "relative/home", 1);
	struct rpmemd_config cfg;
	assert_fails(READ_ARGS(&cfg, NULL, NULL, NULL), -EINVAL,
		"poolset-dir 'relative/home' is not an absolute path");
	rpmemd_config_fini(&cfg);
	/* unless the configuration names an absolute one */
	assert_succeeds(READ_ARGS(&cfg, NULL, NULL, "--poolset-dir=/pools"));
	assert_string_equal(cfg.poolset_dir, "/pools");
	rpmemd_config_fini(&cfg);
}

static void
an_expansion_longer_than_path_max_is_refused(void **state)
{
	(void)state;
	char home[3000];
	memset(home, 'h', sizeof(home) - 1);
	home[0] = '/';
	home[sizeof(home) - 1] = '\0';
	setenv("HOME", home, 1);

	int ret = 0;
	assert_null(rpmemd_config_expand_home("$HOME/$HOME", &ret));
	assert_int_equal(ret, -ENAMETOOLONG);
	struct rpmemd_config cfg;
	assert_fails(READ_ARGS(&cfg, NULL, NULL, "--log-file", "$HOME/$HOME"),
		-ENAMETOOLONG,
		"option --log-file: '$HOME/$HOME' with $HOME expanded is longer than PATH_MAX");
	rpmemd_config_fini(&cfg);
}

int
main(void)
{
	snprintf(Home, sizeof(Home), "%s", test_tmpdir());
	setenv("HOME", Home, 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(home_is_replaced_as_a_prefix_in_the_middle_and_alone, restore_home),
		cmocka_unit_test_teardown(home_followed_by_a_letter_or_digit_stays_literal, restore_home),
		cmocka_unit_test_teardown(path_settings_expand_home_in_files_and_options, restore_home),
		cmocka_unit_test_teardown(home_unset_or_empty_means_the_passwd_home, restore_home),
		cmocka_unit_test_teardown(a_relative_home_makes_the_default_poolset_dir_an_error, restore_home),
		cmocka_unit_test_teardown(an_expansion_longer_than_path_max_is_refused, restore_home),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
