/* inband_strangers.c -- raw TCP peers on rpmemd's lane port: they never cost the client its lanes, and the port closes once the lanes are up */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>

#include "test_common.h"
#include "inband_client.h"

#define POOL_SIZE (64 * 1024)
#define HDR_SIZE 4096
#define ACCEPT_MS 5000
#define SAFETY_ALARM_S 30

static const uint8_t Secret[PROTO_SECRET_SIZE] = "0123456789abcdef0123456789abcdef";

/*
 * libfabric's tcp and sockets providers keep a record for a stranger whose
 * handshake never completed and do not free it when the listener closes:
 * their leak, not rpmemd's (rpmemd never sees such a connection).
 */
__attribute__((visibility("default"))) const char *__lsan_default_suppressions(void);
const char *
__lsan_default_suppressions(void)
{
	return "leak:libfabric.so\n";
}

static uint8_t *Pool;
static int *Persists;	/* shared with the client child */

static int
op_persist(void *ctx, size_t offset, size_t len)
{
	(void)ctx, (void)offset, (void)len;
	__atomic_add_fetch(Persists, 1, __ATOMIC_SEQ_CST);
	return 0;
}

static int
op_memcpy_persist(void *ctx, size_t offset, const void *src, size_t len)
{
	(void)ctx;
	memcpy(Pool + offset, src, len);
	__atomic_add_fetch(Persists, 1, __ATOMIC_SEQ_CST);
	return 0;
}

static void
on_alarm(int sig)
{
	(void)sig;
	static const char m[] = "inband_strangers: the test did not finish in time\n";
	if (write(2, m, sizeof(m) - 1) < 0)
		_exit(98);
	_exit(99);
}

