/* rpmempool.h -- what the commands of rpmempool (the pool tool for replicated pools) share: exit statuses, option parsing, the health of a set */
#ifndef RPMEMPOOL_H
#define RPMEMPOOL_H 1

#include <stddef.h>
#include <stdint.h>

#include "obj_health.h"

#define RPMEMPOOL_VERSION "1.0.0"

/* the exit statuses of every command (rpmempool(1), EXIT STATUS) */
#define EXIT_OK 0		/* done; check: consistent */
#define EXIT_FAILED 1		/* the operation failed; check: not consistent */
#define EXIT_ERROR 2		/* bad usage, or the pool cannot be looked at */

/* each command: argv[0] is the command's name; returns an exit status */
int cmd_create(int argc, char *argv[]);
int cmd_info(int argc, char *argv[]);
int cmd_check(int argc, char *argv[]);
int cmd_sync(int argc, char *argv[]);
int cmd_rm(int argc, char *argv[]);

/* the text of --help on stdout */
void pool_help(void);

/* "rpmempool <cmd>: <message>" on stderr */
void pool_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * A usage error of cmd: the message, then "try 'rpmempool <cmd> --help'",
 * on stderr; returns EXIT_ERROR.
 */
int pool_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * getopt_long's '?' or ':' as a usage error naming the option (getopt's own
 * messages are off: they would name the command as the program)
 */
int pool_bad_option(const char *cmd, int c, char *argv[]);

/* the one PATH operand after the options of cmd (optind as getopt left it); NULL after a usage error */
const char *pool_path_arg(const char *cmd, int argc, char *argv[], int optind);

/* "8M", "2GiB", "4096", "1T": a size in bytes with a binary suffix; -1 when malformed or too large */
int pool_parse_size(const char *s, size_t *out);

/*
 * The health of every replica of the pool at path (obj_health_list), and
 * for each remote replica that looks OK, its pool descriptor read back
 * through rpmemd and compared with the reference's: a remote replica whose
 * data does not hold the pool is DAMAGED. 0 or -errno with err_last().
 */
int pool_health(const char *path, struct obj_replica_health **out, unsigned *n);

/* the reference replica's descriptor (the pool's layout, size and root) */
int pool_ref_desc(const char *path, unsigned ref, struct obj_desc *desc);

/* msg without "name: " in front, when it has it: messages that name a replica once */
const char *pool_unnamed(const char *msg, const char *name);

/* why a replica is not OK, without the replica's name in front (the caller names it) */
const char *pool_why(const struct obj_replica_health *h);

/* 1 when every replica is OK */
int pool_all_ok(const struct obj_replica_health *h, unsigned n);

#endif /* RPMEMPOOL_H */
