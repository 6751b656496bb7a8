/* rpmem.h -- librpmem internals: the pool handle, its lanes, the ssh child and the helpers the API files share */
#ifndef LIBRPMEM_RPMEM_H
#define LIBRPMEM_RPMEM_H 1

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* the public API keeps default visibility; everything else stays inside the library */
#pragma GCC visibility push(default)
#include <librpmem.h>
#include <librpmem/async.h>
#pragma GCC visibility pop

#include "err.h"
#include "fabric.h"
#include "log.h"
#include "proto.h"
#include "proto_inband.h"
#include "target.h"
#include "util.h"

/* the pool header the remote side keeps in front of a pool with attributes */
#define RPMEM_HDR_SIZE 4096

#define RPMEM_DEFAULT_TIMEOUT_MS 5000
#define RPMEM_DEFAULT_WQ_SIZE 50
#define RPMEM_DEFAULT_CMD "rpmemd"
/* the bounce buffer of a lane for reads into memory outside the pool */
#define RPMEM_READ_BOUNCE (64 * 1024)
/* what is kept of the ssh child's standard error for messages */
#define RPMEM_STDERR_MAX 512
/* the largest single RDMA write or read posted, whatever the provider allows */
#define RPMEM_MAX_CHUNK ((size_t)1 << 30)

/* ---- environment (librpmem.c): read at each create/open/remove ---- */

struct rpmem_env {
	const char *ssh;	/* RPMEM_SSH or "ssh" */
	char *cmd;		/* the next entry of RPMEM_CMD, malloc'ed */
	unsigned max_nlanes;	/* RPMEM_MAX_NLANES, UINT_MAX by default */
	unsigned wq_size;	/* RPMEM_WORK_QUEUE_SIZE */
	int timeout_ms;		/* RPMEM_TIMEOUT_MS */
};

/* fills env; -ENOMEM only (invalid values are logged and ignored) */
int rpmem_env_read(struct rpmem_env *env);
void rpmem_env_free(struct rpmem_env *env);

/* ---- the ssh child (ssh.c) ---- */

struct rpmem_ssh {
	pid_t pid;		/* 0 when there is no child */
	int fd;			/* the child's stdin and stdout (a socket), -1 when closed */
	int err_fd;		/* the child's stderr (a socket), -1 when closed */
	/* the last lines the child wrote to stderr, joined by "; " */
	char errtext[RPMEM_STDERR_MAX];
	size_t errlen;
	atomic_int draining;	/* a thread is reading err_fd (the others skip it) */
	atomic_int err_eof;	/* err_fd reached its end during the session */
	int status;		/* wait status once reaped; -1 if unknown */
};

/*
 * Starts "<ssh> -T -oBatchMode=yes [-p port] [-4] [user@]host <cmd>" with its
 * stdin/stdout on one socketpair and stderr on another. 0 or a negative errno.
 */
int rpmem_ssh_start(struct rpmem_ssh *ssh, const char *ssh_prog,
	const struct target *t, int ipv4, const char *cmd);

/*
 * Closes the channel, keeps what the child writes to stderr until it closes
 * it (at most timeout_ms), and reaps the child: SIGTERM, then SIGKILL, when
 * it lingers past timeout_ms. Idempotent. Returns the wait status or -1.
 */
int rpmem_ssh_finish(struct rpmem_ssh *ssh, int timeout_ms);

/*
 * Reads what the child wrote to stderr so far without waiting, so that a
 * child writing more than a socket buffer to stderr is never blocked; a
 * thread that finds another one draining skips it. The last lines are kept.
 */
void rpmem_ssh_drain(struct rpmem_ssh *ssh);

/*
 * Waits until the channel is readable (data, end or error) or the deadline
 * (util_now_ms() time) passes, draining stderr meanwhile. 0 or -ETIMEDOUT.
 */
int rpmem_ssh_wait_readable(struct rpmem_ssh *ssh, long long deadline);

/* "ssh: connect to host x port 22: Connection refused (exit status 255)", or "" */
void rpmem_ssh_describe(const struct rpmem_ssh *ssh, char *buf, size_t size);

/* ---- lanes (lane.c, lane_setup.c) ---- */

/*
 * The slot of the synchronous calls. They run only while no future holds a
 * slot of the lane (else they fail with EBUSY), so they may use any one.
 */
#define RPMEM_SYNC_SLOT 0

/*
 * One request in flight on a lane: its own registered request buffer and
 * APM read sink, its own posts, and the answer whose tag (the slot's index)
 * named it. A lane has PROTO_INBAND_DEPTH of them.
 */
