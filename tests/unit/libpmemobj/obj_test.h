/* obj_test.h -- what the libpmemobj tests share: set files in a temp dir, reading a replica's pool bytes back from its part files */
#ifndef OBJ_TEST_H
#define OBJ_TEST_H 1

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libpmemobj.h>

#include "test_common.h"

#define MIB ((size_t)1 << 20)
#define OBJ_HDR 4096		/* part header; the pool's data starts here */
#define OBJ_ROOT 8192		/* the root object's offset */

/* dir/name in a static rotating buffer (four at a time) */
static inline const char *
obj_path(const char *name)
{
	static char bufs[4][PATH_MAX];
	static int next;
	char *b = bufs[next++ % 4];
	snprintf(b, PATH_MAX, "%s/%s", test_tmpdir(), name);
	return b;
}

static inline void
obj_write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* removes every file of the temp dir: each test starts from nothing */
static inline void
obj_clean_dir(void)
{
	char cmd[PATH_MAX + 32];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'/*", test_tmpdir());
	assert_int_equal(system(cmd), 0);
}

/* len bytes at offset off of the file at path */
static inline void
obj_read_file(const char *path, off_t off, void *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		fail_msg("open %s: %s", path, strerror(errno));
	assert_int_equal(pread(fd, buf, len, off), (ssize_t)len);
	close(fd);
}

/* one part of a replica: its path, its size in the set file and whether it has a header */
struct obj_part {
	const char *path;
	size_t size;
	int hdr;
};

/*
 * Pool bytes [off, off + len) of a replica made of parts (mapped as the
 * library maps them: part 0 whole, the headers of later parts skipped),
 * read from the files.
 */
static inline void
obj_read_replica(const struct obj_part *parts, unsigned nparts, size_t off, void *buf,
	size_t len)
{
	size_t pool_off = 0;
	char *b = buf;
	for (unsigned p = 0; p < nparts && len > 0; p++) {
		size_t skip = p > 0 && parts[p].hdr ? OBJ_HDR : 0;
		size_t plen = parts[p].size - skip;
		if (off < pool_off + plen) {
			size_t n = pool_off + plen - off;
			if (n > len)
				n = len;
			obj_read_file(parts[p].path, (off_t)(skip + off - pool_off), b, n);
			b += n;
			off += n;
			len -= n;
		}
		pool_off += plen;
	}
	assert_int_equal(len, 0);
}

/* the pool's bytes [off, off + len) equal the replica's, read from its files */
static inline void
obj_assert_replica(PMEMobjpool *pop, const struct obj_part *parts, unsigned nparts, size_t off,
	size_t len)
{
	char *back = malloc(len);
	assert_non_null(back);
	obj_read_replica(parts, nparts, off, back, len);
	assert_memory_equal(back, (char *)pop + off, len);
	free(back);
}

/* the errno and a message containing what */
#define obj_assert_error(err, what) do { \
	assert_int_equal(errno, (err)); \
	if (strstr(pmemobj_errormsg(), (what)) == NULL) \
		fail_msg("message '%s' lacks '%s'", pmemobj_errormsg(), (what)); \
} while (0)

#endif /* OBJ_TEST_H */
