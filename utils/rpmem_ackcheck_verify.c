/* rpmem_ackcheck_verify.c -- the verify command: reopen the pool, read it back and check every record the ack log names */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <sys/mman.h>

#include <librpmem.h>

#include "bytes.h"
#include "rpmem_ackcheck.h"
#include "rpmem_ackcheck_log.h"
#include "rpmem_ackcheck_record.h"

#define READ_CHUNK ((size_t)1 << 20)	/* bytes per rpmem_read */
#define SHOWN_BAD 10			/* records described on stderr; the rest are counted */

/* the pool is one this tool wrote, in the run the log describes */
static int
check_attr(const struct ackcheck_opts *o, const struct rpmem_pool_attr *attr, uint64_t epoch)
{
	char want[RPMEM_POOL_HDR_SIG_LEN] = ACKCHECK_SIGNATURE;
	if (memcmp(attr->signature, want, sizeof(want)) != 0) {
		fprintf(stderr, "rpmem_ackcheck: %s on %s is not an rpmem_ackcheck pool "
			"(signature \"%.8s\", expected \"%s\")\n", o->poolset, o->target,
			attr->signature, ACKCHECK_SIGNATURE);
		return -1;
	}
	struct bytes_rd r = bytes_rd_init(attr->user_flags, sizeof(attr->user_flags));
	uint64_t pool_epoch = bytes_get_le64(&r);
	if (pool_epoch != epoch) {
		fprintf(stderr, "rpmem_ackcheck: %s on %s was written by epoch %" PRIu64
			", the ack log %s is of epoch %" PRIu64 " (a log of another run?)\n",
			o->poolset, o->target, pool_epoch, o->ack_log, epoch);
		return -1;
	}
	return 0;
}

/* [ACKCHECK_POOL_HDR, end) of the remote pool into the local one, on lane 0 */
static int
read_back(RPMEMpool *rpp, uint8_t *pool, size_t end)
{
	for (size_t off = ACKCHECK_POOL_HDR; off < end; off += READ_CHUNK) {
		size_t len = end - off < READ_CHUNK ? end - off : READ_CHUNK;
		if (rpmem_read(rpp, pool + off, off, len, 0)) {
			fprintf(stderr, "rpmem_ackcheck: rpmem_read of %zu bytes at offset %zu: %s\n",
				len, off, rpmem_errormsg());
			return -1;
		}
	}
	return 0;
}

/* checks every record of the log in the local copy; the number of bad ones */
static uint64_t
check_records(const struct ack_log *log, const uint8_t *pool)
{
	uint64_t bad = 0;
	for (size_t i = 0; i < log->n; i++) {
		const struct ack *a = &log->v[i];
		char why[256];
		if (rec_check(pool + a->off, log->epoch, a->seq, a->len, why, sizeof(why)) == 0)
			continue;
		if (bad++ < SHOWN_BAD)
			fprintf(stderr, "record seq 0x%" PRIx64 " at offset %" PRIu64
				" (len %" PRIu32 "): %s\n", a->seq, a->off, a->len, why);
	}
	if (bad > SHOWN_BAD)
		fprintf(stderr, "... and %" PRIu64 " more bad records\n", bad - SHOWN_BAD);
	return bad;
}

/* the pool is open: read, check, report; the exit status before close */
static int
verify_open(const struct ackcheck_opts *o, RPMEMpool *rpp, uint8_t *pool,
	const struct ack_log *log)
{
	size_t end = ACKCHECK_POOL_HDR;
	for (size_t i = 0; i < log->n; i++)
		if (log->v[i].off + log->v[i].len > end)
			end = (size_t)(log->v[i].off + log->v[i].len);
	uint64_t start = ackcheck_now_ns();
	if (read_back(rpp, pool, end))
		return ACKCHECK_SETUP;
	double ms = (double)(ackcheck_now_ns() - start) / 1e6;
	uint64_t bad = check_records(log, pool);
	printf("verified=%" PRIu64 " lost=%" PRIu64 "\n", (uint64_t)log->n - bad, bad);
	fflush(stdout);
	if (!o->quiet)
		fprintf(stderr, "rpmem_ackcheck: read %zu bytes back in %.0f ms, checked %zu records\n",
			end - ACKCHECK_POOL_HDR, ms, log->n);
	return bad ? ACKCHECK_LOST : ACKCHECK_OK;
}

int
ackcheck_verify(const struct ackcheck_opts *o)
{
	struct ack_log log;
	if (ack_log_read(o->ack_log, &log))
		return ACKCHECK_SETUP;
	int ret = ACKCHECK_SETUP;
	uint8_t *pool = mmap(NULL, log.pool_size, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (pool == MAP_FAILED) {
		fprintf(stderr, "rpmem_ackcheck: cannot map %zu bytes: %s\n", log.pool_size,
			strerror(errno));
		goto out;
	}
	unsigned nlanes = 1;
	struct rpmem_pool_attr attr;
	RPMEMpool *rpp = rpmem_open(o->target, o->poolset, pool, log.pool_size, &nlanes, &attr);
	if (rpp == NULL) {
		fprintf(stderr, "rpmem_ackcheck: rpmem_open of %s on %s (%zu bytes): %s\n",
			o->poolset, o->target, log.pool_size, rpmem_errormsg());
		goto unmap;
	}
	if (check_attr(o, &attr, log.epoch) == 0)
		ret = verify_open(o, rpp, pool, &log);
	if (rpmem_close(rpp)) {
		fprintf(stderr, "rpmem_ackcheck: rpmem_close: %s\n", rpmem_errormsg());
		if (ret == ACKCHECK_OK)
			ret = ACKCHECK_SETUP;
	}
unmap:
	munmap(pool, log.pool_size);
out:
	ack_log_free(&log);
	return ret;
}
