/* source.c -- pmem2_source from a file descriptor: validation, type detection, accessors */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "pmem2.h"

/* the fd must be open and readable: every mapping needs read access */
static int
check_fd(int fd)
{
	if (fd < 0)
		return pmem2_err(PMEM2_E_INVALID_FILE_HANDLE,
			"invalid file descriptor %d", fd);

	int flags = fcntl(fd, F_GETFL);
	if (flags == -1) {
		int e = errno;
		if (e == EBADF)
			return pmem2_err_sys(PMEM2_E_INVALID_FILE_HANDLE, e,
				"fcntl(fd %d, F_GETFL)", fd);
		return pmem2_err_sys(-e, e, "fcntl(fd %d, F_GETFL)", fd);
	}
	if ((flags & O_ACCMODE) == O_WRONLY)
		return pmem2_err(PMEM2_E_INVALID_FILE_HANDLE,
			"file descriptor %d is opened write-only (O_WRONLY); "
			"mapping needs read access", fd);
	return 0;
}

/* regular file or device DAX; anything else cannot be a source */
static int
file_type(int fd, const struct stat *st, enum pmem2_file_type *type)
{
	if (S_ISREG(st->st_mode)) {
		*type = PMEM2_FTYPE_REG;
		return 0;
	}
	if (S_ISDIR(st->st_mode))
		return pmem2_err(PMEM2_E_INVALID_FILE_TYPE,
			"file descriptor %d is a directory", fd);
	if (!S_ISCHR(st->st_mode))
		return pmem2_err(PMEM2_E_INVALID_FILE_TYPE,
			"file descriptor %d is neither a regular file nor a "
			"character device (mode 0%o)", fd,
			(unsigned)(st->st_mode & S_IFMT));

	int ret = pmem2_devdax_check(st->st_rdev);
	if (ret < 0)
		return ret;
	if (ret == 0)
		return pmem2_err(PMEM2_E_INVALID_FILE_TYPE,
			"file descriptor %d is character device %u:%u, "
			"which is not a device DAX", fd,
			major(st->st_rdev), minor(st->st_rdev));
	*type = PMEM2_FTYPE_DEVDAX;
	return 0;
}

int
pmem2_source_from_fd(struct pmem2_source **src, int fd)
{
	*src = NULL;

	int ret = check_fd(fd);
	if (ret)
		return ret;

	struct stat st;
	if (fstat(fd, &st) != 0) {
		int e = errno;
		return pmem2_err_sys(-e, e, "fstat");
	}

	enum pmem2_file_type type = PMEM2_FTYPE_REG;
	ret = file_type(fd, &st, &type);
	if (ret)
		return ret;

	struct pmem2_source *s = calloc(1, sizeof(*s));
	if (s == NULL)
		return pmem2_err_sys(-ENOMEM, ENOMEM, "cannot allocate a source");
	s->type = PMEM2_SOURCE_FD;
	s->ftype = type;
	s->fd = fd;
	s->st_rdev = st.st_rdev;
	s->st_dev = st.st_dev;
	*src = s;
	return 0;
}

int
pmem2_source_get_fd(const struct pmem2_source *src, int *fd)
{
	if (src->type != PMEM2_SOURCE_FD)
		return pmem2_err(PMEM2_E_FILE_DESCRIPTOR_NOT_SET,
			"the source has no file descriptor "
			"(it is anonymous memory)");
	*fd = src->fd;
	return 0;
}

int
pmem2_source_delete(struct pmem2_source **src)
{
	free(*src);
	*src = NULL;
	return 0;
}
