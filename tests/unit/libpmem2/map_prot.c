/* map_prot.c -- pmem2_config_set_protection: what each protection allows and what faults */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_common.h"
#include "test_pmem2.h"
#include "test_sigsegv.h"

#define FILE_SIZE (2UL << 20)

/* x86_64: mov eax, 42; ret */
static const unsigned char Code42[] = {0xb8, 0x2a, 0x00, 0x00, 0x00, 0xc3};

#define PROT_RW (PMEM2_PROT_READ | PMEM2_PROT_WRITE)
#define PROT_RX (PMEM2_PROT_READ | PMEM2_PROT_EXEC)
#define PROT_RWX (PMEM2_PROT_READ | PMEM2_PROT_WRITE | PMEM2_PROT_EXEC)

static void
write_byte(void *addr)
{
	*(volatile char *)addr = 0x5a;
}

static void
read_byte(void *addr)
{
	char c = *(volatile char *)addr;
	(void)c;
}

static int
call_code(void *addr)
{
	int (*fn)(void);
	memcpy(&fn, &addr, sizeof(fn));
	return fn();
}

/* child: calls the code at addr and exits 0 when it returned 42 */
static void
call_expect_42(void *addr)
{
	if (call_code(addr) != 42)
		_exit(3);
}

static struct pmem2_map *
map_prot(int fd, unsigned prot, enum pmem2_sharing_type sharing)
{
	struct test_map_args a = TEST_MAP_ARGS(PMEM2_GRANULARITY_PAGE);
	a.prot = prot;
	a.sharing = sharing;
	return test_map_fd(fd, a);
}

static void
rdwr_file_with_read_write_prot_is_writable(void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, FILE_SIZE, O_RDWR, NULL);
	struct pmem2_map *map = map_prot(fd, PROT_RW, PMEM2_SHARED);
	char *addr = pmem2_map_get_address(map);
	assert_false(test_faults(write_byte, addr));
	memset(addr, 7, 4096);
	assert_int_equal(addr[4095], 7);
	test_map_delete(&map);
	close(fd);
}

static void
rdonly_file_with_read_write_prot_fails_with_no_access(void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, FILE_SIZE, O_RDONLY, NULL);
	struct test_map_args a = TEST_MAP_ARGS(PMEM2_GRANULARITY_PAGE);
	struct pmem2_map *map = (struct pmem2_map *)(uintptr_t)0x1;
	assert_int_equal(test_map_fd_ret(&map, fd, a), PMEM2_E_NO_ACCESS);
	assert_null(map);
	a.prot = PROT_RWX;
	assert_int_equal(test_map_fd_ret(&map, fd, a), PMEM2_E_NO_ACCESS);
	assert_null(map);
	close(fd);
}

static void
check_read_only(int flags)
{
	char path[4096];
	int fd = test_tmpfile(NULL, FILE_SIZE, O_RDWR, path);
	assert_int_equal(pwrite(fd, "ro", 2, 100), 2);
	if (flags != O_RDWR) {
		close(fd);
		fd = open(path, flags | O_CLOEXEC);
		assert_true(fd >= 0);
	}
	struct pmem2_map *map = map_prot(fd, PMEM2_PROT_READ, PMEM2_SHARED);
	char *addr = pmem2_map_get_address(map);
	assert_memory_equal(addr + 100, "ro", 2);
	assert_false(test_faults(read_byte, addr));
	assert_true(test_faults(write_byte, addr));
	assert_true(test_faults(write_byte, addr + FILE_SIZE - 1));
	test_map_delete(&map);
	close(fd);
}

static void
rdwr_file_with_read_prot_maps_and_a_write_faults(void **state)
{
	(void)state;
	check_read_only(O_RDWR);
}

static void
rdonly_file_with_read_prot_maps_and_a_write_faults(void **state)
{
	(void)state;
	check_read_only(O_RDONLY);
}

static void
prot_none_map_faults_on_read_and_write(void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, FILE_SIZE, O_RDWR, NULL);
	struct pmem2_map *map = map_prot(fd, PMEM2_PROT_NONE, PMEM2_SHARED);
	char *addr = pmem2_map_get_address(map);
	assert_non_null(addr);
	assert_int_equal(pmem2_map_get_size(map), FILE_SIZE);
	assert_true(test_faults(read_byte, addr));
	assert_true(test_faults(write_byte, addr));
	assert_true(test_faults(read_byte, addr + FILE_SIZE - 1));
	test_map_delete(&map);
	close(fd);
}

/* maps fd with prot; skips when the file system forbids executable maps */
static struct pmem2_map *
map_exec(int fd, unsigned prot, enum pmem2_sharing_type sharing)
{
	struct test_map_args a = TEST_MAP_ARGS(PMEM2_GRANULARITY_PAGE);
	a.prot = prot;
	a.sharing = sharing;
	struct pmem2_map *map = NULL;
	int ret = test_map_fd_ret(&map, fd, a);
	if (ret == -EPERM)
		SKIP_BECAUSE("the temp file system is mounted noexec");
	if (ret != 0)
		fail_msg("pmem2_map_new: %d (%s)", ret, pmem2_errormsg());
	return map;
}

