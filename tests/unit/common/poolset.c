/* poolset.c -- poolset_parse: every valid form of a pool set file and every error with its exact message */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "test_common.h"
#include "err.h"
#include "poolset.h"

static struct poolset *
parse_ok(const char *text, const char *dir)
{
	struct poolset *set = NULL;
	int ret = poolset_parse(text, strlen(text), dir, &set);
	if (ret != 0)
		fail_msg("poolset_parse returned %d: %s", ret, err_last());
	assert_non_null(set);
	return set;
}

static void
expect_error_n(const char *text, size_t len, const char *msg)
{
	struct poolset *set = (struct poolset *)(uintptr_t)0xdeadbeef;
	assert_int_equal(poolset_parse(text, len, NULL, &set), -EINVAL);
	assert_null(set);
	assert_string_equal(err_last(), msg);
}

static void
expect_error(const char *text, const char *msg)
{
	expect_error_n(text, strlen(text), msg);
}

static void
single_part_set_parses_into_one_local_replica(void **state)
{
	(void)state;
	struct poolset *set = parse_ok("PMEMPOOLSET\n20M /path/to/part0\n", NULL);
	assert_int_equal(set->nreplicas, 1);
	assert_int_equal(set->nparts, 1);
	assert_int_equal(set->singlehdr, 0);
	assert_int_equal(set->nohdrs, 0);
	assert_null(set->dir);
	const struct poolset_replica *rep = &set->replicas[0];
	assert_int_equal(rep->remote, 0);
	assert_int_equal(rep->line, 0);
	assert_int_equal(rep->nparts, 1);
	assert_null(rep->target);
	assert_null(rep->set_name);
	assert_int_equal(rep->parts[0].size, 20ull << 20);
	assert_string_equal(rep->parts[0].path, "/path/to/part0");
	assert_int_equal(rep->parts[0].line, 2);
	poolset_free(set);
}

static void
size_suffixes_are_pmdks_binary_and_si_units(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		uint64_t size;
	} cases[] = {
		{ "4096", 4096 }, { "4096B", 4096 }, { "007K", 7ull << 10 },
		{ "2K", 2ull << 10 }, { "2KiB", 2ull << 10 },
		{ "3M", 3ull << 20 }, { "3MiB", 3ull << 20 },
		{ "5G", 5ull << 30 }, { "5GiB", 5ull << 30 },
		{ "7T", 7ull << 40 }, { "7TiB", 7ull << 40 },
		{ "1P", 1ull << 50 }, { "1PiB", 1ull << 50 },
		{ "16383P", 16383ull << 50 },
		{ "8kB", 8000 }, { "2MB", 2000000 }, { "3GB", 3000000000ull },
		{ "4TB", 4000000000000ull }, { "5PB", 5000000000000000ull },
		{ "18446744073709551615", UINT64_MAX },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char text[128];
		snprintf(text, sizeof(text), "PMEMPOOLSET\n%s /p\n", cases[i].text);
		struct poolset *set = parse_ok(text, NULL);
		if (set->replicas[0].parts[0].size != cases[i].size)
			fail_msg("'%s' parsed as %llu, expected %llu", cases[i].text,
				(unsigned long long)set->replicas[0].parts[0].size,
				(unsigned long long)cases[i].size);
		poolset_free(set);
	}
}

static void
auto_size_is_recorded_as_zero(void **state)
{
	(void)state;
	struct poolset *set = parse_ok("PMEMPOOLSET\nAUTO /dev/dax0.0\n", NULL);
	assert_int_equal(set->replicas[0].parts[0].size, 0);
	assert_string_equal(set->replicas[0].parts[0].path, "/dev/dax0.0");
	poolset_free(set);
}

