/* fabric_provider.c -- which libfabric providers the RPMEM_* environment allows, the choice among them, address strings */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "test_common.h"

#include "err.h"
#include "fabric.h"

static int
clear_env(void **state)
{
	(void)state;
	unsetenv("RPMEM_PROVIDER");
	unsetenv("RPMEM_ENABLE_VERBS");
	unsetenv("RPMEM_ENABLE_TCP");
	unsetenv("RPMEM_ENABLE_SOCKETS");
	return 0;
}

static void
default_allows_verbs_and_tcp_not_sockets(void **state)
{
	(void)state;
	unsigned mask = 0;
	assert_int_equal(fabric_provider_from_env(&mask), 0);
	assert_int_equal(mask, FABRIC_PROV_VERBS | FABRIC_PROV_TCP);
}

static void
enable_sockets_adds_sockets(void **state)
{
	(void)state;
	setenv("RPMEM_ENABLE_SOCKETS", "1", 1);
	unsigned mask = 0;
	assert_int_equal(fabric_provider_from_env(&mask), 0);
	assert_int_equal(mask, FABRIC_PROV_ALL);
}

static void
enable_verbs_0_and_tcp_0_leave_only_sockets(void **state)
{
	(void)state;
	setenv("RPMEM_ENABLE_VERBS", "0", 1);
	setenv("RPMEM_ENABLE_TCP", "no", 1);
	setenv("RPMEM_ENABLE_SOCKETS", "yes", 1);
	unsigned mask = 0;
	assert_int_equal(fabric_provider_from_env(&mask), 0);
	assert_int_equal(mask, FABRIC_PROV_SOCKETS);
}

static void
provider_variable_forces_one_over_the_enable_flags(void **state)
{
	(void)state;
	setenv("RPMEM_ENABLE_SOCKETS", "0", 1);
	setenv("RPMEM_PROVIDER", "sockets", 1);
	unsigned mask = 0;
	assert_int_equal(fabric_provider_from_env(&mask), 0);
	assert_int_equal(mask, FABRIC_PROV_SOCKETS);
}

static void
unknown_provider_fails_with_einval_naming_it(void **state)
{
	(void)state;
	setenv("RPMEM_PROVIDER", "psm2", 1);
	unsigned mask = 0;
	assert_int_equal(fabric_provider_from_env(&mask), -EINVAL);
	assert_string_equal(err_last(), "fabric: RPMEM_PROVIDER=psm2 is not a "
		"provider (verbs, tcp or sockets)");
}

static void
non_boolean_enable_flag_fails_with_einval_naming_it(void **state)
{
	(void)state;
	setenv("RPMEM_ENABLE_SOCKETS", "maybe", 1);
	unsigned mask = 0;
	assert_int_equal(fabric_provider_from_env(&mask), -EINVAL);
	assert_string_equal(err_last(), "fabric: RPMEM_ENABLE_SOCKETS=maybe is not "
		"a boolean (0 or 1)");
}

static void
provider_names_round_trip(void **state)
{
	(void)state;
	enum fabric_provider p;
	assert_int_equal(fabric_provider_parse("tcp", &p), 0);
	assert_int_equal(p, FABRIC_PROV_TCP);
	assert_string_equal(fabric_provider_name(p), "tcp");
	assert_int_equal(fabric_provider_parse("verbs", &p), 0);
	assert_string_equal(fabric_provider_name(p), "verbs");
	assert_int_equal(fabric_provider_parse("sockets", &p), 0);
	assert_string_equal(fabric_provider_name(p), "sockets");
	assert_int_equal(fabric_provider_parse("TCP", &p), -EINVAL);
	assert_string_equal(err_last(), "fabric: unknown provider 'TCP' (verbs, "
		"tcp or sockets)");
}

static void
choice_prefers_tcp_over_sockets(void **state)
{
	(void)state;
	struct fi_info *info;
	if (fabric_getinfo(FABRIC_PROV_TCP, "127.0.0.1", "0", 1, &info))
		SKIP_BECAUSE("libfabric provider tcp is not available on 127.0.0.1");
	fi_freeinfo(info);

	enum fabric_provider p = 0;
	assert_int_equal(fabric_getinfo_any(FABRIC_PROV_TCP | FABRIC_PROV_SOCKETS,
		"127.0.0.1", "0", 1, &p, &info), 0);
	assert_int_equal(p, FABRIC_PROV_TCP);
	assert_string_equal(info->fabric_attr->prov_name, "tcp");
	assert_int_equal(info->ep_attr->type, FI_EP_MSG);
	fi_freeinfo(info);
}

static void
choice_with_nothing_enabled_fails_with_eprotonosupport(void **state)
{
	(void)state;
	struct fi_info *info = NULL;
	enum fabric_provider p = 0;
	assert_int_equal(fabric_getinfo_any(0, "127.0.0.1", "7000", 0, &p, &info),
		-EPROTONOSUPPORT);
	assert_string_equal(err_last(), "fabric: no enabled provider (none) can "
		"reach 127.0.0.1:7000");
	assert_null(info);
}

static void
addresses_print_as_host_colon_port_with_brackets_for_ipv6(void **state)
{
	(void)state;
	char buf[FABRIC_ADDR_STR_MAX];
	struct sockaddr_in in = { .sin_family = AF_INET, .sin_port = htons(40000) };
	inet_pton(AF_INET, "127.0.0.1", &in.sin_addr);
	fabric_addr_str(&in, sizeof(in), buf, sizeof(buf));
	assert_string_equal(buf, "127.0.0.1:40000");

	struct sockaddr_in6 in6 = { .sin6_family = AF_INET6, .sin6_port = htons(7) };
	inet_pton(AF_INET6, "fd00::2", &in6.sin6_addr);
	fabric_addr_str(&in6, sizeof(in6), buf, sizeof(buf));
	assert_string_equal(buf, "[fd00::2]:7");

	fabric_addr_str(NULL, 0, buf, sizeof(buf));
	assert_string_equal(buf, "?");
	fabric_addr_str(&in, sizeof(in) - 1, buf, sizeof(buf));
	assert_string_equal(buf, "?");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(default_allows_verbs_and_tcp_not_sockets, clear_env),
		cmocka_unit_test_setup(enable_sockets_adds_sockets, clear_env),
		cmocka_unit_test_setup(enable_verbs_0_and_tcp_0_leave_only_sockets, clear_env),
		cmocka_unit_test_setup(provider_variable_forces_one_over_the_enable_flags,
			clear_env),
		cmocka_unit_test_setup(unknown_provider_fails_with_einval_naming_it,
			clear_env),
		cmocka_unit_test_setup(non_boolean_enable_flag_fails_with_einval_naming_it,
			clear_env),
		cmocka_unit_test(provider_names_round_trip),
		cmocka_unit_test(choice_prefers_tcp_over_sockets),
		cmocka_unit_test(choice_with_nothing_enabled_fails_with_eprotonosupport),
		cmocka_unit_test(addresses_print_as_host_colon_port_with_brackets_for_ipv6),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
