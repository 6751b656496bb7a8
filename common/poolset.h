/* poolset.h -- pool set files (poolset(5)): parsed form, confined opening for rpmemd, replica sizes */
#ifndef COMMON_POOLSET_H
#define COMMON_POOLSET_H 1

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define POOLSET_SIGNATURE "PMEMPOOLSET"
#define POOLSET_MAX_FILE_SIZE (1u << 20)	/* larger set files are refused unread */
#define POOLSET_MAX_PARTS 1024		/* over all replicas of one set */
#define POOLSET_MAX_REPLICAS 1024	/* the primary included */
#define POOLSET_HDR_SIZE 4096		/* pool header at the start of a part */

/* one part line "SIZE PATH" of a local replica */
struct poolset_part {
	uint64_t size;		/* bytes as written; 0 for AUTO (device DAX: its size) */
	char *path;		/* set_dir + "/" + the path as written, or the absolute path */
	unsigned line;		/* line of the set file, for messages */
};

/*
 * A replica: replicas[0] is the primary and is always local. A local replica
 * has nparts >= 1 parts; a remote one ("REPLICA target set-name") has none,
 * and the target and the pool set name on the remote node instead.
 */
struct poolset_replica {
	int remote;
	unsigned line;		/* of its REPLICA line; 0 for the primary */
	unsigned nparts;
	struct poolset_part *parts;
	char *target;		/* remote only: "[user@]host[:port]" as written */
	char *set_name;		/* remote only: the name in rpmemd's poolset-dir */
};

struct poolset {
	int singlehdr;		/* OPTION SINGLEHDR: only part 0 of a replica has a header */
	int nohdrs;		/* OPTION NOHDRS: no part has a header */
	char *dir;		/* the set_dir given to the parser; NULL when none */
	unsigned nreplicas;	/* >= 1 */
	struct poolset_replica *replicas;
	unsigned nparts;	/* over all local replicas */
};

/*
 * Parses the text of a pool set file (len bytes, need not be NUL-terminated):
 * a pure function of its bytes. Relative part paths are joined to set_dir
 * (NULL or "": kept as written). Returns 0 and a set in *out (free with
 * poolset_free), or -EINVAL with a message naming the line and what is
 * wrong, or -ENOMEM. *out is NULL after a failure.
 */
int poolset_parse(const char *text, size_t len, const char *set_dir, struct poolset **out);

void poolset_free(struct poolset *set);

/*
 * Reads and parses the set file at path (at most POOLSET_MAX_FILE_SIZE bytes,
 * a regular file); relative part paths resolve against the file's directory
 * as written in path. Errors: -ENOENT, -EACCES, -EINVAL (not a regular file,
 * too large, bad content), -ENOMEM, other -errno from the system.
 */
int poolset_read(const char *path, struct poolset **out);

/*
 * The confined variant for rpmemd: name is opened relative to dirfd (the
 * poolset-dir) and must stay below it: absolute names, any ".." component
 * and symbolic links leaving the directory are refused with -EINVAL. Part
 * paths of the set are relative to dirfd (set->dir is the set's directory
 * relative to dirfd, NULL for the top) and absolute part paths are refused
 * with -EINVAL, naming the line: rpmemd serves only files below poolset-dir.
 * Other errors as poolset_read.
 */
int poolset_read_at(int dirfd, const char *name, struct poolset **out);

/*
 * Opens part p of local replica r of a set read by poolset_read_at, below
 * dirfd, with open(2) flags (O_RDWR, O_CREAT, O_EXCL...; O_CLOEXEC and
 * O_NOFOLLOW semantics are added; created files get mode 0600). The part
 * must be a regular file or a character device (device DAX). Returns 0 and
 * the descriptor in *fd, or -errno with a message naming the part.
 */
int poolset_open_part_at(int dirfd, const struct poolset *set, unsigned r, unsigned p,
	int flags, int *fd);

/*
 * Opens the path below dirfd (see poolset_read_at for the rules); what names
 * the path in messages ("pool set name", "part path"). flags as for open(2),
 * mode for O_CREAT. Uses openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS) and,
 * where the kernel lacks it, poolset_open_beneath_walk. Symbolic links are
 * followed while they stay below dirfd; an absolute link target is refused
 * like a link that leaves (-EINVAL), as openat2 does. The opened object is
 * not checked for its type.
 */
int poolset_open_beneath(int dirfd, const char *path, const char *what, int flags,
	mode_t mode, int *fd);

/* 1 when a "/"-separated path has a ".." component */
int poolset_path_has_dotdot(const char *path);

/* the fallback of poolset_open_beneath: a component-by-component O_NOFOLLOW walk (tests call it) */
int poolset_open_beneath_walk(int dirfd, const char *path, const char *what, int flags,
	mode_t mode, int *fd);

/*
 * 1 when part p of a replica begins with a pool header: never with NOHDRS,
 * only part 0 with SINGLEHDR, every part otherwise.
 */
int poolset_part_has_hdr(const struct poolset *set, unsigned p);

/*
 * The usable size of local replica r as a pool of contiguous bytes: the sum
 * of its part sizes, each rounded down to pagesize (a power of two), minus
 * the headers of the parts >= 1 that have one (they are skipped when the
 * parts are mapped contiguously; part 0's header is part of the pool).
 * -EINVAL for a remote replica, an AUTO part, a part with no data after its
 * header, or a sum that overflows.
 */
int poolset_replica_size(const struct poolset *set, unsigned r, size_t pagesize,
	uint64_t *size);

/* -EINVAL naming the line of the first part smaller than min bytes (AUTO parts are not checked) */
int poolset_check_min_part(const struct poolset *set, uint64_t min);

#endif /* COMMON_POOLSET_H */
