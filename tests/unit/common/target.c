/* target.c -- target_parse: user/node/port split, IPv6 brackets, PMDK's address cases, refused input */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "test_common.h"
#include "err.h"
#include "target.h"

static void
expect_target(const char *s, const char *user, const char *node,
	const char *service)
{
	struct target t;
	int ret = target_parse(s, &t);
	if (ret != 0)
		fail_msg("target_parse(\"%s\") = %d: %s", s, ret, err_last());
	assert_string_equal(t.user, user);
	assert_string_equal(t.node, node);
	assert_string_equal(t.service, service);
	assert_int_equal(t.port, service[0] == '\0' ? 0 : (unsigned)atoi(service));
}

static void
expect_refused(const char *s, const char *msg)
{
	struct target t;
	int ret = target_parse(s, &t);
	if (ret != -EINVAL)
		fail_msg("target_parse(\"%s\") = %d, expected -EINVAL", s, ret);
	assert_string_equal(err_last(), msg);
}

/* the triples of PMDK's rpmem_addr test */
static void
rpmem_addr_cases_split_into_user_node_and_service(void **state)
{
	(void)state;
	expect_target("host", "", "host", "");
	expect_target("user@host", "user", "host", "");
	expect_target("user@host:1234", "user", "host", "1234");
	expect_target("127.0.0.1", "", "127.0.0.1", "");
	expect_target("user@127.0.0.1", "user", "127.0.0.1", "");
	expect_target("user@127.0.0.1:1234", "user", "127.0.0.1", "1234");
	expect_target("::1", "", "::1", "");
	expect_target("user@::1", "user", "::1", "");
	expect_target("user@[::1]:1234", "user", "::1", "1234");
}

static void
bracketed_ipv6_literals_take_an_optional_port(void **state)
{
	(void)state;
	expect_target("[::1]:2222", "", "::1", "2222");
	expect_target("[::1]", "", "::1", "");
	expect_target("user@[fe80::1]", "user", "fe80::1", "");
	expect_target("[fe80::1%eth0]:22", "", "fe80::1%eth0", "22");
	expect_target("[::ffff:192.168.0.1]", "", "::ffff:192.168.0.1", "");
}

static void
a_host_with_two_colons_and_no_brackets_is_a_whole_ipv6_node(void **state)
{
	(void)state;
	expect_target("fe80::1:22", "", "fe80::1:22", "");
	expect_target("u@2001:db8::7", "u", "2001:db8::7", "");
	expect_target("fe80::1%eth0", "", "fe80::1%eth0", "");
}

static void
names_with_dots_dashes_and_underscores_are_accepted(void **state)
{
	(void)state;
	expect_target("my-user.x_1@node-1.example.com:65535", "my-user.x_1",
		"node-1.example.com", "65535");
	expect_target("host.", "", "host.", "");
	expect_target("h:1", "", "h", "1");
}

static void
the_port_is_stored_in_canonical_decimal(void **state)
{
	(void)state;
	expect_target("host:0022", "", "host", "22");
}

/* PMDK's rpmem_addr_ext targets: refused here already, not at provider lookup */
static void
rpmem_addr_ext_malformed_targets_are_refused(void **state)
{
	(void)state;
	expect_refused("user 192.168.0.182 22",
		"invalid character 0x20 at offset 4 in target");
	expect_refused("user:..::22",
		"invalid IPv6 address 'user:..::22' in target 'user:..::22'");
	expect_refused("user::...:22",
		"invalid IPv6 address 'user::...:22' in target 'user::...:22'");
	expect_refused("user@192.168.0.18222",
		"invalid IPv4 address '192.168.0.18222' in target 'user@192.168.0.18222'");
	expect_refused("user@..@22", "more than one '@' in target 'user@..@22'");
	expect_refused("user:..:22",
		"invalid IPv6 address 'user:..:22' in target 'user:..:22'");
	expect_refused("user|..:22", "invalid character '|' at offset 4 in target");
	expect_refused("user@..|22", "invalid character '|' at offset 7 in target");
	expect_refused("user@.ip:22", "invalid host name '.ip' in target 'user@.ip:22'");
	expect_refused("user@:ip:22",
		"invalid IPv6 address ':ip:22' in target 'user@:ip:22'");
	expect_refused("user@@ip:22", "more than one '@' in target 'user@@ip:22'");
}

/* the hosts of PMDK's rpmem_obc TEST1 that only ssh refused there */
static void
malformed_ip_addresses_are_refused(void **state)
{
	(void)state;
	expect_refused("127.0.0.1::123",
		"invalid IPv6 address '127.0.0.1::123' in target '127.0.0.1::123'");
	expect_refused("127.0.0.0.1",
		"invalid IPv4 address '127.0.0.0.1' in target '127.0.0.0.1'");
	expect_refused("999.0.0.1",
		"invalid IPv4 address '999.0.0.1' in target '999.0.0.1'");
	expect_refused("[host]:22", "invalid IPv6 address 'host' in target '[host]:22'");
	expect_refused("[fe80::1%]", "empty zone in IPv6 address 'fe80::1%' in target '[fe80::1%]'");
	expect_refused("[fe80::1%e%0]",
		"invalid character '%' in the zone of IPv6 address 'fe80::1%e%0' in target '[fe80::1%e%0]'");
}

