/* proto_io.c -- whole frames over socketpairs and pipes: split writes, early EOF, bad headers, timeouts, no SIGPIPE */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "test_common.h"
#include "err.h"
#include "proto_io.h"

#define assert_err_last(s) assert_string_equal(err_last(), (s))
#define TIMEOUT_MS 100		/* for the tests that wait for nothing */
#define LONG_MS 10000		/* for the tests where the data comes */

/* a connected pair: [0] is written, [1] is read */
static void
make_channel(int kind, int fds[2])
{
	if (kind == 0) {
		assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC,
			0, fds), 0);
		int t = fds[0];
		fds[0] = fds[1];
		fds[1] = t;
	} else {
		int p[2];
		assert_int_equal(pipe2(p, O_CLOEXEC), 0);
		fds[0] = p[1];
		fds[1] = p[0];
	}
}

static void
close_channel(int fds[2])
{
	if (fds[0] >= 0)
		close(fds[0]);
	if (fds[1] >= 0)
		close(fds[1]);
}

/* a CREATE frame with a long name; returns its length */
static size_t
create_frame(uint8_t *buf, char c)
{
	struct proto_create_req r;
	memset(&r, 0, sizeof(r));
	r.nlanes = 4;
	r.provider = PROTO_PROVIDER_TCP;
	r.pool_size = 1 << 20;
	memset(r.pool_set, c, 300);
	int n = proto_encode_create(buf, &r);
	assert_true(n > 300);
	return (size_t)n;
}

/* decodes the frame in buf and checks it is create_frame(c) */
static void
assert_create_frame(const uint8_t *buf, const struct proto_header *hdr, char c)
{
	assert_int_equal(hdr->type, PROTO_CREATE);
	struct proto_create_req r;
	assert_int_equal(proto_decode_create(buf + PROTO_HDR_SIZE, hdr->length,
		&r), 0);
	assert_int_equal(strlen(r.pool_set), 300);
	assert_int_equal(r.pool_set[299], c);
	assert_int_equal(r.nlanes, 4);
}

static void
whole_frame_arrives_over_socketpair_and_pipe(void **state)
{
	(void)state;
	for (int kind = 0; kind < 2; kind++) {
		int fds[2];
		make_channel(kind, fds);
		uint8_t frame[PROTO_FRAME_MAX], buf[PROTO_FRAME_MAX];
		size_t n = create_frame(frame, 'a');
		assert_int_equal(proto_send_frame(fds[0], frame, n, LONG_MS), 0);
		struct proto_header hdr;
		assert_int_equal(proto_recv_frame(fds[1], buf, sizeof(buf), &hdr,
			LONG_MS), 0);
		assert_int_equal(hdr.length, n - PROTO_HDR_SIZE);
		assert_memory_equal(buf, frame, n);
		assert_create_frame(buf, &hdr, 'a');
		close_channel(fds);
	}
}

static void
largest_frame_arrives_whole(void **state)
{
	(void)state;
	for (int kind = 0; kind < 2; kind++) {
		int fds[2];
		make_channel(kind, fds);
		/* a hand-made frame of 4096 body bytes: the I/O does not decode bodies */
		static uint8_t frame[PROTO_FRAME_MAX], buf[PROTO_FRAME_MAX];
		create_frame(frame, 'b');
		frame[10] = 0x10;
		frame[11] = 0;
		test_fill_pattern(frame + PROTO_HDR_SIZE, PROTO_BODY_MAX, 3);
		assert_int_equal(proto_send_frame(fds[0], frame, sizeof(frame),
			LONG_MS), 0);
		struct proto_header hdr;
		assert_int_equal(proto_recv_frame(fds[1], buf, sizeof(buf), &hdr,
			LONG_MS), 0);
		assert_int_equal(hdr.length, PROTO_BODY_MAX);
		assert_memory_equal(buf, frame, sizeof(frame));
		close_channel(fds);
	}
}

struct writer {
	int fd;
	const uint8_t *data;
	size_t len;
	size_t chunk;		/* bytes per write() */
	int close_after;	/* close fd when done */
};

static void *
write_slowly(void *arg)
{
	struct writer *w = arg;
	for (size_t off = 0; off < w->len; ) {
		size_t n = w->len - off < w->chunk ? w->len - off : w->chunk;
		ssize_t r = write(w->fd, w->data + off, n);
		if (r <= 0)
			break;
		off += (size_t)r;
		usleep(20);
	}
	if (w->close_after)
		close(w->fd);
	return NULL;
}

