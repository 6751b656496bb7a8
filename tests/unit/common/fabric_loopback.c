/* fabric_loopback.c -- the fabric helpers over real tcp and sockets on loopback: secret, RDMA, ordering, peer death */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_common.h"

#include "err.h"
#include "fabric.h"
#include "util.h"

#define SECRET_LEN 32
#define POOL_SIZE (64 * 1024)
#define CHUNK 4096
#define NLANES 2
#define CQ_SIZE 16
#define TIMEOUT_MS 5000		/* every wait of a healthy exchange */
#define DEATH_TIMEOUT_MS 20000	/* longer than noticing a death may take */
#define SAFETY_ALARM_S 60	/* a hung test fails instead of hanging */

static const uint8_t Secret[SECRET_LEN] = "0123456789abcdef0123456789abcdef";
static const uint8_t Wrong_secret[SECRET_LEN] = "0123456789abcdef0123456789abcdeF";

enum scenario { EXCHANGE, WRONG_SECRET, PEER_DEATH };

/* what the daemon child tells the parent once it listens */
struct ready {
	uint16_t port;
	uint64_t addr;
	uint64_t key;
};

/* the small messages both sides exchange */
enum msg_type { MSG_CHECK = 1, MSG_BYE, MSG_DIE, MSG_REPLY };

struct msg {
	uint32_t type;
	uint32_t lane;
	uint64_t offset;
	uint64_t len;
	uint32_t ok;
};

/* completion contexts: which operation completed */
enum op { OP_WRITE, OP_SEND, OP_RECV, OP_READ, NOPS };
static char Ops[NOPS];
#define CTX(op) ((void *)&Ops[op])

/* an endpoint and the completions reaped on it but not yet asked for */
struct lane {
	struct fabric_ep ep;
	int seen[NOPS];
};

static void
on_alarm(int sig)
{
	(void)sig;
	static const char m[] = "fabric_loopback: a wait did not return in time\n";
	if (write(2, m, sizeof(m) - 1) < 0)
		_exit(98);
	_exit(99);
}

static void
arm_safety_alarm(void)
{
	signal(SIGALRM, on_alarm);
	alarm(SAFETY_ALARM_S);
}

/* ---- the daemon child: reports failures by exit code and on stderr ---- */

static void
die_child(int code, const char *what)
{
	fprintf(stderr, "daemon: %s: %s\n", what, err_last());
	_exit(code);
}

/* waits until an operation of kind op completed on the lane */
static int
wait_op(struct lane *lane, enum op op, int timeout_ms)
{
	while (lane->seen[op] == 0) {
		struct fi_cq_msg_entry e[4];
		int n = fabric_cq_wait(&lane->ep, e, 4, timeout_ms);
		if (n < 0)
			return n;
		for (int i = 0; i < n; i++)
			lane->seen[(char *)e[i].op_context - Ops]++;
	}
	lane->seen[op]--;
	return 0;
}

/*
 * A daemon leaves after its client: closing first could overtake the
 * completion of the client's last send. Returns 0 once the client shut down.
 */
static int
wait_client_close(struct lane *lane, struct msg *in, struct fabric_mr *msg_mr)
{
	if (fabric_post_recv(&lane->ep, in, sizeof(*in), msg_mr->desc, CTX(OP_RECV)))
		return -1;
	return wait_op(lane, OP_RECV, TIMEOUT_MS) == -ECONNRESET ? 0 : -1;
}

/* accepts one connection presenting Secret, with a receive posted first */
static void
child_accept(struct fabric_listener *l, struct fabric_ep *ep, struct msg *in,
	struct fabric_mr *msg_mr)
{
	struct fi_info *req;
	if (fabric_listener_next(l, Secret, SECRET_LEN, TIMEOUT_MS, &req))
		die_child(20, "listener_next");
	if (fabric_ep_open(l->dom, req, CQ_SIZE, ep))
		die_child(21, "ep_open");
	fi_freeinfo(req);
	if (fabric_post_recv(ep, in, sizeof(*in), msg_mr->desc, CTX(OP_RECV)))
		die_child(22, "post_recv");
	if (fabric_ep_accept(ep, TIMEOUT_MS))
		die_child(23, "ep_accept");
}

struct child_lane {
	struct lane lane;
	uint8_t *pool;
	struct msg *msgs;	/* in, out */
	struct fabric_mr *msg_mr;
	int failed;		/* the exit code of the first failure */
	char why[512];
};

static void *
child_lane_fail(struct child_lane *cl, int code, const char *what)
{
	cl->failed = code;
	snprintf(cl->why, sizeof(cl->why), "%s: %s", what, err_last());
	return NULL;
}

