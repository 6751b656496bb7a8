/* test_common.c -- temp files and patterns for the unit tests */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "test_common.h"

#define MAX_CLEANUP 256

static char Cleanup[MAX_CLEANUP][PATH_MAX];
static pid_t Cleanup_owner[MAX_CLEANUP];	/* a forked child cleans only what it made */
static int Ncleanup;
static char Tmpdir[PATH_MAX];

static int
remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (type == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

static void
cleanup(void)
{
	for (int i = Ncleanup - 1; i >= 0; i--) {
		if (Cleanup_owner[i] != getpid())
			continue;
		if (strcmp(Cleanup[i], Tmpdir) == 0)	/* with what the tests put there */
			nftw(Tmpdir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
		else if (unlink(Cleanup[i]) != 0)
			rmdir(Cleanup[i]);
	}
}

static void
remember(const char *path)
{
	if (Ncleanup == 0)
		atexit(cleanup);
	if (Ncleanup < MAX_CLEANUP) {
		Cleanup_owner[Ncleanup] = getpid();
		snprintf(Cleanup[Ncleanup++], PATH_MAX, "%s", path);
	}
}

const char *
test_tmpdir(void)
{
	if (Tmpdir[0] == '\0') {
		snprintf(Tmpdir, sizeof(Tmpdir), "/tmp/pmem2-test-XXXXXX");
		if (mkdtemp(Tmpdir) == NULL)
			fail_msg("mkdtemp: %s", strerror(errno));
		remember(Tmpdir);
	}
	return Tmpdir;
}

int
test_tmpfile(const char *dir, size_t size, int flags, char *path)
{
	char buf[PATH_MAX];
	if (dir == NULL)
		dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(buf, sizeof(buf), "%s/pmem2-test-XXXXXX", dir);
	int fd = mkstemp(buf);
	if (fd < 0)
		fail_msg("mkstemp %s: %s", buf, strerror(errno));
	remember(buf);
	if (size > 0 && ftruncate(fd, (off_t)size) != 0)
		fail_msg("ftruncate: %s", strerror(errno));
	close(fd);
	fd = open(buf, flags | O_CLOEXEC);
	if (fd < 0)
		fail_msg("open %s: %s", buf, strerror(errno));
	if (path != NULL)
		memcpy(path, buf, strlen(buf) + 1);
	return fd;
}

void *
test_read_file(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		fail_msg("open %s: %s", path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) != 0)
		fail_msg("fstat: %s", strerror(errno));
	char *buf = malloc((size_t)st.st_size + 1);
	assert_non_null(buf);
	size_t done = 0;
	while (done < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + done, (size_t)st.st_size - done);
		if (n <= 0)
			fail_msg("read %s: %s", path, strerror(errno));
		done += (size_t)n;
	}
	close(fd);
	*len = done;
	return buf;
}

void
test_fill_pattern(void *buf, size_t len, unsigned seed)
{
	unsigned char *p = buf;
	uint32_t x = seed * 2654435761u + 1;
	for (size_t i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		p[i] = (unsigned char)x;
	}
}

long long
test_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