/* PMDK's port messages, verbatim */
static void
bad_ports_are_refused_with_pmdk_messages(void **state)
{
	(void)state;
	expect_refused("host:", "invalid port number -- ''");
	expect_refused("host:-1", "port number must be positive");
	expect_refused("host:0", "port number must be positive");
	expect_refused("host:-", "invalid port number -- '-'");
	expect_refused("host:65536", "port number too large");
	expect_refused("host:12345678", "port number too large");
	expect_refused("host:99999999999999999999999", "port number too large");
	expect_refused("host:port", "invalid port number -- 'port'");
	expect_refused("host:port123", "invalid port number -- 'port123'");
	expect_refused("host:123port", "invalid port number -- '123port'");
	expect_refused("[::1]:", "invalid port number -- ''");
	expect_refused("[::1]:22:33", "invalid port number -- '22:33'");
}

static void
empty_parts_are_refused(void **state)
{
	(void)state;
	expect_refused("", "empty target");
	expect_refused(NULL, "empty target");
	expect_refused("@host", "empty user name in target '@host'");
	expect_refused("user@", "empty node in target 'user@'");
	expect_refused(":22", "empty node in target ':22'");
	expect_refused("user@:22", "empty node in target 'user@:22'");
	expect_refused("[]:22", "empty node in target '[]:22'");
}

static void
brackets_must_close_and_end_the_node(void **state)
{
	(void)state;
	expect_refused("[::1", "missing ']' in target '[::1'");
	expect_refused("user@[::1:22", "missing ']' in target 'user@[::1:22'");
	expect_refused("[::1]x", "garbage after ']' in target '[::1]x'");
	expect_refused("[::1]]", "garbage after ']' in target '[::1]]'");
	expect_refused("ho[st", "invalid character '[' in host name 'ho[st' in target 'ho[st'");
	expect_refused("[u]@host", "invalid character '[' in user name '[u]' in target '[u]@host'");
}

/* the parts reach ssh's argv and the remote shell: nothing a shell interprets passes */
static void
shell_metacharacters_whitespace_and_controls_are_refused(void **state)
{
	(void)state;
	const char *meta = ";|&$`'\"<>()\\*?!~#^={},+/";
	for (const char *m = meta; *m != '\0'; m++) {
		char s[32], msg[64];
		snprintf(s, sizeof(s), "us%cer@host:22", *m);
		snprintf(msg, sizeof(msg), "invalid character '%c' at offset 2 in target", *m);
		expect_refused(s, msg);
	}
	expect_refused("host\t", "invalid character 0x09 at offset 4 in target");
	expect_refused("host\n;reboot", "invalid character 0x0a at offset 4 in target");
	expect_refused("ho\x7fst", "invalid character 0x7f at offset 2 in target");
	expect_refused("h\xc3\xa9", "invalid character 0xc3 at offset 1 in target");
	expect_refused("$(reboot)@host", "invalid character '$' at offset 0 in target");
}

/* a leading '-' would make ssh read the part as an option (-oProxyCommand=...) */
static void
parts_beginning_with_a_dash_are_refused(void **state)
{
	(void)state;
	expect_refused("-oProxyCommand", "invalid host name '-oProxyCommand' in target '-oProxyCommand'");
	expect_refused("-l@host",
		"user name '-l' must not begin with '-' in target '-l@host'");
	expect_refused("u@-host:22", "invalid host name '-host' in target 'u@-host:22'");
	expect_refused("a..b", "invalid host name 'a..b' in target 'a..b'");
}

static void
overlong_targets_and_parts_are_refused(void **state)
{
	(void)state;
	char s[TARGET_MAX_LEN + 16];
	memset(s, 'a', sizeof(s) - 1);
	s[sizeof(s) - 1] = '\0';
	expect_refused(s, "target too long (at most 511 bytes)");

	char u[80 + 6];
	memset(u, 'u', 80);
	memcpy(u + 80, "@host", 6);
	char msg[256];
	snprintf(msg, sizeof(msg),
		"user name too long (80 bytes, at most 64) in target '%s'", u);
	expect_refused(u, msg);

	char h[300];
	memset(h, 'h', 299);
	h[299] = '\0';
	char msg2[600];
	snprintf(msg2, sizeof(msg2),
		"node too long (299 bytes, at most 255) in target '%s'", h);
	expect_refused(h, msg2);

	char ok[TARGET_MAX_LEN];
	memset(ok, 'h', 255);
	ok[255] = '\0';
	expect_target(ok, "", ok, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rpmem_addr_cases_split_into_user_node_and_service),
		cmocka_unit_test(bracketed_ipv6_literals_take_an_optional_port),
		cmocka_unit_test(a_host_with_two_colons_and_no_brackets_is_a_whole_ipv6_node),
		cmocka_unit_test(names_with_dots_dashes_and_underscores_are_accepted),
		cmocka_unit_test(the_port_is_stored_in_canonical_decimal),
		cmocka_unit_test(rpmem_addr_ext_malformed_targets_are_refused),
		cmocka_unit_test(malformed_ip_addresses_are_refused),
		cmocka_unit_test(bad_ports_are_refused_with_pmdk_messages),
		cmocka_unit_test(empty_parts_are_refused),
		cmocka_unit_test(brackets_must_close_and_end_the_node),
		cmocka_unit_test(shell_metacharacters_whitespace_and_controls_are_refused),
		cmocka_unit_test(parts_beginning_with_a_dash_are_refused),
		cmocka_unit_test(overlong_targets_and_parts_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
