/*
 * device.c -- device id, unsafe shutdown count, NUMA node and bad blocks: on plain files and
 * anonymous memory, and on fsdax/devdax devices simulated by a fake /sys in a mount namespace
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_common.h"
#include "test_pmem2.h"

/* -DPMDK_REFERENCE checks the codes against Debian's PMDK, whose messages differ */
#ifdef PMDK_REFERENCE
#define assert_errormsg_prefix(s) ((void)0)
#define assert_errormsg(s) ((void)0)
#else
#define assert_errormsg_prefix(s) \
	assert_int_equal(strncmp(pmem2_errormsg(), (s), strlen(s)), 0)
#define assert_errormsg(s) assert_string_equal(pmem2_errormsg(), (s))
#endif

static void
file_not_on_pmem(const char *dir)
{
	int fd = test_tmpfile(dir, 4096, O_RDWR, NULL);
	struct stat st;
	assert_int_equal(fstat(fd, &st), 0);
	char prefix[200];
	snprintf(prefix, sizeof(prefix), "file is not on a pmem device "
		"(no nd region found for st_dev %u:%u",
		major(st.st_dev), minor(st.st_dev));
	struct pmem2_source *src = test_source_fd(fd);

	size_t len = 7;
	assert_int_equal(pmem2_source_device_id(src, NULL, &len),
		PMEM2_E_NOSUPP);
	assert_int_equal(len, 7);
	char want[300];
	snprintf(want, sizeof(want), "device id is not supported: %s", prefix);
	assert_errormsg_prefix(want);

	uint64_t usc = 5;
	assert_int_equal(pmem2_source_device_usc(src, &usc), PMEM2_E_NOSUPP);
#ifndef PMDK_REFERENCE
	assert_int_equal(usc, 5);	/* PMDK zeroes it */
#endif
	snprintf(want, sizeof(want), "unsafe shutdown count is not supported: "
		"%s", prefix);
	assert_errormsg_prefix(want);

	int node = -5;
	assert_int_equal(pmem2_source_numa_node(src, &node),
		PMEM2_E_DAX_REGION_NOT_FOUND);
	assert_int_equal(node, -5);
	assert_errormsg_prefix(prefix);

	pmem2_source_delete(&src);
	close(fd);
}

static void
device_info_of_tmpfs_file_is_not_supported_and_has_no_region(void **state)
{
	(void)state;
	if (access("/dev/shm", W_OK) != 0)
		SKIP_BECAUSE("/dev/shm is not writable");
	file_not_on_pmem("/dev/shm");
}

static void
device_info_of_tmp_file_is_not_supported_and_has_no_region(void **state)
{
	(void)state;
	file_not_on_pmem("/tmp");
}

static void
device_info_of_anon_source_fails_with_nosupp(void **state)
{
	(void)state;
	struct pmem2_source *src;
	assert_int_equal(pmem2_source_from_anon(&src, 4096), 0);
	size_t len;
	char id[64];
	assert_int_equal(pmem2_source_device_id(src, NULL, &len),
		PMEM2_E_NOSUPP);
	assert_errormsg("an anonymous source has no device id");
	len = sizeof(id);
	assert_int_equal(pmem2_source_device_id(src, id, &len),
		PMEM2_E_NOSUPP);
	uint64_t usc;
	assert_int_equal(pmem2_source_device_usc(src, &usc), PMEM2_E_NOSUPP);
	assert_errormsg("an anonymous source has no unsafe shutdown count");
	int node;
	assert_int_equal(pmem2_source_numa_node(src, &node), PMEM2_E_NOSUPP);
	assert_errormsg("an anonymous source is not bound to a NUMA node");
	pmem2_source_delete(&src);
}

#ifndef PMDK_REFERENCE
/*
 * Simulated pmem. A child process gets its own mount namespace, covers /sys
 * with a tmpfs and lays out what the kernel shows for an nd region with an
 * fsdax namespace holding /tmp's file system, and for a device DAX (played
 * by /dev/zero). cmocka's asserts cannot cross fork(), so the child counts
 * failed checks and the parent asserts the count is 0.
 */
