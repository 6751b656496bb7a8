/* inband.c -- rpmemd's in-band server against a real client over tcp and sockets: lanes, persists, pipelines of tagged requests, bad requests, secret, loss */
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>

#include "test_common.h"
#include "inband_client.h"
#include "log.h"

#define POOL_SIZE (64 * 1024)
#define HDR_SIZE 4096
#define ACCEPT_MS 5000
#define SAFETY_ALARM_S 30	/* a hung test fails instead of hanging */

static const uint8_t Secret[PROTO_SECRET_SIZE] = "0123456789abcdef0123456789abcdef";
static const uint8_t Wrong_secret[PROTO_SECRET_SIZE] = "0123456789abcdef0123456789abcdeF";

/* ---- the server side: a pool in memory and ops that record their calls ---- */

struct call {
	uint32_t op;
	size_t offset;
	size_t len;
	uint64_t sum;	/* of the pool's range when the op ran */
};

#define MAX_CALLS 32

static struct {
	pthread_mutex_t mu;
	uint8_t *pool;
	struct call calls[MAX_CALLS];
	int n;
} Rec = { .mu = PTHREAD_MUTEX_INITIALIZER };

static uint64_t
sum_of(const uint8_t *p, size_t len)
{
	uint64_t h = 14695981039346656037ULL;	/* FNV-1a */
	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 1099511628211ULL;
	return h;
}

static void
record(uint32_t op, size_t offset, size_t len)
{
	pthread_mutex_lock(&Rec.mu);
	if (Rec.n < MAX_CALLS)
		Rec.calls[Rec.n] = (struct call){ op, offset, len,
			sum_of(Rec.pool + offset, len) };
	Rec.n++;
	pthread_mutex_unlock(&Rec.mu);
}

/*
 * Ops completed, in memory shared with the client child: a client that got
 * an answer finds its op counted, i.e. the answer came after the op returned.
 */
static int *Done;

/* the op takes a moment before it counts itself, so an early answer would be seen */
static void
op_done(void)
{
	struct timespec ts = { 0, 1000 * 1000 };
	nanosleep(&ts, NULL);
	__atomic_add_fetch(Done, 1, __ATOMIC_SEQ_CST);
}

static int
calls(void)
{
	pthread_mutex_lock(&Rec.mu);
	int n = Rec.n;
	pthread_mutex_unlock(&Rec.mu);
	return n;
}

static int
op_persist(void *ctx, size_t offset, size_t len)
{
	(void)ctx;
	record(PROTO_OP_PERSIST, offset, len);
	op_done();
	return 0;
}

static int
op_deep_persist(void *ctx, size_t offset, size_t len)
{
	(void)ctx;
	record(PROTO_OP_DEEP_PERSIST, offset, len);
	op_done();
	return 0;
}

static int
op_memcpy_persist(void *ctx, size_t offset, const void *src, size_t len)
{
	(void)ctx;
	memcpy(Rec.pool + offset, src, len);
	record(PROTO_OP_PERSIST_INLINE, offset, len);
	op_done();
	return 0;
}

static void
on_alarm(int sig)
{
	(void)sig;
	static const char m[] = "inband: the test did not finish in time\n";
	if (write(2, m, sizeof(m) - 1) < 0)
		_exit(98);
	_exit(99);
}

static struct rpmemd_inband_attr
attr_of(enum fabric_provider prov, const char *node, unsigned nlanes)
{
	struct rpmemd_inband_attr a = {
		.provider = prov,
		.node = node,
		.pool_addr = Rec.pool,
		.pool_size = POOL_SIZE,
		.hdr_size = HDR_SIZE,
		.nlanes = nlanes,
		.secret = Secret,
		.ops = { op_persist, op_deep_persist, op_memcpy_persist, NULL },
	};
	return a;
}

