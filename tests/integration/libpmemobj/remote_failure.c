/* remote_failure.c -- a remote replica's rpmemd killed during writes: the call fails naming the replica, later calls too while the others are still written, close works, open refuses the stale pool */
#include <dirent.h>
#include <pthread.h>
#include <signal.h>

#include "../../unit/libpmemobj/obj_test.h"
#include "../rpmem/rpmem_test_env.h"

#define SIZE (8 * MIB)
#define SET "PMEMPOOLSET\n8M p0\nREPLICA\n8M l1\nREPLICA localhost r1.set\nREPLICA localhost r2.set\n"

struct world {
	struct rpmem_env env;
};

static int
setup(void **state)
{
	static struct world w;
	rpmem_env_setup(&w.env, "tcp");
	*state = &w;
	return 0;
}

static int
clean(void **state)
{
	obj_clean_dir();
	struct world *w = *state;
	rpmem_env_write(&w->env, "r1.set", "PMEMPOOLSET\n8M r1.part\n");
	rpmem_env_write(&w->env, "r2.set", "PMEMPOOLSET\n8M r2.part\n");
	return 0;
}

/* the rpmemd that has the part file name open (its descriptors say so) */
static pid_t
daemon_of(struct world *w, const char *name)
{
	pid_t pids[16];
	int n = rpmem_env_daemons(&w->env, pids, 16);
	for (int i = 0; i < n; i++) {
		char dir[64];
		snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)pids[i]);
		DIR *d = opendir(dir);
		if (d == NULL)
			continue;
		struct dirent *de;
		int found = 0;
		while (!found && (de = readdir(d)) != NULL) {
			char link[PATH_MAX + 80], target[PATH_MAX];
			snprintf(link, sizeof(link), "%s/%s", dir, de->d_name);
			ssize_t len = readlink(link, target, sizeof(target) - 1);
			if (len <= 0)
				continue;
			target[len] = '\0';
			const char *base = strrchr(target, '/');
			found = base != NULL && strcmp(base + 1, name) == 0;
		}
		closedir(d);
		if (found)
			return pids[i];
	}
	fail_msg("no rpmemd has %s open", name);
	return -1;
}

static PMEMobjpool *
create(void)
{
	obj_write_file(obj_path("pool.set"), SET);
	PMEMobjpool *pop = pmemobj_create(obj_path("pool.set"), "kill", 0, 0600);
	if (pop == NULL)
		fail_msg("pmemobj_create: %s (errno %d)", pmemobj_errormsg(), errno);
	return pop;
}

/* the error of a lost connection, named with the replica */
static void
assert_lost(int err)
{
	if (err != ECONNRESET && err != EPIPE && err != ECONNABORTED && err != ETIMEDOUT)
		fail_msg("errno %d (%s), expected ECONNRESET: %s", err, strerror(err),
			pmemobj_errormsg());
	if (strstr(pmemobj_errormsg(), "replica 3 (localhost r2.set): ") == NULL)
		fail_msg("message does not name the replica: %s", pmemobj_errormsg());
}

/* the stale pool: refused by open (naming the replica and the tool), 0 from check */
static void
assert_stale_refused(void)
{
	errno = 0;
	assert_null(pmemobj_open(obj_path("pool.set"), "kill"));
	obj_assert_error(EINVAL, "replica 3 (localhost r2.set): is stale");
	obj_assert_error(EINVAL, "rpmempool sync");
	assert_int_equal(pmemobj_check(obj_path("pool.set"), "kill"), 0);
}

