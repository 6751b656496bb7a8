/* pool_persist.c -- durability of pool ranges: split at part boundaries, each piece through its own mapping */
#include <errno.h>
#include <stdint.h>

#include "db_internal.h"
#include "err.h"

/* what one piece of a range gets: the part, the address in it, the length, the source bytes */
typedef int (*piece_fn)(struct rpmemd_part *part, char *addr, size_t len, const char *src);

/* the part holding pool offset off (off < pool->size): binary search over the ascending pool_off */
static unsigned
part_at(const struct rpmemd_pool *pool, size_t off)
{
	unsigned lo = 0, hi = pool->nparts - 1;
	while (lo < hi) {
		unsigned mid = lo + (hi - lo + 1) / 2;
		if (pool->parts[mid].pool_off <= off)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

static int
for_each_piece(struct rpmemd_pool *pool, size_t offset, size_t len, const char *src,
	piece_fn fn, const char *what)
{
	if (offset > pool->pool_size || len > pool->pool_size - offset)
		return err_set(-EINVAL,
			"pool set '%s': %s of %zu bytes at offset %zu is outside the pool of %zu bytes",
			pool->name, what, len, offset, pool->pool_size);
	if (len == 0)
		return 0;
	char *base = pool->addr;
	unsigned p = part_at(pool, offset);
	while (len > 0) {
		struct rpmemd_part *part = &pool->parts[p++];
		size_t in_part = part->pool_off + part->len - offset;
		size_t n = len < in_part ? len : in_part;
		int ret = fn(part, base + offset, n, src);
		if (ret)
			return ret;
		offset += n;
		len -= n;
		if (src != NULL)
			src += n;
	}
	return 0;
}

static int
persist_piece(struct rpmemd_part *part, char *addr, size_t len, const char *src)
{
	(void)src;
	part->persist(addr, len);
	return 0;
}

static int
memcpy_piece(struct rpmemd_part *part, char *addr, size_t len, const char *src)
{
	/* flags 0: the copy is persistent when it returns */
	part->memcpy_fn(addr, src, len, 0);
	return 0;
}

static int
deep_piece(struct rpmemd_part *part, char *addr, size_t len, const char *src)
{
	(void)src;
	int ret = pmem2_deep_flush(part->map, addr, len);
	if (ret)
		return err_set(-pmem2_err_to_errno(ret), "deep flush of %zu bytes failed: %s", len,
			pmem2_errormsg());
	return 0;
}

int
rpmemd_pool_persist(struct rpmemd_pool *pool, size_t offset, size_t len)
{
	return for_each_piece(pool, offset, len, NULL, persist_piece, "persist");
}

int
rpmemd_pool_deep_persist(struct rpmemd_pool *pool, size_t offset, size_t len)
{
	return for_each_piece(pool, offset, len, NULL, deep_piece, "deep persist");
}

int
rpmemd_pool_memcpy_persist(struct rpmemd_pool *pool, size_t offset, const void *src, size_t len)
{
	return for_each_piece(pool, offset, len, src, memcpy_piece, "copy");
}
