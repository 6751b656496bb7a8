/* child_fds.c -- the ssh child of a second pool inherits none of the first pool's descriptors (libfabric's are not close-on-exec) */
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "rpmem_test.h"

#define POOL_SIZE (64 * 1024)

static void *Pool_a, *Pool_b;

static int
setup(void **state)
{
	(void)state;
	Pool_a = map_pool(POOL_SIZE);
	Pool_b = map_pool(POOL_SIZE);
	use_fake_rpmemd("serve");
	setenv("RPMEM_PROVIDER", "tcp", 1);
	setenv("RPMEM_TIMEOUT_MS", "3000", 1);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	munmap(Pool_a, POOL_SIZE);
	munmap(Pool_b, POOL_SIZE);
	return 0;
}

/* the descriptor numbers of pid (ours: "self") that share an open file with one of ours */
static unsigned
shared_with_us(const char *pid, char *which, size_t size)
{
	char dir[64];
	snprintf(dir, sizeof(dir), "/proc/%s/fd", pid);
	DIR *d = opendir(dir);
	assert_non_null(d);
	unsigned n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char path[384];
		struct stat theirs, mine;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &theirs) || !S_ISSOCK(theirs.st_mode))
			continue;
		for (int fd = 3; fd < 1024; fd++) {
			if (fstat(fd, &mine) == 0 && mine.st_ino == theirs.st_ino &&
					mine.st_dev == theirs.st_dev) {
				size_t used = strlen(which);
				snprintf(which + used, size - used, " %s", e->d_name);
				n++;
				break;
			}
		}
	}
	closedir(d);
	return n;
}

static void
second_pool_child_holds_no_socket_of_the_first(void **state)
{
	(void)state;
	unsigned n = 2;
	RPMEMpool *a = rpmem_create("127.0.0.1", "a.set", Pool_a, POOL_SIZE, &n,
		NULL);
	if (a == NULL && errno == ENOMEDIUM)
		SKIP_BECAUSE("the tcp provider is not available");
	if (a == NULL)
		fail_msg("create a: %s", rpmem_errormsg());
	n = 1;
	RPMEMpool *b = rpmem_create("127.0.0.1", "b.set", Pool_b, POOL_SIZE, &n,
		NULL);
	if (b == NULL)
		fail_msg("create b: %s", rpmem_errormsg());

	/* every child of ours (the fake daemons, exec'ed by the ssh stand-in) */
	char self[32];
	snprintf(self, sizeof(self), "/proc/self/task/%d/children", (int)getpid());
	FILE *f = fopen(self, "r");
	assert_non_null(f);
	char pid[32];
	unsigned children = 0;
	while (fscanf(f, "%31s", pid) == 1) {
		char which[512] = "";
		unsigned shared = shared_with_us(pid, which, sizeof(which));
		if (shared)
			fail_msg("child %s holds %u of our sockets: fds%s", pid,
				shared, which);
		children++;
	}
	fclose(f);
	assert_int_equal(children, 2);

	assert_int_equal(rpmem_close(b), 0);
	assert_int_equal(rpmem_close(a), 0);
	assert_no_child_left();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(second_pool_child_holds_no_socket_of_the_first),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
