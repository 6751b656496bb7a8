/* session.c -- rpmemd's side of the out-of-band protocol: one pool, its lanes, until CLOSE */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/random.h>

#include "err.h"
#include "inband.h"
#include "listen_addr.h"
#include "log.h"
#include "persist_policy.h"
#include "proto_io.h"
#include "session.h"

/* how often the out-of-band wait looks at the lanes */
#define SESSION_SLICE_MS 200
/* how long a client whose lanes are gone has to send its CLOSE */
#define SESSION_CLOSE_GRACE_MS 2000

struct session {
	const struct rpmemd_config *cfg;
	struct rpmemd_db *db;
	int in;
	int out;
	struct rpmemd_pool *pool;
	struct rpmemd_inband *ib;
	int serving;		/* the lanes are connected */
	unsigned char frame[PROTO_FRAME_MAX];
};

static int
op_persist(void *ctx, size_t offset, size_t len)
{
	return rpmemd_pool_persist(ctx, offset, len);
}

static int
op_deep_persist(void *ctx, size_t offset, size_t len)
{
	return rpmemd_pool_deep_persist(ctx, offset, len);
}

static int
op_memcpy_persist(void *ctx, size_t offset, const void *src, size_t len)
{
	return rpmemd_pool_memcpy_persist(ctx, offset, src, len);
}

int
rpmemd_session_hello(int out, uint32_t status, const char *reason)
{
	struct proto_hello hello = { .status = status };
	snprintf(hello.reason, sizeof(hello.reason), "%s", reason ? reason : "");
	unsigned char frame[PROTO_FRAME_MAX];
	int len = proto_encode_hello(frame, &hello);
	if (len < 0)
		return len;
	return proto_send_frame(out, frame, (size_t)len, RPMEMD_FRAME_TIMEOUT_MS);
}

/* the pool goes away; a pool this session created but never served is removed */
static void
teardown(struct session *s)
{
	rpmemd_inband_close(s->ib);
	s->ib = NULL;
	if (s->pool != NULL) {
		int remove = s->pool->created && !s->serving;
		if (remove)
			log_msg(LOG_WARN, "removing pool set %s: created by this session, never served",
				s->pool->name);
		rpmemd_db_pool_close(s->pool, remove);
		s->pool = NULL;
	}
	s->serving = 0;
}

/*
 * Waits for the next frame, watching the lanes while the client is quiet.
 * Lanes that are gone end the session only when no frame follows within
 * SESSION_CLOSE_GRACE_MS: rpmem_close shuts its lanes down before it sends
 * CLOSE, so a closing client's lanes die first and its CLOSE must still be
 * answered.
 */
static int
next_frame(struct session *s, struct proto_header *hdr)
{
	for (;;) {
		int lost = s->serving && rpmemd_inband_status(s->ib) != 0;
		struct pollfd p = { .fd = s->in, .events = POLLIN };
		int n = poll(&p, 1, lost ? SESSION_CLOSE_GRACE_MS : SESSION_SLICE_MS);
		if (n < 0 && errno != EINTR)
			return err_set_sys(-errno, errno, "poll on the out-of-band channel");
		if (n > 0)
			return proto_recv_frame(s->in, s->frame, sizeof(s->frame), hdr,
				RPMEMD_FRAME_TIMEOUT_MS);
		if (n == 0 && lost)
			return err_set(-ECONNRESET, "the client's lanes are gone and no "
				"CLOSE followed within %d ms", SESSION_CLOSE_GRACE_MS);
	}
}

static int
send_frame(struct session *s, int len)
{
	if (len < 0)
		return len;
	return proto_send_frame(s->out, s->frame, (size_t)len, RPMEMD_FRAME_TIMEOUT_MS);
}

static int
send_status(struct session *s, int type, int err)
{
	struct proto_status_resp r = { .status = proto_errno_status(err) };
	if (err)
		snprintf(r.reason, sizeof(r.reason), "%s", err_last());
	return send_frame(s, type == PROTO_SET_ATTR_RESP ?
		proto_encode_set_attr_resp(s->frame, &r) :
		proto_encode_close_resp(s->frame, &r));
}