struct rpmem_slot {
	uint8_t *req;		/* registered request buffer, PROTO_INBAND_REQ_MAX bytes */
	uint8_t *scratch;	/* registered sink of the 8-byte reads that make writes durable (APM) */
	unsigned pending;	/* its sends, writes and reads not completed yet */
	int awaiting;		/* its request was sent and not answered yet */
	int answered;		/* the answer came: status and op below */
	uint32_t status;
	uint32_t op;
	int held;		/* a future holds it (futures' side, under the lane's lock) */
};

struct rpmem_lane {
	struct fabric_ep ep;
	struct rpmem_slot slots[PROTO_INBAND_DEPTH];
	/* PROTO_INBAND_DEPTH registered receive buffers, always posted: answers land in any */
	uint8_t *resp;
	uint8_t *bounce;	/* read bounce buffer, allocated at the first read that needs it */
	struct fabric_mr bounce_mr;
	unsigned pending;	/* posts of every slot not completed yet (bounded by the work queue) */
	long long progress_ms;	/* util_now_ms() when a completion was last reaped */
	/* the futures' side of the lane; the synchronous calls never take it */
	pthread_mutex_t async_lock;
	int async_lock_init;
	atomic_uint async_held;	/* slots held by futures: the synchronous calls fail with EBUSY */
	int async_error;	/* the negative errno that ended the lane's futures, or 0 */
	size_t flush_lo, flush_hi;	/* range flushed since the last drain; empty when equal */
};

struct rpmem_pool {
	char target[TARGET_MAX_LEN];	/* as given, for messages */
	struct target t;
	struct rpmem_ssh ssh;
	int timeout_ms;
	unsigned wq_size;
	enum fabric_provider prov;

	uint8_t *pool_addr;
	size_t pool_size;
	int has_hdr;		/* offsets below RPMEM_HDR_SIZE are refused */
	int created;		/* by rpmem_create: an undone setup removes the pool */
	/* what rpmemd chose: with APM an RDMA read after the writes makes them durable */
	enum proto_persist_method persist_method;

	uint64_t raddr;		/* RMA address of remote pool offset 0 */
	uint64_t rkey;
	size_t max_chunk;	/* the largest write/read posted */

	struct fabric_domain dom;
	int dom_open;
	struct fabric_mr pool_mr;	/* the local pool: source of writes, sink of reads */
	struct fabric_mr buf_mr;	/* every lane's request, receive and scratch buffers */
	uint8_t *bufs;
	size_t bufs_size;

	unsigned nlanes;
	struct rpmem_lane *lanes;

	/* odd while a request uses the out-of-band channel; bumped at its start and end */
	atomic_uint oob_seq;
	atomic_int lost;	/* 0; 1 while the reason is written; 2 lost */
	char lost_reason[ERR_MSG_MAX];
};

/* connects nlanes lanes to address:port with the secret and registers the pool */
int rpmem_fabric_init(struct rpmem_pool *rpp, const struct proto_open_resp *resp);
void rpmem_fabric_fini(struct rpmem_pool *rpp);

/* posts the lane's receive buffer i (at set-up, and again once its answer was taken) */
int rpmem_lane_post_recv(struct rpmem_pool *rpp, struct rpmem_lane *lane,
	unsigned i);

/* waits for every posted operation of the lane; 0 or a negative errno (the pool is then lost) */
int rpmem_lane_quiesce(struct rpmem_pool *rpp, struct rpmem_lane *lane);

/* posts RDMA writes of [offset, offset + length) of the pool for slot, bounded by the work queue */
int rpmem_lane_write(struct rpmem_pool *rpp, struct rpmem_lane *lane,
	unsigned slot, size_t offset, size_t length);

/* the posts rpmem_lane_write needs for length bytes */
unsigned rpmem_lane_write_posts(struct rpmem_pool *rpp, size_t length);

/* reads [offset, offset + length) of the remote pool into buf */
int rpmem_lane_read(struct rpmem_pool *rpp, struct rpmem_lane *lane,
	void *buf, size_t offset, size_t length);

/*
 * APM: waits until the writes posted on the lane are durable, by an 8-byte
 * RDMA read of remote bytes inside [offset, offset + length) (the range
 * written) into the lane's scratch and by reaping every post of the lane
 */
int rpmem_lane_read_after_write(struct rpmem_pool *rpp, struct rpmem_lane *lane,
	size_t offset, size_t length);