static void
frames_split_across_many_small_writes_arrive_whole(void **state)
{
	(void)state;
	const size_t chunks[] = { 1, 3, 7, 13 };
	for (int kind = 0; kind < 2; kind++) {
		for (size_t c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
			int fds[2];
			make_channel(kind, fds);
			/* two frames back to back: the first read must not take bytes of the second */
			uint8_t frames[2 * PROTO_FRAME_MAX];
			size_t n1 = create_frame(frames, 'x');
			size_t n2 = create_frame(frames + n1, 'y');
			struct writer w = { fds[0], frames, n1 + n2, chunks[c], 0 };
			pthread_t t;
			assert_int_equal(pthread_create(&t, NULL, write_slowly, &w), 0);
			uint8_t buf[PROTO_FRAME_MAX];
			struct proto_header hdr;
			assert_int_equal(proto_recv_frame(fds[1], buf, sizeof(buf), &hdr,
				LONG_MS), 0);
			assert_create_frame(buf, &hdr, 'x');
			assert_int_equal(proto_recv_frame(fds[1], buf, sizeof(buf), &hdr,
				LONG_MS), 0);
			assert_create_frame(buf, &hdr, 'y');
			assert_int_equal(pthread_join(t, NULL), 0);
			close_channel(fds);
		}
	}
}

static void
frame_arrives_on_a_nonblocking_descriptor(void **state)
{
	(void)state;
	for (int kind = 0; kind < 2; kind++) {
		int fds[2];
		make_channel(kind, fds);
		assert_int_equal(fcntl(fds[1], F_SETFL, O_NONBLOCK), 0);
		uint8_t frame[PROTO_FRAME_MAX];
		size_t n = create_frame(frame, 'n');
		struct writer w = { fds[0], frame, n, 5, 0 };
		pthread_t t;
		assert_int_equal(pthread_create(&t, NULL, write_slowly, &w), 0);
		uint8_t buf[PROTO_FRAME_MAX];
		struct proto_header hdr;
		assert_int_equal(proto_recv_frame(fds[1], buf, sizeof(buf), &hdr,
			LONG_MS), 0);
		assert_create_frame(buf, &hdr, 'n');
		assert_int_equal(pthread_join(t, NULL), 0);
		close_channel(fds);
	}
}

/* writes len bytes of frame, closes the writing end, expects recv to fail with msg */
static void
expect_recv_error_after(int kind, const uint8_t *frame, size_t len, int ret,
	const char *msg)
{
	int fds[2];
	make_channel(kind, fds);
	if (len > 0)
		assert_int_equal(write(fds[0], frame, len), (ssize_t)len);
	close(fds[0]);
	fds[0] = -1;
	uint8_t buf[PROTO_FRAME_MAX];
	struct proto_header hdr = { 1, 1 };
	assert_int_equal(proto_recv_frame(fds[1], buf, sizeof(buf), &hdr,
		LONG_MS), ret);
	assert_err_last(msg);
	assert_int_equal(hdr.type, 0);
	assert_int_equal(hdr.length, 0);
	close_channel(fds);
}

static void
end_of_stream_before_a_whole_frame_fails_with_econnreset(void **state)
{
	(void)state;
	uint8_t frame[PROTO_FRAME_MAX];
	size_t n = create_frame(frame, 'e');
	char body_msg[80];
	snprintf(body_msg, sizeof(body_msg),
		"channel closed after 3 of %zu CREATE body bytes", n - 12);
	char last_msg[80];
	snprintf(last_msg, sizeof(last_msg),
		"channel closed after %zu of %zu CREATE body bytes", n - 13, n - 12);
	for (int kind = 0; kind < 2; kind++) {
		expect_recv_error_after(kind, frame, 0, -ECONNRESET,
			"channel closed after 0 of 12 header bytes");
		expect_recv_error_after(kind, frame, 5, -ECONNRESET,
			"channel closed after 5 of 12 header bytes");
		expect_recv_error_after(kind, frame, 11, -ECONNRESET,
			"channel closed after 11 of 12 header bytes");
		expect_recv_error_after(kind, frame, 12 + 3, -ECONNRESET, body_msg);
		expect_recv_error_after(kind, frame, n - 1, -ECONNRESET, last_msg);
	}
}

