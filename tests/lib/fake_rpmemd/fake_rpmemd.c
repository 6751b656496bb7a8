/* fake_rpmemd.c -- a stand-in rpmemd for librpmem's tests: scripted out-of-band failures, or a real in-band server over loopback */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <unistd.h>

#include "err.h"
#include "fabric.h"
#include "proto.h"
#include "proto_inband.h"
#include "proto_io.h"

/*
 * argv[1], the mode:
 *  nothing        exit at once without a word
 *  garbage        write bytes that are no frame
 *  silent         say nothing until stdin closes
 *  hello-fail     HELLO with status FATAL and a reason
 *  refuse         HELLO, then refuse CREATE/OPEN with EXISTS
 *  serve          a real server: at most FAKE_MAX_LANES lanes, pool in memory
 *  serve-hdr      the same; OPEN answers with attributes (a pool with headers)
 *  serve-apm FILE serve, but answer persist_method APM, and rewrite FILE with
 *                 "inline <n> persist <n> deep <n>\n", the in-band requests
 *                 received so far by op, before answering each one (so a client
 *                 that got an answer finds its request counted). Over tcp the
 *                 client's read after write proves nothing about durability:
 *                 this tests the client's mechanics only.
 *  die            serve, but die by SIGKILL at the first in-band request
 *  remove         "--remove <set> [--force] [--pool-set]": exit 0, or ENOENT for set "missing"
 *  chatty         serve, but write far more than a socket buffer to stderr: before
 *                 HELLO, at every in-band request, before answering SET_ATTR and CLOSE
 *  chatty-fail    write that much to stderr, then a last line, and exit 1
 */
#define FAKE_MAX_LANES 3
#define TIMEOUT_MS 10000

static const char *Mode;
static const char *Count_file;	/* serve-apm: where the request counters go */
static pthread_mutex_t Count_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned Counts[4];	/* by op: PROTO_OP_PERSIST_INLINE .. PROTO_OP_DEEP_PERSIST */
static uint8_t *Pool;
static size_t Pool_size;

static void __attribute__((noreturn))
die(const char *what)
{
	fprintf(stderr, "fake_rpmemd: %s: %s\n", what, err_last());
	exit(1);
}

/* bytes of stderr written at once in the chatty modes: more than a socket buffer */
#define CHATTER_BIG (512 * 1024)
#define CHATTER_REQ (64 * 1024)

/* n bytes of 64-byte lines on stderr (blocking), when the mode is chatty */
static void
chatter(size_t n)
{
	if (strncmp(Mode, "chatty", 6) != 0)
		return;
	char line[65];
	for (size_t done = 0; done < n; done += 64) {
		snprintf(line, sizeof(line), "fake_rpmemd: chatter %-42zu\n", done);
		if (write(2, line, 64) != 64)
			exit(3);
	}
}

static void
send_msg(const struct proto_msg *msg)
{
	uint8_t buf[PROTO_FRAME_MAX];
	int len = proto_encode_msg(buf, msg);
	if (len < 0 || proto_send_frame(1, buf, (size_t)len, TIMEOUT_MS))
		die("send");
}

/* the next message; exits quietly when the client went away */
static void
recv_msg(struct proto_msg *msg)
{
	uint8_t buf[PROTO_FRAME_MAX];
	struct proto_header hdr;
	if (proto_recv_frame(0, buf, sizeof(buf), &hdr, -1))
		exit(2);
	if (proto_decode_msg(&hdr, buf + PROTO_HDR_SIZE, msg))
		die("decode");
}

static void
hello(uint32_t status, const char *reason)
{
	struct proto_msg m;
	memset(&m, 0, sizeof(m));
	m.type = PROTO_HELLO;
	m.hello.status = status;
	snprintf(m.hello.reason, sizeof(m.hello.reason), "%s", reason);
	send_msg(&m);
}

struct lane {
	struct fabric_ep ep;
	uint8_t req[PROTO_INBAND_REQ_MAX];
	uint8_t resp[PROTO_INBAND_RESP_SIZE];
	struct fabric_mr mr;
	pthread_t thread;
};

static struct lane Lanes[FAKE_MAX_LANES];

static uint32_t
serve_req(const struct proto_inband_req *r)
{
	if (!proto_range_ok(r->offset, r->length, Pool_size))
		return EINVAL;
	if (r->op == PROTO_OP_PERSIST_INLINE)
		memcpy(Pool + r->offset, r->data, r->length);
	return 0;
}

