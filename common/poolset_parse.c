/* poolset_parse.c -- pool set text to struct poolset: a pure, bounded parser whose errors name the line */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "poolset.h"
#include "util.h"

#define MAX_TOKENS 4	/* the longest valid line has 3 fields; the 4th is reported as extra */

struct parser {
	struct poolset *set;
	const char *set_dir;
	unsigned line;
	unsigned option_line[2];	/* where SINGLEHDR, NOHDRS were first given */
	unsigned replicas_cap;
	unsigned parts_cap;		/* of the last replica */
	char buf[PATH_MAX + 1];		/* the current line, NUL-terminated, cut into tokens */
	char *tok[MAX_TOKENS];
	unsigned ntok;
};

static const struct {
	const char *name;
	uint64_t mult;
} Suffixes[] = {
	/* PMDK's set: IEC/JEDEC binary units, and SI units that need the B */
	{ "B", 1 },
	{ "K", 1ull << 10 }, { "M", 1ull << 20 }, { "G", 1ull << 30 },
	{ "T", 1ull << 40 }, { "P", 1ull << 50 },
	{ "KiB", 1ull << 10 }, { "MiB", 1ull << 20 }, { "GiB", 1ull << 30 },
	{ "TiB", 1ull << 40 }, { "PiB", 1ull << 50 },
	{ "kB", 1000ull }, { "MB", 1000000ull }, { "GB", 1000000000ull },
	{ "TB", 1000000000000ull }, { "PB", 1000000000000000ull },
};

enum size_result { SIZE_OK, SIZE_BAD, SIZE_OVERFLOW };

/* digits, then an optional suffix of the table; no sign, no spaces */
static enum size_result
parse_size(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	const char *p = s;
	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned d = (unsigned)(*p - '0');
		if (v > (UINT64_MAX - d) / 10)
			return SIZE_OVERFLOW;
		v = v * 10 + d;
	}
	if (p == s)
		return SIZE_BAD;
	uint64_t mult = 1;
	if (*p != '\0') {
		size_t i;
		for (i = 0; i < ARRAY_SIZE(Suffixes); i++)
			if (strcmp(p, Suffixes[i].name) == 0)
				break;
		if (i == ARRAY_SIZE(Suffixes))
			return SIZE_BAD;
		mult = Suffixes[i].mult;
	}
	if (v > UINT64_MAX / mult)
		return SIZE_OVERFLOW;
	*out = v * mult;
	return SIZE_OK;
}

/*
 * Copies line [s, s + n) into ps->buf, refusing what no valid line holds,
 * drops the comment and cuts the rest into space- or tab-separated tokens.
 */
static int
split_line(struct parser *ps, const char *s, size_t n)
{
	if (n > 0 && s[n - 1] == '\r')
		n--;	/* CRLF line endings */
	if (n > PATH_MAX)
		return err_set(-EINVAL, "line %u: longer than %d bytes", ps->line, PATH_MAX);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\0')
			return err_set(-EINVAL, "line %u: NUL byte at column %zu", ps->line, i + 1);
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return err_set(-EINVAL, "line %u: control character 0x%02x at column %zu",
				ps->line, c, i + 1);
	}
	memcpy(ps->buf, s, n);
	ps->buf[n] = '\0';
	char *hash = strchr(ps->buf, '#');
	if (hash != NULL)
		*hash = '\0';

	ps->ntok = 0;
	char *p = ps->buf;
	while (ps->ntok < MAX_TOKENS) {
		p += strspn(p, " \t");
		if (*p == '\0')
			break;
		ps->tok[ps->ntok++] = p;
		p += strcspn(p, " \t");
		if (*p != '\0')
			*p++ = '\0';
	}
	return 0;
}

static int
add_replica(struct parser *ps)
{
	struct poolset *set = ps->set;
	if (set->nreplicas == POOLSET_MAX_REPLICAS)
		return err_set(-EINVAL, "line %u: more than %u replicas", ps->line,
			POOLSET_MAX_REPLICAS);
	if (set->nreplicas == ps->replicas_cap) {
		unsigned cap = ps->replicas_cap ? ps->replicas_cap * 2 : 4;
		void *r = realloc(set->replicas, cap * sizeof(*set->replicas));
		if (r == NULL)
			return err_set(-ENOMEM, "out of memory for %u replicas", cap);
		set->replicas = r;
		ps->replicas_cap = cap;
	}
	struct poolset_replica *rep = &set->replicas[set->nreplicas++];
	memset(rep, 0, sizeof(*rep));
	rep->line = ps->line;
	ps->parts_cap = 0;
	return 0;
}

/* the replica that ends here must have parts (a remote one has none by definition) */
static int
end_replica(struct parser *ps)
{
	const struct poolset_replica *rep = &ps->set->replicas[ps->set->nreplicas - 1];
	if (rep->remote || rep->nparts > 0)
		return 0;
	if (ps->set->nreplicas == 1)
		return err_set(-EINVAL, "no parts (a pool set needs at least one 'SIZE PATH' line)");
	return err_set(-EINVAL, "line %u: REPLICA without parts", rep->line);
}

