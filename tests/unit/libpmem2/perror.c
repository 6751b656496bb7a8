/* perror.c -- pmem2_perror output on stderr, pmem2_errormsg per thread, pmem2_err_to_errno */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_common.h"
#include "test_pmem2.h"

/* runs pmem2_perror with its stderr going to a file; returns what it wrote */
#define CAPTURE_PERROR(out, ...) do { \
	char path_[4096]; \
	int tmp_ = test_tmpfile(NULL, 0, O_RDWR, path_); \
	fflush(stderr); \
	int saved_ = dup(2); \
	assert_true(saved_ >= 0); \
	assert_int_equal(dup2(tmp_, 2), 2); \
	pmem2_perror(__VA_ARGS__); \
	fflush(stderr); \
	assert_int_equal(dup2(saved_, 2), 2); \
	close(saved_); \
	close(tmp_); \
	size_t len_; \
	char *data_ = test_read_file(path_, &len_); \
	data_[len_] = '\0'; \
	snprintf((out), sizeof(out), "%s", data_); \
	free(data_); \
} while (0)

static void
perror_prints_the_config_offset_message_after_the_prefix(void **state)
{
	(void)state;
	struct pmem2_config *cfg;
	assert_int_equal(pmem2_config_new(&cfg), 0);
	assert_int_equal(pmem2_config_set_offset(cfg, (size_t)INT64_MAX + 1),
		PMEM2_E_OFFSET_OUT_OF_RANGE);
	char out[2048];
	CAPTURE_PERROR(out, "pmem2_config_set_offset");
	assert_string_equal(out, "pmem2_config_set_offset: offset is greater "
		"than INT64_MAX\n");
	pmem2_config_delete(&cfg);
}

static void
perror_formats_its_prefix_like_printf(void **state)
{
	(void)state;
	struct pmem2_config *cfg;
	assert_int_equal(pmem2_config_new(&cfg), 0);
	pmem2_config_set_offset(cfg, SIZE_MAX);
	char out[2048];
	CAPTURE_PERROR(out, "%s %d %s", "call", 42, "failed");
	assert_string_equal(out, "call 42 failed: offset is greater than "
		"INT64_MAX\n");
	pmem2_config_delete(&cfg);
}

static void
perror_after_source_from_closed_fd_shows_the_system_error(void **state)
{
	(void)state;
	int fd = test_tmpfile(NULL, 0, O_RDWR, NULL);
	close(fd);
	struct pmem2_source *src;
	assert_int_equal(pmem2_source_from_fd(&src, fd),
		PMEM2_E_INVALID_FILE_HANDLE);
	char out[2048], want[256];
	CAPTURE_PERROR(out, "test");
	snprintf(want, sizeof(want),
		"test: fcntl(fd %d, F_GETFL): Bad file descriptor\n", fd);
	assert_string_equal(out, want);
}

static void *
fail_in_thread(void *arg)
{
	(void)arg;
	struct pmem2_source *src;
	pmem2_source_from_fd(&src, -7);
	return strdup(pmem2_errormsg());
}

static void
errormsg_is_kept_per_thread(void **state)
{
	(void)state;
	struct pmem2_config *cfg;
	assert_int_equal(pmem2_config_new(&cfg), 0);
	pmem2_config_set_offset(cfg, SIZE_MAX);
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, fail_in_thread, NULL), 0);
	char *other;
	assert_int_equal(pthread_join(t, (void **)&other), 0);
	assert_string_equal(other, "invalid file descriptor -7");
	assert_string_equal(pmem2_errormsg(),
		"offset is greater than INT64_MAX");
	free(other);
	pmem2_config_delete(&cfg);
}

static void
err_to_errno_maps_pmem2_codes_and_negated_errnos(void **state)
{
	(void)state;
	assert_int_equal(pmem2_err_to_errno(PMEM2_E_NOSUPP), ENOTSUP);
	assert_int_equal(pmem2_err_to_errno(PMEM2_E_UNKNOWN), EINVAL);
	assert_int_equal(pmem2_err_to_errno(PMEM2_E_IO_FAIL), EINVAL);
	assert_int_equal(pmem2_err_to_errno(PMEM2_E_OFFSET_OUT_OF_RANGE),
		EINVAL);
	assert_int_equal(pmem2_err_to_errno(-ENOTSUP), ENOTSUP);
	assert_int_equal(pmem2_err_to_errno(-ENOMEM), ENOMEM);
	assert_int_equal(pmem2_err_to_errno(-EBADF), EBADF);
}

/* PMDK aborts on a positive value; a library must not kill its caller */
static void
err_to_errno_of_a_positive_value_is_einval(void **state)
{
	(void)state;
	assert_int_equal(pmem2_err_to_errno(1), EINVAL);
	assert_int_equal(pmem2_err_to_errno(EBADF), EINVAL);
}

static void
failing_calls_set_errno_to_the_matching_value(void **state)
{
	(void)state;
	struct pmem2_source *src;
	errno = 0;
	assert_int_equal(pmem2_source_from_anon(&src, 1), 0);
	int fd;
	errno = 0;
	assert_int_equal(pmem2_source_get_fd(src, &fd),
		PMEM2_E_FILE_DESCRIPTOR_NOT_SET);
	assert_int_equal(errno, EINVAL);
	errno = 0;
	uint64_t usc;
	assert_int_equal(pmem2_source_device_usc(src, &usc), PMEM2_E_NOSUPP);
	assert_int_equal(errno, ENOTSUP);
	pmem2_source_delete(&src);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(perror_prints_the_config_offset_message_after_the_prefix),
		cmocka_unit_test(perror_formats_its_prefix_like_printf),
		cmocka_unit_test(perror_after_source_from_closed_fd_shows_the_system_error),
		cmocka_unit_test(errormsg_is_kept_per_thread),
		cmocka_unit_test(err_to_errno_maps_pmem2_codes_and_negated_errnos),
		cmocka_unit_test(err_to_errno_of_a_positive_value_is_einval),
		cmocka_unit_test(failing_calls_set_errno_to_the_matching_value),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
