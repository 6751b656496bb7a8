/* db_hdr.c -- rpmemd pool header codec: exact bytes, checksum, and every refusal of a bad header */
#include "db_test.h"

#include "checksum.h"
#include "db_internal.h"

static void
header_bytes_are_laid_out_field_by_field(void **state)
{
	(void)state;
	struct db_hdr h = { DB_HDR_VERSION, 2, 3, dbt_attr(50) };
	uint8_t buf[HDR];
	memset(buf, 0xee, sizeof(buf));
	db_hdr_encode(&h, buf);
	static const uint8_t head[32] = {
		'R', 'P', 'M', 'D', 'P', 'O', 'O', 'L',
		1, 0, 0, 0,		/* version */
		0, 0x10, 0, 0,		/* header size 4096 */
		2, 0, 0, 0,		/* part */
		3, 0, 0, 0,		/* parts */
	};
	assert_memory_equal(buf, head, sizeof(head));
	const uint8_t *a = buf + DB_HDR_ATTR_OFF;
	assert_memory_equal(a, h.attr.signature, 8);
	static const uint8_t words[16] = {
		0x36, 0x03, 0x02, 0x01,	/* major 0x01020304 + 50 */
		0xd0, 0xc0, 0xb0, 0xa0,
		0x00, 0x00, 0x00, 0x10,
		0xff, 0xff, 0xff, 0xff,
	};
	assert_memory_equal(a + 8, words, sizeof(words));
	assert_memory_equal(a + 24, h.attr.poolset_uuid, 16);
	assert_memory_equal(a + 40, h.attr.uuid, 16);
	assert_memory_equal(a + 56, h.attr.next_uuid, 16);
	assert_memory_equal(a + 72, h.attr.prev_uuid, 16);
	assert_memory_equal(a + 88, h.attr.user_flags, 16);
	assert_true(dbt_is_zero(a + DB_HDR_ATTR_LEN, DB_HDR_CSUM_OFF - DB_HDR_ATTR_OFF - DB_HDR_ATTR_LEN));
	uint64_t sum = checksum_fletcher64(buf, DB_HDR_CSUM_OFF);
	for (int i = 0; i < 8; i++)
		assert_int_equal(buf[DB_HDR_CSUM_OFF + i], (uint8_t)(sum >> (8 * i)));

	struct db_hdr got;
	assert_succeeds(db_hdr_decode(buf, 2, &got));
	assert_memory_equal(&got, &h, sizeof(h));
}

static void
decode_refuses_every_bad_header_naming_the_part(void **state)
{
	(void)state;
	struct db_hdr h = { DB_HDR_VERSION, 1, 2, dbt_attr(51) };
	uint8_t buf[HDR], bad[HDR];
	db_hdr_encode(&h, buf);
	struct db_hdr got;

	assert_fails(db_hdr_decode(buf, 0, &got), -EINVAL, "part 0 header says it is part 1");

	memcpy(bad, buf, sizeof(bad));
	bad[7] = 'l';
	assert_fails(db_hdr_decode(bad, 1, &got), -EINVAL, "part 1 header has no rpmemd pool magic");

	memset(bad, 0, sizeof(bad));
	assert_fails(db_hdr_decode(bad, 1, &got), -EINVAL, "part 1 header has no rpmemd pool magic");

	memcpy(bad, buf, sizeof(bad));
	bad[HDR - 1000] = 1;	/* a reserved byte: the checksum covers it */
	char msg[200];
	snprintf(msg, sizeof(msg),
		"part 1 header checksum mismatch (stored 0x%016llx, computed 0x%016llx)",
		(unsigned long long)checksum_fletcher64(buf, DB_HDR_CSUM_OFF),
		(unsigned long long)checksum_fletcher64(bad, DB_HDR_CSUM_OFF));
	assert_fails(db_hdr_decode(bad, 1, &got), -EINVAL, msg);

	h.version = 7;
	db_hdr_encode(&h, bad);
	assert_fails(db_hdr_decode(bad, 1, &got), -EINVAL,
		"part 1 header has format version 7 (known: 1)");

	/* a header size other than 4096, with a valid checksum */
	memcpy(bad, buf, sizeof(bad));
	bad[13] = 0x20;
	uint64_t sum = checksum_fletcher64(bad, DB_HDR_CSUM_OFF);
	for (int i = 0; i < 8; i++)
		bad[DB_HDR_CSUM_OFF + i] = (uint8_t)(sum >> (8 * i));
	assert_fails(db_hdr_decode(bad, 1, &got), -EINVAL, "part 1 header size 8192 (expected 4096)");
}

static void
attributes_are_zero_only_when_every_byte_is(void **state)
{
	(void)state;
	struct rpmem_pool_attr a;
	memset(&a, 0, sizeof(a));
	assert_true(db_attr_is_zero(&a));
	a.user_flags[15] = 1;
	assert_false(db_attr_is_zero(&a));
	memset(&a, 0, sizeof(a));
	a.ro_compat_features = 1u << 31;
	assert_false(db_attr_is_zero(&a));
}

static void
fill_uuids_replaces_only_zero_ones(void **state)
{
	(void)state;
	struct rpmem_pool_attr in = dbt_attr(52), out;
	assert_succeeds(db_attr_fill_uuids(&in, &out));
	assert_memory_equal(&out, &in, sizeof(in));
	memset(in.uuid, 0, sizeof(in.uuid));
	assert_succeeds(db_attr_fill_uuids(&in, &out));
	assert_memory_equal(out.poolset_uuid, in.poolset_uuid, sizeof(in.poolset_uuid));
	assert_false(dbt_is_zero(out.uuid, sizeof(out.uuid)));
	memcpy(in.uuid, out.uuid, sizeof(in.uuid));
	assert_memory_equal(&out, &in, sizeof(in));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(header_bytes_are_laid_out_field_by_field),
		cmocka_unit_test(decode_refuses_every_bad_header_naming_the_part),
		cmocka_unit_test(attributes_are_zero_only_when_every_byte_is),
		cmocka_unit_test(fill_uuids_replaces_only_zero_ones),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
