/* rpmemd_protocol.c -- the real rpmemd on pipes, spoken to in raw bytes: HELLO, truncated and malformed frames, order, names escaping the poolset-dir */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "rpmem_test_env.h"
#include "rpmem_test_log.h"

/* rpmemd waits this long for lanes and for a started frame; a bound on its exit */
#define EXIT_TIMEOUT_MS 25000
#define READ_TIMEOUT_MS 10000
#define POOL_SIZE ((uint64_t)4 << 20)

/* the frame types and statuses of doc/rpmem-protocol.md, spelled out here on purpose */
enum { HELLO = 1, CREATE = 2, CREATE_RESP = 3, SET_ATTR = 6, CLOSE = 8 };
enum { ST_SUCCESS = 0, ST_POOL_CFG = 13 };

struct daemon {
	pid_t pid;
	int in;			/* its stdin */
	int out;		/* its stdout */
	char dir[PATH_MAX];	/* its poolset-dir */
	char log[PATH_MAX + 16];
};

/*
 * rpmemd serving dir (NULL: a fresh one) on two pipes, started as ssh
 * would start it (no SSH_CONNECTION here), logging to dir/log.
 */
static void
daemon_start_in(struct daemon *d, const char *dir, const char *log)
{
	if (dir != NULL) {
		snprintf(d->dir, sizeof(d->dir), "%s", dir);
	} else {
		snprintf(d->dir, sizeof(d->dir), "%s/d-XXXXXX", test_tmpdir());
		assert_non_null(mkdtemp(d->dir));
	}
	snprintf(d->log, sizeof(d->log), "%s/%s", d->dir, log);
	char build[PATH_MAX], exe[PATH_MAX + 16], dir_opt[PATH_MAX + 32], log_opt[PATH_MAX + 48];
	const char *b = getenv("BUILD_DIR");
	if (realpath(b ? b : "build/release", build) == NULL)
		fail_msg("no build directory: %s", strerror(errno));
	snprintf(exe, sizeof(exe), "%s/bin/rpmemd", build);
	snprintf(dir_opt, sizeof(dir_opt), "--poolset-dir=%s", d->dir);
	snprintf(log_opt, sizeof(log_opt), "--log-file=%s", d->log);

	int in[2], out[2];
	assert_int_equal(pipe2(in, O_CLOEXEC), 0);
	assert_int_equal(pipe2(out, O_CLOEXEC), 0);
	d->pid = fork();
	assert_true(d->pid >= 0);
	if (d->pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		unsetenv("SSH_CONNECTION");
		char *argv[] = { exe, dir_opt, log_opt, "--log-level=info", NULL };
		execv(exe, argv);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	d->in = in[1];
	d->out = out[0];
}

static void
daemon_start(struct daemon *d)
{
	daemon_start_in(d, NULL, "rpmemd.log");
}

/* reads up to len bytes, stopping early only at EOF; fails the test when nothing comes in time */
static size_t
daemon_read(struct daemon *d, void *buf, size_t len)
{
	size_t done = 0;
	long long deadline = test_now_ms() + READ_TIMEOUT_MS;
	while (done < len) {
		long long left = deadline - test_now_ms();
		struct pollfd p = { .fd = d->out, .events = POLLIN };
		if (left <= 0 || poll(&p, 1, (int)left) == 0) {
			rpmem_log_print(d->log);
			fail_msg("rpmemd sent %zu of %zu bytes within %d ms", done, len,
				READ_TIMEOUT_MS);
		}
		ssize_t n = read(d->out, (char *)buf + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	return done;
}

static void
daemon_write(struct daemon *d, const void *buf, size_t len)
{
	assert_int_equal(write(d->in, buf, len), (ssize_t)len);
}

/* the HELLO every daemon starts with: protocol 1.0, status 0, empty reason */
static void
daemon_expect_hello(struct daemon *d)
{
	static const unsigned char hello[] = {
		0x52, 0x50, 0x4d, 0x4f, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0a,
		0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	};
	unsigned char got[sizeof(hello)];
	assert_int_equal(daemon_read(d, got, sizeof(got)), sizeof(got));
	assert_memory_equal(got, hello, sizeof(hello));
}

/* closes its stdin and waits (bounded) for its exit; fails unless it exited normally with status */
static void
daemon_expect_exit(struct daemon *d, int status)
{
	if (d->in >= 0)
		close(d->in);
	d->in = -1;
	long long deadline = test_now_ms() + EXIT_TIMEOUT_MS;
	int st;
	while (waitpid(d->pid, &st, WNOHANG) == 0) {
		if (test_now_ms() >= deadline) {
			kill(d->pid, SIGKILL);
			waitpid(d->pid, &st, 0);
			rpmem_log_print(d->log);
			fail_msg("rpmemd did not exit within %d ms", EXIT_TIMEOUT_MS);
		}
		usleep(5000);
	}
	close(d->out);
	if (!WIFEXITED(st)) {
		rpmem_log_print(d->log);
		fail_msg("rpmemd died of signal %d", WIFSIGNALED(st) ? WTERMSIG(st) : -1);
	}
	if (WEXITSTATUS(st) != status) {
		rpmem_log_print(d->log);
		fail_msg("rpmemd exited with %d, not %d", WEXITSTATUS(st), status);
	}
}

static void
daemon_expect_log(struct daemon *d, const char *text)
{
	if (!rpmem_log_has(d->log, text)) {
		rpmem_log_print(d->log);
		fail_msg("rpmemd's log lacks \"%s\"", text);
	}
}

static size_t
put16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
	return 2;
}

static size_t
put32(unsigned char *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
	return 4;
}

static size_t
put64(unsigned char *p, uint64_t v)
{
	put32(p, (uint32_t)(v >> 32));
	put32(p + 4, (uint32_t)v);
	return 8;
}

static uint32_t
get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* a frame header; returns its 12 bytes */
static size_t
header(unsigned char *p, uint32_t magic, unsigned type, unsigned flags, uint32_t len)
{
	size_t n = put32(p, magic);
	n += put16(p + n, type);
	n += put16(p + n, flags);
	n += put32(p + n, len);
	return n;
}

/* a whole CREATE frame (no attributes) for name[0..name_len) */
static size_t
create_frame(unsigned char *p, uint32_t nlanes, unsigned provider,
	const char *name, size_t name_len)
{
	unsigned char *b = p + 12;
	size_t n = put16(b, 1);
	n += put16(b + n, 0);
	n += put64(b + n, POOL_SIZE);
	n += put32(b + n, nlanes);
	b[n++] = (unsigned char)provider;
	b[n++] = 0;
	n += put16(b + n, (unsigned)name_len);
	memcpy(b + n, name, name_len);
	n += name_len;
	header(p, 0x52504d4f, CREATE, 0, (uint32_t)n);
	return 12 + n;
}

/* sends bytes after the HELLO, closes stdin, expects exit 1 and why in the log */
static void
bytes_end_the_session(const void *bytes, size_t len, const char *why)
{
	struct daemon d;
	daemon_start(&d);
	daemon_expect_hello(&d);
	if (len > 0)
		daemon_write(&d, bytes, len);
	daemon_expect_exit(&d, 1);
	daemon_expect_log(&d, why);
	/* refused before anything was created: the poolset-dir holds only the log */
	char path[PATH_MAX + 32];
	snprintf(path, sizeof(path), "%s/pool.part", d.dir);
	assert_int_equal(access(path, F_OK), -1);
}

static void
hello_comes_first_with_status_0(void **state)
{
	struct daemon d;
	daemon_start(&d);
	daemon_expect_hello(&d);
	daemon_expect_exit(&d, 1);
	daemon_expect_log(&d, "session ends: ");
	(void)state;
}

static void
truncated_frames_end_the_session_naming_what_was_missing(void **state)
{
	unsigned char f[64];
	size_t len = create_frame(f, 1, 3, "pool.set", 8);
	bytes_end_the_session(f, 0, "0 of 12 header bytes");
	bytes_end_the_session(f, 5, "5 of 12 header bytes");
	bytes_end_the_session(f, 11, "11 of 12 header bytes");
	char why[64];
	snprintf(why, sizeof(why), "channel closed after 7 of %zu CREATE body bytes", len - 12);
	bytes_end_the_session(f, 12 + 7, why);
	(void)state;
}

static void
malformed_headers_end_the_session(void **state)
{
	unsigned char f[64];
	header(f, 0x52504d50, CREATE, 0, 0);
	bytes_end_the_session(f, 12, "frame: bad magic 0x52504d50");
	header(f, 0x52504d4f, 10, 0, 0);
	bytes_end_the_session(f, 12, "frame: unknown type 10");
	header(f, 0x52504d4f, 0, 0, 0);
	bytes_end_the_session(f, 12, "frame: unknown type 0");
	header(f, 0x52504d4f, CREATE, 1, 0);
	bytes_end_the_session(f, 12, "flags 0x0001 are not 0");
	header(f, 0x52504d4f, CREATE, 0, 4097);
	bytes_end_the_session(f, 12, "body length 4097 exceeds 4096");
	(void)state;
}

static void
malformed_create_bodies_end_the_session(void **state)
{
	unsigned char f[1100];
	/* the length says one byte less than the fields need */
	size_t len = create_frame(f, 1, 3, "pool.set", 8);
	put32(f + 8, (uint32_t)(len - 12 - 1));
	bytes_end_the_session(f, len - 1,
		"session ends: CREATE: body of 27 bytes ends inside pool set name (7 of 8 bytes)");
	/* and one byte more */
	len = create_frame(f, 1, 3, "pool.set", 8);
	f[len] = 0;
	put32(f + 8, (uint32_t)(len - 12 + 1));
	bytes_end_the_session(f, len + 1,
		"session ends: CREATE: 1 trailing byte after the last field");

	len = create_frame(f, 1, 3, "po\0l.set", 8);
	bytes_end_the_session(f, len,
		"session ends: CREATE: pool set name contains a NUL byte at offset 2");
	len = create_frame(f, 1, 3, "", 0);
	bytes_end_the_session(f, len, "session ends: CREATE: pool set name is empty");
	char longname[1025];
	memset(longname, 'a', sizeof(longname));
	len = create_frame(f, 1, 3, longname, sizeof(longname));
	bytes_end_the_session(f, len,
		"session ends: CREATE: pool set name length 1025 exceeds 1024");
	len = create_frame(f, 0, 3, "pool.set", 8);
	bytes_end_the_session(f, len, "CREATE: nlanes is 0");
	len = create_frame(f, 1, 9, "pool.set", 8);
	bytes_end_the_session(f, len, "CREATE: provider 9 is not 1 (verbs), 2 (sockets) or 3 (tcp)");
	(void)state;
}

static void
requests_out_of_order_end_the_session(void **state)
{
	unsigned char f[64];
	size_t n = header(f, 0x52504d4f, CLOSE, 0, 4);
	n += put32(f + n, 0);
	bytes_end_the_session(f, n, "CLOSE before CREATE or OPEN");

	n = header(f, 0x52504d4f, SET_ATTR, 0, 1);
	f[n++] = 0;
	bytes_end_the_session(f, n, "SET_ATTR before CREATE or OPEN");

	/* a client does not send what only the daemon sends */
	n = header(f, 0x52504d4f, HELLO, 0, 10);
	n += put16(f + n, 1);
	n += put16(f + n, 0);
	n += put32(f + n, 0);
	n += put16(f + n, 0);
	bytes_end_the_session(f, n, "a client does not send HELLO");
	(void)state;
}

/* sends CREATE for name; returns the status of the CREATE_RESP */
static uint32_t
create_status(struct daemon *d, const char *name)
{
	unsigned char f[2048];
	daemon_write(d, f, create_frame(f, 1, 3, name, strlen(name)));
	unsigned char h[12];
	assert_int_equal(daemon_read(d, h, 12), 12);
	assert_int_equal(get32(h), 0x52504d4f);
	assert_int_equal(h[4] << 8 | h[5], CREATE_RESP);
	uint32_t len = get32(h + 8);
	assert_true(len >= 6 && len <= 4096);
	unsigned char body[4096];
	assert_int_equal(daemon_read(d, body, len), len);
	return get32(body);
}

static void
names_escaping_the_poolset_dir_are_refused_and_create_nothing_outside(void **state)
{
	/* a valid pool set outside the poolset-dir, reachable by each name below */
	char outside[PATH_MAX], path[PATH_MAX + 64], name[PATH_MAX + 64];
	snprintf(outside, sizeof(outside), "%s/outside-XXXXXX", test_tmpdir());
	assert_non_null(mkdtemp(outside));
	snprintf(path, sizeof(path), "%s/out.set", outside);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("PMEMPOOLSET\n4M out.part\n", f);
	fclose(f);

	struct { const char *kind; uint32_t status; const char *why; } cases[] = {
		{ "absolute", ST_POOL_CFG, "is absolute (only files below the pool set "
			"directory are served)" },
		{ "dotdot", ST_POOL_CFG, "leaves the pool set directory" },
		{ "symlink", ST_POOL_CFG, "'link.set' leaves the pool set directory "
			"through a symbolic link" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct daemon d;
		daemon_start(&d);
		if (strcmp(cases[i].kind, "absolute") == 0)
			snprintf(name, sizeof(name), "%s/out.set", outside);
		else if (strcmp(cases[i].kind, "dotdot") == 0)
			snprintf(name, sizeof(name), "../%s/out.set", strrchr(outside, '/') + 1);
		else {
			char link[PATH_MAX + 32];
			snprintf(link, sizeof(link), "%s/link.set", d.dir);
			assert_int_equal(symlink(path, link), 0);
			snprintf(name, sizeof(name), "link.set");
		}
		daemon_expect_hello(&d);
		uint32_t st = create_status(&d, name);
		if (st != cases[i].status) {
			rpmem_log_print(d.log);
			fail_msg("%s name '%s': status %u, not %u", cases[i].kind, name,
				st, cases[i].status);
		}
		daemon_expect_exit(&d, 1);
		daemon_expect_log(&d, "create refused (POOL_CFG): pool set name '");
		daemon_expect_log(&d, cases[i].why);
		snprintf(path, sizeof(path), "%s/out.part", outside);
		assert_int_equal(access(path, F_OK), -1);
		snprintf(path, sizeof(path), "%s/out.set", outside);
	}
	(void)state;
}

/* what a successful CREATE_RESP says about the fabric listener */
struct created {
	char address[65];
	unsigned port;
};

/* sends CREATE for name and decodes a successful CREATE_RESP up to the port */
static void
create_ok(struct daemon *d, const char *name, struct created *c)
{
	unsigned char f[2048];
	daemon_write(d, f, create_frame(f, 1, 3, name, strlen(name)));
	unsigned char h[12], b[4096];
	assert_int_equal(daemon_read(d, h, 12), 12);
	assert_int_equal(h[4] << 8 | h[5], CREATE_RESP);
	uint32_t len = get32(h + 8);
	assert_true(len <= sizeof(b));
	assert_int_equal(daemon_read(d, b, len), len);
	if (get32(b) != ST_SUCCESS) {
		rpmem_log_print(d->log);
		fail_msg("CREATE %s: status %u", name, get32(b));
	}
	/* status, empty reason, persist_method, nlanes, address, port */
	size_t off = 4;
	assert_int_equal(b[off] << 8 | b[off + 1], 0);
	off += 2;
	assert_int_equal(b[off], 1);	/* GPSPM */
	assert_int_equal(get32(b + off + 1), 1);
	off += 5;
	size_t alen = (size_t)(b[off] << 8 | b[off + 1]);
	assert_true(alen >= 1 && alen <= 64);
	memcpy(c->address, b + off + 2, alen);
	c->address[alen] = '\0';
	off += 2 + alen;
	c->port = (unsigned)(b[off] << 8 | b[off + 1]);
}

/* writes set as pool.set into d's poolset-dir, reads the HELLO and creates the pool set */
static void
create_set_ok(struct daemon *d, const char *set, struct created *c)
{
	char path[PATH_MAX + 32];
	snprintf(path, sizeof(path), "%s/pool.set", d->dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(set, f);
	fclose(f);
	daemon_expect_hello(d);
	create_ok(d, "pool.set", c);
}

/* a plain TCP connection to the lane listener that says something else than a fabric handshake */
static void
send_junk_to(const struct created *c)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)c->port) };
	assert_int_equal(inet_pton(AF_INET, c->address, &a.sin_addr), 1);
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	static const char junk[] = "GET / HTTP/1.0\r\n\r\n0123456789abcdef0123456789abcdef"
		"0123456789abcdef0123456789abcdef";
	assert_int_equal(write(fd, junk, sizeof(junk)), (ssize_t)sizeof(junk));
	usleep(100000);
	close(fd);
}