static int
parse_option(struct parser *ps)
{
	static const char *const names[] = { "SINGLEHDR", "NOHDRS" };
	if (ps->ntok == 1)
		return err_set(-EINVAL, "line %u: OPTION without a name (SINGLEHDR or NOHDRS)",
			ps->line);
	if (ps->ntok > 2)
		return err_set(-EINVAL, "line %u: unexpected '%s' after OPTION %s", ps->line,
			ps->tok[2], ps->tok[1]);
	unsigned i;
	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (strcmp(ps->tok[1], names[i]) == 0)
			break;
	if (i == ARRAY_SIZE(names))
		return err_set(-EINVAL, "line %u: unknown option '%s' (SINGLEHDR or NOHDRS)",
			ps->line, ps->tok[1]);
	if (ps->option_line[i] != 0)
		return err_set(-EINVAL, "line %u: duplicate option %s (first given on line %u)",
			ps->line, names[i], ps->option_line[i]);
	ps->option_line[i] = ps->line;
	if (i == 0)
		ps->set->singlehdr = 1;
	else
		ps->set->nohdrs = 1;
	return 0;
}

static int
parse_remote(struct parser *ps, struct poolset_replica *rep)
{
	const char *target = ps->tok[1];
	const char *name = ps->tok[2];
	if (target[0] == '-')	/* it becomes an ssh argument: never an option */
		return err_set(-EINVAL, "line %u: replica target '%s' starts with '-'",
			ps->line, target);
	if (name[0] == '/')
		return err_set(-EINVAL,
			"line %u: remote pool set name '%s' is absolute (it names a file in rpmemd's poolset-dir)",
			ps->line, name);
	if (poolset_path_has_dotdot(name))
		return err_set(-EINVAL,
			"line %u: remote pool set name '%s' leaves rpmemd's poolset-dir", ps->line,
			name);
	rep->remote = 1;
	rep->target = strdup(target);
	rep->set_name = strdup(name);
	if (rep->target == NULL || rep->set_name == NULL)
		return err_set(-ENOMEM, "out of memory for a remote replica");
	return 0;
}

static int
parse_replica(struct parser *ps)
{
	if (ps->set->nreplicas == 1 && ps->set->replicas[0].nparts == 0)
		return err_set(-EINVAL,
			"line %u: REPLICA before the first part (the primary replica is local and needs parts)",
			ps->line);
	int ret = end_replica(ps);
	if (ret)
		return ret;
	if (ps->ntok == 2)
		return err_set(-EINVAL,
			"line %u: remote replica '%s' lacks the pool set name (REPLICA [user@]host[:port] NAME)",
			ps->line, ps->tok[1]);
	if (ps->ntok > 3)
		return err_set(-EINVAL, "line %u: unexpected '%s' after the pool set name",
			ps->line, ps->tok[3]);
	ret = add_replica(ps);
	if (ret)
		return ret;
	if (ps->ntok == 1)
		return 0;
	return parse_remote(ps, &ps->set->replicas[ps->set->nreplicas - 1]);
}

/* set_dir + "/" + path for a relative path, path itself otherwise */
static int
join_path(struct parser *ps, const char *path, char **out)
{
	const char *dir = ps->set_dir;
	if (path[0] == '/' || dir == NULL || dir[0] == '\0')
		dir = "";
	size_t dlen = strlen(dir);
	const char *sep = (dlen > 0 && dir[dlen - 1] != '/') ? "/" : "";
	size_t n = dlen + strlen(sep) + strlen(path);
	if (n >= PATH_MAX)
		return err_set(-EINVAL,
			"line %u: part path of %zu bytes (with the set's directory) is longer than %d bytes",
			ps->line, n, PATH_MAX - 1);
	*out = malloc(n + 1);
	if (*out == NULL)
		return err_set(-ENOMEM, "out of memory for a part path");
	strcpy(*out, dir);
	strcat(*out, sep);
	strcat(*out, path);
	return 0;
}

/* two parts on one file would overwrite each other; the check is by name, not by inode */
static int
check_unique_path(struct parser *ps, const char *path)
{
	const struct poolset *set = ps->set;
	for (unsigned r = 0; r < set->nreplicas; r++) {
		const struct poolset_replica *rep = &set->replicas[r];
		for (unsigned p = 0; p < rep->nparts; p++)
			if (strcmp(rep->parts[p].path, path) == 0)
				return err_set(-EINVAL,
					"line %u: part path '%s' is already used on line %u",
					ps->line, path, rep->parts[p].line);
	}
	return 0;
}

static int
parse_part_size(struct parser *ps, uint64_t *size)
{
	const char *s = ps->tok[0];
	if (strcmp(s, "AUTO") == 0) {
		*size = 0;
		return 0;
	}
	switch (parse_size(s, size)) {
	case SIZE_BAD:
		return err_set(-EINVAL,
			"line %u: part size '%s' is not a size (digits with an optional K, M, G or T suffix)",
			ps->line, s);
	case SIZE_OVERFLOW:
		return err_set(-EINVAL, "line %u: part size '%s' does not fit in 64 bits",
			ps->line, s);
	case SIZE_OK:
		break;
	}
	if (*size == 0)
		return err_set(-EINVAL, "line %u: part size '%s' is zero", ps->line, s);
	return 0;
}