static int
setup(void **state)
{
	(void)state;
	signal(SIGALRM, on_alarm);
	alarm(SAFETY_ALARM_S);
	Pool = mmap(NULL, POOL_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		-1, 0);
	Persists = mmap(NULL, sizeof(*Persists), PROT_READ | PROT_WRITE,
		MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (Pool == MAP_FAILED || Persists == MAP_FAILED)
		return -1;
	*Persists = 0;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	munmap(Pool, POOL_SIZE);
	munmap(Persists, sizeof(*Persists));
	alarm(0);
	return 0;
}

static int
provider_absent(enum fabric_provider prov)
{
	struct fi_info *info;
	int ret = fabric_getinfo(prov, "127.0.0.1", "0", 1, &info);
	if (ret == 0)
		fi_freeinfo(info);
	return ret == -ENODATA;
}

/* what the stranger does before the client connects its lane */
enum stranger { SILENT, JUNK_THEN_CLOSE, RESET_AT_ONCE, HALF_CM_THEN_CLOSE };

/* a plain TCP connection to the lane port; the socket, left open */
static int
tcp_to(uint16_t port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	CHECK(fd >= 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	CHECK(inet_pton(AF_INET, "127.0.0.1", &a.sin_addr) == 1);
	CHECK(connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0);
	return fd;
}

static void
pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* the client's lane 0 is served: an inline persist of 16 bytes of pattern seed succeeds */
static void
client_persist_inline(struct cl *c, unsigned seed)
{
	struct proto_inband_resp resp;
	test_fill_pattern(c->lanes[0].data, 16, seed);
	CHECK(cl_request(c, 0, PROTO_OP_PERSIST_INLINE, HDR_SIZE, 16, c->lanes[0].data,
		&resp) == 0);
	CHECK(resp.status == 0 && resp.op == PROTO_OP_PERSIST_INLINE);
}

/* the client child: the lane port's coordinates come from the parent through fd */
static struct cl *
client_open_from(enum fabric_provider prov, int fd)
{
	alarm(SAFETY_ALARM_S);
	static struct cl c;
	memset(&c, 0, sizeof(c));
	c.prov = prov;
	snprintf(c.node, sizeof(c.node), "127.0.0.1");
	struct pollfd p = { .fd = fd, .events = POLLIN };
	CHECK(poll(&p, 1, CL_TIMEOUT_MS) == 1);
	CHECK(read(fd, &c.srv, sizeof(c.srv)) == (ssize_t)sizeof(c.srv));
	cl_open(&c);
	return &c;
}

/* rpmemd listens for one lane over Pool; the client child learns where through fd (then closed) */
static struct rpmemd_inband *
listen_and_tell(enum fabric_provider prov, int fd, struct rpmemd_inband_info *info)
{
	struct rpmemd_inband_attr a = {
		.provider = prov,
		.node = "127.0.0.1",
		.pool_addr = Pool,
		.pool_size = POOL_SIZE,
		.hdr_size = HDR_SIZE,
		.nlanes = 1,
		.secret = Secret,
		.ops = { op_persist, op_persist, op_memcpy_persist, NULL },
	};
	struct rpmemd_inband *ib;
	assert_int_equal(rpmemd_inband_listen(&a, &ib, info), 0);
	struct cl_server s;
	memset(&s, 0, sizeof(s));
	s.port = info->port;
	s.raddr = info->raddr;
	s.rkey = info->rkey;
	s.nlanes = info->nlanes;
	assert_int_equal(write(fd, &s, sizeof(s)), sizeof(s));
	close(fd);
	return ib;
}

/* the stranger, then the real client: its lane must connect and be served */
static void
client_after_stranger(struct cl *c, enum stranger kind)
{
	int fd = tcp_to(c->srv.port);
	static const uint8_t junk[300] = { 0xff, 0xee, 0xdd };
	switch (kind) {
	case SILENT:
		break;
	case JUNK_THEN_CLOSE:
		CHECK(write(fd, junk, sizeof(junk)) == (ssize_t)sizeof(junk));
		pause_ms(200);
		close(fd);
		fd = -1;
		break;
	case RESET_AT_ONCE: {
		struct linger lg = { 1, 0 };	/* close sends RST */
		CHECK(setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)) == 0);
		close(fd);
		fd = -1;
		break;
	}
	case HALF_CM_THEN_CLOSE:
		CHECK(write(fd, junk, 3) == 3);
		pause_ms(200);
		close(fd);
		fd = -1;
		break;
	}
	pause_ms(300);
	CHECK(cl_connect(c, 0, Secret) == 0);
	client_persist_inline(c, 7);
	if (fd >= 0)
		close(fd);
}

static void
run(enum fabric_provider prov, enum stranger kind)
{
	if (provider_absent(prov))
		SKIP_BECAUSE("libfabric provider %s is not available on 127.0.0.1",
			fabric_provider_name(prov));
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[1]);
		struct cl *c = client_open_from(prov, fds[0]);
		client_after_stranger(c, kind);
		cl_close(c);
		_exit(0);
	}
	close(fds[0]);

	struct rpmemd_inband_info info;
	struct rpmemd_inband *ib = listen_and_tell(prov, fds[1], &info);

	int ret = rpmemd_inband_accept(ib, ACCEPT_MS, -1);
	if (ret != 0)
		fail_msg("accept: %d: %s", ret, err_last());
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	rpmemd_inband_close(ib);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(*Persists, 1);
}

/*
 * Once every lane connected, nobody else may connect: the port is closed
 * (connect is refused) and the lanes go on serving without it.
 */
static int Go[2];	/* parent -> client: the port was probed */

static void
client_lane_then_wait(struct cl *c)
{
	CHECK(cl_connect(c, 0, Secret) == 0);
	char b;
	struct pollfd p = { .fd = Go[0], .events = POLLIN };
	CHECK(poll(&p, 1, CL_TIMEOUT_MS) == 1);
	CHECK(read(Go[0], &b, 1) == 1);
	client_persist_inline(c, 8);
}