static void
relative_part_paths_are_joined_to_the_set_directory(void **state)
{
	(void)state;
	const char *text = "PMEMPOOLSET\n8M part0\n8M sub/part1\n8M /abs/part2\n8M ./part3\n";
	struct poolset *set = parse_ok(text, "/pools");
	assert_string_equal(set->dir, "/pools");
	assert_string_equal(set->replicas[0].parts[0].path, "/pools/part0");
	assert_string_equal(set->replicas[0].parts[1].path, "/pools/sub/part1");
	assert_string_equal(set->replicas[0].parts[2].path, "/abs/part2");
	assert_string_equal(set->replicas[0].parts[3].path, "/pools/./part3");
	poolset_free(set);

	set = parse_ok(text, "/pools/");
	assert_string_equal(set->replicas[0].parts[0].path, "/pools/part0");
	poolset_free(set);

	set = parse_ok(text, "rel");
	assert_string_equal(set->replicas[0].parts[1].path, "rel/sub/part1");
	poolset_free(set);
}

static void
without_a_set_directory_paths_stay_as_written(void **state)
{
	(void)state;
	const char *text = "PMEMPOOLSET\n8M part0\n";
	struct poolset *set = parse_ok(text, NULL);
	assert_string_equal(set->replicas[0].parts[0].path, "part0");
	poolset_free(set);
	set = parse_ok(text, "");
	assert_null(set->dir);
	assert_string_equal(set->replicas[0].parts[0].path, "part0");
	poolset_free(set);
}

static void
options_are_recorded_wherever_they_appear(void **state)
{
	(void)state;
	struct poolset *set = parse_ok("PMEMPOOLSET\nOPTION SINGLEHDR\n8M /a\n", NULL);
	assert_int_equal(set->singlehdr, 1);
	assert_int_equal(set->nohdrs, 0);
	poolset_free(set);

	set = parse_ok("PMEMPOOLSET\n8M /a\nOPTION NOHDRS\n", NULL);
	assert_int_equal(set->singlehdr, 0);
	assert_int_equal(set->nohdrs, 1);
	poolset_free(set);

	set = parse_ok("PMEMPOOLSET\nOPTION NOHDRS\nOPTION SINGLEHDR\n8M /a\n", NULL);
	assert_int_equal(set->singlehdr, 1);
	assert_int_equal(set->nohdrs, 1);
	poolset_free(set);
}

static void
comments_blank_lines_and_tabs_are_ignored(void **state)
{
	(void)state;
	const char *text =
		"PMEMPOOLSET   # the signature\n"
		"\n"
		"# a whole-line comment\n"
		"   \t\n"
		"\t20M\t\t/p0   # first part\n"
		"OPTION\tSINGLEHDR#no space before the comment\n"
		"  1G /p1#\n";
	struct poolset *set = parse_ok(text, NULL);
	assert_int_equal(set->singlehdr, 1);
	assert_int_equal(set->replicas[0].nparts, 2);
	assert_int_equal(set->replicas[0].parts[0].size, 20ull << 20);
	assert_string_equal(set->replicas[0].parts[0].path, "/p0");
	assert_int_equal(set->replicas[0].parts[0].line, 5);
	assert_int_equal(set->replicas[0].parts[1].size, 1ull << 30);
	assert_string_equal(set->replicas[0].parts[1].path, "/p1");
	assert_int_equal(set->replicas[0].parts[1].line, 7);
	poolset_free(set);
}

static void
crlf_line_endings_are_accepted(void **state)
{
	(void)state;
	struct poolset *set = parse_ok("PMEMPOOLSET\r\nOPTION NOHDRS\r\n8M /a\r\nREPLICA\r\n"
		"8M /b # c\r\nREPLICA host r.set\r\n", NULL);
	assert_int_equal(set->nohdrs, 1);
	assert_int_equal(set->nreplicas, 3);
	assert_string_equal(set->replicas[0].parts[0].path, "/a");
	assert_string_equal(set->replicas[1].parts[0].path, "/b");
	assert_string_equal(set->replicas[2].set_name, "r.set");
	poolset_free(set);
}

static void
last_line_without_newline_is_parsed(void **state)
{
	(void)state;
	struct poolset *set = parse_ok("PMEMPOOLSET\n8M /a", NULL);
	assert_string_equal(set->replicas[0].parts[0].path, "/a");
	poolset_free(set);
	set = parse_ok("PMEMPOOLSET\n8M /a\r", NULL);
	assert_string_equal(set->replicas[0].parts[0].path, "/a");
	poolset_free(set);
}