static int
grow_parts(struct parser *ps, struct poolset_replica *rep)
{
	if (rep->nparts < ps->parts_cap)
		return 0;
	unsigned cap = ps->parts_cap ? ps->parts_cap * 2 : 4;
	void *p = realloc(rep->parts, cap * sizeof(*rep->parts));
	if (p == NULL)
		return err_set(-ENOMEM, "out of memory for %u parts", cap);
	rep->parts = p;
	ps->parts_cap = cap;
	return 0;
}

static int
parse_part(struct parser *ps)
{
	struct poolset *set = ps->set;
	struct poolset_replica *rep = &set->replicas[set->nreplicas - 1];
	if (rep->remote)
		return err_set(-EINVAL,
			"line %u: part line after a remote replica (a remote replica has no part lines)",
			ps->line);
	uint64_t size;
	int ret = parse_part_size(ps, &size);
	if (ret)
		return ret;
	if (ps->ntok == 1)
		return err_set(-EINVAL, "line %u: part size '%s' is not followed by a path",
			ps->line, ps->tok[0]);
	if (ps->ntok > 2)
		return err_set(-EINVAL, "line %u: unexpected '%s' after the part path", ps->line,
			ps->tok[2]);
	if (set->nparts == POOLSET_MAX_PARTS)
		return err_set(-EINVAL, "line %u: more than %u parts", ps->line, POOLSET_MAX_PARTS);
	char *path;
	ret = join_path(ps, ps->tok[1], &path);
	if (ret)
		return ret;
	ret = check_unique_path(ps, path);
	if (ret == 0)
		ret = grow_parts(ps, rep);
	if (ret) {
		free(path);
		return ret;
	}
	rep->parts[rep->nparts++] = (struct poolset_part){ size, path, ps->line };
	set->nparts++;
	return 0;
}

static int
parse_line(struct parser *ps)
{
	if (ps->line == 1) {
		if (ps->ntok == 0 || strcmp(ps->tok[0], POOLSET_SIGNATURE) != 0)
			return err_set(-EINVAL, "line 1: the file must start with PMEMPOOLSET");
		if (ps->ntok > 1)
			return err_set(-EINVAL, "line 1: unexpected '%s' after PMEMPOOLSET",
				ps->tok[1]);
		return 0;
	}
	if (ps->ntok == 0)
		return 0;
	if (strcmp(ps->tok[0], POOLSET_SIGNATURE) == 0)
		return err_set(-EINVAL, "line %u: PMEMPOOLSET belongs on line 1 only", ps->line);
	if (strcmp(ps->tok[0], "OPTION") == 0)
		return parse_option(ps);
	if (strcmp(ps->tok[0], "REPLICA") == 0)
		return parse_replica(ps);
	return parse_part(ps);
}

static int
parse_all(struct parser *ps, const char *text, size_t len)
{
	size_t pos = 0;
	do {
		const char *nl = len > pos ? memchr(text + pos, '\n', len - pos) : NULL;
		size_t end = nl ? (size_t)(nl - text) : len;
		ps->line++;
		int ret = split_line(ps, text + pos, end - pos);
		if (ret == 0)
			ret = parse_line(ps);
		if (ret)
			return ret;
		pos = end + 1;
	} while (pos < len);
	return end_replica(ps);
}

int
poolset_parse(const char *text, size_t len, const char *set_dir, struct poolset **out)
{
	*out = NULL;
	struct parser *ps = calloc(1, sizeof(*ps));
	struct poolset *set = calloc(1, sizeof(*set));
	int ret = -ENOMEM;
	if (ps == NULL || set == NULL) {
		err_set(ret, "out of memory for a pool set");
		goto fail;
	}
	ps->set = set;
	ps->set_dir = set_dir;
	if (set_dir != NULL && set_dir[0] != '\0') {
		set->dir = strdup(set_dir);
		if (set->dir == NULL) {
			err_set(ret, "out of memory for a pool set");
			goto fail;
		}
	}
	ret = add_replica(ps);	/* the primary */
	if (ret)
		goto fail;
	set->replicas[0].line = 0;
	ret = parse_all(ps, text, len);
	if (ret)
		goto fail;
	free(ps);
	*out = set;
	return 0;
fail:
	free(ps);
	poolset_free(set);
	return ret;
}

void
poolset_free(struct poolset *set)
{
	if (set == NULL)
		return;
	for (unsigned r = 0; r < set->nreplicas; r++) {
		struct poolset_replica *rep = &set->replicas[r];
		for (unsigned p = 0; p < rep->nparts; p++)
			free(rep->parts[p].path);
		free(rep->parts);
		free(rep->target);
		free(rep->set_name);
	}
	free(set->replicas);
	free(set->dir);
	free(set);
}
