/* rpmempool_sync.c -- rpmempool sync: every bad replica rebuilt from a good one, then every header rewritten so the UUIDs form a ring again and no stale mark is left */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rpmempool_sync.h"

/* the reference opened (and so locked) for the whole sync, its header and descriptor read */
static int
open_ref(struct sync *s)
{
	struct obj_rep *ref = &s->reps[s->ref];
	/* a remote reference was opened when it was chosen; made files get the default mode */
	s->mode = 0600;
	if (s->ref_remote)
		return 0;
	int ret = obj_rep_local_open(ref);
	if (ret == 0)
		ret = obj_rep_local_read_hdrs(ref, &s->ref_hdr, NULL, 0);
	if (ret)
		return ret;
	struct obj_desc desc;
	char why[ERR_MSG_MAX];
	if (obj_desc_decode((uint8_t *)ref->local.addr + OBJ_DESC_OFF, 0, &desc, why,
			sizeof(why)) != 0)
		return err_set(-EINVAL, "%s: %s", ref->name, why);
	s->pool_size = desc.pool_size;
	struct stat st;
	const char *part0 = s->os.set->replicas[s->ref].parts[0].path;
	if (stat(part0, &st) == 0)
		s->mode = st.st_mode & 07777;
	return 0;
}

/* the header every replica gets: new UUIDs for the rebuilt ones, a stale mark for those whose rebuild failed */
static int
final_hdrs(struct sync *s, struct obj_hdr *hdrs)
{
	unsigned char (*uuids)[OBJ_UUID_LEN] = calloc(s->n, OBJ_UUID_LEN);
	if (uuids == NULL)
		return err_set(-ENOMEM, "out of memory for %u UUIDs", s->n);
	int ret = 0;
	for (unsigned r = 0; ret == 0 && r < s->n; r++) {
		if (s->h[r].state == OBJ_HEALTH_OK)
			memcpy(uuids[r], s->h[r].hdr.attr.uuid, OBJ_UUID_LEN);
		else
			ret = obj_uuid_generate(uuids[r]);
	}
	for (unsigned r = 0; ret == 0 && r < s->n; r++) {
		obj_hdr_for_replica(&hdrs[r], s->ref_hdr.attr.poolset_uuid,
			(const unsigned char (*)[OBJ_UUID_LEN])uuids, s->n, r, s->os.set->singlehdr,
			s->ref_hdr.crtime);
		for (unsigned k = 0; k < s->n; k++)
			if (s->failed[k])
				obj_stale_set(hdrs[r].stale, k);
	}
	free(uuids);
	return ret;
}

/* 1 when a good replica's header already says what it should */
static int
hdr_same(const struct obj_replica_health *h, const struct obj_hdr *want)
{
	if (h->state != OBJ_HEALTH_OK || memcmp(&h->hdr.attr, &want->attr, sizeof(want->attr)) != 0)
		return 0;
	if (h->remote)
		return 1;
	return h->hdr.crtime == want->crtime && h->hdr.replica == want->replica &&
		h->hdr.nreplicas == want->nreplicas &&
		memcmp(h->hdr.stale, want->stale, sizeof(want->stale)) == 0;
}

static int
write_hdr(struct sync *s, unsigned r, const struct obj_hdr *hdr)
{
	struct obj_rep *rep = &s->reps[r];
	struct obj_rep *ref = &s->reps[s->ref];
	int ret = 0;
	if (rep->remote) {
		if (rep->rpp == NULL) {
			struct obj_hdr old;
			/* only its attributes change: any memory of the pool's size will do */
			void *addr = s->ref_remote ? s->scratch : ref->local.addr;
			ret = obj_rep_remote_open(rep, addr, s->pool_size, 1, &old);
		}
		if (ret == 0)
			ret = obj_rep_remote_set_hdr(rep, hdr);
		obj_rep_close(rep);
		return ret;
	}
	if (!rep->local_init)
		ret = obj_rep_local_open(rep);
	if (ret == 0)
		ret = obj_rep_local_write_hdrs(rep, hdr);
	if (r != s->ref)
		obj_rep_close(rep);
	return ret;
}

/* the primary's header last: while it still holds the old marks, the pool stays refused */
static int
write_hdrs(struct sync *s)
{
	struct obj_hdr *hdrs = calloc(s->n, sizeof(*hdrs));
	if (hdrs == NULL)
		return err_set(-ENOMEM, "out of memory for %u headers", s->n);
	int ret = final_hdrs(s, hdrs);
	for (unsigned i = 1; ret == 0 && i <= s->n; i++) {
		unsigned r = i % s->n;
		if (s->failed[r] || (hdr_same(&s->h[r], &hdrs[r]) && !s->reps[r].local_init &&
				s->reps[r].rpp == NULL))
			continue;
		ret = write_hdr(s, r, &hdrs[r]);
	}
	free(hdrs);
	return ret;
}

static void
plan(struct sync *s, FILE *f, const char *verb)
{
	for (unsigned r = 0; r < s->n; r++)
		if (s->h[r].state != OBJ_HEALTH_OK)
			fprintf(f, "%s %s from %s (%s: %s)\n", verb, s->h[r].name,
				s->h[sync_source(s, r)].name,
				obj_health_state_name(s->h[r].state), pool_why(&s->h[r]));
}

