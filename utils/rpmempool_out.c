/* rpmempool_out.c -- the two renderings of rpmempool info: indented text for people, JSON (strings escaped) for scripts */
#include <inttypes.h>
#include <string.h>

#include "rpmempool_out.h"

void
out_init(struct out *o, FILE *f, int json)
{
	memset(o, 0, sizeof(*o));
	o->f = f;
	o->json = json;
}

static void
json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

/* what comes before a member: a comma and the key (JSON), the indentation and key (text) */
static void
member(struct out *o, const char *key)
{
	if (o->json) {
		if (o->count[o->depth]++ > 0)
			fputc(',', o->f);
		if (!o->in_array[o->depth] && o->depth > 0) {
			json_string(o->f, key);
			fputc(':', o->f);
		}
		return;
	}
	fprintf(o->f, "%*s%s:", 2 * (o->depth > 0 ? o->depth - 1 : 0), "", key);
}

static void
push(struct out *o, int array)
{
	if (o->depth + 1 < OUT_MAX_DEPTH)
		o->depth++;
	o->count[o->depth] = 0;
	o->in_array[o->depth] = array;
}

void
out_obj_begin(struct out *o, const char *key)
{
	if (o->json) {
		member(o, key);
		fputc('{', o->f);
	} else if (o->depth > 0) {
		member(o, key);
		fputc('\n', o->f);
	}
	push(o, 0);
}

void
out_obj_end(struct out *o)
{
	o->depth--;
	if (o->json)
		fputc('}', o->f);
}

void
out_arr_begin(struct out *o, const char *key)
{
	member(o, key);
	fputs(o->json ? "[" : "\n", o->f);
	push(o, 1);
}

void
out_arr_end(struct out *o)
{
	o->depth--;
	if (o->json)
		fputc(']', o->f);
}

void
out_str(struct out *o, const char *key, const char *val)
{
	member(o, key);
	if (o->json) {
		if (val == NULL)
			fputs("null", o->f);
		else
			json_string(o->f, val);
	} else {
		fprintf(o->f, " %s\n", val == NULL ? "-" : val);
	}
}

void
out_u64(struct out *o, const char *key, uint64_t val)
{
	member(o, key);
	fprintf(o->f, o->json ? "%" PRIu64 : " %" PRIu64 "\n", val);
}

void
out_bool(struct out *o, const char *key, int val)
{
	member(o, key);
	if (o->json)
		fputs(val ? "true" : "false", o->f);
	else
		fputs(val ? " yes\n" : " no\n", o->f);
}

void
out_end(struct out *o)
{
	if (o->json)
		fputc('\n', o->f);
}