static int Failures;

#define CHECK(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "%s:%d: check failed: %s (last error: %s)\n", \
			__FILE__, __LINE__, #cond, pmem2_errormsg()); \
		Failures++; \
	} \
} while (0)

#define FAKE_REGION "/sys/devices/ndbus0/region7"
#define FAKE_BUS_REGION "/sys/bus/nd/devices/region7"
#define FAKE_DAX FAKE_REGION "/dax7.0/dax7.0"

static int
put(const char *path, const char *content)
{
	FILE *f = fopen(path, "w");
	if (f == NULL)
		return -1;
	fputs(content, f);
	return fclose(f);
}

static int
mkdirs(const char *path)
{
	char buf[512];
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) != 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(buf, 0755) != 0 && errno != EEXIST ? -1 : 0;
}

/* physical byte on the device of the file's byte at off; -1 if unknown */
static long long
physical_of(int fd, size_t off)
{
	struct fiemap *fm = calloc(1, sizeof(*fm) +
		32 * sizeof(struct fiemap_extent));
	if (fm == NULL)
		return -1;
	fm->fm_start = off;
	fm->fm_length = 1;
	fm->fm_flags = FIEMAP_FLAG_SYNC;
	fm->fm_extent_count = 32;
	long long phys = -1;
	if (ioctl(fd, FS_IOC_FIEMAP, fm) == 0 && fm->fm_mapped_extents > 0) {
		struct fiemap_extent *e = &fm->fm_extents[0];
		phys = (long long)(e->fe_physical + (off - e->fe_logical));
	}
	free(fm);
	return phys;
}

static void
check_fsdax_file(int fd, long long phys, size_t blksize, int partition)
{
	struct pmem2_source *src;
	CHECK(pmem2_source_from_fd(&src, fd) == 0);

	/* one sector inside the file's block at 64 KiB, one outside the file */
	unsigned long long start = partition ? 2048 : 0;
	char list[100];
	snprintf(list, sizeof(list), "%llu 1\n%llu 1\n",
		(unsigned long long)phys / 512 + 1 + start, start);
	CHECK(put(FAKE_REGION "/namespace7.0/block/pmem7/badblocks", list)
		== 0);

	struct pmem2_badblock_context *ctx;
	CHECK(pmem2_badblock_context_new(&ctx, src) == 0);
	struct pmem2_badblock bb = { 0, 0 };
	CHECK(pmem2_badblock_next(ctx, &bb) == 0);
	CHECK(bb.offset == 65536);
	CHECK(bb.length == blksize);
	CHECK(pmem2_badblock_next(ctx, &bb) == PMEM2_E_NO_BAD_BLOCK_FOUND);
	CHECK(strcmp(pmem2_errormsg(), "no more bad blocks (1 reported)")
		== 0);
	pmem2_badblock_context_delete(&ctx);

	int node = -5;
	CHECK(pmem2_source_numa_node(src, &node) == 0);
	CHECK(node == 1);

	/* the fake region is unknown to libndctl, which reads the bus */
	size_t len;
	CHECK(pmem2_source_device_id(src, NULL, &len) < 0);
	uint64_t usc;
	CHECK(pmem2_source_device_usc(src, &usc) < 0);
	pmem2_source_delete(&src);
}

