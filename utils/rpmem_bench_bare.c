/* rpmem_bench_bare.c -- the ceiling of rpmem_bench: send/recv round trips and RDMA writes through libfabric alone */
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

#include "err.h"
#include "rpmem_bench.h"

#define BARE_SPAN ((size_t)16 << 20)	/* each lane's region of the server's buffer */
#define BARE_MSG_MAX 4096		/* the largest round trip measured */
#define BARE_REPLY 16			/* as small as a persist answer */
#define BARE_WINDOW_MAX 16		/* RDMA writes in flight per lane, at most */
#define BARE_RECVS 4			/* receives the server keeps posted per lane */
#define CQ_SIZE 64
#define TIMEOUT_MS 10000
#define SECRET_LEN 32

static const uint8_t Secret[SECRET_LEN] = "rpmem_bench bare ceiling secret";

/* completion contexts */
enum op { OP_SEND, OP_RECV, OP_WRITE, NOPS };
static char Ops[NOPS];
#define CTX(op) ((void *)&Ops[op])

/* what the server tells the client once it listens */
struct ready {
	uint16_t port;
	uint64_t addr;
	uint64_t key;
};

struct bare_lane {
	struct fabric_ep ep;
	uint8_t *src;		/* BARE_SPAN bytes: write sources and the message sent */
	uint8_t *reply;		/* the reply received */
	unsigned writes;	/* in flight */
	int sends, recvs;	/* completions seen and not yet consumed */
};

struct bare {
	pid_t pid;
	struct ready r;
	unsigned nlanes;
	unsigned window;	/* RDMA writes in flight per lane (bare_write) */
	struct fabric_domain dom;
	int dom_open;
	struct fabric_mr mr;
	uint8_t *buf;
	size_t buflen;
	struct bare_lane lanes[BENCH_MAX_THREADS];
};

/* ---- the server: a forked child, one thread per lane (tcp progresses a lane only while its CQ is read) ---- */

struct srv_lane {
	struct fabric_ep ep;
	uint8_t *in;		/* BARE_RECVS receive buffers of BARE_MSG_MAX */
	uint8_t *out;		/* BARE_RECVS reply buffers */
	void *desc;
	unsigned idx;
};

static void
srv_die(const char *what)
{
	fprintf(stderr, "rpmem_bench: bare server: %s: %s\n", what, err_last());
	_exit(1);
}

static int
srv_post_recv(struct srv_lane *l, unsigned slot)
{
	return fabric_post_recv(&l->ep, l->in + (size_t)slot * BARE_MSG_MAX, BARE_MSG_MAX,
		l->desc, l->in + (size_t)slot * BARE_MSG_MAX);
}

/*
 * Blocks on the CQ as rpmemd's lanes do (fi_cq_sread with a slice), the
 * leanest wait; errors and the connection's loss go through fabric_cq_wait.
 */
static int
srv_wait(struct srv_lane *l, struct fi_cq_msg_entry *e, size_t max)
{
	ssize_t n = fi_cq_sread(l->ep.cq, e, max, NULL, 1000);
	if (n > 0)
		return (int)n;
	if ((n == -FI_EAGAIN || n == -FI_ETIMEDOUT || n == -FI_EINTR) &&
			fabric_ep_check(&l->ep) == 0)
		return 0;
	return fabric_cq_wait(&l->ep, e, max, 0);
}

/* answers every message with a BARE_REPLY-byte reply, until the client leaves */
static void *
srv_lane_main(void *arg)
{
	struct srv_lane *l = arg;
	for (;;) {
		struct fi_cq_msg_entry e[16];
		int n = srv_wait(l, e, 16);
		if (n == 0 || n == -ETIMEDOUT)
			continue;
		if (n == -ECONNRESET)
			return NULL;
		if (n < 0)
			srv_die("lane wait");
		for (int i = 0; i < n; i++) {
			uint8_t *ctx = e[i].op_context;
			if (ctx < l->in || ctx >= l->in + BARE_RECVS * BARE_MSG_MAX)
				continue;	/* a reply left */
			unsigned slot = (unsigned)((ctx - l->in) / BARE_MSG_MAX);
			/* the slot's receive is reposted at once: the reply buffer is apart */
			if (srv_post_recv(l, slot) ||
					fabric_post_send(&l->ep, l->out + slot * BARE_REPLY,
						BARE_REPLY, l->desc, CTX(OP_SEND)))
				return NULL;	/* the client left */
		}
	}
}

