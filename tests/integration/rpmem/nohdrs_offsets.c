/* nohdrs_offsets.c -- against the real rpmemd: zero-length operations, and every 8-byte offset below 4096 of a NOHDRS pool arriving */
#include <librpmem.h>

#include "rpmem_test_env.h"

#define POOL_SIZE ((size_t)8 << 20)
#define HDR 4096
#define NLANES 4

static const char SetHdrs[] = "PMEMPOOLSET\n8M hdrs.part\n";
static const char SetNohdrs[] = "PMEMPOOLSET\nOPTION NOHDRS\n8M nohdrs.part\n";

struct world {
	struct rpmem_env env;
	char *pool;
};

static int
setup(void **state)
{
	struct world *w = calloc(1, sizeof(*w));
	rpmem_env_setup(&w->env, "tcp");
	rpmem_env_write(&w->env, "hdrs.set", SetHdrs);
	rpmem_env_write(&w->env, "nohdrs.set", SetNohdrs);
	rpmem_env_unlink(&w->env, "hdrs.part");
	rpmem_env_unlink(&w->env, "nohdrs.part");
	w->pool = rpmem_env_pool(POOL_SIZE);
	*state = w;
	return 0;
}

static int
teardown(void **state)
{
	struct world *w = *state;
	munmap(w->pool, POOL_SIZE);
	free(w);
	return 0;
}

static RPMEMpool *
create(struct world *w, const char *set, const struct rpmem_pool_attr *attr,
	unsigned *nlanes)
{
	*nlanes = NLANES;
	RPMEMpool *rpp = rpmem_create("localhost", set, w->pool, POOL_SIZE, nlanes,
		attr);
	if (rpp == NULL)
		fail_msg("rpmem_create %s: %s (errno %d)", set, rpmem_errormsg(), errno);
	assert_true(*nlanes >= 1 && *nlanes <= NLANES);
	return rpp;
}

/* true when len bytes of the part at off are all zero */
static int
part_is_zero(struct world *w, const char *part, size_t len, off_t off)
{
	unsigned char *buf = malloc(len);
	rpmem_env_read_part(&w->env, part, buf, len, off);
	int zero = 1;
	for (size_t i = 0; i < len; i++)
		zero &= buf[i] == 0;
	free(buf);
	return zero;
}

/* every zero-length call at an in-range offset succeeds, on every lane, and moves no byte */
static void
zero_length_operations_succeed_and_move_nothing(void **state)
{
	struct world *w = *state;
	struct rpmem_pool_attr a;
	memset(&a, 0, sizeof(a));
	memcpy(a.signature, "ZEROLEN", 7);
	unsigned nlanes;
	RPMEMpool *rpp = create(w, "hdrs.set", &a, &nlanes);

	test_fill_pattern(w->pool, POOL_SIZE, 5);
	size_t offs[] = { HDR, HDR + 1, HDR + 4095, POOL_SIZE / 2, POOL_SIZE - 1, POOL_SIZE };
	for (size_t i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		for (unsigned lane = 0; lane < nlanes; lane++) {
			assert_int_equal(rpmem_persist(rpp, offs[i], 0, lane, 0), 0);
			assert_int_equal(rpmem_persist(rpp, offs[i], 0, lane,
				RPMEM_PERSIST_RELAXED), 0);
			assert_int_equal(rpmem_deep_persist(rpp, offs[i], 0, lane), 0);
			assert_int_equal(rpmem_flush(rpp, offs[i], 0, lane, 0), 0);
			assert_int_equal(rpmem_flush(rpp, offs[i], 0, lane,
				RPMEM_FLUSH_RELAXED), 0);
			assert_int_equal(rpmem_drain(rpp, lane, 0), 0);
			/* nothing to read: the buffer is not looked at */
			assert_int_equal(rpmem_read(rpp, NULL, offs[i], 0, lane), 0);
		}
	}

	/* the argument checks still come first: header, lane, range */
	errno = 0;
	assert_int_equal(rpmem_persist(rpp, HDR - 8, 0, 0, 0), -1);
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_int_equal(rpmem_persist(rpp, HDR, 0, nlanes, 0), -1);
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_int_equal(rpmem_persist(rpp, POOL_SIZE + 1, 0, 0, 0), -1);
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_int_equal(rpmem_read(rpp, NULL, POOL_SIZE + 1, 0, 0), -1);
	assert_int_equal(errno, EINVAL);

	/* the pool still works after all that, and only this range arrived */
	assert_int_equal(rpmem_persist(rpp, HDR + 64, 8, 0, 0), 0);
	assert_int_equal(rpmem_close(rpp), 0);

	assert_true(part_is_zero(w, "hdrs.part", 64, HDR));
	unsigned char got[8];
	rpmem_env_read_part(&w->env, "hdrs.part", got, 8, HDR + 64);
	assert_memory_equal(got, w->pool + HDR + 64, 8);
	assert_true(part_is_zero(w, "hdrs.part", POOL_SIZE - HDR - 72, HDR + 72));
}