static void
bad_header_fails_before_the_body_is_read(void **state)
{
	(void)state;
	for (int kind = 0; kind < 2; kind++) {
		uint8_t frame[PROTO_FRAME_MAX];
		size_t n = create_frame(frame, 'o');
		frame[10] = 0x10;
		frame[11] = 0x01;	/* 4097 */
		int fds[2];
		make_channel(kind, fds);
		assert_int_equal(write(fds[0], frame, n), (ssize_t)n);
		uint8_t buf[PROTO_FRAME_MAX];
		struct proto_header hdr;
		assert_int_equal(proto_recv_frame(fds[1], buf, sizeof(buf), &hdr,
			LONG_MS), -EPROTO);
		assert_err_last("frame: CREATE body length 4097 exceeds 4096");
		/* the body is still there: nothing was read past the header */
		assert_int_equal(read(fds[1], buf, sizeof(buf)), (ssize_t)(n - 12));
		close_channel(fds);

		make_channel(kind, fds);
		memcpy(frame, "AAAA", 4);
		assert_int_equal(write(fds[0], frame, 12), 12);
		assert_int_equal(proto_recv_frame(fds[1], buf, sizeof(buf), &hdr,
			LONG_MS), -EPROTO);
		assert_err_last("frame: bad magic 0x41414141");
		close_channel(fds);
	}
}

static void
frame_larger_than_the_buffer_fails_with_enobufs(void **state)
{
	(void)state;
	int fds[2];
	make_channel(0, fds);
	uint8_t frame[PROTO_FRAME_MAX];
	size_t n = create_frame(frame, 'z');
	assert_int_equal(write(fds[0], frame, n), (ssize_t)n);
	uint8_t buf[PROTO_FRAME_MAX];
	struct proto_header hdr;
	assert_int_equal(proto_recv_frame(fds[1], buf, 100, &hdr, LONG_MS),
		-ENOBUFS);
	char want[100];
	snprintf(want, sizeof(want),
		"receiving a frame: CREATE of %zu body bytes does not fit in 100 bytes",
		n - 12);
	assert_err_last(want);
	assert_int_equal(proto_recv_frame(fds[1], buf, 11, &hdr, LONG_MS),
		-ENOBUFS);
	assert_err_last("receiving a frame: a buffer of 11 bytes cannot hold its header");
	close_channel(fds);
}

static void
silent_peer_fails_with_etimedout(void **state)
{
	(void)state;
	for (int kind = 0; kind < 2; kind++) {
		int fds[2];
		make_channel(kind, fds);
		uint8_t buf[PROTO_FRAME_MAX];
		struct proto_header hdr;
		assert_int_equal(proto_recv_frame(fds[1], buf, sizeof(buf), &hdr,
			TIMEOUT_MS), -ETIMEDOUT);
		assert_err_last("no frame within 100 ms: 0 of 12 header bytes received");

		/* a header and part of the body, then silence */
		uint8_t frame[PROTO_FRAME_MAX];
		size_t n = create_frame(frame, 's');
		assert_int_equal(write(fds[0], frame, 20), 20);
		assert_int_equal(proto_recv_frame(fds[1], buf, sizeof(buf), &hdr,
			TIMEOUT_MS), -ETIMEDOUT);
		char want[80];
		snprintf(want, sizeof(want),
			"no frame within 100 ms: 8 of %zu CREATE body bytes received",
			n - 12);
		assert_err_last(want);

		/* a zero timeout still takes what is already there */
		close_channel(fds);
		make_channel(kind, fds);
		assert_int_equal(write(fds[0], frame, n), (ssize_t)n);
		assert_int_equal(proto_recv_frame(fds[1], buf, sizeof(buf), &hdr, 0), 0);
		assert_create_frame(buf, &hdr, 's');
		close_channel(fds);
	}
}

static void
assert_no_sigpipe_pending_or_blocked(void)
{
	sigset_t set;
	assert_int_equal(sigpending(&set), 0);
	assert_false(sigismember(&set, SIGPIPE));
	assert_int_equal(pthread_sigmask(SIG_BLOCK, NULL, &set), 0);
	assert_false(sigismember(&set, SIGPIPE));
}