static void
server_main(enum fabric_provider prov, unsigned nlanes, int wfd)
{
	alarm(3600);	/* never outlive a lost parent by long */
	struct fi_info *info;
	if (fabric_getinfo(prov, "127.0.0.1", "0", 1, &info))
		srv_die("getinfo");
	struct fabric_domain dom;
	if (fabric_domain_open(info, &dom))
		srv_die("domain");
	fi_freeinfo(info);

	size_t target_len = BARE_SPAN * nlanes;
	uint8_t *target = mmap(NULL, target_len, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	size_t msgs_len = (size_t)nlanes * BARE_RECVS * (BARE_MSG_MAX + BARE_REPLY);
	uint8_t *msgs = calloc(1, msgs_len);
	if (target == MAP_FAILED || msgs == NULL)
		srv_die("memory");
	struct fabric_mr target_mr, msgs_mr;
	if (fabric_mr_reg(&dom, target, target_len, FABRIC_MR_REMOTE_ACCESS, &target_mr) ||
			fabric_mr_reg(&dom, msgs, msgs_len, FABRIC_MR_LOCAL_ACCESS, &msgs_mr))
		srv_die("mr_reg");
	struct fabric_listener lst;
	if (fabric_listen(&dom, &lst))
		srv_die("listen");
	struct ready r = { lst.port, target_mr.addr, target_mr.key };
	if (write(wfd, &r, sizeof(r)) != (ssize_t)sizeof(r))
		_exit(1);
	close(wfd);

	static struct srv_lane lanes[BENCH_MAX_THREADS];
	pthread_t th[BENCH_MAX_THREADS];
	for (unsigned i = 0; i < nlanes; i++) {
		struct srv_lane *l = &lanes[i];
		l->idx = i;
		l->desc = msgs_mr.desc;
		l->in = msgs + (size_t)i * BARE_RECVS * (BARE_MSG_MAX + BARE_REPLY);
		l->out = l->in + BARE_RECVS * BARE_MSG_MAX;
		struct fi_info *req;
		if (fabric_listener_next(&lst, Secret, SECRET_LEN, TIMEOUT_MS, &req))
			srv_die("connection request");
		if (fabric_ep_open(&dom, req, CQ_SIZE, &l->ep))
			srv_die("ep_open");
		fi_freeinfo(req);
		for (unsigned s = 0; s < BARE_RECVS; s++)
			if (srv_post_recv(l, s))
				srv_die("post_recv");
		if (fabric_ep_accept(&l->ep, TIMEOUT_MS))
			srv_die("accept");
	}
	for (unsigned i = 0; i < nlanes; i++)
		if (pthread_create(&th[i], NULL, srv_lane_main, &lanes[i]))
			_exit(1);
	for (unsigned i = 0; i < nlanes; i++) {
		pthread_join(th[i], NULL);
		fabric_ep_close(&lanes[i].ep);
	}
	fabric_listener_close(&lst);
	fabric_mr_dereg(&msgs_mr);
	fabric_mr_dereg(&target_mr);
	fabric_domain_close(&dom);
	_exit(0);
}

/* ---- the client: the benchmark process ---- */

/* reaps completions until the lane has at most max_writes writes in flight and, if asked, a reply */
static int
lane_reap(struct bare_lane *l, unsigned max_writes, int want_reply)
{
	while (l->writes > max_writes || (want_reply && (l->recvs == 0 || l->sends == 0))) {
		struct fi_cq_msg_entry e[16];
		int n = fabric_cq_wait(&l->ep, e, 16, TIMEOUT_MS);
		if (n < 0) {
			fprintf(stderr, "rpmem_bench: bare client: %s\n", err_last());
			return -1;
		}
		for (int i = 0; i < n; i++) {
			if (e[i].op_context == CTX(OP_WRITE))
				l->writes--;
			else if (e[i].op_context == CTX(OP_SEND))
				l->sends++;
			else
				l->recvs++;
		}
	}
	return 0;
}

int
bare_pingpong(void *ctx, unsigned thread, size_t off, size_t len)
{
	struct bare *b = ctx;
	struct bare_lane *l = &b->lanes[thread];
	(void)off;
	if (len > BARE_MSG_MAX)
		return -1;
	if (fabric_post_send(&l->ep, l->src, len, b->mr.desc, CTX(OP_SEND))) {
		fprintf(stderr, "rpmem_bench: bare client: %s\n", err_last());
		return -1;
	}
	if (lane_reap(l, l->writes, 1))
		return -1;
	l->sends--;
	l->recvs--;
	/* the next reply's receive, posted before the next send */
	if (fabric_post_recv(&l->ep, l->reply, BARE_REPLY, b->mr.desc, CTX(OP_RECV))) {
		fprintf(stderr, "rpmem_bench: bare client: %s\n", err_last());
		return -1;
	}
	return 0;
}

int
bare_write(void *ctx, unsigned thread, size_t off, size_t len)
{
	struct bare *b = ctx;
	struct bare_lane *l = &b->lanes[thread];
	if (l->writes >= b->window && lane_reap(l, b->window - 1, 0))
		return -1;
	uint64_t raddr = b->r.addr + thread * BARE_SPAN + off;
	int ret;
	while ((ret = fabric_post_write(&l->ep, l->src + off, len, b->mr.desc, raddr,
			b->r.key, CTX(OP_WRITE))) == -EAGAIN)
		if (l->writes == 0 || lane_reap(l, l->writes - 1, 0))
			break;
	if (ret) {
		fprintf(stderr, "rpmem_bench: bare client: %s\n", err_last());
		return -1;
	}
	l->writes++;
	return 0;
}

int
bare_write_finish(void *ctx, unsigned thread)
{
	struct bare *b = ctx;
	if (lane_reap(&b->lanes[thread], 0, 0))
		return -1;
	return bare_pingpong(ctx, thread, 0, BARE_REPLY);
}

void
bare_set_window(struct bare *b, unsigned window)
{
	b->window = window < 1 ? 1 : window > BARE_WINDOW_MAX ? BARE_WINDOW_MAX : window;
}

unsigned
bare_window(const struct bare *b)
{
	return b->window;
}

size_t
bare_span(const struct bare *b)
{
	(void)b;
	return BARE_SPAN;
}

static int
client_connect(struct bare *b, enum fabric_provider prov)
{
	char port[16];
	snprintf(port, sizeof(port), "%u", b->r.port);
	struct fi_info *info;
	if (fabric_getinfo(prov, "127.0.0.1", port, 0, &info))
		return -1;
	int ret = fabric_domain_open(info, &b->dom);
	fi_freeinfo(info);
	if (ret)
		return -1;
	b->dom_open = 1;
	b->buflen = (size_t)b->nlanes * (BARE_SPAN + 64);
	b->buf = mmap(NULL, b->buflen, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (b->buf == MAP_FAILED) {
		b->buf = NULL;
		return err_set(-1, "cannot map the client's buffer");
	}
	memset(b->buf, 0x5a, b->buflen);
	if (fabric_mr_reg(&b->dom, b->buf, b->buflen, FABRIC_MR_LOCAL_ACCESS, &b->mr))
		return -1;
	for (unsigned i = 0; i < b->nlanes; i++) {
		struct bare_lane *l = &b->lanes[i];
		l->src = b->buf + i * BARE_SPAN;
		l->reply = b->buf + b->nlanes * BARE_SPAN + i * 32;
		if (fabric_ep_open(&b->dom, b->dom.info, CQ_SIZE, &l->ep) ||
				fabric_post_recv(&l->ep, l->reply, BARE_REPLY, b->mr.desc,
					CTX(OP_RECV)) ||
				fabric_ep_connect(&l->ep, Secret, SECRET_LEN, TIMEOUT_MS))
			return -1;
	}
	return 0;
}

struct bare *
bare_start(enum fabric_provider prov, unsigned nlanes)
{
	struct bare *b = calloc(1, sizeof(*b));
	int fds[2];
	if (b == NULL || nlanes > BENCH_MAX_THREADS || pipe(fds) != 0) {
		free(b);
		return NULL;
	}
	b->nlanes = nlanes;
	b->window = 8;
	b->pid = fork();
	if (b->pid == 0) {
		close(fds[0]);
		server_main(prov, nlanes, fds[1]);
	}
	close(fds[1]);
	struct pollfd p = { .fd = fds[0], .events = POLLIN };
	int ok = b->pid > 0 && poll(&p, 1, TIMEOUT_MS) == 1 &&
		read(fds[0], &b->r, sizeof(b->r)) == (ssize_t)sizeof(b->r);
	close(fds[0]);
	if (!ok) {
		fprintf(stderr, "rpmem_bench: the bare %s server did not start\n",
			fabric_provider_name(prov));
		bare_stop(b);
		return NULL;
	}
	if (client_connect(b, prov)) {
		fprintf(stderr, "rpmem_bench: bare %s client: %s\n",
			fabric_provider_name(prov), err_last());
		bare_stop(b);
		return NULL;
	}
	return b;
}

void
bare_stop(struct bare *b)
{
	if (b == NULL)
		return;
	for (unsigned i = 0; i < b->nlanes; i++)
		if (b->lanes[i].ep.ep) {
			lane_reap(&b->lanes[i], 0, 0);
			fabric_ep_close(&b->lanes[i].ep);
		}
	if (b->mr.mr)
		fabric_mr_dereg(&b->mr);
	if (b->dom_open)
		fabric_domain_close(&b->dom);
	if (b->buf)
		munmap(b->buf, b->buflen);
	if (b->pid > 0) {
		/* the server leaves when its lanes see the shutdown; a stuck one is killed */
		pid_t done = 0;
		for (int i = 0; i < 50 && (done = waitpid(b->pid, NULL, WNOHANG)) == 0; i++)
			usleep(100 * 1000);
		if (done == 0) {
			kill(b->pid, SIGKILL);
			waitpid(b->pid, NULL, 0);
		}
	}
	free(b);
}