/* counts one request by op and rewrites the counter file (atomically, by rename) */
static void
count_req(uint32_t op)
{
	if (Count_file == NULL)
		return;
	pthread_mutex_lock(&Count_lock);
	if (op < 4)
		Counts[op]++;
	char tmp[4096];
	snprintf(tmp, sizeof(tmp), "%s.tmp", Count_file);
	FILE *f = fopen(tmp, "w");
	if (f == NULL || fprintf(f, "inline %u persist %u deep %u\n",
			Counts[PROTO_OP_PERSIST_INLINE], Counts[PROTO_OP_PERSIST],
			Counts[PROTO_OP_DEEP_PERSIST]) < 0 || fclose(f) != 0 ||
			rename(tmp, Count_file) != 0) {
		fprintf(stderr, "fake_rpmemd: cannot write %s\n", Count_file);
		exit(4);
	}
	pthread_mutex_unlock(&Count_lock);
}

/* answers one request; 0, or -1 when the lane is gone */
static int
answer(struct lane *l, size_t len)
{
	struct proto_inband_req r;
	uint32_t status = EPROTO, op = 0;
	uint16_t tag = 0;
	if (proto_inband_decode_req(l->req, len, &r) == 0) {
		if (strcmp(Mode, "die") == 0)
			raise(SIGKILL);
		op = r.op;
		tag = r.tag;
		status = serve_req(&r);
		count_req(op);
		chatter(CHATTER_REQ);
	}
	if (fabric_post_recv(&l->ep, l->req, sizeof(l->req), l->mr.desc, l->req))
		return -1;
	proto_inband_encode_resp(l->resp, sizeof(l->resp), status, op, tag);
	return fabric_post_send(&l->ep, l->resp, sizeof(l->resp), l->mr.desc,
		l->resp) ? -1 : 0;
}

/* one thread per lane: with tcp an endpoint progresses only while its queue is read */
static void *
lane_main(void *arg)
{
	struct lane *l = arg;
	int send_busy = 0, have_req = 0;
	size_t req_len = 0;
	for (;;) {
		struct fi_cq_msg_entry e;
		int n = fabric_cq_wait(&l->ep, &e, 1, 1000);
		if (n == -ETIMEDOUT)
			continue;
		if (n < 0)
			return NULL;	/* the client shut the lane down */
		if (e.op_context == l->req) {
			have_req = 1;
			req_len = e.len;
		} else {
			send_busy = 0;
		}
		if (have_req && !send_busy) {
			if (answer(l, req_len))
				return NULL;
			have_req = 0;
			send_busy = 1;
		}
	}
}

