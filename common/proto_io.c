/* proto_io.c -- whole frames over the ssh channel: partial I/O, EINTR, no SIGPIPE, one deadline per frame */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "err.h"
#include "proto_io.h"

/* the end of the time a frame may take; none when the timeout is negative */
struct deadline {
	int infinite;
	struct timespec at;
};

static struct deadline
deadline_in(int timeout_ms)
{
	struct deadline d = { timeout_ms < 0, { 0, 0 } };
	if (d.infinite)
		return d;
	clock_gettime(CLOCK_MONOTONIC, &d.at);
	d.at.tv_sec += timeout_ms / 1000;
	d.at.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (d.at.tv_nsec >= 1000000000L) {
		d.at.tv_sec++;
		d.at.tv_nsec -= 1000000000L;
	}
	return d;
}

/* milliseconds left for poll(), rounded up so that it never wakes early; -1 without deadline */
static int
ms_left(const struct deadline *d)
{
	if (d->infinite)
		return -1;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	int64_t ns = (int64_t)(d->at.tv_sec - now.tv_sec) * 1000000000LL +
		(d->at.tv_nsec - now.tv_nsec);
	if (ns <= 0)
		return 0;
	int64_t ms = (ns + 999999) / 1000000;
	return ms > INT_MAX ? INT_MAX : (int)ms;
}

/*
 * Waits until fd is ready for events or has hung up or failed (the next
 * read or write then reports what happened). 0, -ETIMEDOUT or -errno.
 */
static int
wait_ready(int fd, short events, const struct deadline *d)
{
	for (;;) {
		struct pollfd pfd = { fd, events, 0 };
		int n = poll(&pfd, 1, ms_left(d));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -ETIMEDOUT;
		if (pfd.revents & POLLNVAL)
			return -EBADF;
		return 0;
	}
}

static int
is_socket(int fd)
{
	struct stat st;
	return fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode);
}

/*
 * One write that does not block after poll() said the descriptor is
 * writable, so that the deadline holds even on a blocking descriptor:
 * sockets are written with MSG_DONTWAIT; a Linux pipe that poll() reports
 * writable has a free page, which takes a write of up to PIPE_BUF bytes
 * whole, so writes to other descriptors are cut to PIPE_BUF.
 */
static ssize_t
write_some(int fd, int sock, const uint8_t *p, size_t n)
{
	if (sock)
		return send(fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
	return write(fd, p, n < PIPE_BUF ? n : PIPE_BUF);
}

static int
send_all(int fd, int sock, const uint8_t *p, size_t len, int timeout_ms,
	size_t *sent)
{
	struct deadline d = deadline_in(timeout_ms);
	while (*sent < len) {
		int ret = wait_ready(fd, POLLOUT, &d);
		if (ret < 0)
			return ret;
		ssize_t n = write_some(fd, sock, p + *sent, len - *sent);
		if (n < 0 && (errno == EINTR || errno == EAGAIN ||
				errno == EWOULDBLOCK))
			continue;
		if (n < 0)
			return -errno;
		*sent += (size_t)n;
	}
	return 0;
}

/*
 * A write to a pipe whose reader is gone raises SIGPIPE in the writing
 * thread; with the signal blocked it stays pending instead, and is taken
 * back here unless it was already pending before (then it is not ours).
 */
static int
send_all_without_sigpipe(int fd, const uint8_t *p, size_t len, int timeout_ms,
	size_t *sent)
{
	sigset_t pipe_set, old, pending;
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
	sigpending(&pending);
	int was_pending = sigismember(&pending, SIGPIPE);

	int ret = send_all(fd, 0, p, len, timeout_ms, sent);

	if (ret == -EPIPE && !was_pending) {
		struct timespec zero = { 0, 0 };
		while (sigtimedwait(&pipe_set, NULL, &zero) < 0 && errno == EINTR)
			;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return ret;
}

int
proto_send_frame(int fd, const void *frame, size_t len, int timeout_ms)
{
	size_t sent = 0;
	int ret = is_socket(fd) ?
		send_all(fd, 1, frame, len, timeout_ms, &sent) :
		send_all_without_sigpipe(fd, frame, len, timeout_ms, &sent);
	if (ret == -ETIMEDOUT)
		return err_set(ret, "sending a frame: timed out after %d ms with %zu of %zu bytes sent",
			timeout_ms, sent, len);
	if (ret < 0)
		return err_set_sys(ret, -ret, "sending a frame (%zu of %zu bytes sent)",
			sent, len);
	return 0;
}

/* reads exactly n bytes; 0, 1 when the stream ended first, or -errno; *got counts what came */
static int
recv_all(int fd, int sock, uint8_t *p, size_t n, const struct deadline *d,
	size_t *got)
{
	*got = 0;
	while (*got < n) {
		int ret = wait_ready(fd, POLLIN, d);
		if (ret < 0)
			return ret;
		ssize_t r = sock ? recv(fd, p + *got, n - *got, MSG_DONTWAIT) :
			read(fd, p + *got, n - *got);
		if (r < 0 && (errno == EINTR || errno == EAGAIN ||
				errno == EWOULDBLOCK))
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			return 1;
		*got += (size_t)r;
	}
	return 0;
}

static int
recv_failed(int ret, const char *what, size_t got, size_t want, int timeout_ms)
{
	if (ret == 1)
		return err_set(-ECONNRESET, "channel closed after %zu of %zu %s bytes",
			got, want, what);
	if (ret == -ETIMEDOUT)
		return err_set(ret, "no frame within %d ms: %zu of %zu %s bytes received",
			timeout_ms, got, want, what);
	return err_set_sys(ret, -ret, "receiving a frame: %zu of %zu %s bytes received",
		got, want, what);
}

int
proto_recv_frame(int fd, void *buf, size_t cap, struct proto_header *hdr,
	int timeout_ms)
{
	hdr->type = 0;
	hdr->length = 0;
	if (cap < PROTO_HDR_SIZE)
		return err_set(-ENOBUFS, "receiving a frame: a buffer of %zu bytes cannot hold its header",
			cap);
	struct deadline d = deadline_in(timeout_ms);
	int sock = is_socket(fd);
	uint8_t *p = buf;
	size_t got;
	int ret = recv_all(fd, sock, p, PROTO_HDR_SIZE, &d, &got);
	if (ret != 0)
		return recv_failed(ret, "header", got, PROTO_HDR_SIZE, timeout_ms);

	struct proto_header h;
	if ((ret = proto_decode_header(p, PROTO_HDR_SIZE, &h)) < 0)
		return ret;
	if (cap - PROTO_HDR_SIZE < h.length)
		return err_set(-ENOBUFS, "receiving a frame: %s of %u body bytes does not fit in %zu bytes",
			proto_type_name(h.type), h.length, cap);

	ret = recv_all(fd, sock, p + PROTO_HDR_SIZE, h.length, &d, &got);
	if (ret != 0) {
		char what[32];
		snprintf(what, sizeof(what), "%s body", proto_type_name(h.type));
		return recv_failed(ret, what, got, h.length, timeout_ms);
	}
	*hdr = h;
	return 0;
}
