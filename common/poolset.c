/* poolset.c -- pool set files from disk: bounded reads, and confined opening of sets and parts for rpmemd */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "poolset.h"

#define PART_MODE 0600	/* parts hold a user's data: nobody else reads them */

/* reads the whole set file from fd into a malloc'ed buffer, refusing what cannot be a set file */
static int
read_set_file(int fd, const char *name, char **buf, size_t *len)
{
	struct stat st;
	if (fstat(fd, &st) != 0)
		return err_set_sys(-errno, errno, "pool set file '%s' cannot be examined", name);
	if (S_ISDIR(st.st_mode))
		return err_set(-EINVAL, "pool set file '%s' is a directory", name);
	if (!S_ISREG(st.st_mode))
		return err_set(-EINVAL, "pool set file '%s' is not a regular file", name);
	if ((uint64_t)st.st_size > POOLSET_MAX_FILE_SIZE)
		return err_set(-EINVAL, "pool set file '%s' is %lld bytes, more than the %u allowed",
			name, (long long)st.st_size, POOLSET_MAX_FILE_SIZE);

	/* one byte more than allowed: a file that grew since fstat is still refused */
	char *b = malloc(POOLSET_MAX_FILE_SIZE + 1);
	if (b == NULL)
		return err_set(-ENOMEM, "out of memory to read pool set file '%s'", name);
	size_t n = 0;
	while (n <= POOLSET_MAX_FILE_SIZE) {
		ssize_t r = read(fd, b + n, POOLSET_MAX_FILE_SIZE + 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			free(b);
			return err_set_sys(-e, e, "pool set file '%s' cannot be read", name);
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n > POOLSET_MAX_FILE_SIZE) {
		free(b);
		return err_set(-EINVAL, "pool set file '%s' is more than %u bytes", name,
			POOLSET_MAX_FILE_SIZE);
	}
	*buf = b;
	*len = n;
	return 0;
}

/* the directory part of a path as written ("a/b.set" -> "a", "/x.set" -> "/"); NULL for none */
static int
dir_of(const char *path, char **dir)
{
	*dir = NULL;
	const char *slash = strrchr(path, '/');
	if (slash == NULL)
		return 0;
	size_t n = slash == path ? 1 : (size_t)(slash - path);
	*dir = strndup(path, n);
	if (*dir == NULL)
		return err_set(-ENOMEM, "out of memory for the directory of '%s'", path);
	return 0;
}

/* reads and parses an open set file; parse messages get the file's name in front */
static int
parse_fd(int fd, const char *name, struct poolset **out)
{
	char *buf = NULL, *dir = NULL;
	size_t len = 0;
	int ret = read_set_file(fd, name, &buf, &len);
	if (ret)
		return ret;
	ret = dir_of(name, &dir);
	if (ret)
		goto out;
	ret = poolset_parse(buf, len, dir, out);
	if (ret == -EINVAL) {
		char msg[ERR_MSG_MAX];
		snprintf(msg, sizeof(msg), "%s", err_last());
		err_set(ret, "%s: %s", name, msg);
	}
out:
	free(dir);
	free(buf);
	return ret;
}

int
poolset_read(const char *path, struct poolset **out)
{
	*out = NULL;
	/* O_NONBLOCK: a FIFO in place of the file must not hang the open */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return err_set_sys(-errno, errno, "pool set file '%s' cannot be opened", path);
	int ret = parse_fd(fd, path, out);
	close(fd);
	return ret;
}

/* parts of a served set stay below the poolset-dir, like the set itself */
static int
check_parts_confined(const char *name, const struct poolset *set)
{
	for (unsigned r = 0; r < set->nreplicas; r++) {
		const struct poolset_replica *rep = &set->replicas[r];
		for (unsigned p = 0; p < rep->nparts; p++) {
			const struct poolset_part *part = &rep->parts[p];
			if (part->path[0] == '/')
				return err_set(-EINVAL,
					"%s: line %u: part path '%s' is absolute (only files below the pool set directory are served)",
					name, part->line, part->path);
			if (poolset_path_has_dotdot(part->path))
				return err_set(-EINVAL,
					"%s: line %u: part path '%s' leaves the pool set directory",
					name, part->line, part->path);
		}
	}
	return 0;
}

int
poolset_read_at(int dirfd, const char *name, struct poolset **out)
{
	*out = NULL;
	int fd;
	int ret = poolset_open_beneath(dirfd, name, "pool set name", O_RDONLY | O_NONBLOCK, 0,
		&fd);
	if (ret)
		return ret;
	struct poolset *set;
	ret = parse_fd(fd, name, &set);
	close(fd);
	if (ret)
		return ret;
	ret = check_parts_confined(name, set);
	if (ret) {
		poolset_free(set);
		return ret;
	}
	*out = set;
	return 0;
}

int
poolset_open_part_at(int dirfd, const struct poolset *set, unsigned r, unsigned p, int flags,
	int *fd)
{
	if (r >= set->nreplicas)
		return err_set(-EINVAL, "replica %u does not exist (the set has %u)", r,
			set->nreplicas);
	const struct poolset_replica *rep = &set->replicas[r];
	if (rep->remote)
		return err_set(-EINVAL, "replica %u is remote and has no part files", r);
	if (p >= rep->nparts)
		return err_set(-EINVAL, "part %u of replica %u does not exist (it has %u)", p, r,
			rep->nparts);
	const struct poolset_part *part = &rep->parts[p];

	int f;
	int ret = poolset_open_beneath(dirfd, part->path, "part path", flags | O_NONBLOCK,
		PART_MODE, &f);
	if (ret)
		return ret;
	struct stat st;
	if (fstat(f, &st) != 0) {
		ret = err_set_sys(-errno, errno, "part path '%s' cannot be examined", part->path);
		goto fail;
	}
	if (!S_ISREG(st.st_mode) && !S_ISCHR(st.st_mode)) {
		ret = err_set(-EINVAL,
			"part path '%s' (line %u) is not a regular file or a character device",
			part->path, part->line);
		goto fail;
	}
	/* O_NONBLOCK only guarded the open against FIFOs */
	int fl = fcntl(f, F_GETFL);
	if (fl < 0 || fcntl(f, F_SETFL, fl & ~O_NONBLOCK) != 0) {
		ret = err_set_sys(-errno, errno, "part path '%s' cannot be set blocking",
			part->path);
		goto fail;
	}
	*fd = f;
	return 0;
fail:
	close(f);
	return ret;
}