static int
provider_of(uint8_t p, enum fabric_provider *prov)
{
	switch (p) {
	case PROTO_PROVIDER_VERBS: *prov = FABRIC_PROV_VERBS; return 0;
	case PROTO_PROVIDER_SOCKETS: *prov = FABRIC_PROV_SOCKETS; return 0;
	case PROTO_PROVIDER_TCP: *prov = FABRIC_PROV_TCP; return 0;
	}
	return err_set(-EINVAL, "unknown provider %u", p);
}

/* answers CREATE_RESP/OPEN_RESP with a failure; the session goes on */
static int
refuse(struct session *s, int create, int err)
{
	struct proto_open_resp r = { .status = proto_errno_status(err) };
	if (err == -ENODATA)
		r.status = PROTO_STATUS_PROVNOSUP;
	snprintf(r.reason, sizeof(r.reason), "%s", err_last());
	log_msg(LOG_ERROR, "%s refused (%s): %s", create ? "create" : "open",
		proto_status_name(r.status), r.reason);
	return send_frame(s, create ? proto_encode_create_resp(s->frame, &r) :
		proto_encode_open_resp(s->frame, &r));
}

/* the method this session uses, and why, for the operator */
static void
log_policy(enum proto_persist_method m, enum fabric_provider prov, const char *why)
{
	if (m == PROTO_PERSIST_APM)
		log_msg(LOG_INFO, "persistency policy: appliance (APM): --persist-apm asked, "
			"the %s provider writes into persistent memory directly; the client "
			"makes its writes durable by an RDMA read after them",
			fabric_provider_name(prov));
	else
		log_msg(LOG_INFO, "persistency policy: general purpose (GPSPM), since %s: "
			"rpmemd persists every range before it answers", why);
}

/* listens for the lanes; fills the success part of the response */
static int
start_inband(struct session *s, const struct proto_create_req *req,
	struct proto_open_resp *r)
{
	enum fabric_provider prov = FABRIC_PROV_TCP;
	int ret = provider_of(req->provider, &prov);
	if (ret)
		return ret;
	char node[PROTO_ADDRESS_MAX + 1];
	ret = rpmemd_listen_addr(node, sizeof(node));
	if (ret)
		return ret;
	if (getrandom(r->secret, sizeof(r->secret), 0) != (ssize_t)sizeof(r->secret))
		return err_set_sys(-EIO, errno, "getrandom for the connection secret");

	struct rpmemd_inband_attr attr = {
		.provider = prov,
		.node = node,
		.pool_addr = s->pool->addr,
		.pool_size = s->pool->pool_size,
		.hdr_size = s->pool->hdr_size,
		.nlanes = req->nlanes,
		.secret = r->secret,
		.ops = { op_persist, op_deep_persist, op_memcpy_persist, s->pool },
	};
	struct rpmemd_inband_info info;
	ret = rpmemd_inband_listen(&attr, &s->ib, &info);
	if (ret)
		return ret;
	const char *why;
	enum proto_persist_method m = rpmemd_persist_method(s->cfg->persist_apm, prov,
		rpmemd_pool_is_pmem(s->pool), &why);
	log_policy(m, prov, why);
	r->persist_method = (uint8_t)m;
	r->nlanes = info.nlanes;
	snprintf(r->address, sizeof(r->address), "%s", info.address);
	r->port = info.port;
	r->raddr = info.raddr;
	r->rkey = info.rkey;
	r->pool_size = s->pool->size;
	log_msg(LOG_INFO, "listening on %s port %u (%s), %u lane(s) granted",
		info.address, info.port, fabric_provider_name(prov), info.nlanes);
	return 0;
}

