/* obj_desc.c -- the pool descriptor codec: layout name, pool size, root object, checksummed */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "bytes.h"
#include "checksum.h"
#include "obj_format.h"

void
obj_desc_encode(const struct obj_desc *desc, uint8_t *buf)
{
	memset(buf, 0, OBJ_DESC_SIZE);
	struct bytes_wr w = bytes_wr_init(buf, OBJ_DESC_CSUM_OFF);
	bytes_put_mem(&w, OBJ_DESC_SIG, 8);
	/* the name, then zeros to the field's end (its last byte always NUL) */
	char layout[OBJ_DESC_LAYOUT_LEN] = { 0 };
	memcpy(layout, desc->layout, strnlen(desc->layout, OBJ_DESC_LAYOUT_LEN - 1));
	bytes_put_mem(&w, layout, sizeof(layout));
	bytes_put_le64(&w, desc->pool_size);
	bytes_put_le64(&w, desc->root_off);
	bytes_put_le64(&w, 0);	/* reserved */
	struct bytes_wr c = bytes_wr_init(buf + OBJ_DESC_CSUM_OFF, 16);
	bytes_put_le64(&c, checksum_fletcher64(buf, OBJ_DESC_CSUM_OFF));
	bytes_put_le64(&c, desc->root_size);
}

int
obj_desc_decode(const uint8_t *buf, size_t pool_size, struct obj_desc *desc, char *why,
	size_t whylen)
{
	memset(desc, 0, sizeof(*desc));
	struct bytes_rd r = bytes_rd_init(buf, OBJ_DESC_SIZE);
	char sig[8];
	bytes_get_mem(&r, sig, sizeof(sig));
	bytes_get_mem(&r, desc->layout, OBJ_DESC_LAYOUT_LEN);
	desc->pool_size = bytes_get_le64(&r);
	desc->root_off = bytes_get_le64(&r);
	uint64_t reserved = bytes_get_le64(&r);
	uint64_t stored = bytes_get_le64(&r);
	desc->root_size = bytes_get_le64(&r);

	if (memcmp(sig, OBJ_DESC_SIG, sizeof(sig)) != 0) {
		snprintf(why, whylen, "no pool descriptor at offset %zu (signature '%.8s')",
			OBJ_DESC_OFF, sig);
		return -EINVAL;
	}
	uint64_t computed = checksum_fletcher64(buf, OBJ_DESC_CSUM_OFF);
	if (stored != computed) {
		snprintf(why, whylen, "pool descriptor checksum mismatch (stored 0x%016" PRIx64
			", computed 0x%016" PRIx64 ")", stored, computed);
		return -EINVAL;
	}
	if (desc->layout[OBJ_DESC_LAYOUT_LEN - 1] != '\0' || reserved != 0) {
		snprintf(why, whylen, "pool descriptor is malformed (unterminated layout or reserved bytes set)");
		return -EINVAL;
	}
	if (pool_size == 0)
		pool_size = desc->pool_size;	/* the caller compares it */
	if (desc->pool_size != pool_size) {
		snprintf(why, whylen, "pool descriptor says %" PRIu64 " bytes, the primary has %zu",
			desc->pool_size, pool_size);
		return -EINVAL;
	}
	if (desc->root_off != OBJ_ROOT_OFF || desc->root_size > pool_size - OBJ_ROOT_OFF) {
		snprintf(why, whylen, "root object (offset %" PRIu64 ", %" PRIu64
			" bytes) does not fit the pool of %zu bytes", desc->root_off, desc->root_size,
			pool_size);
		return -EINVAL;
	}
	return 0;
}