static void
killed_daemon_fails_the_call_and_every_later_one(void **state)
{
	struct world *w = *state;
	PMEMobjpool *pop = create();
	char *d = (char *)pop + OBJ_ROOT;
	test_fill_pattern(d, 4096, 1);
	assert_int_equal(pmemobj_xpersist(pop, d, 4096, 0), 0);
	assert_int_equal(kill(daemon_of(w, "r2.part"), SIGKILL), 0);

	/* a call may still get through before the death is seen; within a few, one fails */
	int ret = 0, calls = 0;
	while (ret == 0 && calls < 1000) {
		test_fill_pattern(d, 4096, 2 + (unsigned)calls);
		ret = pmemobj_xpersist(pop, d, 4096, 0);
		calls++;
	}
	assert_int_equal(ret, -1);
	assert_lost(errno);
	printf("call %d after the kill: errno %d: %s\n", calls, errno, pmemobj_errormsg());

	/* sticky: every later call fails the same way, yet writes every other replica */
	char *e = d + 64 * 1024;
	test_fill_pattern(e, 8192, 99);
	errno = 0;
	assert_int_equal(pmemobj_xpersist(pop, e, 8192, 0), -1);
	assert_lost(errno);
	assert_non_null(strstr(pmemobj_errormsg(), "marked stale"));
	printf("the next call: %s\n", pmemobj_errormsg());
	errno = 0;
	char src[512];
	test_fill_pattern(src, sizeof(src), 100);
	assert_ptr_equal(pmemobj_memcpy_persist(pop, e + 8192, src, sizeof(src)), e + 8192);
	assert_lost(errno);
	errno = 0;
	pmemobj_persist(pop, e, 8);
	assert_lost(errno);
	errno = 0;
	assert_int_equal(pmemobj_xflush(pop, e, 8, 0), -1);
	assert_lost(errno);
	errno = 0;
	assert_true(OID_IS_NULL(pmemobj_root(pop, 64)));
	assert_lost(errno);
	pmemobj_close(pop);

	/* the primary, the local replica and the live remote one have every write */
	struct obj_part p0[] = { { obj_path("p0"), SIZE, 1 } };
	struct obj_part l1[] = { { obj_path("l1"), SIZE, 1 } };
	struct obj_part r1[] = { { obj_path("r1.part"), SIZE, 1 } };
	char *a = malloc(SIZE), *b = malloc(SIZE);
	obj_read_replica(p0, 1, OBJ_HDR, a, SIZE - OBJ_HDR);
	obj_read_replica(l1, 1, OBJ_HDR, b, SIZE - OBJ_HDR);
	assert_memory_equal(a, b, SIZE - OBJ_HDR);
	obj_read_replica(r1, 1, OBJ_HDR, b, SIZE - OBJ_HDR);
	assert_memory_equal(a, b, SIZE - OBJ_HDR);
	test_fill_pattern(b, 8192, 99);
	assert_memory_equal(a + OBJ_ROOT - OBJ_HDR + 64 * 1024, b, 8192);
	free(a);
	free(b);

	assert_stale_refused();
	printf("open: %s\n", pmemobj_errormsg());
}

struct job {
	PMEMobjpool *pop;
	unsigned id;
	int failed;
	int bad_errno;
};

static void *
writer(void *arg)
{
	struct job *j = arg;
	char *base = (char *)j->pop + OBJ_ROOT + j->id * (256 << 10);
	for (unsigned i = 0; i < 2000; i++) {
		size_t off = (i % 64) * 4096;
		test_fill_pattern(base + off, 4096, j->id * 10000 + i);
		if (pmemobj_xpersist(j->pop, base + off, 4096, i % 2 ? PMEMOBJ_F_RELAXED : 0) != 0) {
			j->failed++;
			if (errno != ECONNRESET && errno != EPIPE && errno != ECONNABORTED &&
					errno != ETIMEDOUT)
				j->bad_errno = errno;
		}
	}
	return NULL;
}

static void
killed_daemon_under_threads_ends_every_call(void **state)
{
	struct world *w = *state;
	PMEMobjpool *pop = create();
	pthread_t t[4];
	struct job jobs[4];
	for (unsigned i = 0; i < 4; i++) {
		jobs[i] = (struct job){ pop, i, 0, 0 };
		assert_int_equal(pthread_create(&t[i], NULL, writer, &jobs[i]), 0);
	}
	usleep(20000);
	assert_int_equal(kill(daemon_of(w, "r2.part"), SIGKILL), 0);
	int failed = 0;
	for (unsigned i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(jobs[i].bad_errno, 0);
		failed += jobs[i].failed;
	}
	/* once lost, the rest of every thread's calls fail */
	assert_true(failed > 0);
	errno = 0;
	assert_int_equal(pmemobj_xpersist(pop, (char *)pop + OBJ_ROOT, 8, 0), -1);
	assert_lost(errno);
	pmemobj_close(pop);
	assert_stale_refused();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(killed_daemon_fails_the_call_and_every_later_one, clean),
		cmocka_unit_test_setup(killed_daemon_under_threads_ends_every_call, clean),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
