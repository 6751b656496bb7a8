/* mcsafe.c -- pread/pwrite on a source that report media errors (EIO, SIGBUS) instead of crashing */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "arch.h"
#include "pmem2.h"

/* set while this thread copies to or from a device DAX mapping */
static __thread sigjmp_buf *Guard;

/* SIGBUS is process-wide: the first guarded copy installs, the last restores */
static pthread_mutex_t Guard_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned Guard_users;
static struct sigaction Old_sigbus;

static void
on_sigbus(int sig, siginfo_t *info, void *ctx)
{
	sigjmp_buf *jb = Guard;
	if (jb != NULL)
		siglongjmp(*jb, 1);

	/* not raised by our copy: behave as if we were not installed */
	if (Old_sigbus.sa_flags & SA_SIGINFO) {
		Old_sigbus.sa_sigaction(sig, info, ctx);
	} else if (Old_sigbus.sa_handler != SIG_DFL &&
			Old_sigbus.sa_handler != SIG_IGN) {
		Old_sigbus.sa_handler(sig);
	} else {
		signal(sig, SIG_DFL);
		raise(sig);
	}
}

static void
guard_install(void)
{
	pthread_mutex_lock(&Guard_lock);
	if (Guard_users++ == 0) {
		struct sigaction sa;
		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = on_sigbus;
		sa.sa_flags = SA_SIGINFO;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGBUS, &sa, &Old_sigbus);
	}
	pthread_mutex_unlock(&Guard_lock);
}

static void
guard_remove(void)
{
	pthread_mutex_lock(&Guard_lock);
	if (--Guard_users == 0)
		sigaction(SIGBUS, &Old_sigbus, NULL);
	pthread_mutex_unlock(&Guard_lock);
}

/* copies with fn (flushing) or plain memcpy; false when a SIGBUS hit */
static bool
guarded_copy(void *dst, const void *src, size_t n, pmem2_memmove_fn fn)
{
	sigjmp_buf jb;
	volatile bool ok = false;

	guard_install();
	if (sigsetjmp(jb, 1) == 0) {
		Guard = &jb;
		if (fn != NULL)
			fn(dst, src, n, 0);
		else
			memcpy(dst, src, n);
		ok = true;
	}
	Guard = NULL;
	guard_remove();
	return ok;
}

/*
 * A private mapping of the range rounded to the device alignment (device DAX
 * refuses anything else); writes go through the CPU layer's flushing copy so
 * they are persistent when the call returns.
 */
static int
devdax_io(struct pmem2_source *src, void *buf, size_t size, size_t offset,
	bool write)
{
	size_t align;
	int ret = pmem2_source_alignment(src, &align);
	if (ret)
		return ret;

	size_t start = ALIGN_DOWN(offset, align);
	size_t len = ALIGN_UP(offset + size, align) - start;
	int prot = write ? PROT_READ | PROT_WRITE : PROT_READ;
	char *addr = mmap(NULL, len, prot, MAP_SHARED, src->fd, (off_t)start);
	if (addr == MAP_FAILED) {
		int e = errno;
		return pmem2_err_sys(-e, e, "mmap of %zu bytes at offset %zu "
			"of the device DAX", len, start);
	}

	char *p = addr + (offset - start);
	bool ok = write ?
		guarded_copy(p, buf, size, Pmem2_arch.memmove_cl) :
		guarded_copy(buf, p, size, NULL);
	munmap(addr, len);

	if (!ok)
		return pmem2_err(PMEM2_E_IO_FAIL,
			"SIGBUS while %s %zu bytes at offset %zu of the device "
			"DAX (media error)", write ? "writing" : "reading",
			size, offset);
	return 0;
}

static int
io_error(int e, bool write, size_t offset, int fd)
{
	const char *op = write ? "pwrite" : "pread";
	if (e == EIO)
		return pmem2_err_sys(PMEM2_E_IO_FAIL, e,
			"%s at offset %zu of fd %d", op, offset, fd);
	return pmem2_err_sys(-e, e, "%s at offset %zu of fd %d", op, offset,
		fd);
}

/* the whole range or an error: short transfers and EINTR are retried */
static int
file_io(struct pmem2_source *src, void *buf, size_t size, size_t offset,
	bool write)
{
	char *p = buf;
	size_t done = 0;
	while (done < size) {
		off_t at = (off_t)(offset + done);
		ssize_t n = write ?
			pwrite(src->fd, p + done, size - done, at) :
			pread(src->fd, p + done, size - done, at);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return io_error(errno, write, offset + done, src->fd);
		}
		if (n == 0 && !write)
			return pmem2_err(PMEM2_E_LENGTH_OUT_OF_RANGE,
				"the file ended at offset %zu while reading "
				"%zu bytes at offset %zu", offset + done,
				size, offset);
		if (n == 0)
			return pmem2_err(PMEM2_E_IO_FAIL,
				"pwrite at offset %zu of fd %d wrote nothing",
				offset + done, src->fd);
		done += (size_t)n;
	}
	return 0;
}

static int
mcsafe_io(struct pmem2_source *src, void *buf, size_t size, size_t offset,
	bool write)
{
	if (src->type != PMEM2_SOURCE_FD)
		return pmem2_err(PMEM2_E_SOURCE_TYPE_NOT_SUPPORTED,
			"%s_mcsafe is not supported on an anonymous source",
			write ? "pwrite" : "pread");

	size_t srcsize;
	int ret = pmem2_source_size(src, &srcsize);
	if (ret)
		return ret;
	/* written so that neither side can overflow */
	if (offset > srcsize || size > srcsize - offset)
		return pmem2_err(PMEM2_E_LENGTH_OUT_OF_RANGE,
			"range of %zu bytes at offset %zu goes past the end "
			"of the source (size %zu)", size, offset, srcsize);
	if (size == 0)
		return 0;

	if (src->ftype == PMEM2_FTYPE_DEVDAX)
		return devdax_io(src, buf, size, offset, write);
	return file_io(src, buf, size, offset, write);
}

int
pmem2_source_pread_mcsafe(struct pmem2_source *src, void *buf, size_t size,
	size_t offset)
{
	return mcsafe_io(src, buf, size, offset, false);
}

int
pmem2_source_pwrite_mcsafe(struct pmem2_source *src, void *buf, size_t size,
	size_t offset)
{
	return mcsafe_io(src, buf, size, offset, true);
}