/* every bad replica rebuilt, each failure reported; the headers written after */
static int
run(struct sync *s)
{
	int ret = open_ref(s);
	if (ret) {
		pool_error("sync", "the reference %s cannot be used: %s", s->h[s->ref].name,
			err_last());
		return EXIT_FAILED;
	}
	/* the local replicas first: with a remote reference, the other remote ones come from the primary */
	unsigned nfailed = 0;
	for (int remote = 0; remote < 2; remote++) {
		for (unsigned r = 0; r < s->n; r++) {
			if (s->h[r].state == OBJ_HEALTH_OK || s->reps[r].remote != remote)
				continue;
			if (sync_rebuild(s, r) != 0) {
				pool_error("sync", "%s not rebuilt: %s", s->h[r].name,
					pool_unnamed(err_last(), s->h[r].name));
				s->failed[r] = 1;
				nfailed++;
				obj_rep_close(&s->reps[r]);
			}
		}
	}
	if (write_hdrs(s) != 0) {
		pool_error("sync", "the headers cannot be written: %s", err_last());
		return EXIT_FAILED;
	}
	return nfailed ? EXIT_FAILED : EXIT_OK;
}

/* after the work: the set looked at afresh */
static int
verify(const char *path)
{
	struct obj_replica_health *h;
	unsigned n;
	if (pool_health(path, &h, &n) != 0) {
		pool_error("sync", "cannot check '%s' afterwards: %s", path, err_last());
		return EXIT_FAILED;
	}
	int ok = pool_all_ok(h, n);
	for (unsigned r = 0; r < n; r++)
		if (h[r].state != OBJ_HEALTH_OK)
			pool_error("sync", "%s is still %s: %s", h[r].name,
				obj_health_state_name(h[r].state), pool_why(&h[r]));
	free(h);
	if (ok)
		printf("%s: every replica is good (%u)\n", path, n);
	return ok ? EXIT_OK : EXIT_FAILED;
}

static int
sync_pool(struct sync *s, int dry_run)
{
	if (pool_health(s->path, &s->h, &s->n) != 0) {
		pool_error("sync", "cannot look at '%s': %s", s->path, err_last());
		return EXIT_ERROR;
	}
	if (pool_all_ok(s->h, s->n)) {
		printf("%s: nothing to do, every replica is good (%u)\n", s->path, s->n);
		return EXIT_OK;
	}
	if (obj_set_load(s->path, 0, 0, &s->os) != 0) {
		pool_error("sync", "%s", err_last());
		return EXIT_ERROR;
	}
	s->reps = calloc(s->n, sizeof(*s->reps));
	s->failed = calloc(s->n, sizeof(*s->failed));
	if (s->reps == NULL || s->failed == NULL) {
		pool_error("sync", "out of memory for %u replicas", s->n);
		return EXIT_ERROR;
	}
	for (unsigned r = 0; r < s->n; r++)
		obj_rep_init(&s->reps[r], &s->os, r);
	int ref = obj_health_reference(s->h, s->n);
	if (ref >= 0) {
		s->ref = (unsigned)ref;
	} else if (sync_remote_ref(s) != 0) {
		for (unsigned r = 0; r < s->n; r++)
			pool_error("sync", "%s: %s: %s", s->h[r].name,
				obj_health_state_name(s->h[r].state), pool_why(&s->h[r]));
		pool_error("sync", "'%s' has no good replica, local or remote, to rebuild the others from",
			s->path);
		return EXIT_FAILED;
	}
	if (dry_run) {
		plan(s, stdout, "would rebuild");
		return EXIT_OK;
	}
	plan(s, stdout, "rebuilding");
	s->ran = 1;
	return run(s);
}

/* everything sync_pool left open or allocated */
static void
sync_free(struct sync *s)
{
	for (unsigned r = 0; s->reps != NULL && r < s->n; r++)
		obj_rep_close(&s->reps[r]);
	if (s->scratch != NULL)
		munmap(s->scratch, s->pool_size);
	free(s->h);
	free(s->reps);
	free(s->failed);
	if (s->os.set != NULL)
		obj_set_free(&s->os);
}

int
cmd_sync(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "progress", no_argument, NULL, 'p' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct sync s;
	memset(&s, 0, sizeof(s));
	s.progress = isatty(STDERR_FILENO);
	int dry_run = 0;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "pnh", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			s.progress = 1;
			break;
		case 'n':
			dry_run = 1;
			break;
		case 'h':
			pool_help();
			return EXIT_OK;
		default:
			return pool_bad_option("sync", c, argv);
		}
	}
	s.path = pool_path_arg("sync", argc, argv, optind);
	if (s.path == NULL)
		return EXIT_ERROR;
	int status = sync_pool(&s, dry_run);
	/* every replica closed (unlocked) before the set is looked at again */
	sync_free(&s);
	if (status == EXIT_OK && s.ran)
		status = verify(s.path);
	return status;
}
