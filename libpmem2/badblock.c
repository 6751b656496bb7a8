/* badblock.c -- pmem2_badblock_*: the list of bad blocks of a source, walked and cleared */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "badblock.h"
#include "region.h"

int
badblock_add(struct pmem2_badblock_context *ctx, size_t offset, size_t length)
{
	if (ctx->n == ctx->cap) {
		size_t cap = ctx->cap ? ctx->cap * 2 : 16;
		void *p = realloc(ctx->bbs, cap * sizeof(*ctx->bbs));
		if (p == NULL)
			return pmem2_err_sys(-ENOMEM, ENOMEM,
				"cannot grow the bad block list to %zu", cap);
		ctx->bbs = p;
		ctx->cap = cap;
	}
	ctx->bbs[ctx->n].offset = offset;
	ctx->bbs[ctx->n].length = length;
	ctx->n++;
	return 0;
}

int
badblock_read_sysfs(const char *path,
	int (*fn)(void *arg, unsigned long long sector,
		unsigned long long count), void *arg)
{
	FILE *f = fopen(path, "re");
	if (f == NULL) {
		int e = errno;
		return pmem2_err_sys(-e, e, "cannot open %s", path);
	}
	int ret = 0;
	unsigned long long sector, count;
	while (ret == 0 && fscanf(f, "%llu %llu", &sector, &count) == 2)
		ret = fn(arg, sector, count);
	fclose(f);
	return ret;
}

static int
by_offset(const void *a, const void *b)
{
	const struct pmem2_badblock *x = a, *y = b;
	return (x->offset > y->offset) - (x->offset < y->offset);
}

/* sorted, with overlapping or touching blocks merged (alignment can join them) */
static void
normalize(struct pmem2_badblock_context *ctx)
{
	if (ctx->n == 0)
		return;
	qsort(ctx->bbs, ctx->n, sizeof(*ctx->bbs), by_offset);
	size_t out = 0;
	for (size_t i = 1; i < ctx->n; i++) {
		struct pmem2_badblock *last = &ctx->bbs[out];
		size_t end = last->offset + last->length;
		if (ctx->bbs[i].offset <= end) {
			size_t e2 = ctx->bbs[i].offset + ctx->bbs[i].length;
			if (e2 > end)
				last->length = e2 - last->offset;
		} else {
			ctx->bbs[++out] = ctx->bbs[i];
		}
	}
	ctx->n = out + 1;
}

static int
fill(struct pmem2_badblock_context *ctx)
{
	unsigned region;
	int ret = pmem2_source_region_id(&ctx->src, &region);
	if (ret == PMEM2_E_DAX_REGION_NOT_FOUND) {
		/* as PMDK: not an error, the source simply has none */
		snprintf(ctx->no_region_why, sizeof(ctx->no_region_why),
			"%s", pmem2_errormsg());
		log_msg(LOG_INFO, "no bad blocks: %s", ctx->no_region_why);
		return 0;
	}
	if (ret)
		return ret;

	ctx->on_region = true;
	if (ctx->src.ftype == PMEM2_FTYPE_DEVDAX)
		ret = badblock_list_devdax(ctx, region);
	else
		ret = badblock_list_file(ctx);
	if (ret == 0)
		normalize(ctx);
	return ret;
}

int
pmem2_badblock_context_new(struct pmem2_badblock_context **bbctx,
	const struct pmem2_source *src)
{
	*bbctx = NULL;
	if (src->type == PMEM2_SOURCE_ANON)
		return pmem2_err(PMEM2_E_NOSUPP,
			"an anonymous source has no bad blocks");

	struct pmem2_badblock_context *ctx = calloc(1, sizeof(*ctx));
	if (ctx == NULL)
		return pmem2_err_sys(-ENOMEM, ENOMEM,
			"cannot allocate a bad block context");
	ctx->src = *src;

	int ret = fill(ctx);
	if (ret) {
		free(ctx->bbs);
		free(ctx);
		return ret;
	}
	*bbctx = ctx;
	return 0;
}

int
pmem2_badblock_next(struct pmem2_badblock_context *bbctx,
	struct pmem2_badblock *bb)
{
	if (!bbctx->on_region)
		return pmem2_err(PMEM2_E_NO_BAD_BLOCK_FOUND,
			"no bad blocks: %s", bbctx->no_region_why);
	if (bbctx->next >= bbctx->n)
		return pmem2_err(PMEM2_E_NO_BAD_BLOCK_FOUND,
			"no more bad blocks (%zu reported)", bbctx->n);
	*bb = bbctx->bbs[bbctx->next++];
	return 0;
}

int
pmem2_badblock_clear(struct pmem2_badblock_context *bbctx,
	const struct pmem2_badblock *bb)
{
	/* fallocate and the clear command take signed 64-bit ranges */
	if (bb->offset > INT64_MAX)
		return pmem2_err(PMEM2_E_OFFSET_OUT_OF_RANGE,
			"bad block offset %zu is greater than INT64_MAX",
			bb->offset);
	if (bb->length > INT64_MAX)
		return pmem2_err(PMEM2_E_LENGTH_OUT_OF_RANGE,
			"bad block length %zu is greater than INT64_MAX",
			bb->length);

	if (bbctx->src.ftype == PMEM2_FTYPE_DEVDAX)
		return badblock_clear_devdax(bbctx, bb);
	return badblock_clear_file(bbctx, bb);
}

void
pmem2_badblock_context_delete(struct pmem2_badblock_context **bbctx)
{
	if (*bbctx == NULL)
		return;
	free((*bbctx)->bbs);
	free(*bbctx);
	*bbctx = NULL;
}
