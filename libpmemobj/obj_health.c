/* obj_health.c -- each replica of a pool set looked at alone and compared with a good local one: the pool tool's info, check and sync start here */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "obj_health.h"

const char *
obj_health_state_name(enum obj_health_state s)
{
	static const char *const names[] = { "ok", "missing", "damaged", "foreign", "stale",
		"unreachable" };
	return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "unknown";
}

static void
set_state(struct obj_replica_health *h, enum obj_health_state s, const char *why)
{
	h->state = s;
	snprintf(h->why, sizeof(h->why), "%s", why);
}

/* a local replica: opened, its headers and descriptor read, closed again; *size its usable bytes */
static int
look_local(struct obj_rep *rep, struct obj_replica_health *h, size_t *size)
{
	int ret = obj_rep_local_open(rep);
	if (ret == -EBUSY)
		return ret;
	if (ret) {
		set_state(h, ret == -ENOENT ? OBJ_HEALTH_MISSING :
			ret == -EINVAL ? OBJ_HEALTH_DAMAGED : OBJ_HEALTH_UNREACHABLE, err_last());
		return 0;
	}
	*size = rep->local.size;
	char why[ERR_MSG_MAX];
	if (obj_rep_local_read_hdrs(rep, &h->hdr, why, sizeof(why)) != 0) {
		set_state(h, OBJ_HEALTH_DAMAGED, err_last());
		return 0;
	}
	h->have_hdr = 1;
	struct obj_desc desc;
	/* the descriptor's pool size is compared with the reference's later */
	if (obj_desc_decode((uint8_t *)rep->local.addr + OBJ_DESC_OFF, 0, &desc, why,
			sizeof(why)) != 0) {
		set_state(h, OBJ_HEALTH_DAMAGED, why);
	} else if (desc.pool_size > rep->local.size) {
		snprintf(why, sizeof(why), "%llu usable bytes, fewer than the pool's %llu",
			(unsigned long long)rep->local.size, (unsigned long long)desc.pool_size);
		set_state(h, OBJ_HEALTH_DAMAGED, why);
	}
	h->pool_size = desc.pool_size;
	*size = desc.pool_size;
	return 0;
}

/* a remote replica: opened over scratch memory of pool_size bytes, its attributes read */
static void
look_remote(struct obj_rep *rep, struct obj_replica_health *h, size_t pool_size)
{
	if (pool_size == 0) {
		set_state(h, OBJ_HEALTH_UNREACHABLE, "no good local replica gives the pool size");
		return;
	}
	void *mem = mmap(NULL, pool_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		-1, 0);
	if (mem == MAP_FAILED) {
		set_state(h, OBJ_HEALTH_UNREACHABLE, "no memory to open it over");
		return;
	}
	int ret = obj_rep_remote_open(rep, mem, pool_size, 1, &h->hdr);
	if (ret) {
		set_state(h, ret == -ENOENT ? OBJ_HEALTH_MISSING : OBJ_HEALTH_UNREACHABLE, err_last());
	} else {
		char why[ERR_MSG_MAX];
		if (obj_attr_check(&h->hdr.attr, why, sizeof(why)) != 0)
			set_state(h, OBJ_HEALTH_DAMAGED, why);
		else
			h->have_hdr = 1;
	}
	obj_rep_close(rep);
	munmap(mem, pool_size);
}

int
obj_health_reference(const struct obj_replica_health *h, unsigned n)
{
	for (unsigned r = 0; r < n; r++)
		if (!h[r].remote && h[r].state == OBJ_HEALTH_OK)
			return (int)r;
	return -1;
}

/* the verdicts that need the reference: the set's UUID, index, ring and stale marks */
static void
compare(const struct obj_set *os, struct obj_replica_health *h, unsigned n)
{
	int ref = obj_health_reference(h, n);
	if (ref < 0)
		return;
	char why[ERR_MSG_MAX];
	for (unsigned r = 0; r < n; r++) {
		if (h[r].state != OBJ_HEALTH_OK)
			continue;
		if (obj_rep_check_hdr(os, &h[ref].hdr, r, &h[r].hdr, why, sizeof(why))) {
			set_state(&h[r], OBJ_HEALTH_FOREIGN, why);
		} else if (!h[r].remote && h[r].pool_size != h[ref].pool_size) {
			snprintf(why, sizeof(why), "its descriptor says %llu bytes, %s says %llu",
				(unsigned long long)h[r].pool_size, h[ref].name,
				(unsigned long long)h[ref].pool_size);
			set_state(&h[r], OBJ_HEALTH_DAMAGED, why);
		}
	}
	/* the ring over the replicas that are still OK: only they have trustworthy UUIDs */
	for (unsigned r = 0; r < n; r++) {
		unsigned next = (r + 1) % n;
		if (h[r].state != OBJ_HEALTH_OK || h[next].state != OBJ_HEALTH_OK || next == r)
			continue;
		if (memcmp(h[r].hdr.attr.next_uuid, h[next].hdr.attr.uuid, OBJ_UUID_LEN) != 0) {
			snprintf(why, sizeof(why), "its uuid is not the one replica %u links to", r);
			set_state(&h[next], OBJ_HEALTH_FOREIGN, why);
		}
	}
	for (unsigned k = 0; k < n; k++) {
		for (unsigned r = 0; r < n; r++) {
			if (h[r].remote || !h[r].have_hdr || !obj_stale_get(h[r].hdr.stale, k))
				continue;
			if (h[k].state == OBJ_HEALTH_OK) {
				snprintf(why, sizeof(why), "marked stale in %s: writes did not reach it",
					h[r].name);
				set_state(&h[k], OBJ_HEALTH_STALE, why);
			}
			break;
		}
	}
}

int
obj_health_list(const char *path, struct obj_replica_health **out, unsigned *n)
{
	struct obj_set os;
	int ret = obj_set_load(path, 0, 0, &os);
	if (ret)
		return ret;
	unsigned nreps = os.set->nreplicas;
	struct obj_replica_health *h = calloc(nreps, sizeof(*h));
	struct obj_rep *rep = malloc(sizeof(*rep));
	if (h == NULL || rep == NULL) {
		free(h);
		free(rep);
		obj_set_free(&os);
		return err_set(-ENOMEM, "out of memory for %u replicas", nreps);
	}
	size_t pool_size = 0;
	for (unsigned r = 0; ret == 0 && r < nreps; r++) {
		obj_rep_init(rep, &os, r);
		h[r].r = r;
		h[r].remote = rep->remote;
		snprintf(h[r].name, sizeof(h[r].name), "%s", rep->name);
		if (rep->remote)
			continue;
		size_t size = 0;
		ret = look_local(rep, &h[r], &size);
		if (pool_size == 0 && h[r].state == OBJ_HEALTH_OK)
			pool_size = size;
		obj_rep_close(rep);
	}
	for (unsigned r = 0; ret == 0 && r < nreps; r++) {
		if (!h[r].remote)
			continue;
		obj_rep_init(rep, &os, r);
		look_remote(rep, &h[r], pool_size);
	}
	if (ret == 0)
		compare(&os, h, nreps);
	free(rep);
	obj_set_free(&os);
	if (ret) {
		free(h);
		return ret;
	}
	*out = h;
	*n = nreps;
	return 0;
}