/*
 * The client vanishes after a successful CREATE, before its lanes: rpmemd
 * gives up on them (after RPMEMD_ACCEPT_TIMEOUT_MS: it does not watch its
 * stdin meanwhile), removes the pool it created, unlocks it and exits. A
 * stranger's TCP connection to the listener becomes no lane.
 */
static void
client_gone_after_create_leaves_no_pool_and_junk_on_the_port_is_refused(void **state)
{
	static const char set[] = "PMEMPOOLSET\nOPTION NOHDRS\n4M pool.part\n";
	struct daemon d;
	daemon_start(&d);
	struct created c;
	create_set_ok(&d, set, &c);
	assert_string_equal(c.address, "127.0.0.1");
	char path[PATH_MAX + 32];
	snprintf(path, sizeof(path), "%s/pool.part", d.dir);
	assert_int_equal(access(path, F_OK), 0);

	send_junk_to(&c);
	daemon_expect_exit(&d, 1);
	/* the tcp provider drops a bad handshake itself: no lane connects; the closed stdin ends the wait */
	daemon_expect_log(&d, "in-band: the client spoke or left after 0 of 1 lanes connected");
	daemon_expect_log(&d, "removing pool set pool.set: created by this session, never served");
	assert_int_equal(access(path, F_OK), -1);

	/* unlocked: a new daemon creates it again */
	struct daemon d2;
	daemon_start_in(&d2, d.dir, "rpmemd2.log");
	daemon_expect_hello(&d2);
	create_ok(&d2, "pool.set", &c);
	assert_int_equal(access(path, F_OK), 0);
	/* no lanes will come: do not wait for it to give up */
	kill(d2.pid, SIGKILL);
	waitpid(d2.pid, NULL, 0);
	close(d2.in);
	close(d2.out);
	(void)state;
}