/*
 * One thread per lane, as a daemon must: with tcp (manual progress) an
 * endpoint serves the peer's RDMA only while its completion queue is read.
 * Receives CHECK, verifies the data written before it, replies, waits for BYE.
 */
static void *
child_lane(void *arg)
{
	struct child_lane *cl = arg;
	struct lane *lane = &cl->lane;
	struct msg *in = &cl->msgs[0], *out = &cl->msgs[1];

	if (wait_op(lane, OP_RECV, TIMEOUT_MS))
		return child_lane_fail(cl, 30, "wait CHECK");
	if (in->type != MSG_CHECK || in->offset + in->len > POOL_SIZE)
		return child_lane_fail(cl, 31, "bad CHECK");
	/* send-after-write: the data must already be here */
	uint8_t expect[CHUNK];
	test_fill_pattern(expect, CHUNK, in->lane + 1);
	out->type = MSG_REPLY;
	out->ok = in->len == CHUNK &&
		memcmp(cl->pool + in->offset, expect, CHUNK) == 0;
	if (fabric_post_recv(&lane->ep, in, sizeof(*in), cl->msg_mr->desc,
			CTX(OP_RECV)))
		return child_lane_fail(cl, 32, "post_recv BYE");
	if (fabric_post_send(&lane->ep, out, sizeof(*out), cl->msg_mr->desc,
			CTX(OP_SEND)))
		return child_lane_fail(cl, 33, "post_send REPLY");
	if (wait_op(lane, OP_SEND, TIMEOUT_MS))
		return child_lane_fail(cl, 34, "wait REPLY sent");
	if (wait_op(lane, OP_RECV, TIMEOUT_MS))
		return child_lane_fail(cl, 35, "wait BYE");
	if (in->type != MSG_BYE)
		return child_lane_fail(cl, 36, "not BYE");
	if (wait_client_close(lane, in, cl->msg_mr))
		return child_lane_fail(cl, 38, "wait for the client's shutdown");
	return NULL;
}

static void
child_exchange(struct fabric_listener *l, uint8_t *pool, struct msg *msgs,
	struct fabric_mr *msg_mr)
{
	static struct child_lane cls[NLANES];
	pthread_t threads[NLANES];
	for (int i = 0; i < NLANES; i++) {
		cls[i].pool = pool;
		cls[i].msgs = &msgs[2 * i];
		cls[i].msg_mr = msg_mr;
		child_accept(l, &cls[i].lane.ep, &msgs[2 * i], msg_mr);
	}
	for (int i = 0; i < NLANES; i++)
		if (pthread_create(&threads[i], NULL, child_lane, &cls[i]))
			_exit(37);
	for (int i = 0; i < NLANES; i++)
		pthread_join(threads[i], NULL);
	for (int i = 0; i < NLANES; i++) {
		fabric_ep_close(&cls[i].lane.ep);
		if (cls[i].failed) {
			fprintf(stderr, "daemon lane %d: %s\n", i, cls[i].why);
			_exit(cls[i].failed);
		}
	}
}

/* refuses a wrong secret, then serves one right client that only reads */
static void
child_wrong_secret(struct fabric_listener *l, uint8_t *pool, struct msg *msgs,
	struct fabric_mr *msg_mr)
{
	struct fi_info *req = NULL;
	int ret = fabric_listener_next(l, Secret, SECRET_LEN, TIMEOUT_MS, &req);
	if (ret != -EACCES)
		die_child(40, "wrong secret not refused");
	if (strstr(err_last(), "refused: wrong secret") == NULL)
		die_child(41, "message");

	struct lane ep;
	memset(&ep, 0, sizeof(ep));
	child_accept(l, &ep.ep, &msgs[0], msg_mr);
	if (wait_op(&ep, OP_RECV, TIMEOUT_MS))
		die_child(42, "wait BYE");
	if (msgs[0].type != MSG_BYE)
		die_child(43, "not BYE");
	if (wait_client_close(&ep, &msgs[0], msg_mr))
		die_child(45, "wait for the client's shutdown");
	fabric_ep_close(&ep.ep);
	if (!util_is_zero(pool, POOL_SIZE))
		die_child(44, "pool touched");
}

/* accepts, then dies by SIGKILL as soon as the client asks */
static void
child_peer_death(struct fabric_listener *l, struct msg *msgs,
	struct fabric_mr *msg_mr)
{
	struct lane ep;
	memset(&ep, 0, sizeof(ep));
	child_accept(l, &ep.ep, &msgs[0], msg_mr);
	if (wait_op(&ep, OP_RECV, TIMEOUT_MS))
		die_child(50, "wait DIE");
	raise(SIGKILL);
}

