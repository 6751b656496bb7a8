/* poolset_beneath.c -- open a path strictly below a directory fd: openat2(RESOLVE_BENEATH) or a walk */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifdef __linux__
#include <linux/openat2.h>
#endif

#include "err.h"
#include "poolset.h"

#define WALK_MAX_DEPTH 256	/* directories below dirfd held open at once */
#define WALK_MAX_LINKS 40	/* symbolic links followed per open, as the kernel's limit */
#define OPENAT2_RETRIES 8	/* EAGAIN: a concurrent rename raced the ".." check */

int
poolset_path_has_dotdot(const char *path)
{
	const char *p = path;
	while (*p != '\0') {
		size_t n = strcspn(p, "/");
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return 1;
		p += n;
		p += strspn(p, "/");
	}
	return 0;
}

/* what a name must be before anything is opened: relative, no ".." */
static int
check_name(const char *path, const char *what)
{
	if (path[0] == '\0')
		return err_set(-EINVAL, "%s is empty", what);
	if (path[0] == '/')
		return err_set(-EINVAL,
			"%s '%s' is absolute (only files below the pool set directory are served)",
			what, path);
	if (poolset_path_has_dotdot(path))
		return err_set(-EINVAL, "%s '%s' leaves the pool set directory", what, path);
	return 0;
}

/* a failed open as -errno with its message; EXDEV is the kernel's word for "escapes" */
static int
open_error(int errnum, const char *path, const char *what)
{
	if (errnum == EXDEV)
		return err_set(-EINVAL,
			"%s '%s' leaves the pool set directory through a symbolic link", what, path);
	return err_set_sys(-errnum, errnum, "%s '%s' cannot be opened", what, path);
}

#if defined(SYS_openat2) && defined(RESOLVE_BENEATH)
/* the descriptor, or -errno; -ENOSYS where the kernel (or a seccomp filter) lacks openat2 */
static int
try_openat2(int dirfd, const char *path, int flags, mode_t mode)
{
	struct open_how how;
	memset(&how, 0, sizeof(how));
	how.flags = (uint64_t)(unsigned)(flags | O_CLOEXEC);
	how.mode = (flags & O_CREAT) ? mode : 0;
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
	for (int i = 0; i < OPENAT2_RETRIES; i++) {
		long fd = syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
		if (fd >= 0)
			return (int)fd;
		if (errno != EAGAIN)
			return -errno;
	}
	return -EAGAIN;
}
#else
static int
try_openat2(int dirfd, const char *path, int flags, mode_t mode)
{
	(void)dirfd, (void)path, (void)flags, (void)mode;
	return -ENOSYS;
}
#endif

int
poolset_open_beneath(int dirfd, const char *path, const char *what, int flags, mode_t mode,
	int *fd)
{
	int ret = check_name(path, what);
	if (ret)
		return ret;
	int r = try_openat2(dirfd, path, flags, mode);
	/* EPERM: container seccomp filters deny unknown syscalls that way; the walk then decides */
	if (r == -ENOSYS || r == -EPERM)
		return poolset_open_beneath_walk(dirfd, path, what, flags, mode, fd);
	if (r < 0)
		return open_error(-r, path, what);
	*fd = r;
	return 0;
}

#define WALK_CONTINUE INT_MAX	/* a step's result: w->rest holds what is left; never an fd */

struct walk {
	int dirs[WALK_MAX_DEPTH];	/* dirs[0] is the caller's dirfd, not ours to close */
	int depth;
	int links;
	char rest[PATH_MAX];		/* what is still to be resolved, relative to dirs[depth] */
};

static void
walk_release(struct walk *w)
{
	for (; w->depth > 0; w->depth--)
		close(w->dirs[w->depth]);
}

