/* rpmempool_remote_ref.c -- the reference when no local replica is good: the first remote replica whose attributes and descriptor verify, the pool's size taken from the set file */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "rpmempool_sync.h"
#include "util.h"

/* remote replica r opened over the scratch memory, its attributes and descriptor verified */
static int
probe(struct sync *s, unsigned r, struct obj_hdr *hdr, uint8_t *buf)
{
	struct obj_rep *rep = &s->reps[r];
	int ret = obj_rep_remote_open(rep, s->scratch, s->pool_size, 1, hdr);
	if (ret)
		return ret;
	char why[ERR_MSG_MAX];
	struct obj_desc desc;
	errno = 0;
	if (obj_attr_check(&hdr->attr, why, sizeof(why)) != 0)
		return err_set(-EINVAL, "%s: %s", rep->name, why);
	if (rpmem_read(rep->rpp, buf, OBJ_DESC_OFF, OBJ_DESC_SIZE, 0) != 0)
		return err_set(errno ? -errno : -EIO, "%s: its descriptor cannot be read: %s",
			rep->name, rpmem_errormsg());
	if (obj_desc_decode(buf, s->pool_size, &desc, why, sizeof(why)) != 0)
		return err_set(-EINVAL, "%s: %s", rep->name, why);
	return 0;
}

/* a remote replica's state from what probing it gave */
static void
set_state(struct obj_replica_health *h, int ret, const char *why)
{
	h->state = ret == 0 ? OBJ_HEALTH_OK : ret == -ENOENT ? OBJ_HEALTH_MISSING :
		ret == -EINVAL ? OBJ_HEALTH_DAMAGED : OBJ_HEALTH_UNREACHABLE;
	snprintf(h->why, sizeof(h->why), "%s", why);
}

int
sync_remote_ref(struct sync *s)
{
	uint64_t size;
	if (poolset_replica_size(s->os.set, 0, util_pagesize(), &size) != 0)
		return err_set(-EINVAL,
			"the pool's size cannot be known without a good local replica: %s", err_last());
	s->pool_size = (size_t)size;
	s->scratch = mmap(NULL, s->pool_size, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (s->scratch == MAP_FAILED) {
		s->scratch = NULL;
		return err_set(-ENOMEM, "no memory to open the remote replicas over (%zu bytes)",
			s->pool_size);
	}
	uint8_t *buf = malloc(OBJ_DESC_SIZE);
	if (buf == NULL)
		return err_set(-ENOMEM, "out of memory for a descriptor");
	int found = 0;
	for (unsigned r = 0; r < s->n; r++) {
		if (!s->reps[r].remote)
			continue;
		struct obj_hdr hdr;
		int ret = probe(s, r, &hdr, buf);
		char why[ERR_MSG_MAX];
		if (ret == 0 && found && obj_rep_check_hdr(&s->os, &s->ref_hdr, r, &hdr, why,
				sizeof(why)) != 0)
			ret = err_set(-EINVAL, "%s", why);
		if (ret) {
			/* the reason replaces health's "no pool size" */
			set_state(&s->h[r], ret, err_last());
			obj_rep_close(&s->reps[r]);
			continue;
		}
		set_state(&s->h[r], 0, "");
		s->h[r].have_hdr = 1;
		s->h[r].hdr = hdr;
		if (found) {
			obj_rep_close(&s->reps[r]);
			continue;
		}
		/* the reference stays open for the whole sync */
		found = 1;
		s->ref = r;
		s->ref_remote = 1;
		s->ref_hdr = hdr;
		/* remote attributes keep no creation time: the rebuilt set's starts now */
		s->ref_hdr.crtime = (uint64_t)time(NULL);
	}
	free(buf);
	return found ? 0 : -ENOENT;
}

unsigned
sync_source(const struct sync *s, unsigned r)
{
	return s->ref_remote && s->reps[r].remote ? 0 : s->ref;
}
