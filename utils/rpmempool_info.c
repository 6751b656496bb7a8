/* rpmempool_info.c -- rpmempool info: the pool set, each replica (parts, header fields, remote attributes), the pool's layout and root, stale marks, health */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

#include "rpmempool.h"
#include "rpmempool_out.h"

static void
out_uuid(struct out *o, const char *key, const unsigned char *uuid)
{
	char s[OBJ_UUID_STR_LEN];
	obj_uuid_format(uuid, s);
	out_str(o, key, s);
}

/* the attributes every replica has (remote ones keep only these) */
static void
out_attr(struct out *o, const struct rpmem_pool_attr *a)
{
	char sig[RPMEM_POOL_HDR_SIG_LEN + 1];
	snprintf(sig, sizeof(sig), "%.*s", RPMEM_POOL_HDR_SIG_LEN, a->signature);
	out_str(o, "signature", sig);
	out_u64(o, "major", a->major);
	out_u64(o, "compat_features", a->compat_features);
	out_u64(o, "incompat_features", a->incompat_features);
	out_u64(o, "ro_compat_features", a->ro_compat_features);
	out_uuid(o, "poolset_uuid", a->poolset_uuid);
	out_uuid(o, "uuid", a->uuid);
	out_uuid(o, "next_uuid", a->next_uuid);
	out_uuid(o, "prev_uuid", a->prev_uuid);
}

static void
out_local_hdr(struct out *o, const struct obj_hdr *h, unsigned nreplicas)
{
	out_obj_begin(o, "header");
	out_attr(o, &h->attr);
	out_u64(o, "replica", h->replica);
	out_u64(o, "nreplicas", h->nreplicas);
	out_u64(o, "nparts", h->nparts);
	char when[64];
	time_t t = (time_t)h->crtime;
	struct tm tm;
	if (gmtime_r(&t, &tm) != NULL && strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm))
		out_str(o, "created", when);
	else
		out_u64(o, "created", h->crtime);
	/* text: "none" or the replica indexes; JSON: an array of them */
	char marks[512] = "none";
	size_t len = 0;
	if (o->json)
		out_arr_begin(o, "stale_marks");
	for (unsigned k = 0; k < nreplicas && k < POOLSET_MAX_REPLICAS; k++) {
		if (!obj_stale_get(h->stale, k))
			continue;
		if (o->json)
			out_u64(o, "replica", k);
		else if (len + 16 < sizeof(marks))
			len += (size_t)snprintf(marks + len, sizeof(marks) - len, "%sreplica %u",
				len ? ", " : "", k);
	}
	if (o->json)
		out_arr_end(o);
	else
		out_str(o, "stale_marks", marks);
	out_obj_end(o);
}

static void
out_parts(struct out *o, const struct poolset_replica *sr, const struct poolset *set)
{
	out_arr_begin(o, "parts");
	for (unsigned p = 0; p < sr->nparts; p++) {
		char label[32];
		snprintf(label, sizeof(label), "part %u", p);
		out_obj_begin(o, label);
		out_str(o, "path", sr->parts[p].path);
		out_u64(o, "size", sr->parts[p].size);
		struct stat st;
		if (stat(sr->parts[p].path, &st) == 0)
			out_u64(o, "file_size", (uint64_t)st.st_size);
		else
			out_str(o, "file_size", NULL);
		out_bool(o, "header", poolset_part_has_hdr(set, p));
		out_obj_end(o);
	}
	out_arr_end(o);
}

static void
out_replica(struct out *o, const struct obj_set *os, const struct obj_replica_health *h)
{
	const struct poolset_replica *sr = &os->set->replicas[h->r];
	char label[32];
	snprintf(label, sizeof(label), "replica %u", h->r);
	out_obj_begin(o, label);
	out_u64(o, "index", h->r);
	out_str(o, "name", h->name);
	out_bool(o, "remote", h->remote);
	out_str(o, "health", obj_health_state_name(h->state));
	out_str(o, "why", h->state == OBJ_HEALTH_OK ? NULL : pool_why(h));
	if (h->remote) {
		out_str(o, "target", sr->target);
		out_str(o, "set_name", sr->set_name);
		if (h->have_hdr) {
			out_obj_begin(o, "attributes");
			out_attr(o, &h->hdr.attr);
			out_obj_end(o);
		} else {
			out_str(o, "attributes", NULL);
		}
	} else {
		out_parts(o, sr, os->set);
		if (h->have_hdr)
			out_local_hdr(o, &h->hdr, os->set->nreplicas);
		else
			out_str(o, "header", NULL);
	}
	out_obj_end(o);
}

static void
out_pool(struct out *o, const char *path, const struct obj_set *os,
	const struct obj_replica_health *h, unsigned n)
{
	out_obj_begin(o, "pool");
	out_str(o, "path", path);
	out_bool(o, "pool_set", os->is_set);
	out_bool(o, "singlehdr", os->set->singlehdr);
	out_u64(o, "nreplicas", n);
	int ref = obj_health_reference(h, n);
	struct obj_desc desc;
	if (ref >= 0 && pool_ref_desc(path, (unsigned)ref, &desc) == 0) {
		out_u64(o, "reference", (unsigned)ref);
		out_str(o, "layout", desc.layout);
		out_u64(o, "pool_size", desc.pool_size);
		out_u64(o, "root_size", desc.root_size);
	} else {
		/* no good local replica: nothing says what the pool holds */
		out_str(o, "reference", NULL);
		out_str(o, "layout", NULL);
		out_str(o, "pool_size", NULL);
		out_str(o, "root_size", NULL);
	}
	out_bool(o, "consistent", pool_all_ok(h, n));
	out_arr_begin(o, "replicas");
	for (unsigned r = 0; r < n; r++)
		out_replica(o, os, &h[r]);
	out_arr_end(o);
	out_obj_end(o);
	out_end(o);
}

int
cmd_info(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int json = 0;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "jh", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = 1;
			break;
		case 'h':
			pool_help();
			return EXIT_OK;
		default:
			return pool_bad_option("info", c, argv);
		}
	}
	const char *path = pool_path_arg("info", argc, argv, optind);
	if (path == NULL)
		return EXIT_ERROR;

	struct obj_set os;
	if (obj_set_load(path, 0, 0, &os) != 0) {
		pool_error("info", "%s", err_last());
		return EXIT_ERROR;
	}
	struct obj_replica_health *h;
	unsigned n;
	if (pool_health(path, &h, &n) != 0) {
		pool_error("info", "cannot look at '%s': %s", path, err_last());
		obj_set_free(&os);
		return EXIT_ERROR;
	}
	struct out o;
	out_init(&o, stdout, json);
	out_pool(&o, path, &os, h, n);
	free(h);
	obj_set_free(&os);
	return EXIT_OK;
}
