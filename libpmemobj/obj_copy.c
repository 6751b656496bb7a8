/* obj_copy.c -- pool data copied from one replica to another in chunks, with progress: how the pool tool rebuilds a replica */
#include <errno.h>
#include <stdlib.h>

#include "obj_rep.h"

#define DEFAULT_CHUNK ((size_t)4 << 20)

/* one chunk from src to dst at pool offset off */
static int
copy_chunk(struct obj_rep *src, struct obj_rep *dst, size_t off, size_t n)
{
	if (!src->remote && !dst->remote)
		return replica_memcpy_persist(&dst->local, off, (char *)src->local.addr + off, n);
	if (!src->remote) {
		/* the remote pool was opened over src's mapping: a persist sends these bytes */
		errno = 0;
		if (rpmem_persist(dst->rpp, off, n, 0, 0) != 0)
			return err_set(errno ? -errno : -EIO, "%s: %s", dst->name, rpmem_errormsg());
		return 0;
	}
	errno = 0;
	if (rpmem_read(src->rpp, (char *)dst->local.addr + off, off, n, 0) != 0)
		return err_set(errno ? -errno : -EIO, "%s: %s", src->name, rpmem_errormsg());
	return replica_persist(&dst->local, off, n);
}

int
obj_rep_copy(struct obj_rep *src, struct obj_rep *dst, size_t off, size_t len, size_t chunk,
	obj_progress_fn progress, void *arg)
{
	if (src->remote && dst->remote)
		return err_set(-ENOTSUP,
			"%s cannot be copied to %s directly: both are remote (rebuild a local replica first)",
			src->name, dst->name);
	if ((src->remote && src->rpp == NULL) || (!src->remote && src->local.addr == NULL) ||
			(dst->remote && dst->rpp == NULL) || (!dst->remote && dst->local.addr == NULL))
		return err_set(-EINVAL, "%s to %s: both replicas must be open", src->name, dst->name);
	if (chunk == 0)
		chunk = DEFAULT_CHUNK;
	for (size_t done = 0; done < len; ) {
		size_t n = len - done < chunk ? len - done : chunk;
		int ret = copy_chunk(src, dst, off + done, n);
		if (ret)
			return ret;
		done += n;
		if (progress != NULL && progress(done, len, arg) != 0)
			return err_set(-ECANCELED, "copy from %s to %s stopped at %zu of %zu bytes",
				src->name, dst->name, done, len);
	}
	return 0;
}