/* replaces the link component by its target: rest = target + "/" + after */
static int
walk_follow(struct walk *w, const char *comp, const char *after)
{
	char target[PATH_MAX];
	if (++w->links > WALK_MAX_LINKS)
		return -ELOOP;
	ssize_t n = readlinkat(w->dirs[w->depth], comp, target, sizeof(target));
	if (n < 0)
		return -errno;
	if ((size_t)n == sizeof(target))
		return -ENAMETOOLONG;
	target[n] = '\0';
	if (target[0] == '/')
		return -EXDEV;	/* as RESOLVE_BENEATH: an absolute target never counts as below */
	size_t alen = strlen(after);
	if ((size_t)n + 1 + alen >= sizeof(w->rest))
		return -ENAMETOOLONG;
	memcpy(w->rest, target, (size_t)n);
	w->rest[n] = '/';
	memcpy(w->rest + n + 1, after, alen + 1);
	if (alen == 0)
		w->rest[n] = '\0';	/* no slash after a final link: that would ask for a directory */
	return WALK_CONTINUE;
}

static int
is_symlink(int dirfd, const char *name)
{
	struct stat st;
	return fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode);
}

/* the final component: open it with the caller's flags, or follow it if it is a link */
static int
walk_open_last(struct walk *w, const char *comp, int want_dir, int flags, mode_t mode)
{
	int cur = w->dirs[w->depth];
	int f = flags | O_NOFOLLOW | O_CLOEXEC | (want_dir ? O_DIRECTORY : 0);
	int fd = openat(cur, comp, f, (flags & O_CREAT) ? mode : 0);
	if (fd >= 0)
		return fd;
	int e = errno;
	if ((e == ELOOP || e == ENOTDIR) && is_symlink(cur, comp))
		return walk_follow(w, comp, want_dir ? "/" : "");
	return -e;
}

/* descends into a directory that is not the last component */
static int
walk_descend(struct walk *w, const char *comp, const char *after)
{
	int cur = w->dirs[w->depth];
	int fd = openat(cur, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		if ((e == ENOTDIR || e == ELOOP) && is_symlink(cur, comp))
			return walk_follow(w, comp, after);
		return -e;
	}
	if (w->depth + 1 == WALK_MAX_DEPTH) {
		close(fd);
		return -ENAMETOOLONG;
	}
	w->dirs[++w->depth] = fd;
	memmove(w->rest, after, strlen(after) + 1);
	return WALK_CONTINUE;
}

/* one component of w->rest: an fd when done, -errno, or WALK_CONTINUE */
static int
walk_step(struct walk *w, int flags, mode_t mode)
{
	const char *p = w->rest + strspn(w->rest, "/");
	size_t n = strcspn(p, "/");
	if (n > NAME_MAX)
		return -ENAMETOOLONG;
	char comp[NAME_MAX + 1] = ".";	/* nothing left after a link to "dir/": dir itself */
	if (n > 0) {
		memcpy(comp, p, n);
		comp[n] = '\0';
	}
	char after[PATH_MAX];
	strcpy(after, p + n);
	int last = after[strspn(after, "/")] == '\0';
	int want_dir = last && after[0] == '/';

	if (strcmp(comp, "..") == 0) {
		/* only link targets bring ".." here: names with ".." were refused */
		if (w->depth == 0)
			return -EXDEV;
		close(w->dirs[w->depth--]);
		strcpy(comp, ".");
	}
	if (last)
		return walk_open_last(w, comp, want_dir, flags, mode);
	if (strcmp(comp, ".") != 0)
		return walk_descend(w, comp, after);
	memmove(w->rest, after, strlen(after) + 1);
	return WALK_CONTINUE;
}

int
poolset_open_beneath_walk(int dirfd, const char *path, const char *what, int flags,
	mode_t mode, int *fd)
{
	int ret = check_name(path, what);
	if (ret)
		return ret;
	struct walk *w = malloc(sizeof(*w));
	if (w == NULL)
		return err_set(-ENOMEM, "out of memory to open %s '%s'", what, path);
	w->dirs[0] = dirfd;
	w->depth = 0;
	w->links = 0;
	if (strlen(path) >= sizeof(w->rest)) {
		free(w);
		return open_error(ENAMETOOLONG, path, what);
	}
	strcpy(w->rest, path);
	int r;
	do
		r = walk_step(w, flags, mode);
	while (r == WALK_CONTINUE);
	walk_release(w);
	free(w);
	if (r < 0)
		return open_error(-r, path, what);
	*fd = r;
	return 0;
}