/*
 * A header whose length field is absurd (4 GiB - 1, 2 GiB) is refused from
 * the header alone: rpmemd reads no body (it would wait for it and say so
 * instead), allocates nothing by it, and ends the session naming the
 * length; after a CREATE too, where the pool it made is removed again.
 */
static void
absurd_length_fields_end_the_session_before_any_body_is_read(void **state)
{
	unsigned char f[64];
	header(f, 0x52504d4f, CREATE, 0, 0xffffffffu);
	bytes_end_the_session(f, 12, "frame: CREATE body length 4294967295 exceeds 4096");
	header(f, 0x52504d4f, CREATE, 0, 0x80000000u);
	bytes_end_the_session(f, 12, "frame: CREATE body length 2147483648 exceeds 4096");

	struct daemon d;
	daemon_start(&d);
	struct created c;
	create_set_ok(&d, "PMEMPOOLSET\nOPTION NOHDRS\n4M pool.part\n", &c);
	daemon_write(&d, f, header(f, 0x52504d4f, SET_ATTR, 0, 0xffffffffu));
	daemon_expect_exit(&d, 1);
	daemon_expect_log(&d, "frame: SET_ATTR body length 4294967295 exceeds 4096");
	daemon_expect_log(&d, "removing pool set pool.set: created by this session, never served");
	char path[PATH_MAX + 32];
	snprintf(path, sizeof(path), "%s/pool.part", d.dir);
	assert_int_equal(access(path, F_OK), -1);
	(void)state;
}

