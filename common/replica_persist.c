/* replica_persist.c -- durability of pool ranges: split at part boundaries, each piece through its own map */
#include <errno.h>
#include <stdint.h>

#include "err.h"
#include "replica_internal.h"

/* what one piece of a range gets: the part, the address in it, the length, the source bytes */
typedef int (*piece_fn)(struct replica_part *part, char *addr, size_t len, const char *src);

/* the part holding pool offset off (off < rep->size): binary search over the ascending pool_off */
static unsigned
part_at(const struct replica *rep, size_t off)
{
	unsigned lo = 0, hi = rep->nparts - 1;
	while (lo < hi) {
		unsigned mid = lo + (hi - lo + 1) / 2;
		if (rep->parts[mid].pool_off <= off)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

/* a closed or never initialized replica has no name */
static const char *
name_of(const struct replica *rep)
{
	return rep->name != NULL ? rep->name : "replica";
}

static int
for_each_piece(struct replica *rep, size_t off, size_t len, const char *src, piece_fn fn,
	const char *what)
{
	if (rep->addr == NULL)
		return err_set(-EINVAL, "%s: %s of %zu bytes at offset %zu: the pool is not mapped",
			name_of(rep), what, len, off);
	if (off > rep->size || len > rep->size - off)
		return err_set(-EINVAL,
			"%s: %s of %zu bytes at offset %zu is outside the pool of %zu bytes",
			rep->name, what, len, off, rep->size);
	if (len == 0)
		return 0;
	char *base = rep->addr;
	unsigned p = part_at(rep, off);
	while (len > 0) {
		struct replica_part *part = &rep->parts[p++];
		size_t in_part = part->pool_off + part->len - off;
		size_t n = len < in_part ? len : in_part;
		int ret = fn(part, base + off, n, src);
		if (ret)
			return ret;
		off += n;
		len -= n;
		if (src != NULL)
			src += n;
	}
	return 0;
}

static int
persist_piece(struct replica_part *part, char *addr, size_t len, const char *src)
{
	(void)src;
	part->persist(addr, len);
	return 0;
}

static int
memcpy_piece(struct replica_part *part, char *addr, size_t len, const char *src)
{
	/* flags 0: the copy is persistent when it returns */
	part->memcpy_fn(addr, src, len, 0);
	return 0;
}

static int
deep_piece(struct replica_part *part, char *addr, size_t len, const char *src)
{
	(void)src;
	int ret = pmem2_deep_flush(part->map, addr, len);
	if (ret)
		return err_set(-pmem2_err_to_errno(ret), "deep flush of %zu bytes failed: %s", len,
			pmem2_errormsg());
	return 0;
}

int
replica_persist(struct replica *rep, size_t off, size_t len)
{
	return for_each_piece(rep, off, len, NULL, persist_piece, "persist");
}

int
replica_deep_persist(struct replica *rep, size_t off, size_t len)
{
	return for_each_piece(rep, off, len, NULL, deep_piece, "deep persist");
}

int
replica_memcpy_persist(struct replica *rep, size_t off, const void *src, size_t len)
{
	if (src == NULL && len > 0)
		return err_set(-EINVAL, "%s: copy of %zu bytes at offset %zu from NULL", name_of(rep),
			len, off);
	return for_each_piece(rep, off, len, src, memcpy_piece, "copy");
}
