/* librpmem.c -- load-time set-up (logging) and the environment variables read at each connection */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "rpmem.h"

/* which entry of RPMEM_CMD the next connection uses (round robin) */
static atomic_uint Cmd_next;

__attribute__((constructor)) static void
librpmem_init(void)
{
	log_init("librpmem", "RPMEM_LOG_LEVEL", "RPMEM_LOG_FILE");
}

__attribute__((destructor)) static void
librpmem_fini(void)
{
	log_fini();
}

/*
 * A positive decimal integer from the environment, clamped to max; an unset
 * variable keeps *out, a bad value is logged and ignored.
 */
static void
env_uint(const char *name, unsigned long long max, unsigned long long *out)
{
	const char *v = getenv(name);
	if (v == NULL)
		return;
	char *end;
	errno = 0;
	unsigned long long n = strtoull(v, &end, 10);
	if (v[0] == '\0' || v[0] == '-' || *end != '\0' || n == 0) {
		log_msg(LOG_WARN, "%s=%s is not a positive integer, ignored", name, v);
		return;
	}
	if (errno == ERANGE || n > max)
		n = max;
	*out = n;
}

/* the next '|'-separated entry of RPMEM_CMD, in turn; empty entries are skipped */
static char *
next_cmd(void)
{
	const char *all = getenv("RPMEM_CMD");
	if (all == NULL || strspn(all, "|") == strlen(all))
		return strdup(RPMEM_DEFAULT_CMD);

	unsigned n = 0;
	for (const char *p = all; *p; ) {
		size_t len = strcspn(p, "|");
		n += len > 0;
		p += len + (p[len] == '|');
	}
	unsigned want = atomic_fetch_add(&Cmd_next, 1) % n;
	for (const char *p = all; *p; ) {
		size_t len = strcspn(p, "|");
		if (len > 0 && want-- == 0)
			return strndup(p, len);
		p += len + (p[len] == '|');
	}
	return strdup(RPMEM_DEFAULT_CMD);	/* not reached */
}

int
rpmem_env_read(struct rpmem_env *env)
{
	memset(env, 0, sizeof(*env));
	const char *ssh = getenv("RPMEM_SSH");
	env->ssh = ssh && ssh[0] ? ssh : "ssh";

	unsigned long long v = UINT_MAX;
	env_uint("RPMEM_MAX_NLANES", UINT_MAX, &v);
	env->max_nlanes = (unsigned)v;
	v = RPMEM_DEFAULT_WQ_SIZE;
	env_uint("RPMEM_WORK_QUEUE_SIZE", UINT_MAX, &v);
	env->wq_size = (unsigned)v;
	v = RPMEM_DEFAULT_TIMEOUT_MS;
	env_uint("RPMEM_TIMEOUT_MS", INT_MAX, &v);
	env->timeout_ms = (int)v;

	env->cmd = next_cmd();
	if (env->cmd == NULL)
		return err_set(-ENOMEM, "out of memory for RPMEM_CMD");
	return 0;
}

void
rpmem_env_free(struct rpmem_env *env)
{
	free(env->cmd);
	env->cmd = NULL;
}