static int
create_or_open(struct session *s, const struct proto_create_req *req, int create)
{
	if (s->pool != NULL)
		return err_set(-EPROTO, "a second %s in one session", create ? "CREATE" : "OPEN");
	log_msg(LOG_INFO, "%s pool set '%s', size %llu, %u lane(s), provider %u",
		create ? "create" : "open", req->pool_set,
		(unsigned long long)req->pool_size, req->nlanes, req->provider);

	struct proto_open_resp r = { 0 };
	int has_attr = 0;
	int ret = create ?
		rpmemd_db_pool_create(s->db, req->pool_set, req->pool_size,
			req->has_attr ? &req->attr : NULL, &s->pool) :
		rpmemd_db_pool_open(s->db, req->pool_set, req->pool_size, &s->pool,
			&r.attr, &has_attr);
	if (ret)
		return refuse(s, create, ret);
	r.has_attr = create ? 0 : (uint8_t)has_attr;

	ret = start_inband(s, req, &r);
	if (ret) {
		int sent = refuse(s, create, ret);
		teardown(s);
		return sent;
	}
	ret = send_frame(s, create ? proto_encode_create_resp(s->frame, &r) :
		proto_encode_open_resp(s->frame, &r));
	if (ret)
		return ret;
	ret = rpmemd_inband_accept(s->ib, RPMEMD_ACCEPT_TIMEOUT_MS, s->in);
	if (ret == -ECANCELED) {
		/* a CLOSE (the client gave up on its lanes) or EOF comes next */
		log_msg(LOG_WARN, "%s", err_last());
		rpmemd_inband_close(s->ib);
		s->ib = NULL;
		return 0;
	}
	if (ret)
		return ret;
	s->serving = 1;
	log_msg(LOG_INFO, "serving pool set '%s'", req->pool_set);
	return 0;
}

static int
set_attr(struct session *s, const struct proto_set_attr *m)
{
	if (s->pool == NULL)
		return err_set(-EPROTO, "SET_ATTR before CREATE or OPEN");
	int ret = rpmemd_db_pool_set_attr(s->pool, m->has_attr ? &m->attr : NULL);
	if (ret)
		log_msg(LOG_ERROR, "set attributes refused: %s", err_last());
	return send_status(s, PROTO_SET_ATTR_RESP, ret);
}

static int
close_pool(struct session *s, const struct proto_close *m)
{
	if (s->pool == NULL)
		return err_set(-EPROTO, "CLOSE before CREATE or OPEN");
	rpmemd_inband_close(s->ib);
	s->ib = NULL;
	int remove = (m->flags & PROTO_CLOSE_REMOVE) && s->pool->created;
	char name[PROTO_POOL_SET_MAX + 1];
	snprintf(name, sizeof(name), "%s", s->pool->name);
	log_msg(LOG_INFO, "close pool set %s%s", name, remove ? " and remove it" : "");
	int ret = rpmemd_db_pool_close(s->pool, remove);
	s->pool = NULL;
	s->serving = 0;
	if (ret)
		log_msg(LOG_ERROR, "pool set %s closed, but removing it failed: %s", name,
			err_last());
	return send_status(s, PROTO_CLOSE_RESP, ret);
}

int
rpmemd_session_run(const struct rpmemd_config *cfg, struct rpmemd_db *db, int in, int out)
{
	struct session s = { .cfg = cfg, .db = db, .in = in, .out = out };
	int ret;
	for (;;) {
		struct proto_header hdr;
		ret = next_frame(&s, &hdr);
		if (ret)
			break;
		struct proto_msg m;
		ret = proto_decode_msg(&hdr, s.frame + PROTO_HDR_SIZE, &m);
		if (ret)
			break;
		switch (m.type) {
		case PROTO_CREATE:
		case PROTO_OPEN:
			ret = create_or_open(&s, &m.req, m.type == PROTO_CREATE);
			break;
		case PROTO_SET_ATTR:
			ret = set_attr(&s, &m.set_attr);
			break;
		case PROTO_CLOSE:
			ret = close_pool(&s, &m.close);
			if (ret == 0)
				return 0;
			break;
		default:
			ret = err_set(-EPROTO, "a client does not send %s", proto_type_name(m.type));
		}
		if (ret)
			break;
	}
	log_msg(LOG_ERROR, "session ends: %s", err_last());
	teardown(&s);
	return ret;
}
