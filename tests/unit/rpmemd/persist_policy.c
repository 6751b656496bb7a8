/* persist_policy.c -- rpmemd_persist_method: the whole table of --persist-apm x provider x pmem; rpmemd_pool_is_pmem */
#include "db_test.h"

#include "persist_policy.h"

struct row {
	int apm;
	enum fabric_provider prov;
	int pmem;
	enum proto_persist_method method;
	const char *why;
};

#define NOT_ASKED "--persist-apm not asked"
#define TCP "the tcp provider cannot make RDMA writes durable by themselves"
#define SOCKETS "the sockets provider cannot make RDMA writes durable by themselves"
#define NOT_PMEM "the pool is not on persistent memory"

static const struct row Table[] = {
	{ 0, FABRIC_PROV_VERBS, 0, PROTO_PERSIST_GPSPM, NOT_ASKED },
	{ 0, FABRIC_PROV_VERBS, 1, PROTO_PERSIST_GPSPM, NOT_ASKED },
	{ 0, FABRIC_PROV_TCP, 0, PROTO_PERSIST_GPSPM, NOT_ASKED },
	{ 0, FABRIC_PROV_TCP, 1, PROTO_PERSIST_GPSPM, NOT_ASKED },
	{ 0, FABRIC_PROV_SOCKETS, 0, PROTO_PERSIST_GPSPM, NOT_ASKED },
	{ 0, FABRIC_PROV_SOCKETS, 1, PROTO_PERSIST_GPSPM, NOT_ASKED },
	{ 1, FABRIC_PROV_VERBS, 0, PROTO_PERSIST_GPSPM, NOT_PMEM },
	{ 1, FABRIC_PROV_VERBS, 1, PROTO_PERSIST_APM, "" },
	{ 1, FABRIC_PROV_TCP, 0, PROTO_PERSIST_GPSPM, TCP },
	{ 1, FABRIC_PROV_TCP, 1, PROTO_PERSIST_GPSPM, TCP },
	{ 1, FABRIC_PROV_SOCKETS, 0, PROTO_PERSIST_GPSPM, SOCKETS },
	{ 1, FABRIC_PROV_SOCKETS, 1, PROTO_PERSIST_GPSPM, SOCKETS },
};

static void
every_combination_gives_the_exact_method_and_reason(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(Table) / sizeof(Table[0]); i++) {
		const struct row *r = &Table[i];
		const char *why = NULL;
		enum proto_persist_method m = rpmemd_persist_method(r->apm, r->prov, r->pmem, &why);
		print_message("apm %d, %s, pmem %d\n", r->apm, fabric_provider_name(r->prov),
			r->pmem);
		assert_int_equal(m, r->method);
		assert_non_null(why);
		assert_string_equal(why, r->why);
	}
}

static void
apm_only_for_verbs_on_pmem_when_asked(void **state)
{
	(void)state;
	int apm = 0;
	for (size_t i = 0; i < sizeof(Table) / sizeof(Table[0]); i++)
		apm += rpmemd_persist_method(Table[i].apm, Table[i].prov, Table[i].pmem,
			NULL) == PROTO_PERSIST_APM;
	assert_int_equal(apm, 1);
	assert_int_equal(rpmemd_persist_method(1, FABRIC_PROV_VERBS, 1, NULL),
		PROTO_PERSIST_APM);
}

static void
an_unknown_provider_gets_gpspm(void **state)
{
	(void)state;
	const char *why = NULL;
	assert_int_equal(rpmemd_persist_method(1, (enum fabric_provider)0, 1, &why),
		PROTO_PERSIST_GPSPM);
	assert_string_equal(why, "the provider cannot make RDMA writes durable by themselves");
}

/* a two-part pool set in a fresh poolset-dir, created and mapped */
static struct rpmemd_pool *
two_parts(struct dbt *t)
{
	dbt_setup(t);
	dbt_write(t, "pool.set", "PMEMPOOLSET\n2M p0\n2M p1\n");
	struct rpmem_pool_attr attr = dbt_attr(7);
	struct rpmemd_pool *pool;
	assert_succeeds(rpmemd_db_pool_create(t->db, "pool.set", 2 * MIB, &attr, &pool));
	return pool;
}

static void
a_pool_in_ordinary_files_is_not_pmem(void **state)
{
	(void)state;
	/* test_tmpdir is no DAX file system: no MAP_SYNC, page granularity */
	unsetenv("PMEM2_FORCE_GRANULARITY");
	struct dbt t;
	struct rpmemd_pool *pool = two_parts(&t);
	assert_int_equal(rpmemd_pool_is_pmem(pool), 0);
	assert_succeeds(rpmemd_db_pool_close(pool, 1));
	dbt_teardown(&t);
}

static void
forced_byte_granularity_counts_as_pmem(void **state)
{
	(void)state;
	/* the operator's override of libpmem2's detection is honoured, as documented */
	setenv("PMEM2_FORCE_GRANULARITY", "BYTE", 1);
	struct dbt t;
	struct rpmemd_pool *pool = two_parts(&t);
	assert_int_equal(rpmemd_pool_is_pmem(pool), 1);
	assert_succeeds(rpmemd_db_pool_close(pool, 1));
	dbt_teardown(&t);
	setenv("PMEM2_FORCE_GRANULARITY", "PAGE", 1);
	pool = two_parts(&t);
	assert_int_equal(rpmemd_pool_is_pmem(pool), 0);
	assert_succeeds(rpmemd_db_pool_close(pool, 1));
	dbt_teardown(&t);
	unsetenv("PMEM2_FORCE_GRANULARITY");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_combination_gives_the_exact_method_and_reason),
		cmocka_unit_test(apm_only_for_verbs_on_pmem_when_asked),
		cmocka_unit_test(an_unknown_provider_gets_gpspm),
		cmocka_unit_test(a_pool_in_ordinary_files_is_not_pmem),
		cmocka_unit_test(forced_byte_granularity_counts_as_pmem),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