/* APM, without waiting: posts slot's read that makes its writes durable */
int rpmem_lane_read_after_write_post(struct rpmem_pool *rpp,
	struct rpmem_lane *lane, unsigned slot, size_t offset, size_t length);

/* sends one in-band request and waits for its answer and for every post before it */
int rpmem_lane_request(struct rpmem_pool *rpp, struct rpmem_lane *lane,
	uint32_t op, size_t offset, size_t length, const void *data);

/* posts slot's in-band request, tagged with the slot (after its writes), without waiting */
int rpmem_lane_request_post(struct rpmem_pool *rpp, struct rpmem_lane *lane,
	unsigned slot, uint32_t op, size_t offset, size_t length, const void *data);

/*
 * Reaps what arrived on the lane without waiting, for every slot: posts
 * completed, answers matched to their slots by tag (a tag with no request
 * in flight loses the connection) and their receives posted again.
 */
int rpmem_lane_reap(struct rpmem_pool *rpp, struct rpmem_lane *lane);

/* lets the provider progress posted operations without waiting */
int rpmem_lane_progress(struct rpmem_pool *rpp, struct rpmem_lane *lane);

/* 1 when slot's posts completed and, when want_answer, its answer came */
int rpmem_lane_slot_done(const struct rpmem_lane *lane, unsigned slot,
	int want_answer);

/*
 * Judges slot's answer to a request of op on [offset, offset + length):
 * 0, the refusal's errno, or -EPROTO (the pool lost) for an answer to
 * another op. The slot may take the next request.
 */
int rpmem_lane_slot_finish(struct rpmem_pool *rpp, struct rpmem_lane *lane,
	unsigned slot, uint32_t op, size_t offset, size_t length);

/* 1 when count more posts fit in the work queue without waiting */
int rpmem_lane_has_room(const struct rpmem_pool *rpp,
	const struct rpmem_lane *lane, unsigned count);

/*
 * 1 while the lane's silence is within the bound, else the pool lost and a
 * negative errno. *deadline (util_now_ms() time) moves on with every
 * completion the lane reaps.
 */
int rpmem_lane_still_waiting(struct rpmem_pool *rpp, struct rpmem_lane *lane,
	long long *deadline);

/*
 * The checks every data-path call makes, in PMDK's order: a lost
 * connection, unknown flags, an offset inside the pool header, the lane,
 * the range. Argument errors never poison the pool. 0 to go on, 1 when
 * there is nothing to do (length 0), -1 after failing the call as func.
 */
int rpmem_check_args(struct rpmem_pool *rpp, const char *func, size_t offset,
	size_t length, unsigned lane, unsigned flags, unsigned known_flags,
	int hdr_applies);

/* 0, or -1 after failing func with EBUSY: asynchronous persists are in flight on the lane */
int rpmem_lane_free_for(struct rpmem_pool *rpp, const char *func, unsigned lane);

/* ---- out-of-band client (obc.c): 0 or a negative errno with a message ---- */

int rpmem_obc_hello(struct rpmem_pool *rpp);
int rpmem_obc_create_open(struct rpmem_pool *rpp, uint16_t type,
	const struct proto_create_req *req, struct proto_open_resp *resp);
int rpmem_obc_set_attr(struct rpmem_pool *rpp, const struct rpmem_pool_attr *attr);
int rpmem_obc_close(struct rpmem_pool *rpp, uint32_t flags);

/* ---- connection state (pool.c) ---- */

/*
 * Records that the connection is gone (the first reason wins) and returns
 * ret. Every later call fails at once with ECONNRESET.
 */
int rpmem_pool_set_lost(struct rpmem_pool *rpp, int ret, const char *reason);

/*
 * 0 while the connection is usable; -ECONNRESET with the message
 * "connection to <target> lost: <reason>" once it is not. Notices the ssh
 * child's channel closing or carrying unexpected data.
 */
int rpmem_pool_check(struct rpmem_pool *rpp);

/* frees the handle and everything it holds; the fabric and ssh must be finished */
void rpmem_pool_free(struct rpmem_pool *rpp);

/* ---- errors (errormsg.c) ---- */

/* records "<func>: <message>", sets errno to errnum and returns -1 */
int rpmem_fail(const char *func, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Records "<func>: <the thread's last message>" for an internal failure ret
 * (a negative errno), sets errno to -ret and returns -1.
 */
int rpmem_fail_last(const char *func, int ret);

/* a copy of the thread's last message (err_set must not format its own buffer) */
void rpmem_last_copy(char *buf, size_t size);

#endif /* LIBRPMEM_RPMEM_H */
