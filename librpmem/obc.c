/* obc.c -- the out-of-band client: HELLO, CREATE/OPEN, SET_ATTR and CLOSE over the ssh channel */
#include <stdio.h>
#include <string.h>

#include "proto_io.h"
#include "rpmem.h"

/*
 * Receives one frame of type want and decodes it into *msg. A failure of
 * the channel itself (closed, timed out, garbage) loses the connection.
 */
static int
recv_msg(struct rpmem_pool *rpp, uint16_t want, struct proto_msg *msg)
{
	uint8_t buf[PROTO_FRAME_MAX];
	struct proto_header hdr;
	/* the child's stderr is read while the answer is awaited: a full one would block it */
	long long deadline = util_now_ms() + rpp->timeout_ms;
	int ret = rpmem_ssh_wait_readable(&rpp->ssh, deadline);
	if (ret == -ETIMEDOUT)
		ret = err_set(ret, "no frame within %d ms: 0 of %d header bytes "
			"received", rpp->timeout_ms, PROTO_HDR_SIZE);
	if (ret == 0) {
		long long left = deadline - util_now_ms();
		ret = proto_recv_frame(rpp->ssh.fd, buf, sizeof(buf), &hdr,
			left > 0 ? (int)left : 1);
	}
	if (ret == 0)
		ret = proto_expect_type(&hdr, want);
	if (ret == 0)
		ret = proto_decode_msg(&hdr, buf + PROTO_HDR_SIZE, msg);
	if (ret == 0)
		return 0;

	char why[ERR_MSG_MAX];
	rpmem_last_copy(why, sizeof(why));
	rpmem_pool_set_lost(rpp, ret, why);
	return err_set(ret, "rpmemd on %s: %s: %s", rpp->target,
		proto_type_name(want), why);
}

static int
send_msg(struct rpmem_pool *rpp, const struct proto_msg *msg)
{
	uint8_t buf[PROTO_FRAME_MAX];
	int len = proto_encode_msg(buf, msg);
	if (len < 0)
		return len;
	int ret = proto_send_frame(rpp->ssh.fd, buf, (size_t)len, rpp->timeout_ms);
	if (ret == 0)
		return 0;

	char why[ERR_MSG_MAX];
	rpmem_last_copy(why, sizeof(why));
	rpmem_pool_set_lost(rpp, ret, why);
	return err_set(ret, "rpmemd on %s: cannot send %s: %s", rpp->target,
		proto_type_name(msg->type), why);
}

/* a refusal by rpmemd: the errno of its status, its reason in the message */
static int
refused(struct rpmem_pool *rpp, uint32_t status, const char *reason)
{
	int errnum = proto_status_errno(status);
	return err_set(-errnum, "%s (rpmemd on %s: status %s)",
		reason[0] ? reason : proto_status_name(status), rpp->target,
		proto_status_name(status));
}

int
rpmem_obc_hello(struct rpmem_pool *rpp)
{
	struct proto_msg msg;
	int ret = recv_msg(rpp, PROTO_HELLO, &msg);
	if (ret)
		return ret;
	if (msg.hello.status != 0)
		return refused(rpp, msg.hello.status, msg.hello.reason);
	log_msg(LOG_INFO, "rpmemd on %s speaks protocol %u.%u", rpp->target,
		msg.hello.major, msg.hello.minor);
	return 0;
}

int
rpmem_obc_create_open(struct rpmem_pool *rpp, uint16_t type,
	const struct proto_create_req *req, struct proto_open_resp *resp)
{
	struct proto_msg msg;
	memset(&msg, 0, sizeof(msg));
	msg.type = type;
	msg.req = *req;
	int ret = send_msg(rpp, &msg);
	if (ret)
		return ret;
	uint16_t want = type == PROTO_CREATE ? PROTO_CREATE_RESP : PROTO_OPEN_RESP;
	ret = recv_msg(rpp, want, &msg);
	if (ret)
		return ret;
	*resp = msg.resp;
	if (resp->status != 0)
		return refused(rpp, resp->status, resp->reason);
	return 0;
}

/* one request on a channel the data path watches: tell the watch to look away */
static int
status_request(struct rpmem_pool *rpp, const struct proto_msg *req, uint16_t want)
{
	atomic_fetch_add(&rpp->oob_seq, 1);
	struct proto_msg msg;
	int ret = send_msg(rpp, req);
	if (ret == 0)
		ret = recv_msg(rpp, want, &msg);
	atomic_fetch_add(&rpp->oob_seq, 1);
	if (ret)
		return ret;
	if (msg.status.status != 0)
		return refused(rpp, msg.status.status, msg.status.reason);
	return 0;
}

int
rpmem_obc_set_attr(struct rpmem_pool *rpp, const struct rpmem_pool_attr *attr)
{
	struct proto_msg msg;
	memset(&msg, 0, sizeof(msg));
	msg.type = PROTO_SET_ATTR;
	if (attr) {
		msg.set_attr.has_attr = 1;
		msg.set_attr.attr = *attr;
	}
	return status_request(rpp, &msg, PROTO_SET_ATTR_RESP);
}

int
rpmem_obc_close(struct rpmem_pool *rpp, uint32_t flags)
{
	struct proto_msg msg;
	memset(&msg, 0, sizeof(msg));
	msg.type = PROTO_CLOSE;
	msg.close.flags = flags;
	return status_request(rpp, &msg, PROTO_CLOSE_RESP);
}