static int
setup(void **state)
{
	(void)state;
	signal(SIGALRM, on_alarm);
	alarm(SAFETY_ALARM_S);
	Rec.pool = mmap(NULL, POOL_SIZE, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (Rec.pool == MAP_FAILED)
		return -1;
	Done = mmap(NULL, sizeof(*Done), PROT_READ | PROT_WRITE,
		MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (Done == MAP_FAILED)
		return -1;
	*Done = 0;
	Rec.n = 0;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	munmap(Rec.pool, POOL_SIZE);
	munmap(Done, sizeof(*Done));
	alarm(0);
	return 0;
}

static int
provider_absent(enum fabric_provider prov, const char *node)
{
	struct fi_info *info;
	int ret = fabric_getinfo(prov, node, "0", 1, &info);
	if (ret == 0)
		fi_freeinfo(info);
	return ret == -ENODATA;
}

#define SKIP_IF_ABSENT(prov, node) do { \
	if (provider_absent((prov), (node))) \
		SKIP_BECAUSE("libfabric provider %s is not available on %s", \
			fabric_provider_name(prov), (node)); \
} while (0)

/* ---- the client child: one scenario each ---- */

typedef void (*scenario_fn)(struct cl *c);

/*
 * Forks the client before the server opens anything (the child must not
 * inherit live fabric state), then listens and hands the child the address.
 */
struct run {
	pid_t pid;
	int wfd;
	struct rpmemd_inband *ib;
	struct rpmemd_inband_info info;
};

static void
client_main(int rfd, enum fabric_provider prov, const char *node,
	scenario_fn fn)
{
	alarm(SAFETY_ALARM_S);
	static struct cl c;
	memset(&c, 0, sizeof(c));
	c.prov = prov;
	snprintf(c.node, sizeof(c.node), "%s", node);
	struct pollfd p = { .fd = rfd, .events = POLLIN };
	CHECK(poll(&p, 1, CL_TIMEOUT_MS) == 1);
	CHECK(read(rfd, &c.srv, sizeof(c.srv)) == (ssize_t)sizeof(c.srv));
	close(rfd);
	cl_open(&c);
	fn(&c);
	cl_close(&c);
	_exit(0);
}

static void
run_start(struct run *r, enum fabric_provider prov, const char *node,
	unsigned nlanes, scenario_fn fn)
{
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	r->pid = fork();
	assert_true(r->pid >= 0);
	if (r->pid == 0) {
		close(fds[1]);
		client_main(fds[0], prov, node, fn);
	}
	close(fds[0]);
	r->wfd = fds[1];

	struct rpmemd_inband_attr a = attr_of(prov, node, nlanes);
	assert_int_equal(rpmemd_inband_listen(&a, &r->ib, &r->info), 0);
	struct cl_server s;
	memset(&s, 0, sizeof(s));	/* no uninitialised padding on the pipe */
	s.port = r->info.port;
	s.raddr = r->info.raddr;
	s.rkey = r->info.rkey;
	s.nlanes = r->info.nlanes;
	assert_int_equal(write(r->wfd, &s, sizeof(s)), sizeof(s));
	close(r->wfd);
}

/* waits for the client child; its exit status */
static int
run_wait(struct run *r)
{
	int status;
	assert_int_equal(waitpid(r->pid, &status, 0), r->pid);
	return status;
}

static void
assert_exited_ok(int status)
{
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* polls the status for at most about 10 s: losing the client is noticed in well under that */
static int
wait_lost(struct rpmemd_inband *ib)
{
	for (int i = 0; i < 1000; i++) {
		if (rpmemd_inband_status(ib) != 0)
			return rpmemd_inband_status(ib);
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	return 0;
}

static void
assert_call(int i, uint32_t op, size_t offset, size_t len, const void *data)
{
	assert_int_equal(Rec.calls[i].op, op);
	assert_int_equal(Rec.calls[i].offset, offset);
	assert_int_equal(Rec.calls[i].len, len);
	assert_true(Rec.calls[i].sum == sum_of(data, len));
}

/* ---- serving ---- */

#define INLINE_OFF 4096
#define INLINE_LEN 100
#define WRITE_OFF 8192
#define WRITE_LEN 4096
#define LATER_OFF 16384
#define LATER_LEN 16

static void
expect_resp(int ret, const struct proto_inband_resp *resp, uint32_t status,
	uint32_t op)
{
	CHECK(ret == 0);
	if (resp->status != status || resp->op != op) {
		fprintf(stderr, "client: response status %u op %u, expected %u %u\n",
			resp->status, resp->op, status, op);
		_exit(1);
	}
}

/* a success answered after its op returned: the ops done so far are n */
static void
expect_done(int n)
{
	int done = __atomic_load_n(Done, __ATOMIC_SEQ_CST);
	if (done != n) {
		fprintf(stderr, "client: %d ops done when answered, expected %d\n",
			done, n);
		_exit(1);
	}
}

static void
client_serve(struct cl *c)
{
	struct proto_inband_resp resp;
	CHECK(c->srv.nlanes == 2);
	CHECK(cl_connect(c, 0, Secret) == 0);
	CHECK(cl_connect(c, 1, Secret) == 0);

	uint8_t inl[INLINE_LEN];
	test_fill_pattern(inl, sizeof(inl), 1);
	expect_resp(cl_request(c, 0, PROTO_OP_PERSIST_INLINE, INLINE_OFF,
		INLINE_LEN, inl, &resp), &resp, 0, PROTO_OP_PERSIST_INLINE);
	expect_done(1);

	test_fill_pattern(c->lanes[1].data, WRITE_LEN, 2);
	expect_resp(cl_write_persist(c, 1, WRITE_OFF, WRITE_LEN, &resp), &resp, 0,
		PROTO_OP_PERSIST);
	expect_done(2);
	expect_resp(cl_request(c, 0, PROTO_OP_DEEP_PERSIST, WRITE_OFF, WRITE_LEN,
		NULL, &resp), &resp, 0, PROTO_OP_DEEP_PERSIST);
	expect_done(3);

	/* refused ranges: past the end, overflowing, inside the header */
	expect_resp(cl_request(c, 1, PROTO_OP_PERSIST, POOL_SIZE - 8, 16, NULL,
		&resp), &resp, EINVAL, PROTO_OP_PERSIST);
	expect_resp(cl_request(c, 1, PROTO_OP_DEEP_PERSIST, 8192, UINT64_MAX,
		NULL, &resp), &resp, EINVAL, PROTO_OP_DEEP_PERSIST);
	expect_resp(cl_request(c, 1, PROTO_OP_PERSIST_INLINE, HDR_SIZE - 8, 8,
		inl, &resp), &resp, EINVAL, PROTO_OP_PERSIST_INLINE);

	/* malformed: flags not 0 (the op is echoed), too short (op 0) */
	struct cl_lane *l = &c->lanes[0];
	CHECK(proto_inband_encode_req(l->req, PROTO_INBAND_REQ_MAX, PROTO_OP_PERSIST,
		0, LATER_OFF, LATER_LEN, NULL) == PROTO_INBAND_REQ_HDR);
	l->req[6] = 1;
	expect_resp(cl_request_raw(c, 0, PROTO_INBAND_REQ_HDR, &resp), &resp,
		EPROTO, PROTO_OP_PERSIST);
	memset(l->req, 0xee, 10);
	expect_resp(cl_request_raw(c, 0, 10, &resp), &resp, EPROTO, 0);
	/* refused requests reach no op */
	expect_done(3);

	/* both lanes go on serving */
	test_fill_pattern(c->lanes[0].data, LATER_LEN, 3);
	expect_resp(cl_request(c, 0, PROTO_OP_PERSIST_INLINE, LATER_OFF, LATER_LEN,
		c->lanes[0].data, &resp), &resp, 0, PROTO_OP_PERSIST_INLINE);
	expect_done(4);
	test_fill_pattern(c->lanes[1].data, LATER_LEN, 4);
	expect_resp(cl_write_persist(c, 1, LATER_OFF + LATER_LEN, LATER_LEN, &resp),
		&resp, 0, PROTO_OP_PERSIST);
	expect_done(5);
}

static void
serve(enum fabric_provider prov, const char *node)
{
	SKIP_IF_ABSENT(prov, node);
	struct run r;
	run_start(&r, prov, node, 2, client_serve);
	assert_string_equal(r.info.address, node);
	assert_int_equal(r.info.nlanes, 2);
	assert_true(r.info.port != 0);
	assert_int_equal(rpmemd_inband_accept(r.ib, ACCEPT_MS, -1), 0);
	assert_int_equal(rpmemd_inband_status(r.ib), 0);

	assert_exited_ok(run_wait(&r));
	/* the client left: the server says so */
	assert_int_equal(wait_lost(r.ib), -ECONNRESET);
	rpmemd_inband_close(r.ib);

	uint8_t inl[INLINE_LEN], wr[WRITE_LEN], later[2 * LATER_LEN];
	test_fill_pattern(inl, sizeof(inl), 1);
	test_fill_pattern(wr, sizeof(wr), 2);
	test_fill_pattern(later, LATER_LEN, 3);
	test_fill_pattern(later + LATER_LEN, LATER_LEN, 4);
	assert_int_equal(Rec.n, 5);
	assert_call(0, PROTO_OP_PERSIST_INLINE, INLINE_OFF, INLINE_LEN, inl);
	/* the written data was in the pool when persist ran: send-after-write */
	assert_call(1, PROTO_OP_PERSIST, WRITE_OFF, WRITE_LEN, wr);
	assert_call(2, PROTO_OP_DEEP_PERSIST, WRITE_OFF, WRITE_LEN, wr);
	assert_call(3, PROTO_OP_PERSIST_INLINE, LATER_OFF, LATER_LEN, later);
	assert_call(4, PROTO_OP_PERSIST, LATER_OFF + LATER_LEN, LATER_LEN,
		later + LATER_LEN);
	assert_memory_equal(Rec.pool + INLINE_OFF, inl, INLINE_LEN);
	assert_memory_equal(Rec.pool + WRITE_OFF, wr, WRITE_LEN);
	assert_memory_equal(Rec.pool + LATER_OFF, later, sizeof(later));
	/* the header was not written */
	static const uint8_t zeros[HDR_SIZE];
	assert_memory_equal(Rec.pool, zeros, HDR_SIZE);
}

static void
tcp_lanes_serve_inline_rdma_and_deep_persists_and_refuse_bad_requests(void **state)
{
	(void)state;
	serve(FABRIC_PROV_TCP, "127.0.0.1");
}

static void
sockets_lanes_serve_inline_rdma_and_deep_persists_and_refuse_bad_requests(void **state)
{
	(void)state;
	serve(FABRIC_PROV_SOCKETS, "127.0.0.1");
}

/* ---- a lane's requests in flight at once ---- */

#define PIPE_N PROTO_INBAND_DEPTH
#define PIPE_OFF 32768
#define PIPE_LEN 64
#define PIPE_REQ_SPACE 256
#define PIPE_TAG 9

/* the tag of request i: not the order they are sent in, the server only echoes it */
static uint16_t
pipe_tag(int i)
{
	return (uint16_t)(0x1000 + PIPE_N - 1 - i);
}

/*
 * PIPE_N inline requests sent without waiting, each with its own buffer
 * and tag: the answers come in the order sent, each carrying its
 * request's tag, each after its op, several in one message (the server's
 * ops take a millisecond each: the requests wait in batches). Then a
 * malformed request's failure carries its tag.
 */
static void
client_pipeline(struct cl *c)
{
	CHECK(cl_connect(c, 0, Secret) == 0);
	struct cl_lane *l = &c->lanes[0];
	/* the receives in the data buffer, the requests in the request buffer */
	CHECK(PIPE_N * PROTO_INBAND_RESP_MAX <= CL_DATA &&
		PIPE_N * PIPE_REQ_SPACE <= PROTO_INBAND_REQ_MAX);
	for (int i = 0; i < PIPE_N; i++) {
		uint8_t *buf = l->data + i * PROTO_INBAND_RESP_MAX;
		CHECK(fabric_post_recv(&l->ep, buf, PROTO_INBAND_RESP_MAX, c->mr.desc,
			buf) == 0);
	}
	for (int i = 0; i < PIPE_N; i++) {
		uint8_t data[PIPE_LEN];
		test_fill_pattern(data, sizeof(data), 100 + (unsigned)i);
		uint8_t *req = l->req + i * PIPE_REQ_SPACE;
		int len = proto_inband_encode_req(req, PIPE_REQ_SPACE,
			PROTO_OP_PERSIST_INLINE, pipe_tag(i),
			PIPE_OFF + (uint64_t)i * PIPE_LEN, PIPE_LEN, data);
		CHECK(len > 0);
		CHECK(fabric_post_send(&l->ep, req, (size_t)len, c->mr.desc,
			&Cl_ctx[CL_SEND]) == 0);
	}
	int answers = 0, sends = 0, messages = 0;
	while (answers < PIPE_N || sends < PIPE_N) {
		struct fi_cq_msg_entry e[8];
		int n = fabric_cq_wait(&l->ep, e, 8, CL_TIMEOUT_MS);
		CHECK(n > 0);
		for (int k = 0; k < n; k++) {
			if (e[k].op_context == &Cl_ctx[CL_SEND]) {
				sends++;
				continue;
			}
			struct proto_inband_resp r[PROTO_INBAND_DEPTH];
			int m = proto_inband_decode_resps(e[k].op_context, e[k].len, r);
			CHECK(m > 0);
			messages++;
			for (int j = 0; j < m; j++, answers++) {
				CHECK(r[j].status == 0 && r[j].op == PROTO_OP_PERSIST_INLINE);
				/* in the order sent: the lane serves its requests in order */
				if (r[j].tag != pipe_tag(answers)) {
					fprintf(stderr, "client: answer %d has tag %u, expected "
						"%u\n", answers, r[j].tag, pipe_tag(answers));
					_exit(1);
				}
			}
			/* no answer before its op returned */
			CHECK(__atomic_load_n(Done, __ATOMIC_SEQ_CST) >= answers);
		}
	}
	CHECK(answers == PIPE_N);
	CHECK(messages < answers);
	expect_done(PIPE_N);

	/* the receives not taken by a message are still posted: the next answer lands in one */
	CHECK(proto_inband_encode_req(l->req, PROTO_INBAND_REQ_MAX, PROTO_OP_PERSIST,
		PIPE_TAG, PIPE_OFF, PIPE_LEN, NULL) == PROTO_INBAND_REQ_HDR);
	l->req[6] = 1;	/* flags */
	CHECK(fabric_post_send(&l->ep, l->req, PROTO_INBAND_REQ_HDR, c->mr.desc,
		&Cl_ctx[CL_SEND]) == 0);
	for (int got = 0; got == 0; ) {
		struct fi_cq_msg_entry e;
		CHECK(fabric_cq_wait(&l->ep, &e, 1, CL_TIMEOUT_MS) == 1);
		if (e.op_context == &Cl_ctx[CL_SEND])
			continue;
		struct proto_inband_resp r[PROTO_INBAND_DEPTH];
		CHECK(proto_inband_decode_resps(e.op_context, e.len, r) == 1);
		CHECK(r[0].status == EPROTO && r[0].op == PROTO_OP_PERSIST);
		CHECK(r[0].tag == PIPE_TAG);
		got = 1;
	}
	expect_done(PIPE_N);
}

static void
pipeline(enum fabric_provider prov, const char *node)
{
	SKIP_IF_ABSENT(prov, node);
	struct run r;
	run_start(&r, prov, node, 1, client_pipeline);
	assert_int_equal(rpmemd_inband_accept(r.ib, ACCEPT_MS, -1), 0);
	assert_exited_ok(run_wait(&r));
	assert_int_equal(wait_lost(r.ib), -ECONNRESET);
	rpmemd_inband_close(r.ib);

	/* performed in the order sent, each with its own data */
	assert_int_equal(Rec.n, PIPE_N);
	for (int i = 0; i < PIPE_N; i++) {
		uint8_t data[PIPE_LEN];
		test_fill_pattern(data, sizeof(data), 100 + (unsigned)i);
		assert_call(i, PROTO_OP_PERSIST_INLINE, PIPE_OFF + (size_t)i * PIPE_LEN,
			PIPE_LEN, data);
		assert_memory_equal(Rec.pool + PIPE_OFF + (size_t)i * PIPE_LEN, data,
			PIPE_LEN);
	}
}

static void
tcp_lane_serves_a_full_pipeline_in_order_echoing_each_tag(void **state)
{
	(void)state;
	pipeline(FABRIC_PROV_TCP, "127.0.0.1");
}

static void
sockets_lane_serves_a_full_pipeline_in_order_echoing_each_tag(void **state)
{
	(void)state;
	pipeline(FABRIC_PROV_SOCKETS, "127.0.0.1");
}

static void
tcp_over_ipv6_serves_the_lanes(void **state)
{
	(void)state;
	serve(FABRIC_PROV_TCP, "::1");
}

/*
 * A message longer than any request: sockets truncates it into the receive
 * buffer and reports an error completion, which gets EMSGSIZE and the lane
 * goes on; tcp's provider closes the connection itself (the server then
 * reports the loss). A real client cannot send one: the encoder refuses.
 */
static void
client_oversized(struct cl *c)
{
	CHECK(cl_connect(c, 0, Secret) == 0);
	struct cl_lane *l = &c->lanes[0];
	struct proto_inband_resp resp;
	memset(l->req, 0xee, PROTO_INBAND_REQ_MAX + 8);
	int ret = cl_request_raw(c, 0, PROTO_INBAND_REQ_MAX + 8, &resp);
	if (c->prov == FABRIC_PROV_TCP) {
		CHECK(ret == -ECONNRESET);
		return;
	}
	expect_resp(ret, &resp, EMSGSIZE, 0);
	expect_resp(cl_request(c, 0, PROTO_OP_PERSIST, LATER_OFF, LATER_LEN, NULL,
		&resp), &resp, 0, PROTO_OP_PERSIST);
}

static void
oversized(enum fabric_provider prov)
{
	SKIP_IF_ABSENT(prov, "127.0.0.1");
	struct run r;
	run_start(&r, prov, "127.0.0.1", 1, client_oversized);
	assert_int_equal(rpmemd_inband_accept(r.ib, ACCEPT_MS, -1), 0);
	assert_exited_ok(run_wait(&r));
	assert_int_equal(wait_lost(r.ib), -ECONNRESET);
	rpmemd_inband_close(r.ib);
	assert_int_equal(Rec.n, prov == FABRIC_PROV_TCP ? 0 : 1);
}

static void
tcp_oversized_message_ends_the_connection(void **state)
{
	(void)state;
	oversized(FABRIC_PROV_TCP);
}

static void
sockets_oversized_message_gets_emsgsize_and_the_lane_goes_on(void **state)
{
	(void)state;
	oversized(FABRIC_PROV_SOCKETS);
}

/* ---- connections ---- */

static void
client_wrong_then_right_secret(struct cl *c)
{
	CHECK(cl_connect(c, 0, Wrong_secret) == -ECONNREFUSED);
	CHECK(cl_connect(c, 1, Secret) == 0);
	struct proto_inband_resp resp;
	test_fill_pattern(c->lanes[1].data, LATER_LEN, 5);
	expect_resp(cl_request(c, 1, PROTO_OP_PERSIST_INLINE, LATER_OFF, LATER_LEN,
		c->lanes[1].data, &resp), &resp, 0, PROTO_OP_PERSIST_INLINE);
}

static void
wrong_secret(enum fabric_provider prov)
{
	SKIP_IF_ABSENT(prov, "127.0.0.1");
	struct run r;
	run_start(&r, prov, "127.0.0.1", 1, client_wrong_then_right_secret);
	/* the refused request does not count: the lane is the right client's */
	assert_int_equal(rpmemd_inband_accept(r.ib, ACCEPT_MS, -1), 0);
	assert_exited_ok(run_wait(&r));
	assert_int_equal(wait_lost(r.ib), -ECONNRESET);
	rpmemd_inband_close(r.ib);

	uint8_t later[LATER_LEN];
	test_fill_pattern(later, LATER_LEN, 5);
	assert_int_equal(Rec.n, 1);
	assert_call(0, PROTO_OP_PERSIST_INLINE, LATER_OFF, LATER_LEN, later);
	/* nothing else in the pool changed */
	memset(Rec.pool + LATER_OFF, 0, LATER_LEN);
	static const uint8_t zeros[POOL_SIZE];
	assert_memory_equal(Rec.pool, zeros, POOL_SIZE);
}

static void
tcp_wrong_secret_is_refused_and_does_not_count_as_a_lane(void **state)
{
	(void)state;
	wrong_secret(FABRIC_PROV_TCP);
}

static void
sockets_wrong_secret_is_refused_and_does_not_count_as_a_lane(void **state)
{
	(void)state;
	wrong_secret(FABRIC_PROV_SOCKETS);
}

/* connects one lane of two, then expects the server to drop it when accept gives up */
static void
client_one_lane_of_two(struct cl *c)
{
	CHECK(cl_connect(c, 0, Secret) == 0);
	struct cl_lane *l = &c->lanes[0];
	CHECK(fabric_post_recv(&l->ep, l->resp, 64, c->mr.desc,
		&Cl_ctx[CL_RECV]) == 0);
	CHECK(cl_wait(l, CL_RECV) == -ECONNRESET);
}

static void
tcp_fewer_connections_than_lanes_fail_the_accept_and_drop_the_lanes(void **state)
{
	(void)state;
	SKIP_IF_ABSENT(FABRIC_PROV_TCP, "127.0.0.1");
	struct run r;
	run_start(&r, FABRIC_PROV_TCP, "127.0.0.1", 2, client_one_lane_of_two);
	assert_int_equal(rpmemd_inband_accept(r.ib, 300, -1), -ETIMEDOUT);
	assert_string_equal(err_last(),
		"in-band: 1 of 2 lanes connected within 300 ms");
	assert_exited_ok(run_wait(&r));
	rpmemd_inband_close(r.ib);
	assert_int_equal(Rec.n, 0);
}

static void
client_persist_then_die(struct cl *c)
{
	CHECK(cl_connect(c, 0, Secret) == 0);
	CHECK(cl_connect(c, 1, Secret) == 0);
	struct proto_inband_resp resp;
	expect_resp(cl_request(c, 1, PROTO_OP_PERSIST, LATER_OFF, LATER_LEN, NULL,
		&resp), &resp, 0, PROTO_OP_PERSIST);
	raise(SIGKILL);
}

static void
client_killed(enum fabric_provider prov)
{
	SKIP_IF_ABSENT(prov, "127.0.0.1");
	struct run r;
	run_start(&r, prov, "127.0.0.1", 2, client_persist_then_die);
	assert_int_equal(rpmemd_inband_accept(r.ib, ACCEPT_MS, -1), 0);
	int status = run_wait(&r);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGKILL);
	assert_int_equal(wait_lost(r.ib), -ECONNRESET);
	rpmemd_inband_close(r.ib);
	assert_int_equal(Rec.n, 1);
	assert_int_equal(Rec.calls[0].op, PROTO_OP_PERSIST);
}

static void
tcp_client_killed_makes_the_status_econnreset(void **state)
{
	(void)state;
	client_killed(FABRIC_PROV_TCP);
}

static void
sockets_client_killed_makes_the_status_econnreset(void **state)
{
	(void)state;
	client_killed(FABRIC_PROV_SOCKETS);
}

/* persists on both lanes until the server goes away */
static void
client_hammer(struct cl *c)
{
	CHECK(cl_connect(c, 0, Secret) == 0);
	CHECK(cl_connect(c, 1, Secret) == 0);
	struct proto_inband_resp resp;
	for (unsigned i = 0;; i++) {
		int ret = cl_request(c, (int)(i % 2), PROTO_OP_PERSIST, LATER_OFF,
			LATER_LEN, NULL, &resp);
		if (ret == -ECONNRESET)
			return;
		expect_resp(ret, &resp, 0, PROTO_OP_PERSIST);
	}
}

static void
tcp_close_while_lanes_are_busy_stops_them_cleanly(void **state)
{
	(void)state;
	SKIP_IF_ABSENT(FABRIC_PROV_TCP, "127.0.0.1");
	struct run r;
	run_start(&r, FABRIC_PROV_TCP, "127.0.0.1", 2, client_hammer);
	assert_int_equal(rpmemd_inband_accept(r.ib, ACCEPT_MS, -1), 0);
	for (int i = 0; i < 1000 && calls() < 100; i++) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	assert_true(calls() >= 100);
	assert_int_equal(rpmemd_inband_status(r.ib), 0);
	rpmemd_inband_close(r.ib);
	/* the client learns at once that the server is gone */
	assert_exited_ok(run_wait(&r));
}

/* ---- logging ---- */

/* a refused connection, a malformed request, then an idle lane for a few slices */
static void
client_for_the_log(struct cl *c)
{
	CHECK(cl_connect(c, 0, Wrong_secret) == -ECONNREFUSED);
	CHECK(cl_connect(c, 1, Secret) == 0);
	struct cl_lane *l = &c->lanes[1];
	struct proto_inband_resp resp;
	CHECK(proto_inband_encode_req(l->req, PROTO_INBAND_REQ_MAX,
		PROTO_OP_DEEP_PERSIST, 0, LATER_OFF, LATER_LEN, NULL) ==
		PROTO_INBAND_REQ_HDR);
	l->req[6] = 2;
	expect_resp(cl_request_raw(c, 1, PROTO_INBAND_REQ_HDR, &resp), &resp,
		EPROTO, PROTO_OP_DEEP_PERSIST);
	struct timespec ts = { 0, 3 * RPMEMD_INBAND_SLICE_MS * 1000 * 1000 };
	nanosleep(&ts, NULL);
	expect_resp(cl_request(c, 1, PROTO_OP_PERSIST, LATER_OFF, LATER_LEN, NULL,
		&resp), &resp, 0, PROTO_OP_PERSIST);
}

static void
tcp_refusals_and_malformed_requests_are_logged_and_idle_lanes_are_not(void **state)
{
	(void)state;
	SKIP_IF_ABSENT(FABRIC_PROV_TCP, "127.0.0.1");
	char path[4096];
	snprintf(path, sizeof(path), "%s/rpmemd.log", test_tmpdir());
	assert_int_equal(log_to_file("rpmemd", path, LOG_WARN), 0);

	struct run r;
	run_start(&r, FABRIC_PROV_TCP, "127.0.0.1", 1, client_for_the_log);
	assert_int_equal(rpmemd_inband_accept(r.ib, ACCEPT_MS, -1), 0);
	assert_exited_ok(run_wait(&r));
	assert_int_equal(wait_lost(r.ib), -ECONNRESET);
	rpmemd_inband_close(r.ib);
	log_fini();
	Log_level = LOG_NONE;

	size_t len;
	char *text = test_read_file(path, &len);
	char *z = realloc(text, len + 1);
	assert_non_null(z);
	z[len] = '\0';
	char expect[256];
	snprintf(expect, sizeof(expect), "in-band: fabric: connection request "
		"from 127.0.0.1:");
	assert_non_null(strstr(z, expect));
	snprintf(expect, sizeof(expect), " to 127.0.0.1:%u refused: wrong secret",
		r.info.port);
	assert_non_null(strstr(z, expect));
	assert_non_null(strstr(z, "in-band: lane 0 (127.0.0.1:"));
	assert_non_null(strstr(z, "): malformed request: DEEP_PERSIST: flags "
		"0x2 are not 0"));
	/* the idle slices left no trace */
	assert_null(strstr(z, "no completion"));
	free(z);
	assert_int_equal(Rec.n, 1);
}

/* ---- arguments ---- */

static void
listen_caps_the_lanes_at_rpmemd_max_lanes(void **state)
{
	(void)state;
	SKIP_IF_ABSENT(FABRIC_PROV_TCP, "127.0.0.1");
	struct rpmemd_inband_attr a = attr_of(FABRIC_PROV_TCP, "127.0.0.1", 1000);
	struct rpmemd_inband *ib;
	struct rpmemd_inband_info info;
	assert_int_equal(rpmemd_inband_listen(&a, &ib, &info), 0);
	assert_int_equal(info.nlanes, RPMEMD_MAX_LANES);
	rpmemd_inband_close(ib);
}

static void
listen_refuses_bad_attributes_naming_them(void **state)
{
	(void)state;
	struct rpmemd_inband *ib;
	struct rpmemd_inband_info info;
	struct rpmemd_inband_attr a = attr_of(FABRIC_PROV_TCP, "127.0.0.1", 0);
	assert_int_equal(rpmemd_inband_listen(&a, &ib, &info), -EINVAL);
	assert_string_equal(err_last(), "in-band: 0 lanes asked");

	a = attr_of(FABRIC_PROV_TCP, "127.0.0.1", 1);
	a.hdr_size = POOL_SIZE + 1;
	assert_int_equal(rpmemd_inband_listen(&a, &ib, &info), -EINVAL);
	assert_string_equal(err_last(), "in-band: header of 65537 bytes is larger "
		"than the 65536-byte pool");

	a = attr_of(FABRIC_PROV_TCP, NULL, 1);
	assert_int_equal(rpmemd_inband_listen(&a, &ib, &info), -EINVAL);
	assert_string_equal(err_last(), "in-band: no address to listen on");

	a = attr_of(FABRIC_PROV_TCP, "127.0.0.1", 1);
	a.ops.deep_persist = NULL;
	assert_int_equal(rpmemd_inband_listen(&a, &ib, &info), -EINVAL);
	assert_string_equal(err_last(), "in-band: persist operations missing");
}

static void
accept_twice_is_refused(void **state)
{
	(void)state;
	SKIP_IF_ABSENT(FABRIC_PROV_TCP, "127.0.0.1");
	struct rpmemd_inband_attr a = attr_of(FABRIC_PROV_TCP, "127.0.0.1", 1);
	struct rpmemd_inband *ib;
	struct rpmemd_inband_info info;
	assert_int_equal(rpmemd_inband_listen(&a, &ib, &info), 0);
	assert_int_equal(rpmemd_inband_accept(ib, 0, -1), -ETIMEDOUT);
	assert_string_equal(err_last(), "in-band: 0 of 1 lanes connected within 0 ms");
	assert_int_equal(rpmemd_inband_accept(ib, 0, -1), -EINVAL);
	assert_string_equal(err_last(), "in-band: the lanes were accepted already");
	rpmemd_inband_close(ib);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			tcp_lanes_serve_inline_rdma_and_deep_persists_and_refuse_bad_requests,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			sockets_lanes_serve_inline_rdma_and_deep_persists_and_refuse_bad_requests,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			tcp_lane_serves_a_full_pipeline_in_order_echoing_each_tag,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			sockets_lane_serves_a_full_pipeline_in_order_echoing_each_tag,
			setup, teardown),
		cmocka_unit_test_setup_teardown(tcp_over_ipv6_serves_the_lanes,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			tcp_oversized_message_ends_the_connection,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			sockets_oversized_message_gets_emsgsize_and_the_lane_goes_on,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			tcp_wrong_secret_is_refused_and_does_not_count_as_a_lane,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			sockets_wrong_secret_is_refused_and_does_not_count_as_a_lane,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			tcp_fewer_connections_than_lanes_fail_the_accept_and_drop_the_lanes,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			tcp_client_killed_makes_the_status_econnreset,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			sockets_client_killed_makes_the_status_econnreset,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			tcp_close_while_lanes_are_busy_stops_them_cleanly,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			tcp_refusals_and_malformed_requests_are_logged_and_idle_lanes_are_not,
			setup, teardown),
		cmocka_unit_test_setup_teardown(listen_caps_the_lanes_at_rpmemd_max_lanes,
			setup, teardown),
		cmocka_unit_test_setup_teardown(listen_refuses_bad_attributes_naming_them,
			setup, teardown),
		cmocka_unit_test_setup_teardown(accept_twice_is_refused,
			setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
