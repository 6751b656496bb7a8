/* netns_world.c -- a world made and destroyed: names after this process, the hub's bridge, a veth cable and an address per host */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "netns_impl.h"

void
netns_world_names(struct netns_world *w, int nhosts, int seq)
{
	/* pid_max is at most 2^22: seven digits, and interface names fit in IFNAMSIZ */
	unsigned pid = (unsigned)getpid() % 10000000u;
	memset(w, 0, sizeof(*w));
	w->nhosts = nhosts;
	snprintf(w->prefix, sizeof(w->prefix), "rpt%u", pid);
	snprintf(w->hub, sizeof(w->hub), "rpt%uw%dhub", pid, seq);
	snprintf(w->bridge, sizeof(w->bridge), "rpt%ubr", pid);
	snprintf(w->ifname, sizeof(w->ifname), "rpt%ueth", pid);
	for (int i = 0; i < nhosts && i < NETNS_MAX_HOSTS; i++) {
		snprintf(w->name[i], sizeof(w->name[i]), "rpt%uw%dh%d", pid, seq, i);
		snprintf(w->addr[i], sizeof(w->addr[i]), NETNS_SUBNET "%d", 1 + i);
		snprintf(w->port[i], sizeof(w->port[i]), "rpt%up%d", pid, i % NETNS_MAX_HOSTS);
	}
}

/* the namespaces, the bridge, and each host's cable to it */
static int
build(const struct netns_world *w, char *why, size_t whylen)
{
	const char *hub = w->hub;
	if (netns_tool_why(why, whylen, "ip", "netns", "add", hub) != 0 ||
	    netns_tool_why(why, whylen, "ip", "-n", hub, "link", "add", w->bridge, "type",
		    "bridge") != 0 ||
	    netns_tool_why(why, whylen, "ip", "-n", hub, "link", "set", w->bridge, "up") != 0)
		return -1;
	for (int i = 0; i < w->nhosts; i++) {
		const char *host = w->name[i];
		char cidr[32];
		snprintf(cidr, sizeof(cidr), "%s/24", w->addr[i]);
		/* made inside the host, its peer straight in the hub: never in the root namespace */
		if (netns_tool_why(why, whylen, "ip", "netns", "add", host) != 0 ||
		    netns_tool_why(why, whylen, "ip", "-n", host, "link", "set", "lo", "up") != 0 ||
		    netns_tool_why(why, whylen, "ip", "-n", host, "link", "add", w->ifname, "type",
			    "veth", "peer", "name", w->port[i], "netns", hub) != 0 ||
		    netns_tool_why(why, whylen, "ip", "-n", host, "addr", "add", cidr, "dev",
			    w->ifname) != 0 ||
		    netns_tool_why(why, whylen, "ip", "-n", host, "link", "set", w->ifname, "up") != 0 ||
		    netns_tool_why(why, whylen, "ip", "-n", hub, "link", "set", w->port[i], "master",
			    w->bridge, "up") != 0)
			return -1;
	}
	return 0;
}

int
netns_world_create(struct netns_world *w, int nhosts, char *why, size_t whylen)
{
	char reason[512];
	memset(w, 0, sizeof(*w));
	if (nhosts < 1 || nhosts > NETNS_MAX_HOSTS) {
		snprintf(why, whylen, "nhosts %d is not within 1..%d", nhosts, NETNS_MAX_HOSTS);
		return -1;
	}
	netns_sweep_stale();
	if (netns_watch(w, nhosts, why, whylen) != 0)
		return -1;
	if (build(w, reason, sizeof(reason)) != 0) {
		netns_world_destroy(w);
		snprintf(why, whylen, "cannot create network namespaces: %s", reason);
		return -1;
	}
	return 0;
}

void
netns_world_destroy(struct netns_world *w)
{
	if (!w->live)
		return;
	w->live = 0;
	netns_world_teardown(w);
	netns_unwatch(w);
}

int
netns_host_ok(const struct netns_world *w, int host)
{
	if (w->live && host >= 0 && host < w->nhosts)
		return 1;
	fprintf(stderr, "netns: no host %d in world %s\n", host, w->hub);
	return 0;
}
