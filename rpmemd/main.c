/* main.c -- rpmemd: serve one librpmem client's pool over ssh and libfabric, or remove a pool set */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "db.h"
#include "err.h"
#include "log.h"
#include "proto.h"
#include "session.h"

#define RPMEMD_VERSION "0.1.0"

static int
log_level_of(enum rpmemd_log_level l)
{
	switch (l) {
	case RPMEMD_LOG_ERR: return LOG_ERROR;
	case RPMEMD_LOG_WARN: return LOG_WARN;
	case RPMEMD_LOG_NOTICE:
	case RPMEMD_LOG_INFO: return LOG_INFO;
	case RPMEMD_LOG_DBG: return LOG_DEBUG;
	}
	return LOG_ERROR;
}

static int
start_logging(const struct rpmemd_config *cfg)
{
	int level = log_level_of(cfg->log_level);
	if (cfg->use_syslog) {
		log_to_syslog("rpmemd", level);
		return 0;
	}
	int ret = log_to_file("rpmemd", cfg->log_file, level);
	if (ret)
		return err_set_sys(ret, -ret, "cannot open log file %s", cfg->log_file);
	return 0;
}

/* remove mode's exit status: the errno of the failure, which rpmem_remove hands on */
static int
exit_status(int err)
{
	int e = (err < 0 ? -err : err) & 0xff;
	return e ? e : 1;
}

/*
 * A daemon that cannot serve says why twice: on stderr, which ssh carries
 * back to the user, and in the HELLO the client waits for.
 */
static int
fail(int err, int session)
{
	fprintf(stderr, "rpmemd: %s\n", err_last());
	log_msg(LOG_ERROR, "%s", err_last());
	if (session && !isatty(STDOUT_FILENO))
		rpmemd_session_hello(STDOUT_FILENO, proto_errno_status(err), err_last());
	return session ? 1 : exit_status(err);
}

/* remove mode: no protocol, the exit status is 0 or the errno of the failure */
static int
remove_pool(const struct rpmemd_config *cfg)
{
	struct rpmemd_db *db;
	int ret = rpmemd_db_init(cfg->poolset_dir, &db);
	if (ret == 0) {
		ret = rpmemd_db_pool_remove(db, cfg->remove, cfg->force, cfg->pool_set);
		rpmemd_db_fini(db);
	}
	if (ret) {
		fprintf(stderr, "rpmemd: %s\n", err_last());
		log_msg(LOG_ERROR, "remove %s: %s", cfg->remove, err_last());
		return exit_status(ret);
	}
	log_msg(LOG_INFO, "removed pool set %s", cfg->remove);
	return 0;
}

static int
serve(const struct rpmemd_config *cfg)
{
	struct rpmemd_db *db;
	int ret = rpmemd_db_init(cfg->poolset_dir, &db);
	if (ret)
		return fail(ret, 1);
	if (rpmemd_session_hello(STDOUT_FILENO, PROTO_STATUS_SUCCESS, "") != 0) {
		rpmemd_db_fini(db);
		return fail(-ECONNRESET, 0);
	}
	ret = rpmemd_session_run(cfg, db, STDIN_FILENO, STDOUT_FILENO);
	rpmemd_db_fini(db);
	return ret ? 1 : 0;
}

int
main(int argc, char *argv[])
{
	/* writes to a vanished client must fail with EPIPE, not kill the daemon */
	signal(SIGPIPE, SIG_IGN);
	/* rpmemd logs each error once, where it decides what the error means */
	err_log_at(LOG_DEBUG);

	struct rpmemd_config cfg;
	int ret = rpmemd_config_read(&cfg, argc, argv);
	if (ret == 0 && cfg.help) {
		rpmemd_config_usage(stdout);
	} else if (ret == 0 && cfg.version) {
		printf("rpmemd version %s\n", RPMEMD_VERSION);
	} else if (ret) {
		ret = fail(ret, cfg.remove == NULL);
	} else if ((ret = start_logging(&cfg)) != 0) {
		ret = fail(ret, cfg.remove == NULL);
	} else {
		log_msg(LOG_INFO, "rpmemd %s started, poolset-dir %s, user %s, ssh connection '%s'",
			RPMEMD_VERSION, cfg.poolset_dir, getenv("USER") ? getenv("USER") : "?",
			getenv("SSH_CONNECTION") ? getenv("SSH_CONNECTION") : "none");
		ret = cfg.remove ? remove_pool(&cfg) : serve(&cfg);
	}
	rpmemd_config_fini(&cfg);
	log_fini();
	return ret;
}
