/* rpmempool_health.c -- the health of a pool set as the commands see it: libpmemobj's verdict per replica, plus each remote replica's descriptor read back through rpmemd */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "rpmempool.h"

int
pool_ref_desc(const char *path, unsigned ref, struct obj_desc *desc)
{
	struct obj_set os;
	int ret = obj_set_load(path, 0, 0, &os);
	if (ret)
		return ret;
	struct obj_rep rep;
	obj_rep_init(&rep, &os, ref);
	ret = obj_rep_local_open(&rep);
	char why[ERR_MSG_MAX];
	if (ret == 0 && obj_desc_decode((uint8_t *)rep.local.addr + OBJ_DESC_OFF, 0, desc, why,
			sizeof(why)) != 0)
		ret = err_set(-EINVAL, "%s: %s", rep.name, why);
	obj_rep_close(&rep);
	obj_set_free(&os);
	return ret;
}

/* remote replica h (OK so far): its descriptor must be the reference's pool's */
static void
check_remote_desc(const struct obj_set *os, struct obj_replica_health *h,
	const struct obj_desc *ref, void *mem, uint8_t *buf)
{
	struct obj_rep rep;
	struct obj_hdr hdr;
	obj_rep_init(&rep, os, h->r);
	if (obj_rep_remote_open(&rep, mem, ref->pool_size, 1, &hdr) != 0) {
		h->state = OBJ_HEALTH_UNREACHABLE;
		snprintf(h->why, sizeof(h->why), "%s", err_last());
		return;
	}
	char why[ERR_MSG_MAX];
	struct obj_desc desc;
	errno = 0;
	if (rpmem_read(rep.rpp, buf, OBJ_DESC_OFF, OBJ_DESC_SIZE, 0) != 0) {
		h->state = OBJ_HEALTH_UNREACHABLE;
		snprintf(h->why, sizeof(h->why), "its descriptor cannot be read: %s",
			rpmem_errormsg());
	} else if (obj_desc_decode(buf, ref->pool_size, &desc, why, sizeof(why)) != 0) {
		h->state = OBJ_HEALTH_DAMAGED;
		snprintf(h->why, sizeof(h->why), "%s", why);
	} else if (strcmp(desc.layout, ref->layout) != 0) {
		h->state = OBJ_HEALTH_DAMAGED;
		snprintf(h->why, sizeof(h->why), "layout '%.200s' differs from the pool's '%.200s'",
			desc.layout, ref->layout);
	}
	obj_rep_close(&rep);
}

/* every remote replica that is OK so far gets its descriptor checked */
static int
check_remotes(const char *path, struct obj_replica_health *h, unsigned n)
{
	int ref = obj_health_reference(h, n);
	unsigned nremote = 0;
	for (unsigned r = 0; r < n; r++)
		nremote += h[r].remote && h[r].state == OBJ_HEALTH_OK;
	if (ref < 0 || nremote == 0)
		return 0;
	struct obj_desc desc;
	int ret = pool_ref_desc(path, (unsigned)ref, &desc);
	if (ret)
		return ret;
	struct obj_set os;
	ret = obj_set_load(path, 0, 0, &os);
	if (ret)
		return ret;
	/* what rpmem_open registers: scratch memory of the pool's size, never written */
	void *mem = mmap(NULL, desc.pool_size, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	uint8_t *buf = malloc(OBJ_DESC_SIZE);
	if (mem == MAP_FAILED || buf == NULL) {
		ret = err_set(-ENOMEM, "no memory to open the remote replicas over (%llu bytes)",
			(unsigned long long)desc.pool_size);
	} else {
		for (unsigned r = 0; r < n; r++)
			if (h[r].remote && h[r].state == OBJ_HEALTH_OK)
				check_remote_desc(&os, &h[r], &desc, mem, buf);
	}
	if (mem != MAP_FAILED)
		munmap(mem, desc.pool_size);
	free(buf);
	obj_set_free(&os);
	return ret;
}

int
pool_health(const char *path, struct obj_replica_health **out, unsigned *n)
{
	int ret = obj_health_list(path, out, n);
	if (ret)
		return ret;
	ret = check_remotes(path, *out, *n);
	if (ret) {
		free(*out);
		*out = NULL;
	}
	return ret;
}

int
pool_all_ok(const struct obj_replica_health *h, unsigned n)
{
	for (unsigned r = 0; r < n; r++)
		if (h[r].state != OBJ_HEALTH_OK)
			return 0;
	return 1;
}

const char *
pool_unnamed(const char *msg, const char *name)
{
	size_t len = strlen(name);
	if (strncmp(msg, name, len) == 0 && strncmp(msg + len, ": ", 2) == 0)
		return msg + len + 2;
	return msg;
}

const char *
pool_why(const struct obj_replica_health *h)
{
	return pool_unnamed(h->why, h->name);
}