static void
text_need_not_be_nul_terminated(void **state)
{
	(void)state;
	const char text[] = "PMEMPOOLSET\n8M /abc";
	struct poolset *set = NULL;
	/* the length cuts the path short: nothing after it is read */
	assert_int_equal(poolset_parse(text, sizeof(text) - 2, NULL, &set), 0);
	assert_string_equal(set->replicas[0].parts[0].path, "/ab");
	poolset_free(set);
}

static void
local_and_remote_replicas_are_recorded_in_order(void **state)
{
	(void)state;
	const char *text =
		"PMEMPOOLSET\n"
		"20M /p0\n"
		"1G  /p1\n"
		"REPLICA\n"
		"16M /r0\n"
		"REPLICA user@host:2222 remote.set\n"
		"REPLICA [::1]:7636 sub/other.set # a comment\n"
		"REPLICA\n"
		"AUTO /dev/dax1.0\n";
	struct poolset *set = parse_ok(text, NULL);
	assert_int_equal(set->nreplicas, 5);
	assert_int_equal(set->nparts, 4);
	assert_int_equal(set->replicas[0].nparts, 2);

	const struct poolset_replica *r = &set->replicas[1];
	assert_int_equal(r->remote, 0);
	assert_int_equal(r->line, 4);
	assert_int_equal(r->nparts, 1);
	assert_string_equal(r->parts[0].path, "/r0");

	r = &set->replicas[2];
	assert_int_equal(r->remote, 1);
	assert_int_equal(r->line, 6);
	assert_int_equal(r->nparts, 0);
	assert_null(r->parts);
	assert_string_equal(r->target, "user@host:2222");
	assert_string_equal(r->set_name, "remote.set");

	r = &set->replicas[3];
	assert_int_equal(r->remote, 1);
	assert_string_equal(r->target, "[::1]:7636");
	assert_string_equal(r->set_name, "sub/other.set");

	r = &set->replicas[4];
	assert_int_equal(r->remote, 0);
	assert_int_equal(r->parts[0].size, 0);
	poolset_free(set);
}

static char *
set_with_parts(unsigned n)
{
	char *text = malloc(32 + (size_t)n * 16);
	assert_non_null(text);
	size_t len = (size_t)sprintf(text, "PMEMPOOLSET\n");
	for (unsigned i = 0; i < n; i++)
		len += (size_t)sprintf(text + len, "2M /p%u\n", i);
	return text;
}

static void
a_set_of_1024_parts_parses(void **state)
{
	(void)state;
	char *text = set_with_parts(POOLSET_MAX_PARTS);
	struct poolset *set = parse_ok(text, NULL);
	assert_int_equal(set->nparts, 1024);
	assert_int_equal(set->replicas[0].nparts, 1024);
	assert_string_equal(set->replicas[0].parts[1023].path, "/p1023");
	assert_int_equal(set->replicas[0].parts[1023].line, 1025);
	poolset_free(set);
	free(text);
}

static void
more_than_1024_parts_fail_naming_the_line(void **state)
{
	(void)state;
	char *text = set_with_parts(POOLSET_MAX_PARTS + 1);
	expect_error(text, "line 1026: more than 1024 parts");
	free(text);
}

static void
more_than_1024_replicas_fail_naming_the_line(void **state)
{
	(void)state;
	char *text = malloc(64 + 1024 * 32);
	assert_non_null(text);
	size_t len = (size_t)sprintf(text, "PMEMPOOLSET\n2M /p\n");
	for (unsigned i = 0; i < POOLSET_MAX_REPLICAS - 1; i++)
		len += (size_t)sprintf(text + len, "REPLICA h r%u.set\n", i);
	struct poolset *set = parse_ok(text, NULL);
	assert_int_equal(set->nreplicas, 1024);
	poolset_free(set);
	strcpy(text + len, "REPLICA h last.set\n");
	expect_error(text, "line 1026: more than 1024 replicas");
	free(text);
}

