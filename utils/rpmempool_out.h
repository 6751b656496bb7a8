/* rpmempool_out.h -- structured output of rpmempool info: one set of calls renders indented "key: value" text or one JSON object */
#ifndef RPMEMPOOL_OUT_H
#define RPMEMPOOL_OUT_H 1

#include <stdint.h>
#include <stdio.h>

#define OUT_MAX_DEPTH 16

struct out {
	FILE *f;
	int json;
	int depth;
	int count[OUT_MAX_DEPTH];	/* members written at each depth: JSON's commas */
	int in_array[OUT_MAX_DEPTH];
};

void out_init(struct out *o, FILE *f, int json);
/* key names the member (JSON: ignored inside an array; text: the heading of the block) */
void out_obj_begin(struct out *o, const char *key);
void out_obj_end(struct out *o);
void out_arr_begin(struct out *o, const char *key);
void out_arr_end(struct out *o);
void out_str(struct out *o, const char *key, const char *val);	/* NULL: null / "-" */
void out_u64(struct out *o, const char *key, uint64_t val);
void out_bool(struct out *o, const char *key, int val);
/* ends the document (JSON's last newline) */
void out_end(struct out *o);

#endif /* RPMEMPOOL_OUT_H */