static void
serve(void)
{
	chatter(CHATTER_BIG);
	hello(0, "");
	struct proto_msg m;
	recv_msg(&m);
	if (m.type != PROTO_CREATE && m.type != PROTO_OPEN)
		die("expected CREATE or OPEN");
	struct proto_create_req req = m.req;
	uint16_t resp_type = m.type == PROTO_CREATE ? PROTO_CREATE_RESP :
		PROTO_OPEN_RESP;
	if (strcmp(Mode, "refuse") == 0) {
		memset(&m, 0, sizeof(m));
		m.type = resp_type;
		m.resp.status = PROTO_STATUS_EXISTS;
		snprintf(m.resp.reason, sizeof(m.resp.reason),
			"fake: pool set %.400s exists", req.pool_set);
		send_msg(&m);
		exit(0);
	}

	enum fabric_provider prov = req.provider == PROTO_PROVIDER_SOCKETS ?
		FABRIC_PROV_SOCKETS : FABRIC_PROV_TCP;
	struct fi_info *info;
	struct fabric_domain dom;
	struct fabric_listener lis;
	struct fabric_mr pool_mr;
	if (fabric_getinfo(prov, "127.0.0.1", "0", 1, &info) ||
			fabric_domain_open(info, &dom))
		die("fabric");
	fi_freeinfo(info);
	Pool_size = req.pool_size;
	Pool = mmap(NULL, Pool_size, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (Pool == MAP_FAILED)
		die("mmap");
	if (fabric_mr_reg(&dom, Pool, Pool_size, FABRIC_MR_REMOTE_ACCESS, &pool_mr) ||
			fabric_listen(&dom, &lis))
		die("listen");

	memset(&m, 0, sizeof(m));
	m.type = resp_type;
	m.resp.persist_method = Count_file ? PROTO_PERSIST_APM : PROTO_PERSIST_GPSPM;
	m.resp.nlanes = req.nlanes < FAKE_MAX_LANES ? req.nlanes : FAKE_MAX_LANES;
	snprintf(m.resp.address, sizeof(m.resp.address), "127.0.0.1");
	m.resp.port = lis.port;
	m.resp.raddr = pool_mr.addr;
	m.resp.rkey = pool_mr.key;
	m.resp.pool_size = Pool_size;
	if (getrandom(m.resp.secret, sizeof(m.resp.secret), 0) != sizeof(m.resp.secret))
		die("getrandom");
	if (resp_type == PROTO_OPEN_RESP && strcmp(Mode, "serve-hdr") == 0) {
		m.resp.has_attr = 1;
		memcpy(m.resp.attr.signature, "FAKEHDR", 8);
		m.resp.attr.major = 7;
	}
	uint8_t secret[PROTO_SECRET_SIZE];
	memcpy(secret, m.resp.secret, sizeof(secret));
	unsigned nlanes = m.resp.nlanes;
	send_msg(&m);

	for (unsigned i = 0; i < nlanes; i++) {
		struct lane *l = &Lanes[i];
		struct fi_info *creq;
		if (fabric_listener_next(&lis, secret, sizeof(secret), TIMEOUT_MS, &creq) ||
				fabric_ep_open(&dom, creq, 16, &l->ep))
			die("accept");
		fi_freeinfo(creq);
		if (fabric_mr_reg(&dom, l, sizeof(*l), FABRIC_MR_LOCAL_ACCESS, &l->mr) ||
				fabric_post_recv(&l->ep, l->req, sizeof(l->req), l->mr.desc, l->req) ||
				fabric_ep_accept(&l->ep, TIMEOUT_MS))
			die("accept");
	}
	for (unsigned i = 0; i < nlanes; i++)
		pthread_create(&Lanes[i].thread, NULL, lane_main, &Lanes[i]);

	for (;;) {
		recv_msg(&m);
		struct proto_msg r;
		memset(&r, 0, sizeof(r));
		chatter(CHATTER_BIG);
		if (m.type == PROTO_SET_ATTR) {
			r.type = PROTO_SET_ATTR_RESP;
			send_msg(&r);
			continue;
		}
		if (m.type != PROTO_CLOSE)
			die("expected SET_ATTR or CLOSE");
		/* the client shut its lanes down before CLOSE: the threads end */
		for (unsigned i = 0; i < nlanes; i++)
			pthread_join(Lanes[i].thread, NULL);
		r.type = PROTO_CLOSE_RESP;
		send_msg(&r);
		exit(0);
	}
}

/* "--remove <set> [--force] [--pool-set]" as the client sends it */
static int
remove_mode(int argc, char *argv[])
{
	if (argc < 4 || strcmp(argv[2], "--remove") != 0) {
		fprintf(stderr, "fake_rpmemd: bad remove command line\n");
		return EINVAL;
	}
	fprintf(stderr, "fake_rpmemd: removing %s", argv[3]);
	for (int i = 4; i < argc; i++)
		fprintf(stderr, " %s", argv[i]);
	fprintf(stderr, "\n");
	if (strcmp(argv[3], "missing") == 0) {
		fprintf(stderr, "fake_rpmemd: no pool set missing\n");
		return ENOENT;
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	signal(SIGPIPE, SIG_IGN);
	Mode = argc > 1 ? argv[1] : "serve";
	if (strcmp(Mode, "nothing") == 0)
		return 0;
	if (strcmp(Mode, "garbage") == 0) {
		static const char g[] = "this is no frame at all\n";
		return write(1, g, sizeof(g) - 1) < 0;
	}
	if (strcmp(Mode, "silent") == 0) {
		char c;
		while (read(0, &c, 1) > 0)
			;
		return 0;
	}
	if (strcmp(Mode, "hello-fail") == 0) {
		hello(PROTO_STATUS_FATAL, "fake: /etc/rpmemd/rpmemd.conf line 3: "
			"unknown key 'dir'");
		return 1;
	}
	if (strcmp(Mode, "remove") == 0)
		return remove_mode(argc, argv);
	if (strcmp(Mode, "serve-apm") == 0) {
		if (argc < 3) {
			fprintf(stderr, "fake_rpmemd: serve-apm needs a counter file\n");
			return EINVAL;
		}
		Count_file = argv[2];
	}
	if (strcmp(Mode, "chatty-fail") == 0) {
		chatter(CHATTER_BIG);
		fprintf(stderr, "fake_rpmemd: the last word\n");
		return 1;
	}
	serve();
	return 0;
}