static void
missing_signature_fails_on_line_1(void **state)
{
	(void)state;
	const char *msg = "line 1: the file must start with PMEMPOOLSET";
	expect_error("", msg);
	expect_error("\n", msg);
	expect_error("\nPMEMPOOLSET\n8M /a\n", msg);
	expect_error("# comment\nPMEMPOOLSET\n8M /a\n", msg);
	expect_error("pmempoolset\n8M /a\n", msg);
	expect_error("PMEMPOOLSETX\n8M /a\n", msg);
	expect_error("8M /a\n", msg);
	expect_error("\xef\xbb\xbfPMEMPOOLSET\n8M /a\n", msg);	/* a UTF-8 byte order mark */
}

static void
signature_followed_by_more_fails(void **state)
{
	(void)state;
	expect_error("PMEMPOOLSET extra\n8M /a\n", "line 1: unexpected 'extra' after PMEMPOOLSET");
}

static void
signature_on_a_later_line_fails(void **state)
{
	(void)state;
	expect_error("PMEMPOOLSET\n8M /a\nPMEMPOOLSET\n",
		"line 3: PMEMPOOLSET belongs on line 1 only");
}

static void
set_without_parts_fails(void **state)
{
	(void)state;
	const char *msg = "no parts (a pool set needs at least one 'SIZE PATH' line)";
	expect_error("PMEMPOOLSET\n", msg);
	expect_error("PMEMPOOLSET", msg);
	expect_error("PMEMPOOLSET\n# only\n\nOPTION SINGLEHDR\n", msg);
}

static void
part_size_that_is_not_a_size_fails_naming_the_line(void **state)
{
	(void)state;
	expect_error("PMEMPOOLSET\n8M /a\n12Q /b\n",
		"line 3: part size '12Q' is not a size (digits with an optional K, M, G or T suffix)");
	static const char *const bad[] = {
		"-1", "+5M", "1.5G", "4k", "4m", "4g", "4Ki", "4KB", "4mb", "4 K", "M", "K4",
		"0x10", "auto", "AUTOX", "FOO", "1e6", "20M,",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char text[64], msg[160];
		snprintf(text, sizeof(text), "PMEMPOOLSET\n%s /p\n", bad[i]);
		/* "4 K" splits into size "4" and path "K": a garbage path after it instead */
		if (strcmp(bad[i], "4 K") == 0) {
			expect_error(text, "line 2: unexpected '/p' after the part path");
			continue;
		}
		snprintf(msg, sizeof(msg),
			"line 2: part size '%s' is not a size (digits with an optional K, M, G or T suffix)",
			bad[i]);
		expect_error(text, msg);
	}
}

static void
part_size_overflowing_64_bits_fails(void **state)
{
	(void)state;
	expect_error("PMEMPOOLSET\n18446744073709551616 /a\n",
		"line 2: part size '18446744073709551616' does not fit in 64 bits");
	expect_error("PMEMPOOLSET\n99999999999999999999999 /a\n",
		"line 2: part size '99999999999999999999999' does not fit in 64 bits");
	expect_error("PMEMPOOLSET\n16384P /a\n", "line 2: part size '16384P' does not fit in 64 bits");
	expect_error("PMEMPOOLSET\n18446744073709552kB /a\n",
		"line 2: part size '18446744073709552kB' does not fit in 64 bits");
}

static void
part_size_zero_fails(void **state)
{
	(void)state;
	expect_error("PMEMPOOLSET\n0 /a\n", "line 2: part size '0' is zero");
	expect_error("PMEMPOOLSET\n8M /a\n0K /b\n", "line 3: part size '0K' is zero");
}

static void
part_line_without_path_fails_naming_the_line(void **state)
{
	(void)state;
	expect_error("PMEMPOOLSET\n20M\n", "line 2: part size '20M' is not followed by a path");
	expect_error("PMEMPOOLSET\n20M # /commented\n",
		"line 2: part size '20M' is not followed by a path");
}