/*
 * A CLOSE asking to remove the pool it created, whose removal fails (the
 * part's directory was swapped for a link leaving the poolset-dir): the
 * answer says why, and so does the log.
 */
static void
close_whose_removal_fails_is_answered_and_logged_with_why(void **state)
{
	struct daemon d;
	daemon_start(&d);
	char path[PATH_MAX + 64], moved[PATH_MAX + 32];
	snprintf(path, sizeof(path), "%s/sub", d.dir);
	assert_int_equal(mkdir(path, 0700), 0);
	struct created c;
	create_set_ok(&d, "PMEMPOOLSET\nOPTION NOHDRS\n4M sub/pool.part\n", &c);

	snprintf(path, sizeof(path), "%s/sub", d.dir);
	snprintf(moved, sizeof(moved), "%s/sub.moved", d.dir);
	assert_int_equal(rename(path, moved), 0);
	assert_int_equal(symlink(test_tmpdir(), path), 0);

	unsigned char fr[16];
	size_t n = header(fr, 0x52504d4f, CLOSE, 0, 4);
	n += put32(fr + n, 1);
	daemon_write(&d, fr, n);
	unsigned char h[12], b[4096];
	assert_int_equal(daemon_read(&d, h, 12), 12);
	assert_int_equal(h[4] << 8 | h[5], 9);	/* CLOSE_RESP */
	uint32_t len = get32(h + 8);
	assert_true(len >= 6 && len <= sizeof(b));
	assert_int_equal(daemon_read(&d, b, len), len);
	assert_int_equal(get32(b), ST_POOL_CFG);
	static const char why[] = "part 'sub' leaves the pool set directory through a symbolic link";
	size_t rlen = (size_t)(b[4] << 8 | b[5]);
	assert_int_equal(rlen, len - 6);
	b[6 + rlen] = '\0';
	assert_non_null(strstr((char *)b + 6, why));
	daemon_expect_exit(&d, 0);
	daemon_expect_log(&d, "pool set pool.set closed, but removing it failed: ");
	daemon_expect_log(&d, why);
	assert_false(rpmem_log_has(d.log, "closed and its parts removed"));
	/* the part stayed where it was */
	snprintf(path, sizeof(path), "%s/pool.part", moved);
	assert_int_equal(access(path, F_OK), 0);
	(void)state;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hello_comes_first_with_status_0),
		cmocka_unit_test(truncated_frames_end_the_session_naming_what_was_missing),
		cmocka_unit_test(malformed_headers_end_the_session),
		cmocka_unit_test(malformed_create_bodies_end_the_session),
		cmocka_unit_test(requests_out_of_order_end_the_session),
		cmocka_unit_test(names_escaping_the_poolset_dir_are_refused_and_create_nothing_outside),
		cmocka_unit_test(client_gone_after_create_leaves_no_pool_and_junk_on_the_port_is_refused),
		cmocka_unit_test(close_whose_removal_fails_is_answered_and_logged_with_why),
		cmocka_unit_test(absurd_length_fields_end_the_session_before_any_body_is_read),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