/* fsdax: /tmp's block device sits under region7, as a disk and as a partition */
static void
fake_fsdax(void)
{
	char path[4096];
	int fd = test_tmpfile("/tmp", 0, O_RDWR, path);
	unlink(path);	/* this child ends with _exit: nothing would clean up after it */
	static char data[256 * 1024];
	memset(data, 0x11, sizeof(data));
	CHECK(pwrite(fd, data, sizeof(data), 0) == (ssize_t)sizeof(data));
	CHECK(fsync(fd) == 0);
	struct stat st;
	CHECK(fstat(fd, &st) == 0);
	long long phys = physical_of(fd, 65536);
	if (phys < 0) {
		printf("FIEMAP unsupported on /tmp: fsdax part not checked\n");
		close(fd);
		return;
	}

	char dev[64];
	snprintf(dev, sizeof(dev), "/sys/dev/block/%u:%u",
		major(st.st_dev), minor(st.st_dev));
	CHECK(mkdirs(FAKE_REGION "/namespace7.0/block/pmem7/pmem7p1") == 0);
	CHECK(mkdirs("/sys/dev/block") == 0);
	CHECK(symlink(FAKE_REGION "/namespace7.0/block/pmem7", dev) == 0);
	check_fsdax_file(fd, phys, (size_t)st.st_blksize, 0);

	/* a partition: the disk's list counts from the disk's first sector */
	CHECK(put(FAKE_REGION "/namespace7.0/block/pmem7/pmem7p1/partition",
		"1\n") == 0);
	CHECK(put(FAKE_REGION "/namespace7.0/block/pmem7/pmem7p1/start",
		"2048\n") == 0);
	CHECK(unlink(dev) == 0);
	CHECK(symlink(FAKE_REGION "/namespace7.0/block/pmem7/pmem7p1", dev)
		== 0);
	check_fsdax_file(fd, phys, (size_t)st.st_blksize, 1);
	close(fd);
}

static void
check_devdax_badblocks(struct pmem2_source *src)
{
	/* sector 4097 of the region is 512 bytes into the device DAX */
	CHECK(put(FAKE_BUS_REGION "/badblocks",
		"100 1\n4097 8\n20479 4\n") == 0);
	struct pmem2_badblock_context *ctx;
	CHECK(pmem2_badblock_context_new(&ctx, src) == 0);
	struct pmem2_badblock bb = { 0, 0 };
	CHECK(pmem2_badblock_next(ctx, &bb) == 0);
	CHECK(bb.offset == 512 && bb.length == 4096);
	CHECK(pmem2_badblock_next(ctx, &bb) == 0);
	CHECK(bb.offset == 8 * 1024 * 1024 - 512 && bb.length == 512);
	CHECK(pmem2_badblock_next(ctx, &bb) == PMEM2_E_NO_BAD_BLOCK_FOUND);
	/* clearing needs the platform's commands, which libndctl cannot find */
	bb.offset = 512;
	bb.length = 4096;
	CHECK(pmem2_badblock_clear(ctx, &bb) < 0);
	pmem2_badblock_context_delete(&ctx);
}

static void
check_devdax_alignment_errors(struct pmem2_source *src)
{
	size_t align;
	CHECK(put(FAKE_DAX "/align", "3000\n") == 0);
	CHECK(pmem2_source_alignment(src, &align) ==
		PMEM2_E_INVALID_ALIGNMENT_VALUE);
	CHECK(put(FAKE_DAX "/align", "two megs\n") == 0);
	CHECK(pmem2_source_alignment(src, &align) ==
		PMEM2_E_INVALID_ALIGNMENT_FORMAT);
	CHECK(put(FAKE_DAX "/size", "-1\n") == 0);
	size_t size;
	CHECK(pmem2_source_size(src, &size) == PMEM2_E_INVALID_SIZE_FORMAT);
}