static void
part_line_with_trailing_garbage_fails(void **state)
{
	(void)state;
	expect_error("PMEMPOOLSET\n20M /a extra\n", "line 2: unexpected 'extra' after the part path");
	expect_error("PMEMPOOLSET\n20M /a b c d\n", "line 2: unexpected 'b' after the part path");
}

static void
duplicate_part_path_fails_naming_both_lines(void **state)
{
	(void)state;
	expect_error("PMEMPOOLSET\n8M /a\n8M /a\n", "line 3: part path '/a' is already used on line 2");
	expect_error("PMEMPOOLSET\n8M /a\nREPLICA\n8M /b\n8M /a\n",
		"line 5: part path '/a' is already used on line 2");
	struct poolset *set = NULL;
	const char *text = "PMEMPOOLSET\n8M p\n8M /d/p\n";
	assert_int_equal(poolset_parse(text, strlen(text), "/d", &set), -EINVAL);
	assert_string_equal(err_last(), "line 3: part path '/d/p' is already used on line 2");
}

static void
option_errors_name_the_line_and_the_option(void **state)
{
	(void)state;
	expect_error("PMEMPOOLSET\nOPTION\n8M /a\n",
		"line 2: OPTION without a name (SINGLEHDR or NOHDRS)");
	expect_error("PMEMPOOLSET\nOPTION FOO\n8M /a\n",
		"line 2: unknown option 'FOO' (SINGLEHDR or NOHDRS)");
	expect_error("PMEMPOOLSET\nOPTION singlehdr\n8M /a\n",
		"line 2: unknown option 'singlehdr' (SINGLEHDR or NOHDRS)");
	expect_error("PMEMPOOLSET\nOPTION SINGLEHDR NOHDRS\n8M /a\n",
		"line 2: unexpected 'NOHDRS' after OPTION SINGLEHDR");
	expect_error("PMEMPOOLSET\nOPTION SINGLEHDR\n8M /a\nOPTION SINGLEHDR\n",
		"line 4: duplicate option SINGLEHDR (first given on line 2)");
	expect_error("PMEMPOOLSET\nOPTION NOHDRS\nOPTION SINGLEHDR\n\nOPTION NOHDRS\n",
		"line 5: duplicate option NOHDRS (first given on line 2)");
}

static void
replica_without_parts_fails_naming_its_line(void **state)
{
	(void)state;
	expect_error("PMEMPOOLSET\n8M /a\nREPLICA\nREPLICA\n8M /b\n", "line 3: REPLICA without parts");
	expect_error("PMEMPOOLSET\n8M /a\nREPLICA\n", "line 3: REPLICA without parts");
	expect_error("PMEMPOOLSET\n8M /a\nREPLICA\n# nothing\n\n", "line 3: REPLICA without parts");
	expect_error("PMEMPOOLSET\n8M /a\nREPLICA\nREPLICA h r.set\n", "line 3: REPLICA without parts");
}

static void
replica_before_the_first_part_fails(void **state)
{
	(void)state;
	const char *msg =
		"line 2: REPLICA before the first part (the primary replica is local and needs parts)";
	expect_error("PMEMPOOLSET\nREPLICA\n8M /a\n", msg);
	expect_error("PMEMPOOLSET\nREPLICA host r.set\n", msg);
}

static void
remote_replica_line_errors_name_the_line(void **state)
{
	(void)state;
	expect_error("PMEMPOOLSET\n8M /a\nREPLICA host\n",
		"line 3: remote replica 'host' lacks the pool set name (REPLICA [user@]host[:port] NAME)");
	expect_error("PMEMPOOLSET\n8M /a\nREPLICA host r.set extra\n",
		"line 3: unexpected 'extra' after the pool set name");
	expect_error("PMEMPOOLSET\n8M /a\nREPLICA -oProxyCommand=x r.set\n",
		"line 3: replica target '-oProxyCommand=x' starts with '-'");
	expect_error("PMEMPOOLSET\n8M /a\nREPLICA host /abs.set\n",
		"line 3: remote pool set name '/abs.set' is absolute (it names a file in rpmemd's poolset-dir)");
	expect_error("PMEMPOOLSET\n8M /a\nREPLICA host ../x.set\n",
		"line 3: remote pool set name '../x.set' leaves rpmemd's poolset-dir");
	expect_error("PMEMPOOLSET\n8M /a\nREPLICA host a/../../x.set\n",
		"line 3: remote pool set name 'a/../../x.set' leaves rpmemd's poolset-dir");
}

