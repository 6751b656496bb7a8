/* netns.h -- two or three "hosts" on this machine made of network namespaces, for two-node tests */
#ifndef NETNS_H
#define NETNS_H 1

/*
 * A world is nhosts network namespaces ("hosts") joined by a bridge in one
 * more namespace (the hub), all named after this process: rpt<pid>w<n>h<i>
 * and rpt<pid>w<n>hub. Host i has lo up and one end of a veth pair, ifname,
 * with 169.254.77.<1+i>/24; the other end, rpt<pid>p<i>, is a port of the
 * hub's bridge rpt<pid>br. There is no default route and nothing in the
 * root namespace: traffic between hosts goes through the hub and nowhere
 * else, and the hosts reach nothing of the root namespace, not even its
 * loopback. The namespaces are made with ip(8) (tc(8) for qdiscs), so a
 * failure says what ip said.
 *
 * Processes enter a host with netns_spawn (exec a program) or netns_run (a
 * function in a forked child); netns_socket makes a socket there from this
 * process. Only the network namespace changes: /sys still shows the root
 * namespace's interfaces, the file system is the same. netns_link_set
 * pulls host i's cable out of the hub (the host keeps its address and
 * routes and sees no carrier; packets in both directions are lost, TCP
 * connections stall and resume when the cable is back), netns_qdisc_set
 * shapes what host i sends.
 *
 * Cleanup also happens when a test fails: netns_world_destroy kills every
 * process in the namespaces and deletes them; an atexit handler destroys
 * the worlds this process left; a guardian process (own process group, not
 * in the namespaces) destroys them when this process dies without exiting
 * (a signal, the runner's timeout); and netns_world_create first deletes
 * the worlds of rpt<pid> processes that no longer exist. The guardian is a
 * child of this process: wait for the pids you started, not for any child.
 *
 * The processes are found by comparing /proc/<pid>/ns/net with the
 * namespace (what `ip netns pids` does). Everything here needs root (or
 * CAP_SYS_ADMIN and CAP_NET_ADMIN); where that is missing, create fails
 * with the reason, and the tests skip with it.
 */

#include <stddef.h>
#include <sys/types.h>

#define NETNS_MAX_HOSTS 3
#define NETNS_SUBNET "169.254.77."

struct netns_world {
	int nhosts;
	char name[NETNS_MAX_HOSTS][32];	/* namespace of host i */
	char addr[NETNS_MAX_HOSTS][16];	/* "169.254.77.<1+i>" */
	char ifname[16];			/* the host side interface, same name in every host ns */
	char hub[32];			/* namespace of the bridge */
	char bridge[16];		/* the bridge, in hub */
	char port[NETNS_MAX_HOSTS][16];	/* hub side of host i's veth pair, in hub */
	char prefix[16];		/* "rpt<pid>": every name above starts with it */
	int live;			/* created and not destroyed yet */
	pid_t guardian;			/* tears the world down if this process dies first */
};

/* 0, or -1 with why filled (e.g. "cannot create network namespaces: ip netns add rpt7w0hub: ...") */
int netns_world_create(struct netns_world *w, int nhosts, char *why, size_t whylen);

/*
 * Kills every process inside the namespaces (SIGKILL, until none is left,
 * bounded), reaps those that were children of this process, deletes the
 * namespaces; idempotent.
 */
void netns_world_destroy(struct netns_world *w);

/* host i's link down (0) or up (1), at the hub's side; 0 or -1 */
int netns_link_set(struct netns_world *w, int host, int up);

/*
 * Replaces host i's egress qdisc on ifname: args like "tbf rate 1mbit burst
 * 32kbit latency 400ms" or "netem delay 50ms loss 2%"; NULL removes it.
 * 0, or -1 with why (e.g. "qdisc netem not supported by this kernel").
 */
int netns_qdisc_set(struct netns_world *w, int host, const char *args, char *why, size_t whylen);

/* what `tc -s qdisc show dev ifname` prints in host i, into buf; 0 or -1 */
int netns_qdisc_show(const struct netns_world *w, int host, char *buf, size_t len);

/*
 * fork + setns into host i + execve(argv[0], argv, environ); stdin is
 * /dev/null, stdout/stderr go to out_fd/err_fd (-1: inherited). Returns the
 * pid, the child being in its own process group (kill(-pid, ...) reaches
 * its children too), or -1 when it could not start (the reason on stderr).
 */
pid_t netns_spawn(const struct netns_world *w, int host, char *const argv[], int out_fd, int err_fd);

/*
 * Runs fn(arg) in a forked child that entered host i; returns fn's return
 * value as an exit status (0..255), or -1 on fork/setns failure, when the
 * child died of a signal, or after timeout_ms (the child and its process
 * group are killed), with a message on stderr. fn runs in a child: no
 * cmocka assertions there, return a code instead.
 */
int netns_run(const struct netns_world *w, int host, int (*fn)(void *), void *arg, int timeout_ms);

/* the same by namespace name, for code that knows only the name (sshd_helpers.h) */
pid_t netns_spawn_in(const char *netns, char *const argv[], int out_fd, int err_fd);
int netns_run_in(const char *netns, int (*fn)(void *), void *arg, int timeout_ms);

/*
 * Moves the calling thread into the named namespace; 0 or -1 with errno.
 * For a child between fork and exec.
 */
int netns_enter(const char *netns);

/* socket(2) made inside the named namespace (it stays there), by this thread; -1 with errno */
int netns_socket(const char *netns, int domain, int type, int protocol);

/* the pids of the processes inside the named namespace, at most max; how many */
int netns_pids(const char *netns, pid_t *pids, int max);

/*
 * Runs tool ("ip" or "tc", found in /usr/sbin, /sbin, /usr/bin, /bin) with
 * the arguments listed, NULL last (bounded: 10 s); its standard output in
 * out (NUL-terminated, may be NULL). 0, or -1 with "<command>: <first line
 * of its stderr>" in why (may be NULL).
 */
int netns_tool(char *out, size_t outlen, char *why, size_t whylen, const char *tool, ...)
	__attribute__((sentinel));

/* 1 when the named namespace exists (/run/netns/<name>) */
int netns_exists(const char *netns);

#endif /* NETNS_H */
