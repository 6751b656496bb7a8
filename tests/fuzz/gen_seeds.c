/* gen_seeds.c -- writes the binary seed corpora (protocol frames, in-band messages) with the real encoders */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "proto.h"
#include "proto_inband.h"

static int Failed;

static void
write_seed(const char *dir, const char *name, const void *buf, int len)
{
	if (len < 0) {
		fprintf(stderr, "%s: encoding failed: %s\n", name, err_last());
		Failed = 1;
		return;
	}
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (f == NULL || fwrite(buf, 1, (size_t)len, f) != (size_t)len || fclose(f) != 0) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		Failed = 1;
	}
}

static void
fill_attr(struct rpmem_pool_attr *a)
{
	memset(a, 0, sizeof(*a));
	memcpy(a->signature, "PMEMOBJ", 7);
	a->major = 6;
	a->compat_features = 1;
	a->incompat_features = 2;
	a->ro_compat_features = 4;
	for (int i = 0; i < RPMEM_POOL_HDR_UUID_LEN; i++) {
		a->poolset_uuid[i] = (unsigned char)i;
		a->uuid[i] = (unsigned char)(0x10 + i);
		a->next_uuid[i] = (unsigned char)(0x20 + i);
		a->prev_uuid[i] = (unsigned char)(0x30 + i);
	}
	a->user_flags[0] = 0x80;
}

/* one frame of every type, both directions, with and without attributes */
static void
gen_proto(const char *dir)
{
	static uint8_t buf[PROTO_FRAME_MAX];

	struct proto_hello hello = { .status = PROTO_STATUS_SUCCESS };
	write_seed(dir, "hello_ok", buf, proto_encode_hello(buf, &hello));
	hello.status = PROTO_STATUS_POOL_CFG;
	strcpy(hello.reason, "/etc/rpmemd/rpmemd.conf:3: unknown key 'dir'");
	write_seed(dir, "hello_fail", buf, proto_encode_hello(buf, &hello));

	struct proto_create_req req = {
		.pool_size = 8 << 20, .nlanes = 4, .provider = PROTO_PROVIDER_TCP,
	};
	strcpy(req.pool_set, "pool.set");
	write_seed(dir, "open", buf, proto_encode_open(buf, &req));
	req.provider = PROTO_PROVIDER_VERBS;
	write_seed(dir, "create_noattr", buf, proto_encode_create(buf, &req));
	req.has_attr = 1;
	req.provider = PROTO_PROVIDER_SOCKETS;
	strcpy(req.pool_set, "sub/dir/pool.set");
	fill_attr(&req.attr);
	write_seed(dir, "create_attr", buf, proto_encode_create(buf, &req));

	struct proto_open_resp resp = {
		.persist_method = PROTO_PERSIST_GPSPM, .nlanes = 4, .port = 7636,
		.raddr = 0x7f0000001000, .rkey = 0x1234, .pool_size = 8 << 20,
	};
	strcpy(resp.address, "192.168.1.2");
	for (int i = 0; i < PROTO_SECRET_SIZE; i++)
		resp.secret[i] = (uint8_t)(0xa0 + i);
	write_seed(dir, "create_resp", buf, proto_encode_create_resp(buf, &resp));
	resp.persist_method = PROTO_PERSIST_APM;
	resp.has_attr = 1;
	fill_attr(&resp.attr);
	strcpy(resp.address, "fe80::1");
	write_seed(dir, "open_resp_attr", buf, proto_encode_open_resp(buf, &resp));
	struct proto_open_resp fail = { .status = PROTO_STATUS_NOEXIST };
	strcpy(fail.reason, "pool set 'pool.set' does not exist");
	write_seed(dir, "open_resp_fail", buf, proto_encode_open_resp(buf, &fail));

	struct proto_set_attr sa = { .has_attr = 1 };
	fill_attr(&sa.attr);
	write_seed(dir, "set_attr", buf, proto_encode_set_attr(buf, &sa));
	struct proto_set_attr clear = { .has_attr = 0 };
	write_seed(dir, "set_attr_clear", buf, proto_encode_set_attr(buf, &clear));
	struct proto_status_resp st = { .status = PROTO_STATUS_SUCCESS };
	write_seed(dir, "set_attr_resp", buf, proto_encode_set_attr_resp(buf, &st));

	struct proto_close cl = { .flags = PROTO_CLOSE_REMOVE };
	write_seed(dir, "close_remove", buf, proto_encode_close(buf, &cl));
	cl.flags = 0;
	write_seed(dir, "close", buf, proto_encode_close(buf, &cl));
	st.status = PROTO_STATUS_FATAL;
	strcpy(st.reason, "cannot remove part 2");
	write_seed(dir, "close_resp_fail", buf, proto_encode_close_resp(buf, &st));
}

static void
gen_inband(const char *req_dir, const char *resp_dir)
{
	static uint8_t buf[PROTO_INBAND_REQ_MAX];
	static const char data[] = "inline bytes to persist";

	write_seed(req_dir, "persist_inline", buf, proto_inband_encode_req(buf, sizeof(buf),
		PROTO_OP_PERSIST_INLINE, 0, 4096, sizeof(data), data));
	write_seed(req_dir, "persist", buf, proto_inband_encode_req(buf, sizeof(buf),
		PROTO_OP_PERSIST, 7, 8192, 65536, NULL));
	write_seed(req_dir, "deep_persist", buf, proto_inband_encode_req(buf, sizeof(buf),
		PROTO_OP_DEEP_PERSIST, PROTO_INBAND_DEPTH - 1, 0, 1 << 20, NULL));

	write_seed(resp_dir, "ok_persist", buf, proto_inband_encode_resp(buf, sizeof(buf),
		0, PROTO_OP_PERSIST, 7));
	write_seed(resp_dir, "fail_inline", buf, proto_inband_encode_resp(buf, sizeof(buf),
		EIO, PROTO_OP_PERSIST_INLINE, 0));
	write_seed(resp_dir, "fail_undecodable", buf, proto_inband_encode_resp(buf, sizeof(buf),
		EPROTO, 0, 0));
	/* a message of three answers, as rpmemd sends for a batch */
	int len = 0;
	for (uint16_t tag = 3; tag < 6; tag++)
		len += proto_inband_encode_resp(buf + len, sizeof(buf) - (size_t)len, 0,
			PROTO_OP_PERSIST_INLINE, tag);
	write_seed(resp_dir, "three_answers", buf, len);
}

/* gen_seeds CORPUS_DIR: writes into CORPUS_DIR/{proto,inband_req,inband_resp}/, which must exist */
int
main(int argc, char *argv[])
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
		return 2;
	}
	char a[4096], b[4096], c[4096];
	snprintf(a, sizeof(a), "%s/proto", argv[1]);
	snprintf(b, sizeof(b), "%s/inband_req", argv[1]);
	snprintf(c, sizeof(c), "%s/inband_resp", argv[1]);
	gen_proto(a);
	gen_inband(b, c);
	return Failed;
}
