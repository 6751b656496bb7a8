/* netns_impl.h -- what the netns_*.c files share and the tests do not see: limits, names, tool runs, teardown, watch */
#ifndef NETNS_IMPL_H
#define NETNS_IMPL_H 1

#include <time.h>

#include "netns.h"

#define NETNS_DIR "/run/netns"
#define NETNS_MAX_ARGS 40	/* words of one ip or tc command */

static inline void
netns_sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };
	nanosleep(&ts, NULL);
}

/* netns_tool.c: netns_tool with the arguments in an array, NULL last */
int netns_tool_argv(char *out, size_t outlen, char *why, size_t whylen, const char *tool,
	char *const args[]);

/* netns_tool, its output dropped: 0, or -1 with why */
#define netns_tool_why(why, whylen, ...) \
	netns_tool(NULL, 0, why, whylen, __VA_ARGS__, (const char *)NULL)

/* netns_inside.c: the namespace's file, /run/netns/<name>; 0, or -1 with EINVAL for a bad name */
int netns_path(const char *netns, char *path, size_t len);

/* netns_inside.c: the namespace's file opened (O_CLOEXEC), or -1 with errno */
int netns_open(const char *netns);

/* netns_world.c: 1 when w is live and has host; else 0, said on stderr */
int netns_host_ok(const struct netns_world *w, int host);

/* netns_world.c: w zeroed and named for nhosts hosts, the seq-th world of this process */
void netns_world_names(struct netns_world *w, int nhosts, int seq);

/* netns_teardown.c: kills what runs in the named namespaces, deletes them */
void netns_teardown(char names[][32], int nnames);

/* netns_teardown.c: the same for the namespaces of w, hosts first, the hub last */
void netns_world_teardown(const struct netns_world *w);

/* netns_cleanup.c: deletes the worlds of rpt<pid> processes that are gone */
void netns_sweep_stale(void);

/*
 * netns_cleanup.c: names w (netns_world_names, the next seq of this
 * process), marks it live, starts its guardian and keeps it for the atexit
 * handler; 0, or -1 with why.
 */
int netns_watch(struct netns_world *w, int nhosts, char *why, size_t whylen);

/* netns_cleanup.c: forgets w (torn down already) and ends its guardian */
void netns_unwatch(const struct netns_world *w);

#endif /* NETNS_IMPL_H */
