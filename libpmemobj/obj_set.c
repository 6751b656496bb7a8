/* obj_set.c -- a pmemobj path read as a pool set: set files parsed, single files made into one-part sets, size rules applied */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "obj_api.h"
#include "obj_set.h"

/* 1 when the file begins with the pool set signature, 0 when not, -errno when it cannot be read */
static int
is_set_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set_sys(-errno, errno, "'%s' cannot be opened", path);
	char sig[sizeof(POOLSET_SIGNATURE) - 1];
	ssize_t n = pread(fd, sig, sizeof(sig), 0);
	int e = errno;
	close(fd);
	if (n < 0)
		return err_set_sys(-e, e, "'%s' cannot be read", path);
	return n == (ssize_t)sizeof(sig) && memcmp(sig, POOLSET_SIGNATURE, sizeof(sig)) == 0;
}

/* a one-replica, one-part set for a single file */
static int
single_file_set(const char *path, uint64_t size, struct poolset **out)
{
	struct poolset *set = calloc(1, sizeof(*set));
	struct poolset_replica *rep = calloc(1, sizeof(*rep));
	struct poolset_part *part = calloc(1, sizeof(*part));
	char *p = strdup(path);
	if (set == NULL || rep == NULL || part == NULL || p == NULL) {
		free(set);
		free(rep);
		free(part);
		free(p);
		return err_set(-ENOMEM, "out of memory for pool '%s'", path);
	}
	part->size = size;
	part->path = p;
	rep->nparts = 1;
	rep->parts = part;
	set->nreplicas = 1;
	set->replicas = rep;
	set->nparts = 1;
	*out = set;
	return 0;
}

static int
load_set(const char *path, size_t poolsize, int create, struct obj_set *os)
{
	if (create && poolsize != 0)
		return err_set(-EINVAL, "pool set '%s': poolsize must be 0 for a pool set (it is %zu)",
			path, poolsize);
	int ret = poolset_read(path, &os->set);
	if (ret)
		return ret;
	os->is_set = 1;
	if (os->set->nohdrs)
		return err_set(-EINVAL,
			"pool set '%s': OPTION NOHDRS is not supported (a libpmemobj-core pool needs its headers)",
			path);
	ret = poolset_check_min_part(os->set, PMEMOBJ_MIN_PART);
	if (ret) {
		char msg[ERR_MSG_MAX];
		snprintf(msg, sizeof(msg), "%s", err_last());
		return err_set(ret, "pool set '%s': %s (PMEMOBJ_MIN_PART)", path, msg);
	}
	return 0;
}

static int
load_file(const char *path, const struct stat *st, size_t poolsize, int create,
	struct obj_set *os)
{
	if (create && poolsize != 0)
		return err_set(-EEXIST, "pool file '%s' already exists (poolsize 0 uses it as it is)",
			path);
	if (S_ISDIR(st->st_mode))
		return err_set(-EINVAL, "'%s' is a directory, not a pool file or a pool set file",
			path);
	/* a device DAX has no st_size: AUTO (0) sizes it when it is opened */
	uint64_t size = S_ISCHR(st->st_mode) ? 0 : (uint64_t)st->st_size;
	if (S_ISREG(st->st_mode) && size < PMEMOBJ_MIN_POOL)
		return err_set(-EINVAL,
			"pool file '%s' has %llu bytes, below the minimum pool of %zu (PMEMOBJ_MIN_POOL)",
			path, (unsigned long long)size, PMEMOBJ_MIN_POOL);
	os->existing_file = create;
	return single_file_set(path, size, &os->set);
}

int
obj_set_load(const char *path, size_t poolsize, int create, struct obj_set *os)
{
	memset(os, 0, sizeof(*os));
	os->path = strdup(path);
	if (os->path == NULL)
		return err_set(-ENOMEM, "out of memory for '%s'", path);

	int ret;
	struct stat st;
	if (stat(path, &st) != 0) {
		if (errno != ENOENT || !create) {
			ret = err_set_sys(-errno, errno, "'%s' cannot be opened", path);
		} else if (poolsize == 0) {
			ret = err_set(-ENOENT,
				"pool file '%s' does not exist (poolsize 0 needs an existing file)", path);
		} else if (poolsize < PMEMOBJ_MIN_POOL) {
			ret = err_set(-EINVAL,
				"poolsize %zu is below the minimum pool of %zu bytes (PMEMOBJ_MIN_POOL)",
				poolsize, PMEMOBJ_MIN_POOL);
		} else {
			ret = single_file_set(path, poolsize, &os->set);
		}
	} else {
		ret = S_ISREG(st.st_mode) ? is_set_file(path) : 0;
		if (ret == 1)
			ret = load_set(path, poolsize, create, os);
		else if (ret == 0)
			ret = load_file(path, &st, poolsize, create, os);
	}
	if (ret)
		obj_set_free(os);
	return ret;
}

void
obj_set_free(struct obj_set *os)
{
	poolset_free(os->set);
	free(os->path);
	memset(os, 0, sizeof(*os));
}

void
obj_set_name(const struct obj_set *os, unsigned r, unsigned p, char *buf, size_t len)
{
	const struct poolset_replica *rep = &os->set->replicas[r];
	if (rep->remote)
		snprintf(buf, len, "replica %u (%s %s)", r, rep->target, rep->set_name);
	else if (!os->is_set)
		snprintf(buf, len, "pool file '%s'", rep->parts[0].path);
	else if (p < rep->nparts)
		snprintf(buf, len, "replica %u (line %u, %s)", r, rep->parts[p].line,
			rep->parts[p].path);
	else
		snprintf(buf, len, "replica %u", r);
}