static void
exec_code_from_read_exec_file_map_runs(void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, FILE_SIZE, O_RDWR, NULL);
	assert_int_equal(pwrite(fd, Code42, sizeof(Code42), 4096),
		(ssize_t)sizeof(Code42));
	struct pmem2_map *map = map_exec(fd, PROT_RX, PMEM2_SHARED);
	char *addr = pmem2_map_get_address(map);
	assert_int_equal(call_code(addr + 4096), 42);
	/* read+exec: a write faults */
	assert_true(test_faults(write_byte, addr + 4096));
	test_map_delete(&map);
	close(fd);
}

static void
exec_code_copied_into_read_write_exec_map_runs(void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, FILE_SIZE, O_RDWR, NULL);
	struct pmem2_map *map = map_exec(fd, PROT_RWX, PMEM2_SHARED);
	char *addr = pmem2_map_get_address(map);
	pmem2_get_memcpy_fn(map)(addr + 64, Code42, sizeof(Code42), 0);
	assert_int_equal(call_code(addr + 64), 42);
	test_map_delete(&map);
	close(fd);
}

static void
exec_code_copied_into_private_read_write_exec_map_runs(void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, FILE_SIZE, O_RDWR, NULL);
	struct pmem2_map *map = map_exec(fd, PROT_RWX, PMEM2_PRIVATE);
	char *addr = pmem2_map_get_address(map);
	memcpy(addr + 128, Code42, sizeof(Code42));
	assert_int_equal(call_code(addr + 128), 42);
	test_map_delete(&map);

	/* and the code never reached the file */
	char buf[sizeof(Code42)];
	assert_int_equal(pread(fd, buf, sizeof(buf), 128), (ssize_t)sizeof(buf));
	assert_memory_not_equal(buf, Code42, sizeof(Code42));
	close(fd);
}

static void
exec_code_from_private_read_exec_map_of_rdonly_file_runs(void **state)
{
	(void)state;
	char path[4096];
	int fd = test_tmpfile(NULL, FILE_SIZE, O_RDWR, path);
	assert_int_equal(pwrite(fd, Code42, sizeof(Code42), 0),
		(ssize_t)sizeof(Code42));
	close(fd);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	struct pmem2_map *map = map_exec(fd, PROT_RX, PMEM2_PRIVATE);
	char *addr = pmem2_map_get_address(map);
	assert_int_equal(call_code(addr), 42);
	assert_true(test_faults(write_byte, addr));
	test_map_delete(&map);
	close(fd);
}

static void
exec_code_in_read_write_map_without_exec_faults(void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, FILE_SIZE, O_RDWR, NULL);
	struct pmem2_map *map = map_prot(fd, PROT_RW, PMEM2_SHARED);
	char *addr = pmem2_map_get_address(map);
	memcpy(addr, Code42, sizeof(Code42));
	assert_true(test_faults(call_expect_42, addr));
	test_map_delete(&map);
	close(fd);
}

static void
exec_code_in_read_exec_map_in_a_child_returns_42(void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, FILE_SIZE, O_RDWR, NULL);
	assert_int_equal(pwrite(fd, Code42, sizeof(Code42), 0),
		(ssize_t)sizeof(Code42));
	struct pmem2_map *map = map_exec(fd, PROT_RX, PMEM2_SHARED);
	/* the control for the fault above: same path, no fault */
	assert_int_equal(test_signal_of(call_expect_42,
		pmem2_map_get_address(map)), 0);
	test_map_delete(&map);
	close(fd);
}

static void
config_set_protection_with_unknown_bits_fails_with_invalid_prot_flag(
	void **state)
{
	(void)state;
	struct pmem2_config *cfg;
	assert_int_equal(pmem2_config_new(&cfg), 0);
	unsigned bad[] = {1U, 1U << 28, PROT_RW | 1U, PROT_RWX | (1U << 3),
		0x0fffffffU, 0xffffffffU};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(pmem2_config_set_protection(cfg, bad[i]),
			PMEM2_E_INVALID_PROT_FLAG);
	unsigned good[] = {PMEM2_PROT_NONE, PMEM2_PROT_READ, PMEM2_PROT_WRITE,
		PMEM2_PROT_EXEC, PROT_RW, PROT_RX, PROT_RWX};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_int_equal(pmem2_config_set_protection(cfg, good[i]), 0);
	pmem2_config_delete(&cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rdwr_file_with_read_write_prot_is_writable),
		cmocka_unit_test(rdonly_file_with_read_write_prot_fails_with_no_access),
		cmocka_unit_test(rdwr_file_with_read_prot_maps_and_a_write_faults),
		cmocka_unit_test(rdonly_file_with_read_prot_maps_and_a_write_faults),
		cmocka_unit_test(prot_none_map_faults_on_read_and_write),
		cmocka_unit_test(exec_code_from_read_exec_file_map_runs),
		cmocka_unit_test(exec_code_copied_into_read_write_exec_map_runs),
		cmocka_unit_test(exec_code_copied_into_private_read_write_exec_map_runs),
		cmocka_unit_test(exec_code_from_private_read_exec_map_of_rdonly_file_runs),
		cmocka_unit_test(exec_code_in_read_write_map_without_exec_faults),
		cmocka_unit_test(exec_code_in_read_exec_map_in_a_child_returns_42),
		cmocka_unit_test(config_set_protection_with_unknown_bits_fails_with_invalid_prot_flag),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
