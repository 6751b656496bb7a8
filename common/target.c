/* target.c -- "[user@]host[:port]" parser: refuses anything ssh or a shell could misread */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "target.h"

static int
is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		(c >= '0' && c <= '9');
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* letters, digits and the punctuation of user names, host names and IPv6 literals */
static int
is_target_char(char c)
{
	return is_alnum(c) || strchr(".-_@:[]%", c) != NULL;
}

/* the characters of a user name, a host name or an IPv6 zone */
static int
is_name_char(char c)
{
	return is_alnum(c) || c == '.' || c == '-' || c == '_';
}

static int
check_chars(const char *target, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)target[i];
		if (is_target_char((char)c))
			continue;
		if (c > 0x20 && c < 0x7f)
			return err_set(-EINVAL,
				"invalid character '%c' at offset %zu in target",
				c, i);
		return err_set(-EINVAL,
			"invalid character 0x%02x at offset %zu in target", c, i);
	}
	return 0;
}

/* copies [s, s + len) into dst (size bytes); fails when it does not fit */
static int
copy_part(char *dst, size_t size, const char *s, size_t len, const char *what,
	const char *target)
{
	if (len >= size)
		return err_set(-EINVAL, "%s too long (%zu bytes, at most %zu) in target '%s'",
			what, len, size - 1, target);
	memcpy(dst, s, len);
	dst[len] = '\0';
	return 0;
}

static int
check_user(const char *user, const char *target)
{
	if (user[0] == '-')
		return err_set(-EINVAL, "user name '%s' must not begin with '-' in target '%s'",
			user, target);
	for (const char *p = user; *p != '\0'; p++) {
		if (!is_name_char(*p))
			return err_set(-EINVAL,
				"invalid character '%c' in user name '%s' in target '%s'",
				*p, user, target);
	}
	return 0;
}

/* an IPv6 literal, optionally with a "%zone" (interface) suffix */
static int
check_ipv6(const char *node, const char *target)
{
	char addr[TARGET_NODE_MAX];
	const char *zone = strchr(node, '%');
	size_t alen = zone != NULL ? (size_t)(zone - node) : strlen(node);
	memcpy(addr, node, alen);
	addr[alen] = '\0';

	struct in6_addr in6;
	if (inet_pton(AF_INET6, addr, &in6) != 1)
		return err_set(-EINVAL, "invalid IPv6 address '%s' in target '%s'",
			node, target);
	if (zone == NULL)
		return 0;
	if (zone[1] == '\0')
		return err_set(-EINVAL, "empty zone in IPv6 address '%s' in target '%s'",
			node, target);
	for (const char *p = zone + 1; *p != '\0'; p++) {
		if (!is_name_char(*p))
			return err_set(-EINVAL,
				"invalid character '%c' in the zone of IPv6 address '%s' in target '%s'",
				*p, node, target);
	}
	return 0;
}

/* a host name or a dotted-quad IPv4 address */
static int
check_host(const char *node, const char *target)
{
	int numeric = 1;
	for (const char *p = node; *p != '\0'; p++) {
		if (!is_name_char(*p))
			return err_set(-EINVAL,
				"invalid character '%c' in host name '%s' in target '%s'",
				*p, node, target);
		if (!is_digit(*p) && *p != '.')
			numeric = 0;
	}
	if (node[0] == '-' || node[0] == '.' || strstr(node, "..") != NULL)
		return err_set(-EINVAL, "invalid host name '%s' in target '%s'",
			node, target);

	struct in_addr in4;
	if (numeric && inet_pton(AF_INET, node, &in4) != 1)
		return err_set(-EINVAL, "invalid IPv4 address '%s' in target '%s'",
			node, target);
	return 0;
}

/* PMDK's rules and messages; stores the canonical decimal form */
static int
parse_port(const char *s, struct target *out)
{
	const char *p = s;
	int negative = 0;
	if (*p == '-') {
		negative = 1;
		p++;
	}
	if (*p == '\0')
		return err_set(-EINVAL, "invalid port number -- '%s'", s);

	unsigned long v = 0;
	for (; *p != '\0'; p++) {
		if (!is_digit(*p))
			return err_set(-EINVAL, "invalid port number -- '%s'", s);
		if (v <= 65535) /* saturates: only "too large" matters beyond */
			v = v * 10 + (unsigned long)(*p - '0');
	}
	if (negative || v == 0)
		return err_set(-EINVAL, "port number must be positive");
	if (v > 65535)
		return err_set(-EINVAL, "port number too large");

	out->port = (unsigned)v;
	snprintf(out->service, sizeof(out->service), "%u", out->port);
	return 0;
}

/* splits "host", "host:port", "[v6]", "[v6]:port" or "v6" (two or more colons) */
static int
split_host(const char *host, const char *target, struct target *out,
	const char **port, int *ipv6)
{
	const char *node = host;
	size_t nlen;
	*port = NULL;
	*ipv6 = 0;

	if (host[0] == '[') {
		const char *close = strchr(host, ']');
		if (close == NULL)
			return err_set(-EINVAL, "missing ']' in target '%s'", target);
		if (close[1] != '\0' && close[1] != ':')
			return err_set(-EINVAL, "garbage after ']' in target '%s'", target);
		if (close[1] == ':')
			*port = close + 2;
		node = host + 1;
		nlen = (size_t)(close - node);
		*ipv6 = 1;
	} else {
		const char *colon = strchr(host, ':');
		if (colon != NULL && strchr(colon + 1, ':') != NULL) {
			nlen = strlen(host);
			*ipv6 = 1;
		} else if (colon != NULL) {
			nlen = (size_t)(colon - host);
			*port = colon + 1;
		} else {
			nlen = strlen(host);
		}
	}
	if (nlen == 0)
		return err_set(-EINVAL, "empty node in target '%s'", target);
	return copy_part(out->node, sizeof(out->node), node, nlen, "node", target);
}

int
target_parse(const char *target, struct target *out)
{
	memset(out, 0, sizeof(*out));
	if (target == NULL || target[0] == '\0')
		return err_set(-EINVAL, "empty target");
	size_t len = strnlen(target, TARGET_MAX_LEN);
	if (len == TARGET_MAX_LEN)
		return err_set(-EINVAL, "target too long (at most %d bytes)",
			TARGET_MAX_LEN - 1);
	int ret = check_chars(target, len);
	if (ret != 0)
		return ret;

	const char *host = target;
	const char *at = strchr(target, '@');
	if (at != NULL) {
		if (strchr(at + 1, '@') != NULL)
			return err_set(-EINVAL, "more than one '@' in target '%s'", target);
		if (at == target)
			return err_set(-EINVAL, "empty user name in target '%s'", target);
		ret = copy_part(out->user, sizeof(out->user), target,
			(size_t)(at - target), "user name", target);
		if (ret == 0)
			ret = check_user(out->user, target);
		if (ret != 0)
			return ret;
		host = at + 1;
	}

	const char *port;
	int ipv6;
	ret = split_host(host, target, out, &port, &ipv6);
	if (ret != 0)
		return ret;
	ret = ipv6 ? check_ipv6(out->node, target) : check_host(out->node, target);
	if (ret != 0)
		return ret;
	return port != NULL ? parse_port(port, out) : 0;
}