/* devdax: /dev/zero (1:5) plays an 8 MiB device DAX with 2 MiB alignment */
static void
fake_devdax(const struct sigaction *before)
{
	CHECK(mkdirs(FAKE_DAX) == 0);
	CHECK(mkdirs("/sys/class/dax") == 0);
	CHECK(mkdirs("/sys/dev/char") == 0);
	CHECK(mkdirs(FAKE_BUS_REGION) == 0);
	CHECK(symlink("/sys/class/dax", FAKE_DAX "/subsystem") == 0);
	CHECK(symlink(FAKE_DAX, "/sys/dev/char/1:5") == 0);
	CHECK(put(FAKE_DAX "/size", "8388608\n") == 0);
	CHECK(put(FAKE_DAX "/align", "2097152\n") == 0);
	CHECK(put(FAKE_DAX "/resource", "0x100200000\n") == 0);
	CHECK(put(FAKE_BUS_REGION "/resource", "0x100000000\n") == 0);

	int fd = open("/dev/zero", O_RDWR | O_CLOEXEC);
	CHECK(fd >= 0);
	struct pmem2_source *src;
	CHECK(pmem2_source_from_fd(&src, fd) == 0);
	size_t size = 0, align = 0;
	CHECK(pmem2_source_size(src, &size) == 0 && size == 8388608);
	CHECK(pmem2_source_alignment(src, &align) == 0 && align == 2097152);
	int node = -5;
	CHECK(pmem2_source_numa_node(src, &node) == 0 && node == 1);

	/* the copy goes through a mapping of the 2 MiB-aligned range */
	char buf[100];
	memset(buf, 0xff, sizeof(buf));
	CHECK(pmem2_source_pread_mcsafe(src, buf, sizeof(buf), 1000) == 0);
	CHECK(buf[0] == 0 && buf[99] == 0);
	CHECK(pmem2_source_pwrite_mcsafe(src, buf, sizeof(buf), 5000) == 0);
	CHECK(pmem2_source_pread_mcsafe(src, buf, 101, (8 << 20) - 100) ==
		PMEM2_E_LENGTH_OUT_OF_RANGE);

	/*
	 * /dev/zero backs a mapping at offset 2 MiB with a 2 MiB object, so
	 * touching it raises SIGBUS: the media-error path, for real
	 */
	CHECK(pmem2_source_pread_mcsafe(src, buf, sizeof(buf), 3 << 20) ==
		PMEM2_E_IO_FAIL);
	CHECK(strcmp(pmem2_errormsg(), "SIGBUS while reading 100 bytes at "
		"offset 3145728 of the device DAX (media error)") == 0);
	CHECK(pmem2_source_pwrite_mcsafe(src, buf, sizeof(buf),
		(8 << 20) - 100) == PMEM2_E_IO_FAIL);
	struct sigaction sa;
	CHECK(sigaction(SIGBUS, NULL, &sa) == 0);
	CHECK(sa.sa_handler == before->sa_handler);	/* restored */

	check_devdax_badblocks(src);
	check_devdax_alignment_errors(src);
	pmem2_source_delete(&src);
	close(fd);
}

/* exit code: 77 when the namespace cannot be made, else the failure count */
static int
fake_sysfs_child(void)
{
	if (unshare(CLONE_NEWNS) != 0 ||
			mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) != 0 ||
			mount("fakesys", "/sys", "tmpfs", 0, NULL) != 0)
		return 77;
	if (mkdirs(FAKE_BUS_REGION) != 0 ||
			put(FAKE_BUS_REGION "/numa_node", "1\n") != 0)
		return 99;
	struct sigaction before;
	sigaction(SIGBUS, NULL, &before);
	fake_fsdax();
	fake_devdax(&before);
	return Failures > 76 ? 76 : Failures;
}

static void
nd_paths_work_on_a_simulated_region_fsdax_and_devdax(void **state)
{
	(void)state;
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(fake_sysfs_child());
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) == 77)
		SKIP_BECAUSE("cannot mount a fake /sys (needs root and "
			"mount namespaces)");
	assert_int_equal(WEXITSTATUS(status), 0);
}
#endif

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(device_info_of_tmpfs_file_is_not_supported_and_has_no_region),
		cmocka_unit_test(device_info_of_tmp_file_is_not_supported_and_has_no_region),
		cmocka_unit_test(device_info_of_anon_source_fails_with_nosupp),
#ifndef PMDK_REFERENCE
		cmocka_unit_test(nd_paths_work_on_a_simulated_region_fsdax_and_devdax),
#endif
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