static void
every_8_byte_offset_below_4096_of_a_nohdrs_pool_arrives(void **state)
{
	struct world *w = *state;
	unsigned nlanes;
	RPMEMpool *rpp = create(w, "nohdrs.set", NULL, &nlanes);

	test_fill_pattern(w->pool, HDR, 11);
	/* every offset by itself, through every path a range can take */
	for (size_t off = 0; off < HDR; off += 8) {
		unsigned lane = (unsigned)(off / 8) % nlanes;
		int ret;
		switch ((off / 8) % 4) {
		case 0: ret = rpmem_persist(rpp, off, 8, lane, 0); break;
		case 1: ret = rpmem_persist(rpp, off, 8, lane, RPMEM_PERSIST_RELAXED); break;
		case 2: ret = rpmem_deep_persist(rpp, off, 8, lane); break;
		default:
			ret = rpmem_flush(rpp, off, 8, lane, 0);
			if (ret == 0)
				ret = rpmem_drain(rpp, lane, 0);
		}
		if (ret != 0)
			fail_msg("offset %zu: %s (errno %d)", off, rpmem_errormsg(), errno);
	}

	unsigned char back[HDR];
	assert_int_equal(rpmem_read(rpp, back, 0, HDR, 0), 0);
	assert_memory_equal(back, w->pool, HDR);
	assert_int_equal(rpmem_close(rpp), 0);

	/* NOHDRS: pool offset 0 is file offset 0 of the part */
	rpmem_env_read_part(&w->env, "nohdrs.part", back, HDR, 0);
	assert_memory_equal(back, w->pool, HDR);
	assert_true(part_is_zero(w, "nohdrs.part", POOL_SIZE - HDR, HDR));

	/* a reopen gives zeroed attributes, and a range across offset 0 goes */
	struct rpmem_pool_attr got, zero;
	memset(&got, 0xa5, sizeof(got));
	memset(&zero, 0, sizeof(zero));
	nlanes = NLANES;
	rpp = rpmem_open("localhost", "nohdrs.set", w->pool, POOL_SIZE, &nlanes, &got);
	if (rpp == NULL)
		fail_msg("rpmem_open: %s (errno %d)", rpmem_errormsg(), errno);
	assert_memory_equal(&got, &zero, sizeof(got));
	memset(back, 0, sizeof(back));
	assert_int_equal(rpmem_read(rpp, back, 0, HDR, nlanes - 1), 0);
	assert_memory_equal(back, w->pool, HDR);
	memset(w->pool, 0x5a, 16);
	assert_int_equal(rpmem_persist(rpp, 0, 16, 0, 0), 0);
	assert_int_equal(rpmem_close(rpp), 0);
	rpmem_env_read_part(&w->env, "nohdrs.part", back, 16, 0);
	assert_memory_equal(back, w->pool, 16);
}

static void
nohdrs_pool_refuses_non_zero_attributes(void **state)
{
	struct world *w = *state;
	struct rpmem_pool_attr a;
	memset(&a, 0, sizeof(a));
	a.major = 1;
	unsigned nlanes = NLANES;
	errno = 0;
	assert_null(rpmem_create("localhost", "nohdrs.set", w->pool, POOL_SIZE, &nlanes, &a));
	assert_int_equal(errno, EINVAL);
	assert_non_null(strstr(rpmem_errormsg(), "status POOL_CFG"));
	char path[PATH_MAX + 64];
	snprintf(path, sizeof(path), "%s/nohdrs.part", w->env.dir);
	assert_int_equal(access(path, F_OK), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(zero_length_operations_succeed_and_move_nothing,
			setup, teardown),
		cmocka_unit_test_setup_teardown(every_8_byte_offset_below_4096_of_a_nohdrs_pool_arrives,
			setup, teardown),
		cmocka_unit_test_setup_teardown(nohdrs_pool_refuses_non_zero_attributes,
			setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