static void
daemon_main(enum fabric_provider prov, const char *node, enum scenario sc,
	int wfd)
{
	alarm(SAFETY_ALARM_S);
	struct fi_info *info;
	if (fabric_getinfo(prov, node, "0", 1, &info))
		die_child(10, "getinfo");
	struct fabric_domain dom;
	if (fabric_domain_open(info, &dom))
		die_child(11, "domain_open");
	fi_freeinfo(info);

	uint8_t *pool = mmap(NULL, POOL_SIZE, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (pool == MAP_FAILED)
		_exit(12);
	static struct msg msgs[2 * NLANES];
	struct fabric_mr pool_mr, msg_mr;
	if (fabric_mr_reg(&dom, pool, POOL_SIZE, FABRIC_MR_REMOTE_ACCESS, &pool_mr))
		die_child(13, "mr_reg pool");
	if (fabric_mr_reg(&dom, msgs, sizeof(msgs), FABRIC_MR_LOCAL_ACCESS, &msg_mr))
		die_child(14, "mr_reg msgs");

	struct fabric_listener l;
	if (fabric_listen(&dom, &l))
		die_child(15, "listen");
	struct ready r;
	memset(&r, 0, sizeof(r));	/* its padding goes through the pipe too */
	r.port = l.port;
	r.addr = pool_mr.addr;
	r.key = pool_mr.key;
	if (write(wfd, &r, sizeof(r)) != (ssize_t)sizeof(r))
		_exit(16);
	close(wfd);

	if (sc == EXCHANGE)
		child_exchange(&l, pool, msgs, &msg_mr);
	else if (sc == WRONG_SECRET)
		child_wrong_secret(&l, pool, msgs, &msg_mr);
	else
		child_peer_death(&l, msgs, &msg_mr);

	fabric_listener_close(&l);
	fabric_mr_dereg(&msg_mr);
	fabric_mr_dereg(&pool_mr);
	fabric_domain_close(&dom);
	_exit(0);
}

/* ---- the client: the test process ---- */

struct client {
	pid_t pid;
	struct ready r;
	char port[16];
	struct fabric_domain dom;
	struct fabric_mr mr;
	uint8_t *buf;		/* CHUNK per lane to write, CHUNK per lane to read */
	struct msg *msgs;	/* two per lane: out, in */
	size_t buflen;
};

/* skips when the provider is absent; else forks the daemon and opens a domain */
static int
client_start(struct client *c, enum fabric_provider prov, const char *node,
	enum scenario sc)
{
	arm_safety_alarm();
	struct fi_info *info;
	int ret = fabric_getinfo(prov, node, "0", 1, &info);
	if (ret == -ENODATA)
		return -1;
	assert_int_equal(ret, 0);
	fi_freeinfo(info);

	int fds[2];
	assert_int_equal(pipe(fds), 0);
	c->pid = fork();
	assert_true(c->pid >= 0);
	if (c->pid == 0) {
		close(fds[0]);
		daemon_main(prov, node, sc, fds[1]);
	}
	close(fds[1]);
	struct pollfd p = { .fd = fds[0], .events = POLLIN };
	assert_int_equal(poll(&p, 1, TIMEOUT_MS), 1);
	assert_int_equal(read(fds[0], &c->r, sizeof(c->r)), sizeof(c->r));
	close(fds[0]);
	snprintf(c->port, sizeof(c->port), "%u", c->r.port);

	assert_int_equal(fabric_getinfo(prov, node, c->port, 0, &info), 0);
	assert_int_equal(fabric_domain_open(info, &c->dom), 0);
	fi_freeinfo(info);

	c->buflen = 2 * NLANES * CHUNK + POOL_SIZE + 2 * NLANES * sizeof(struct msg);
	c->buf = calloc(1, c->buflen);
	assert_non_null(c->buf);
	c->msgs = (struct msg *)(c->buf + 2 * NLANES * CHUNK + POOL_SIZE);
	assert_int_equal(fabric_mr_reg(&c->dom, c->buf, c->buflen,
		FABRIC_MR_LOCAL_ACCESS, &c->mr), 0);
	return 0;
}

static int
client_finish(struct client *c)
{
	fabric_mr_dereg(&c->mr);
	fabric_domain_close(&c->dom);
	free(c->buf);
	int status;
	assert_int_equal(waitpid(c->pid, &status, 0), c->pid);
	alarm(0);
	return status;
}

static void
connect_lane(struct client *c, struct fabric_ep *ep, const uint8_t *secret)
{
	assert_int_equal(fabric_ep_open(&c->dom, c->dom.info, CQ_SIZE, ep), 0);
	assert_int_equal(fabric_ep_connect(ep, secret, SECRET_LEN, TIMEOUT_MS), 0);
}

static void
send_msg(struct client *c, struct fabric_ep *ep, int lane, enum msg_type type)
{
	struct msg *out = &c->msgs[2 * lane];
	memset(out, 0, sizeof(*out));
	out->type = type;
	out->lane = (uint32_t)lane;
	out->offset = (uint64_t)lane * CHUNK;
	out->len = CHUNK;
	assert_int_equal(fabric_post_send(ep, out, sizeof(*out), c->mr.desc,
		CTX(OP_SEND)), 0);
}

static void
exchange(enum fabric_provider prov, const char *node)
{
	struct client c;
	if (client_start(&c, prov, node, EXCHANGE))
		SKIP_BECAUSE("libfabric provider %s is not available on %s",
			fabric_provider_name(prov), node);

	struct lane eps[NLANES];
	memset(eps, 0, sizeof(eps));
	for (int i = 0; i < NLANES; i++)
		connect_lane(&c, &eps[i].ep, Secret);

	for (int i = 0; i < NLANES; i++) {
		uint8_t *src = c.buf + (size_t)i * CHUNK;
		uint8_t *dst = c.buf + (size_t)(NLANES + i) * CHUNK;
		struct msg *in = &c.msgs[2 * i + 1];
		uint64_t raddr = c.r.addr + (uint64_t)i * CHUNK;
		test_fill_pattern(src, CHUNK, (unsigned)i + 1);

		assert_int_equal(fabric_post_recv(&eps[i].ep, in, sizeof(*in),
			c.mr.desc, CTX(OP_RECV)), 0);
		/* the CHECK is posted without waiting for the write: SAW orders them */
		assert_int_equal(fabric_post_write(&eps[i].ep, src, CHUNK, c.mr.desc,
			raddr, c.r.key, CTX(OP_WRITE)), 0);
		send_msg(&c, &eps[i].ep, i, MSG_CHECK);
		assert_int_equal(wait_op(&eps[i], OP_WRITE, TIMEOUT_MS), 0);
		assert_int_equal(wait_op(&eps[i], OP_SEND, TIMEOUT_MS), 0);
		assert_int_equal(wait_op(&eps[i], OP_RECV, TIMEOUT_MS), 0);
		assert_int_equal(in->type, MSG_REPLY);
		assert_int_equal(in->ok, 1);

		assert_int_equal(fabric_post_read(&eps[i].ep, dst, CHUNK, c.mr.desc,
			raddr, c.r.key, CTX(OP_READ)), 0);
		assert_int_equal(wait_op(&eps[i], OP_READ, TIMEOUT_MS), 0);
		assert_memory_equal(dst, src, CHUNK);
	}
	for (int i = 0; i < NLANES; i++) {
		send_msg(&c, &eps[i].ep, i, MSG_BYE);
		assert_int_equal(wait_op(&eps[i], OP_SEND, TIMEOUT_MS), 0);
	}
	for (int i = 0; i < NLANES; i++)
		fabric_ep_close(&eps[i].ep);

	int status = client_finish(&c);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void
wrong_secret(enum fabric_provider prov, const char *node)
{
	struct client c;
	if (client_start(&c, prov, node, WRONG_SECRET))
		SKIP_BECAUSE("libfabric provider %s is not available on %s",
			fabric_provider_name(prov), node);

	struct lane bad;
	memset(&bad, 0, sizeof(bad));
	assert_int_equal(fabric_ep_open(&c.dom, c.dom.info, CQ_SIZE, &bad.ep), 0);
	assert_int_equal(fabric_ep_connect(&bad.ep, Wrong_secret, SECRET_LEN,
		TIMEOUT_MS), -ECONNREFUSED);
	char expect[256];
	snprintf(expect, sizeof(expect), "fabric: connection to %s refused",
		bad.ep.peer);
	assert_string_equal(err_last(), expect);
	fabric_ep_close(&bad.ep);

	/* the right client then finds the whole pool as it was: zeros */
	struct lane ep;
	memset(&ep, 0, sizeof(ep));
	connect_lane(&c, &ep.ep, Secret);
	uint8_t *dst = c.buf + 2 * NLANES * CHUNK;
	memset(dst, 0xff, POOL_SIZE);
	assert_int_equal(fabric_post_read(&ep.ep, dst, POOL_SIZE, c.mr.desc, c.r.addr,
		c.r.key, CTX(OP_READ)), 0);
	assert_int_equal(wait_op(&ep, OP_READ, TIMEOUT_MS), 0);
	assert_true(util_is_zero(dst, POOL_SIZE));
	send_msg(&c, &ep.ep, 0, MSG_BYE);
	assert_int_equal(wait_op(&ep, OP_SEND, TIMEOUT_MS), 0);
	fabric_ep_close(&ep.ep);

	int status = client_finish(&c);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void
peer_death(enum fabric_provider prov, const char *node)
{
	struct client c;
	if (client_start(&c, prov, node, PEER_DEATH))
		SKIP_BECAUSE("libfabric provider %s is not available on %s",
			fabric_provider_name(prov), node);

	struct lane ep;
	memset(&ep, 0, sizeof(ep));
	connect_lane(&c, &ep.ep, Secret);
	struct msg *in = &c.msgs[1];
	assert_int_equal(fabric_post_recv(&ep.ep, in, sizeof(*in), c.mr.desc,
		CTX(OP_RECV)), 0);
	send_msg(&c, &ep.ep, 0, MSG_DIE);

	/* the reply never comes: the daemon is killed; the wait must say so */
	int ret = wait_op(&ep, OP_RECV, DEATH_TIMEOUT_MS);
	assert_int_equal(ret, -ECONNRESET);
	char expect[256];
	snprintf(expect, sizeof(expect), "fabric: connection to %s lost (", ep.ep.peer);
	assert_int_equal(strncmp(err_last(), expect, strlen(expect)), 0);

	/* sticky: later calls fail at once with the same error */
	assert_int_equal(fabric_post_send(&ep.ep, c.msgs, sizeof(*c.msgs), c.mr.desc,
		CTX(OP_SEND)), -ECONNRESET);
	struct fi_cq_msg_entry e;
	assert_int_equal(fabric_cq_wait(&ep.ep, &e, 1, TIMEOUT_MS), -ECONNRESET);
	assert_int_equal(strncmp(err_last(), expect, strlen(expect)), 0);
	fabric_ep_close(&ep.ep);

	int status = client_finish(&c);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGKILL);
}

static void
tcp_lanes_write_send_after_write_and_read_back(void **state)
{
	(void)state;
	exchange(FABRIC_PROV_TCP, "127.0.0.1");
}

static void
sockets_lanes_write_send_after_write_and_read_back(void **state)
{
	(void)state;
	exchange(FABRIC_PROV_SOCKETS, "127.0.0.1");
}

static void
tcp_over_ipv6_loopback_writes_and_reads_back(void **state)
{
	(void)state;
	exchange(FABRIC_PROV_TCP, "::1");
}

static void
sockets_over_ipv6_loopback_writes_and_reads_back(void **state)
{
	(void)state;
	exchange(FABRIC_PROV_SOCKETS, "::1");
}

static void
tcp_wrong_secret_is_refused_and_leaves_the_pool_untouched(void **state)
{
	(void)state;
	wrong_secret(FABRIC_PROV_TCP, "127.0.0.1");
}

static void
sockets_wrong_secret_is_refused_and_leaves_the_pool_untouched(void **state)
{
	(void)state;
	wrong_secret(FABRIC_PROV_SOCKETS, "127.0.0.1");
}

static void
tcp_daemon_killed_makes_the_wait_report_econnreset(void **state)
{
	(void)state;
	peer_death(FABRIC_PROV_TCP, "127.0.0.1");
}

static void
sockets_daemon_killed_makes_the_wait_report_econnreset(void **state)
{
	(void)state;
	peer_death(FABRIC_PROV_SOCKETS, "127.0.0.1");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tcp_lanes_write_send_after_write_and_read_back),
		cmocka_unit_test(sockets_lanes_write_send_after_write_and_read_back),
		cmocka_unit_test(tcp_over_ipv6_loopback_writes_and_reads_back),
		cmocka_unit_test(sockets_over_ipv6_loopback_writes_and_reads_back),
		cmocka_unit_test(tcp_wrong_secret_is_refused_and_leaves_the_pool_untouched),
		cmocka_unit_test(sockets_wrong_secret_is_refused_and_leaves_the_pool_untouched),
		cmocka_unit_test(tcp_daemon_killed_makes_the_wait_report_econnreset),
		cmocka_unit_test(sockets_daemon_killed_makes_the_wait_report_econnreset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
