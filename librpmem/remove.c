/* remove.c -- rpmem_remove: run "rpmemd --remove <set> [--force] [--pool-set]" over ssh and report its exit status */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "rpmem.h"

/*
 * ssh hands the command to the remote shell as one string: a name with
 * anything but these characters could run commands there, and a leading
 * '-' would be read as an option.
 */
static int
safe_name(const char *name)
{
	static const char ok[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		"0123456789._-/+,=@%:";
	return name[0] != '-' && strspn(name, ok) == strlen(name);
}

/* waits for the child to close its stdout (it must not write anything), keeping its stderr */
static int
wait_eof(struct rpmem_ssh *ssh, int timeout_ms)
{
	long long deadline = util_now_ms() + timeout_ms;
	for (;;) {
		int ret = rpmem_ssh_wait_readable(ssh, deadline);
		if (ret == -ETIMEDOUT)
			return err_set(-ETIMEDOUT, "no answer within %d ms "
				"(RPMEM_TIMEOUT_MS)", timeout_ms);
		if (ret)
			return ret;
		char c;
		ssize_t n = recv(ssh->fd, &c, 1, MSG_DONTWAIT);
		if (n == 0 || (n < 0 && errno == ECONNRESET))
			return 0;
		if (n > 0)
			return err_set(-EPROTO, "the remote command wrote to its "
				"standard output");
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			return err_set_sys(-errno, errno, "reading the remote command's output");
	}
}

/* the errno of the remote command's wait status: rpmemd exits with the errno */
static int
status_errno(int status)
{
	if (status == -1 || !WIFEXITED(status))
		return ECONNRESET;
	int code = WEXITSTATUS(status);
	/*
	 * 126, 127: command not runnable or not found; 255: ssh itself failed;
	 * above 128 a shell reports a signal: none of those is an errno of rpmemd's
	 */
	if (code == 126 || code == 127 || code > 128)
		return ECONNRESET;
	return code;
}

static int
run_remove(struct rpmem_pool *rpp, const struct rpmem_env *env,
	const char *pool_set, int flags)
{
	size_t len = strlen(env->cmd) + strlen(pool_set) + 64;
	char *cmd = malloc(len);
	if (cmd == NULL)
		return err_set(-ENOMEM, "out of memory for the command");
	snprintf(cmd, len, "%s --remove %s%s%s", env->cmd, pool_set,
		(flags & RPMEM_REMOVE_FORCE) ? " --force" : "",
		(flags & RPMEM_REMOVE_POOL_SET) ? " --pool-set" : "");
	int ret = rpmem_ssh_start(&rpp->ssh, env->ssh, &rpp->t, 0, cmd);
	if (ret) {
		free(cmd);
		return ret;
	}
	ret = wait_eof(&rpp->ssh, rpp->timeout_ms);
	char why[ERR_MSG_MAX];
	rpmem_last_copy(why, sizeof(why));
	int status = rpmem_ssh_finish(&rpp->ssh, rpp->timeout_ms);
	char child[ERR_MSG_MAX];
	rpmem_ssh_describe(&rpp->ssh, child, sizeof(child));
	if (ret)
		ret = err_set(ret, "'%s' on %s: %s%s%s", cmd, rpp->target, why,
			child[0] ? " -- " : "", child);
	else if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		ret = err_set(-status_errno(status), "'%s' on %s failed: %s", cmd,
			rpp->target, child[0] ? child : "unknown status");
	free(cmd);
	return ret;
}

int
rpmem_remove(const char *target, const char *pool_set, int flags)
{
	if (target == NULL)
		return rpmem_fail(__func__, EINVAL, "target is NULL");
	if (pool_set == NULL)
		return rpmem_fail(__func__, EINVAL, "pool_set is NULL");
	if (flags & ~(RPMEM_REMOVE_FORCE | RPMEM_REMOVE_POOL_SET))
		return rpmem_fail(__func__, EINVAL, "unknown flags 0x%x",
			(unsigned)flags & ~(unsigned)(RPMEM_REMOVE_FORCE |
			RPMEM_REMOVE_POOL_SET));
	if (pool_set[0] == '\0')
		return rpmem_fail(__func__, EINVAL, "pool_set is empty");
	if (strlen(pool_set) > PROTO_POOL_SET_MAX)
		return rpmem_fail(__func__, ENAMETOOLONG, "pool_set is %zu bytes "
			"long, at most %d are allowed", strlen(pool_set),
			PROTO_POOL_SET_MAX);
	if (!safe_name(pool_set))
		return rpmem_fail(__func__, EINVAL, "pool_set '%s' holds a character "
			"the remote shell would interpret (allowed: letters, digits and "
			"._-/+,=@%%:, not starting with '-')", pool_set);

	struct rpmem_pool *rpp = calloc(1, sizeof(*rpp));
	if (rpp == NULL)
		return rpmem_fail(__func__, ENOMEM, "out of memory");
	int ret = target_parse(target, &rpp->t);
	snprintf(rpp->target, sizeof(rpp->target), "%s", target);
	struct rpmem_env env = { 0 };
	if (ret == 0)
		ret = rpmem_env_read(&env);
	if (ret == 0) {
		rpp->timeout_ms = env.timeout_ms;
		ret = run_remove(rpp, &env, pool_set, flags);
	}
	rpmem_env_free(&env);
	free(rpp);
	return ret ? rpmem_fail_last(__func__, ret) : 0;
}