static void
part_after_a_remote_replica_fails(void **state)
{
	(void)state;
	expect_error("PMEMPOOLSET\n8M /a\nREPLICA host r.set\n8M /b\n",
		"line 4: part line after a remote replica (a remote replica has no part lines)");
}

static void
nul_byte_fails_naming_line_and_column(void **state)
{
	(void)state;
	const char text[] = "PMEMPOOLSET\n20M /a\0b\n";
	expect_error_n(text, sizeof(text) - 1, "line 2: NUL byte at column 7");
	const char in_comment[] = "PMEMPOOLSET\n20M /a #\0\n";
	expect_error_n(in_comment, sizeof(in_comment) - 1, "line 2: NUL byte at column 9");
}

static void
control_characters_fail_naming_line_and_column(void **state)
{
	(void)state;
	expect_error("PMEMPOOLSET\n20M\x01/a\n", "line 2: control character 0x01 at column 4");
	expect_error("PMEMPOOLSET\n20M /a\rb\n", "line 2: control character 0x0d at column 7");
	expect_error("PMEMPOOLSET\r\r\n8M /a\n", "line 1: control character 0x0d at column 12");
	expect_error("PMEMPOOLSET\n\x1b[31m\n", "line 2: control character 0x1b at column 1");
	expect_error("PMEMPOOLSET\n8M /a\x7f\n", "line 2: control character 0x7f at column 6");
}

static void
non_ascii_bytes_in_paths_are_kept(void **state)
{
	(void)state;
	struct poolset *set = parse_ok("PMEMPOOLSET\n8M /p\xc3\xa4rt\xff\n", NULL);
	assert_string_equal(set->replicas[0].parts[0].path, "/p\xc3\xa4rt\xff");
	poolset_free(set);
}

static void
line_longer_than_path_max_fails(void **state)
{
	(void)state;
	char *text = malloc(PATH_MAX + 64);
	assert_non_null(text);
	/* exactly PATH_MAX bytes: accepted */
	int n = sprintf(text, "PMEMPOOLSET\n8M /");
	size_t plen = PATH_MAX - 4;
	memset(text + n, 'a', plen);
	strcpy(text + n + plen, "\n");
	struct poolset *set = parse_ok(text, NULL);
	assert_int_equal(strlen(set->replicas[0].parts[0].path), PATH_MAX - 3);
	poolset_free(set);
	/* one more: refused, with a CR not counted */
	memset(text + n, 'a', plen + 1);
	strcpy(text + n + plen + 1, "\r\n");
	expect_error(text, "line 2: longer than 4096 bytes");
	free(text);
}

static void
part_path_too_long_with_the_set_directory_fails(void **state)
{
	(void)state;
	char *text = malloc(PATH_MAX + 64);
	assert_non_null(text);
	int n = sprintf(text, "PMEMPOOLSET\n8M ");
	memset(text + n, 'a', 4090);
	strcpy(text + n + 4090, "\n");
	struct poolset *set = NULL;
	assert_int_equal(poolset_parse(text, strlen(text), "/pools", &set), -EINVAL);
	assert_null(set);
	assert_string_equal(err_last(),
		"line 2: part path of 4097 bytes (with the set's directory) is longer than 4095 bytes");
	free(text);
}

