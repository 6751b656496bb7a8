/* obj_uuid.c -- the UUIDs that tie a pool set's replicas together: random, printable */
#include <errno.h>
#include <stdio.h>
#include <sys/random.h>

#include "bytes.h"
#include "err.h"
#include "obj_format.h"

int
obj_uuid_generate(unsigned char *uuid)
{
	size_t got = 0;
	while (got < OBJ_UUID_LEN) {
		ssize_t n = getrandom(uuid + got, OBJ_UUID_LEN - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return err_set_sys(-errno, errno, "no random bytes for a UUID");
		got += (size_t)n;
	}
	uuid[6] = (uuid[6] & 0x0f) | 0x40;	/* version 4 */
	uuid[8] = (uuid[8] & 0x3f) | 0x80;	/* RFC 4122 variant */
	return 0;
}

void
obj_uuid_format(const unsigned char *u, char *out)
{
	snprintf(out, OBJ_UUID_STR_LEN,
		"%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11],
		u[12], u[13], u[14], u[15]);
}

uint64_t
obj_uuid_lo(const unsigned char *uuid)
{
	struct bytes_rd r = bytes_rd_init(uuid + 8, 8);
	uint64_t lo = bytes_get_le64(&r);
	/* 0 would make every object of the pool look like OID_NULL to pmemobj_direct */
	return lo != 0 ? lo : 1;
}