static void
sending_to_a_closed_peer_fails_without_sigpipe(void **state)
{
	(void)state;
	/* the default action of SIGPIPE kills the test: surviving is the check */
	signal(SIGPIPE, SIG_DFL);
	for (int kind = 0; kind < 2; kind++) {
		int fds[2];
		make_channel(kind, fds);
		close(fds[1]);
		fds[1] = -1;
		uint8_t frame[PROTO_FRAME_MAX];
		size_t n = create_frame(frame, 'p');
		int ret = proto_send_frame(fds[0], frame, n, LONG_MS);
		assert_true(ret == -EPIPE || ret == -ECONNRESET);
		char want[80];
		snprintf(want, sizeof(want), "sending a frame (0 of %zu bytes sent): %s",
			n, strerror(-ret));
		assert_err_last(want);
		assert_no_sigpipe_pending_or_blocked();
		close_channel(fds);
	}
}

static void
sigpipe_pending_before_the_send_stays_pending(void **state)
{
	(void)state;
	/* a SIGPIPE the caller had pending is not ours to take */
	sigset_t pipe_set, old;
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	assert_int_equal(pthread_sigmask(SIG_BLOCK, &pipe_set, &old), 0);
	assert_int_equal(pthread_kill(pthread_self(), SIGPIPE), 0);
	int fds[2];
	make_channel(1, fds);
	close(fds[1]);
	fds[1] = -1;
	uint8_t frame[PROTO_FRAME_MAX];
	size_t n = create_frame(frame, 'q');
	assert_int_equal(proto_send_frame(fds[0], frame, n, LONG_MS), -EPIPE);
	sigset_t pending;
	assert_int_equal(sigpending(&pending), 0);
	assert_true(sigismember(&pending, SIGPIPE));
	struct timespec zero = { 0, 0 };
	assert_int_equal(sigtimedwait(&pipe_set, NULL, &zero), SIGPIPE);
	assert_int_equal(pthread_sigmask(SIG_SETMASK, &old, NULL), 0);
	close_channel(fds);
}

static void
peer_that_does_not_read_makes_send_fail_with_etimedout(void **state)
{
	(void)state;
	for (int kind = 0; kind < 2; kind++) {
		int fds[2];
		make_channel(kind, fds);
		if (kind == 1)
			fcntl(fds[0], F_SETPIPE_SZ, 4096);	/* fill it sooner */
		static uint8_t frame[PROTO_FRAME_MAX];
		create_frame(frame, 'f');
		int ret = 0;
		for (int i = 0; i < 10000 && ret == 0; i++)
			ret = proto_send_frame(fds[0], frame, sizeof(frame), TIMEOUT_MS);
		assert_int_equal(ret, -ETIMEDOUT);
		const char *want = "sending a frame: timed out after 100 ms with ";
		assert_int_equal(strncmp(err_last(), want, strlen(want)), 0);
		close_channel(fds);
	}
}

static void
bad_descriptor_fails_with_ebadf(void **state)
{
	(void)state;
	int fds[2];
	make_channel(1, fds);
	close_channel(fds);
	uint8_t buf[PROTO_FRAME_MAX];
	struct proto_header hdr;
	assert_int_equal(proto_recv_frame(fds[1], buf, sizeof(buf), &hdr,
		TIMEOUT_MS), -EBADF);
	assert_int_equal(proto_send_frame(fds[0], buf, 12, TIMEOUT_MS), -EBADF);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(whole_frame_arrives_over_socketpair_and_pipe),
		cmocka_unit_test(largest_frame_arrives_whole),
		cmocka_unit_test(frames_split_across_many_small_writes_arrive_whole),
		cmocka_unit_test(frame_arrives_on_a_nonblocking_descriptor),
		cmocka_unit_test(end_of_stream_before_a_whole_frame_fails_with_econnreset),
		cmocka_unit_test(bad_header_fails_before_the_body_is_read),
		cmocka_unit_test(frame_larger_than_the_buffer_fails_with_enobufs),
		cmocka_unit_test(silent_peer_fails_with_etimedout),
		cmocka_unit_test(sending_to_a_closed_peer_fails_without_sigpipe),
		cmocka_unit_test(sigpipe_pending_before_the_send_stays_pending),
		cmocka_unit_test(peer_that_does_not_read_makes_send_fail_with_etimedout),
		cmocka_unit_test(bad_descriptor_fails_with_ebadf),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