/* every prefix of a valid file and every single-byte change parse or fail cleanly */
static void
truncated_and_mutated_texts_fail_cleanly(void **state)
{
	(void)state;
	const char *valid =
		"PMEMPOOLSET\r\n"
		"OPTION SINGLEHDR # c\n"
		"20M /p0\n"
		"1G\trel/p1\n"
		"REPLICA\n"
		"AUTO /dev/dax0.0\n"
		"REPLICA user@[::1]:22 r.set\n";
	size_t len = strlen(valid);
	char *buf = malloc(len);
	assert_non_null(buf);
	static const char bytes[] = { '\0', '\n', '\r', ' ', '#', '/', '.', 'Q', '9', '\x80' };
	for (size_t i = 0; i <= len; i++) {
		struct poolset *set = NULL;
		int ret = poolset_parse(valid, i, "dir", &set);
		assert_true(ret == 0 || ret == -EINVAL);
		assert_true(ret == 0 ? set != NULL : set == NULL && err_last()[0] != '\0');
		poolset_free(set);
	}
	for (size_t i = 0; i < len; i++) {
		for (size_t b = 0; b < sizeof(bytes); b++) {
			memcpy(buf, valid, len);
			buf[i] = bytes[b];
			struct poolset *set = NULL;
			int ret = poolset_parse(buf, len, NULL, &set);
			assert_true(ret == 0 || ret == -EINVAL);
			assert_true(ret == 0 ? set != NULL : set == NULL && err_last()[0] != '\0');
			poolset_free(set);
		}
	}
	free(buf);
}

static void
poolset_free_accepts_null(void **state)
{
	(void)state;
	poolset_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(single_part_set_parses_into_one_local_replica),
		cmocka_unit_test(size_suffixes_are_pmdks_binary_and_si_units),
		cmocka_unit_test(auto_size_is_recorded_as_zero),
		cmocka_unit_test(relative_part_paths_are_joined_to_the_set_directory),
		cmocka_unit_test(without_a_set_directory_paths_stay_as_written),
		cmocka_unit_test(options_are_recorded_wherever_they_appear),
		cmocka_unit_test(comments_blank_lines_and_tabs_are_ignored),
		cmocka_unit_test(crlf_line_endings_are_accepted),
		cmocka_unit_test(last_line_without_newline_is_parsed),
		cmocka_unit_test(text_need_not_be_nul_terminated),
		cmocka_unit_test(local_and_remote_replicas_are_recorded_in_order),
		cmocka_unit_test(a_set_of_1024_parts_parses),
		cmocka_unit_test(more_than_1024_parts_fail_naming_the_line),
		cmocka_unit_test(more_than_1024_replicas_fail_naming_the_line),
		cmocka_unit_test(missing_signature_fails_on_line_1),
		cmocka_unit_test(signature_followed_by_more_fails),
		cmocka_unit_test(signature_on_a_later_line_fails),
		cmocka_unit_test(set_without_parts_fails),
		cmocka_unit_test(part_size_that_is_not_a_size_fails_naming_the_line),
		cmocka_unit_test(part_size_overflowing_64_bits_fails),
		cmocka_unit_test(part_size_zero_fails),
		cmocka_unit_test(part_line_without_path_fails_naming_the_line),
		cmocka_unit_test(part_line_with_trailing_garbage_fails),
		cmocka_unit_test(duplicate_part_path_fails_naming_both_lines),
		cmocka_unit_test(option_errors_name_the_line_and_the_option),
		cmocka_unit_test(replica_without_parts_fails_naming_its_line),
		cmocka_unit_test(replica_before_the_first_part_fails),
		cmocka_unit_test(remote_replica_line_errors_name_the_line),
		cmocka_unit_test(part_after_a_remote_replica_fails),
		cmocka_unit_test(nul_byte_fails_naming_line_and_column),
		cmocka_unit_test(control_characters_fail_naming_line_and_column),
		cmocka_unit_test(non_ascii_bytes_in_paths_are_kept),
		cmocka_unit_test(line_longer_than_path_max_fails),
		cmocka_unit_test(part_path_too_long_with_the_set_directory_fails),
		cmocka_unit_test(truncated_and_mutated_texts_fail_cleanly),
		cmocka_unit_test(poolset_free_accepts_null),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
