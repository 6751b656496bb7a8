/* target.h -- parse an rpmem target "[user@]host[:port]" into the parts handed to ssh and libfabric */
#ifndef COMMON_TARGET_H
#define COMMON_TARGET_H 1

/* bounds of each part, terminating NUL included; longer input is refused */
#define TARGET_MAX_LEN 512	/* the whole target string */
#define TARGET_USER_MAX 65	/* 64 bytes: longer than any login name ssh accepts */
#define TARGET_NODE_MAX 256	/* 255 bytes: a DNS name, or an IPv6 literal with a zone */
#define TARGET_SERVICE_MAX 6	/* "65535" */

struct target {
	char user[TARGET_USER_MAX];		/* "" when the target names no user */
	char node[TARGET_NODE_MAX];		/* host name, IPv4 or IPv6 literal (no brackets) */
	char service[TARGET_SERVICE_MAX];	/* ssh port in decimal, "" when none */
	unsigned port;				/* the same as a number, 0 when none */
};

/*
 * Parses target into *out. Pure: depends only on its argument, so it can be
 * fuzzed. Every byte must be a letter, a digit or one of ". - _ @ : [ ] %":
 * the parts end up on ssh's command line and in the remote shell, so spaces,
 * control characters and shell metacharacters are refused outright, and no
 * part may begin with '-' (it would be read as an ssh option).
 *
 * An IPv6 literal is written in brackets ("[::1]:2222", "user@[fe80::1%eth0]");
 * a host with more than one colon and no brackets is taken whole as an IPv6
 * node without a port ("::1"). A node made only of digits and dots must be a
 * dotted-quad IPv4 address.
 *
 * Returns 0, or -EINVAL with a message naming the problem (err_last()); the
 * port messages are PMDK's: "invalid port number -- '<s>'", "port number must
 * be positive", "port number too large". *out is undefined on failure.
 */
int target_parse(const char *target, struct target *out);

#endif /* COMMON_TARGET_H */
