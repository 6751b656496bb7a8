/* netns_inside.c -- inside a named namespace: whether it exists, entering it, a socket made there, the processes there */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "netns_impl.h"

int
netns_path(const char *netns, char *path, size_t len)
{
	if (netns == NULL || netns[0] == '\0' || strchr(netns, '/') != NULL) {
		errno = EINVAL;
		return -1;
	}
	snprintf(path, len, "%s/%s", NETNS_DIR, netns);
	return 0;
}

int
netns_open(const char *netns)
{
	char path[300];
	if (netns_path(netns, path, sizeof(path)) != 0)
		return -1;
	return open(path, O_RDONLY | O_CLOEXEC);
}

int
netns_exists(const char *netns)
{
	char path[300];
	struct stat st;
	return netns_path(netns, path, sizeof(path)) == 0 && stat(path, &st) == 0;
}

int
netns_enter(const char *netns)
{
	int fd = netns_open(netns);
	if (fd < 0)
		return -1;
	int ret = setns(fd, CLONE_NEWNET);
	int e = errno;
	close(fd);
	errno = e;
	return ret;
}

int
netns_socket(const char *netns, int domain, int type, int protocol)
{
	int self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0)
		return -1;
	int fd = -1, e = 0;
	if (netns_enter(netns) == 0) {
		fd = socket(domain, type, protocol);
		e = errno;
		if (setns(self, CLONE_NEWNET) != 0)
			fprintf(stderr, "netns: this thread is stuck in %s: %s\n", netns,
				strerror(errno));
	} else {
		e = errno;
	}
	close(self);
	errno = e;
	return fd;
}

int
netns_pids(const char *netns, pid_t *pids, int max)
{
	char path[300];
	struct stat ns, st;
	if (netns_path(netns, path, sizeof(path)) != 0 || stat(path, &ns) != 0)
		return 0;
	DIR *d = opendir("/proc");
	if (d == NULL)
		return 0;
	int n = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL && n < max) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/ns/net", de->d_name);
		/* a zombie has left its namespace: stat fails */
		if (stat(path, &st) == 0 && st.st_dev == ns.st_dev && st.st_ino == ns.st_ino)
			pids[n++] = (pid_t)atoi(de->d_name);
	}
	closedir(d);
	return n;
}
