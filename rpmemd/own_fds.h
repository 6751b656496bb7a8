/* own_fds.h -- visit every open descriptor of this process (the sockets libfabric opened for rpmemd) */
#ifndef RPMEMD_OWN_FDS_H
#define RPMEMD_OWN_FDS_H 1

/*
 * Calls fn(fd, arg) for every descriptor open in this process, summing
 * what fn returns; -1 when /proc/self/fd cannot be listed.
 */
int rpmemd_each_fd(int (*fn)(int fd, void *arg), void *arg);

#endif /* RPMEMD_OWN_FDS_H */
