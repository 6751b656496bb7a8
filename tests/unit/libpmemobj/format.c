/* format.c -- the pool format's codecs: headers and descriptors round-trip, and every damaged or foreign byte pattern is refused with its reason */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "obj_rep.h"
#include "test_common.h"
#include "util.h"

static void
sample(struct obj_hdr *h)
{
	unsigned char ps[OBJ_UUID_LEN], uuids[3][OBJ_UUID_LEN];
	assert_int_equal(obj_uuid_generate(ps), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(obj_uuid_generate(uuids[i]), 0);
	obj_hdr_for_replica(h, ps, (const unsigned char (*)[OBJ_UUID_LEN])uuids, 3, 1, 1,
		1700000000);
	h->part = 2;
	h->nparts = 3;
	obj_stale_set(h->stale, 2);
	obj_stale_set(h->stale, 1023);
}

static void
header_round_trips_field_by_field(void **state)
{
	struct obj_hdr h, back;
	sample(&h);
	uint8_t buf[POOLSET_HDR_SIZE];
	obj_hdr_encode(&h, buf);
	char why[256] = "";
	assert_int_equal(obj_hdr_decode(buf, &back, why, sizeof(why)), 0);
	assert_memory_equal(&h, &back, sizeof(h));
	/* fixed places, little-endian */
	assert_memory_equal(buf, "PMOBJCOR", 8);
	assert_int_equal(buf[8], 1);
	assert_int_equal(buf[16], OBJ_FEAT_SINGLEHDR);
	assert_memory_equal(buf + 24, h.attr.poolset_uuid, 16);
	assert_memory_equal(buf + 56, h.attr.next_uuid, 16);
	assert_int_equal(buf[104], 2);
	assert_int_equal(buf[108], 3);
	assert_int_equal(buf[120], 1);
	assert_int_equal(buf[124], 3);
	assert_int_equal(buf[OBJ_HDR_STALE_OFF], 0x4);
	assert_int_equal(buf[OBJ_HDR_STALE_OFF + 127], 0x80);
	assert_true(util_is_zero(buf + 256, OBJ_HDR_CSUM_OFF - 256));
	assert_true(obj_stale_get(back.stale, 1023) && !obj_stale_get(back.stale, 0));
	/* the UUID is a version 4 one and prints canonically */
	assert_int_equal(h.attr.uuid[6] >> 4, 4);
	char s[OBJ_UUID_STR_LEN];
	obj_uuid_format(h.attr.uuid, s);
	assert_int_equal(strlen(s), 36);
	assert_true(s[8] == '-' && s[13] == '-' && s[14] == '4');
}

static void
damaged_headers_are_refused_with_their_reason(void **state)
{
	struct obj_hdr h, back;
	uint8_t buf[POOLSET_HDR_SIZE];
	char why[256];
	sample(&h);

	memset(buf, 0, sizeof(buf));
	assert_int_equal(obj_hdr_decode(buf, &back, why, sizeof(why)), -EINVAL);
	assert_string_equal(why, "no pool header (all zero)");

	obj_hdr_encode(&h, buf);
	memcpy(buf, "PMEMOBJ", 8);
	assert_int_equal(obj_hdr_decode(buf, &back, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "not a libpmemobj-core pool (signature 'PMEMOBJ'"));

	/* any flipped byte, reserved ones too */
	static const size_t offs[] = { 9, 30, 105, 200, 2000, OBJ_HDR_CSUM_OFF, POOLSET_HDR_SIZE - 1 };
	for (size_t i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		obj_hdr_encode(&h, buf);
		buf[offs[i]] ^= 0x10;
		assert_int_equal(obj_hdr_decode(buf, &back, why, sizeof(why)), -EINVAL);
		assert_non_null(strstr(why, "checksum mismatch"));
	}

	/* well-formed, with a checksum, but not for this library */
	struct obj_hdr bad = h;
	bad.attr.major = 2;
	obj_hdr_encode(&bad, buf);
	assert_int_equal(obj_hdr_decode(buf, &back, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "pool format version 2 is not supported"));
	bad = h;
	bad.attr.incompat_features = 0x6;
	obj_hdr_encode(&bad, buf);
	assert_int_equal(obj_hdr_decode(buf, &back, why, sizeof(why)), -EINVAL);
	assert_string_equal(why, "unknown incompatible features 0x6");
	bad = h;
	bad.part = 3;
	obj_hdr_encode(&bad, buf);
	assert_int_equal(obj_hdr_decode(buf, &back, why, sizeof(why)), -EINVAL);
	assert_string_equal(why, "part 3 of 3 is out of range");
	bad = h;
	bad.nreplicas = POOLSET_MAX_REPLICAS + 1;
	obj_hdr_encode(&bad, buf);
	assert_int_equal(obj_hdr_decode(buf, &back, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "out of range"));
}

static void
descriptor_round_trips_and_refuses_damage(void **state)
{
	struct obj_desc d, back;
	memset(&d, 0, sizeof(d));
	strcpy(d.layout, "my layout");
	d.pool_size = 16 << 20;
	d.root_off = OBJ_ROOT_OFF;
	d.root_size = 12345;
	uint8_t buf[OBJ_DESC_SIZE];
	char why[256];
	obj_desc_encode(&d, buf);
	assert_int_equal(obj_desc_decode(buf, 16 << 20, &back, why, sizeof(why)), 0);
	assert_memory_equal(&d, &back, sizeof(d));
	/* the root size is outside the checksum: it changes with one store */
	buf[OBJ_DESC_ROOT_SIZE_OFF] = 0;
	assert_int_equal(obj_desc_decode(buf, 16 << 20, &back, why, sizeof(why)), 0);

	assert_int_equal(obj_desc_decode(buf, 8 << 20, &back, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "says 16777216 bytes, the primary has 8388608"));
	assert_int_equal(obj_desc_decode(buf, 0, &back, why, sizeof(why)), 0);

	obj_desc_encode(&d, buf);
	buf[20] ^= 1;
	assert_int_equal(obj_desc_decode(buf, 16 << 20, &back, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "descriptor checksum mismatch"));

	memset(buf, 0, sizeof(buf));
	assert_int_equal(obj_desc_decode(buf, 16 << 20, &back, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "no pool descriptor"));

	/* a root larger than the pool, checksummed */
	obj_desc_encode(&d, buf);
	uint64_t huge = (uint64_t)16 << 20;
	memcpy(buf + OBJ_DESC_ROOT_SIZE_OFF, &huge, 8);
	assert_int_equal(obj_desc_decode(buf, 16 << 20, &back, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "does not fit the pool"));

	/* a layout name of the maximum length is cut to PMEMOBJ_MAX_LAYOUT - 1 bytes */
	memset(d.layout, 'x', sizeof(d.layout));
	obj_desc_encode(&d, buf);
	assert_int_equal(obj_desc_decode(buf, 16 << 20, &back, why, sizeof(why)), 0);
	assert_int_equal(strlen(back.layout), OBJ_DESC_LAYOUT_LEN - 1);
}

static void
ring_check_names_the_replica_out_of_place(void **state)
{
	unsigned char ps[OBJ_UUID_LEN], uuids[4][OBJ_UUID_LEN];
	obj_uuid_generate(ps);
	for (int i = 0; i < 4; i++)
		obj_uuid_generate(uuids[i]);
	struct obj_hdr h[4];
	for (unsigned r = 0; r < 4; r++)
		obj_hdr_for_replica(&h[r], ps, (const unsigned char (*)[OBJ_UUID_LEN])uuids, 4, r, 0, 1);
	unsigned bad = 99;
	char why[256];
	assert_int_equal(obj_ring_check(h, 4, &bad, why, sizeof(why)), 0);
	/* one replica's own uuid replaced: it is named */
	obj_uuid_generate(h[2].attr.uuid);
	assert_int_equal(obj_ring_check(h, 4, &bad, why, sizeof(why)), -EINVAL);
	assert_int_equal(bad, 2);
	assert_non_null(strstr(why, "does not fit the ring"));
	/* two replicas with the same uuid */
	memcpy(h[2].attr.uuid, h[1].attr.uuid, OBJ_UUID_LEN);
	assert_int_equal(obj_ring_check(h, 4, &bad, why, sizeof(why)), -EINVAL);
	assert_int_equal(bad, 2);
	assert_non_null(strstr(why, "of replica 1"));
	/* one replica alone is its own ring */
	obj_hdr_for_replica(&h[0], ps, (const unsigned char (*)[OBJ_UUID_LEN])uuids, 1, 0, 0, 1);
	assert_int_equal(obj_ring_check(h, 1, &bad, why, sizeof(why)), 0);
}

static void
uuid_lo_is_never_zero(void **state)
{
	unsigned char u[OBJ_UUID_LEN] = { 0 };
	assert_int_equal(obj_uuid_lo(u), 1);
	u[8] = 0x34;
	u[15] = 0x12;
	assert_int_equal(obj_uuid_lo(u), 0x1200000000000034ULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(header_round_trips_field_by_field),
		cmocka_unit_test(damaged_headers_are_refused_with_their_reason),
		cmocka_unit_test(descriptor_round_trips_and_refuses_damage),
		cmocka_unit_test(ring_check_names_the_replica_out_of_place),
		cmocka_unit_test(uuid_lo_is_never_zero),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