static void
port_closes(enum fabric_provider prov)
{
	if (provider_absent(prov))
		SKIP_BECAUSE("libfabric provider %s is not available on 127.0.0.1",
			fabric_provider_name(prov));
	assert_int_equal(pipe(Go), 0);
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[1]);
		close(Go[1]);
		struct cl *c = client_open_from(prov, fds[0]);
		client_lane_then_wait(c);
		cl_close(c);
		_exit(0);
	}
	close(fds[0]);
	close(Go[0]);

	struct rpmemd_inband_info info;
	struct rpmemd_inband *ib = listen_and_tell(prov, fds[1], &info);
	assert_int_equal(rpmemd_inband_accept(ib, ACCEPT_MS, -1), 0);

	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(info.port) };
	assert_int_equal(inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr), 1);
	int ret = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	int e = errno;
	close(fd);
	assert_int_equal(write(Go[1], "g", 1), 1);
	close(Go[1]);

	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	rpmemd_inband_close(ib);
	if (ret == 0)
		fail_msg("%s: a stranger connected to port %u after the lanes were up",
			fabric_provider_name(prov), info.port);
	assert_int_equal(e, ECONNREFUSED);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(*Persists, 1);
}

static void tcp_port_closes_once_every_lane_connected(void **s)
{ (void)s; port_closes(FABRIC_PROV_TCP); }
static void sockets_port_closes_once_every_lane_connected(void **s)
{ (void)s; port_closes(FABRIC_PROV_SOCKETS); }

static void tcp_silent_stranger_does_not_keep_the_client_out(void **s)
{ (void)s; run(FABRIC_PROV_TCP, SILENT); }
static void tcp_stranger_sending_junk_does_not_end_the_accept(void **s)
{ (void)s; run(FABRIC_PROV_TCP, JUNK_THEN_CLOSE); }
static void tcp_stranger_resetting_its_connection_does_not_end_the_accept(void **s)
{ (void)s; run(FABRIC_PROV_TCP, RESET_AT_ONCE); }
static void tcp_stranger_leaving_mid_handshake_does_not_end_the_accept(void **s)
{ (void)s; run(FABRIC_PROV_TCP, HALF_CM_THEN_CLOSE); }
static void sockets_silent_stranger_does_not_keep_the_client_out(void **s)
{ (void)s; run(FABRIC_PROV_SOCKETS, SILENT); }
static void sockets_stranger_sending_junk_does_not_end_the_accept(void **s)
{ (void)s; run(FABRIC_PROV_SOCKETS, JUNK_THEN_CLOSE); }
static void sockets_stranger_resetting_its_connection_does_not_end_the_accept(void **s)
{ (void)s; run(FABRIC_PROV_SOCKETS, RESET_AT_ONCE); }
static void sockets_stranger_leaving_mid_handshake_does_not_end_the_accept(void **s)
{ (void)s; run(FABRIC_PROV_SOCKETS, HALF_CM_THEN_CLOSE); }

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(tcp_silent_stranger_does_not_keep_the_client_out,
			setup, teardown),
		cmocka_unit_test_setup_teardown(tcp_stranger_sending_junk_does_not_end_the_accept,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			tcp_stranger_resetting_its_connection_does_not_end_the_accept,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			tcp_stranger_leaving_mid_handshake_does_not_end_the_accept,
			setup, teardown),
		cmocka_unit_test_setup_teardown(sockets_silent_stranger_does_not_keep_the_client_out,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			sockets_stranger_sending_junk_does_not_end_the_accept,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			sockets_stranger_resetting_its_connection_does_not_end_the_accept,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			sockets_stranger_leaving_mid_handshake_does_not_end_the_accept,
			setup, teardown),
		cmocka_unit_test_setup_teardown(tcp_port_closes_once_every_lane_connected,
			setup, teardown),
		cmocka_unit_test_setup_teardown(sockets_port_closes_once_every_lane_connected,
			setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
