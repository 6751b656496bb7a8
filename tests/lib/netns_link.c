/* netns_link.c -- a host's cable: pulled out of the hub and plugged back, its egress shaped by a qdisc, the qdisc's counters */
#include <stdio.h>
#include <string.h>

#include "netns_impl.h"

int
netns_link_set(struct netns_world *w, int host, int up)
{
	char why[512];
	if (!netns_host_ok(w, host))
		return -1;
	if (netns_tool_why(why, sizeof(why), "ip", "-n", w->hub, "link", "set", w->port[host],
			up ? "up" : "down") != 0) {
		fprintf(stderr, "netns: %s\n", why);
		return -1;
	}
	return 0;
}

int
netns_qdisc_set(struct netns_world *w, int host, const char *args, char *why, size_t whylen)
{
	if (!netns_host_ok(w, host)) {
		snprintf(why, whylen, "no host %d in world %s", host, w->hub);
		return -1;
	}
	if (args == NULL) {
		if (netns_tool_why(why, whylen, "tc", "-n", w->name[host], "qdisc", "del", "dev",
				w->ifname, "root") == 0)
			return 0;
		/* the default qdisc is there already: nothing to remove */
		return strstr(why, "handle of zero") != NULL ? 0 : -1;
	}

	char buf[256];
	char *argv[NETNS_MAX_ARGS] = { "-n", w->name[host], "qdisc", "replace", "dev", w->ifname,
		"root" };
	int argc = 7;
	snprintf(buf, sizeof(buf), "%s", args);
	char *save;
	for (char *t = strtok_r(buf, " \t", &save); t != NULL; t = strtok_r(NULL, " \t", &save)) {
		if (argc == NETNS_MAX_ARGS - 1) {
			snprintf(why, whylen, "too many words in qdisc \"%s\"", args);
			return -1;
		}
		argv[argc++] = t;
	}
	argv[argc] = NULL;
	if (argc == 7) {
		snprintf(why, whylen, "no qdisc in \"%s\"", args);
		return -1;
	}

	char reason[512];
	if (netns_tool_argv(NULL, 0, reason, sizeof(reason), "tc", argv) == 0)
		return 0;
	if (strstr(reason, "kind is unknown") != NULL)
		snprintf(why, whylen, "qdisc %s not supported by this kernel (%s)", argv[7], reason);
	else if (strstr(reason, "Unknown qdisc") != NULL)
		snprintf(why, whylen, "qdisc %s not supported by tc(8) here (%s)", argv[7], reason);
	else
		snprintf(why, whylen, "%s", reason);
	return -1;
}

int
netns_qdisc_show(const struct netns_world *w, int host, char *buf, size_t len)
{
	char why[512];
	if (!netns_host_ok(w, host))
		return -1;
	if (netns_tool(buf, len, why, sizeof(why), "tc", "-s", "-n", w->name[host], "qdisc", "show",
			"dev", w->ifname, (const char *)NULL) != 0) {
		fprintf(stderr, "netns: %s\n", why);
		return -1;
	}
	return 0;
}
