/* rpmem_ackcheck_log.c -- write the ack log atomically (tmp + rename) and read it back strictly, naming the line of any fault */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <librpmem.h>

#include "rpmem_ackcheck_log.h"
#include "rpmem_ackcheck_record.h"

#define POOL_HDR_SIZE 4096	/* records start after the pool header */
#define MAX_THREADS 64

static int
by_offset(const void *a, const void *b)
{
	const struct ack *x = a, *y = b;
	return x->off < y->off ? -1 : x->off > y->off;
}

static int
by_seq(const void *a, const void *b)
{
	const struct ack *x = a, *y = b;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int
ack_log_write(const char *path, struct ack_log *log)
{
	char tmp[4096];
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp)) {
		fprintf(stderr, "rpmem_ackcheck: --ack-log %s: name too long\n", path);
		return -1;
	}
	qsort(log->v, log->n, sizeof(log->v[0]), by_offset);
	FILE *f = fopen(tmp, "w");
	if (f == NULL) {
		fprintf(stderr, "rpmem_ackcheck: cannot create %s: %s\n", tmp, strerror(errno));
		return -1;
	}
	fprintf(f, "rpmem_ackcheck %d epoch=%" PRIu64 " pool_size=%zu\n", ACK_LOG_VERSION,
		log->epoch, log->pool_size);
	for (size_t i = 0; i < log->n; i++)
		fprintf(f, "%" PRIu64 " %" PRIu32 " %" PRIu64 "\n", log->v[i].off,
			log->v[i].len, log->v[i].seq);
	int err = ferror(f) ? errno : 0;
	if (fclose(f) != 0 && err == 0)
		err = errno;
	if (err == 0 && rename(tmp, path) != 0)
		err = errno;
	if (err) {
		fprintf(stderr, "rpmem_ackcheck: cannot write the ack log %s: %s\n", path,
			strerror(err));
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* a decimal number at *s, which is moved past it; -1 when there is none or it overflows */
static int
parse_dec(const char **s, uint64_t *v)
{
	const char *p = *s;
	uint64_t x = 0;
	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned d = (unsigned)(*p - '0');
		if (x > (UINT64_MAX - d) / 10)
			return -1;
		x = x * 10 + d;
	}
	*s = p;
	*v = x;
	return 0;
}

static int
expect(const char **s, const char *literal)
{
	size_t n = strlen(literal);
	if (strncmp(*s, literal, n) != 0)
		return -1;
	*s += n;
	return 0;
}

struct reader {
	const char *path;
	unsigned long lineno;
	const char *line;
};

/* "rpmem_ackcheck: LOG:LINE: what: \"the line\"", the line shortened and made printable */
static int
bad(const struct reader *r, const char *what)
{
	char shown[61];
	size_t n = 0;
	for (const char *p = r->line; p && *p && *p != '\n' && n < sizeof(shown) - 1; p++)
		shown[n++] = *p >= ' ' && *p < 127 ? *p : '?';
	shown[n] = '\0';
	fprintf(stderr, "rpmem_ackcheck: malformed ack log %s:%lu: %s: \"%s\"\n", r->path,
		r->lineno, what, shown);
	return -1;
}

static int
parse_header(struct reader *r, struct ack_log *log)
{
	const char *p = r->line;
	uint64_t version, size;
	if (expect(&p, "rpmem_ackcheck ") || parse_dec(&p, &version))
		return bad(r, "not an rpmem_ackcheck log (expected \"rpmem_ackcheck 1 epoch=N pool_size=N\")");
	if (version != ACK_LOG_VERSION)
		return bad(r, "unsupported log version (expected 1)");
	if (expect(&p, " epoch=") || parse_dec(&p, &log->epoch) ||
			expect(&p, " pool_size=") || parse_dec(&p, &size) || expect(&p, "\n"))
		return bad(r, "expected \"rpmem_ackcheck 1 epoch=N pool_size=N\"");
	if (size < RPMEM_MIN_POOL || size > SIZE_MAX || size % (uint64_t)sysconf(_SC_PAGESIZE))
		return bad(r, "pool_size is below RPMEM_MIN_POOL or not a multiple of the page size");
	log->pool_size = (size_t)size;
	return 0;
}

static int
valid_length(uint64_t len)
{
	for (int i = 0; i < REC_NLENGTHS; i++)
		if (len == rec_lengths[i])
			return 1;
	return 0;
}

static int
parse_record(struct reader *r, const struct ack_log *log, struct ack *a)
{
	const char *p = r->line;
	uint64_t off, len, seq;
	if (parse_dec(&p, &off) || expect(&p, " ") || parse_dec(&p, &len) ||
			expect(&p, " ") || parse_dec(&p, &seq) || expect(&p, "\n"))
		return bad(r, "expected \"<offset> <length> <seq>\" (decimal numbers)");
	if (!valid_length(len))
		return bad(r, "the length is not one of the record lengths");
	if (off < POOL_HDR_SIZE || off % REC_ALIGN)
		return bad(r, "the offset is inside the pool header or not 8-byte aligned");
	if (off > log->pool_size || len > log->pool_size - off)
		return bad(r, "the record ends beyond pool_size");
	if (seq >> REC_SEQ_THREAD_SHIFT >= MAX_THREADS)
		return bad(r, "the seq names a thread above 63");
	*a = (struct ack){ .off = off, .seq = seq, .len = (uint32_t)len };
	return 0;
}

static int
append(struct ack_log *log, size_t *cap, const struct ack *a)
{
	if (log->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 1024;
		struct ack *v = realloc(log->v, ncap * sizeof(*v));
		if (v == NULL) {
			fprintf(stderr, "rpmem_ackcheck: out of memory reading the ack log\n");
			return -1;
		}
		log->v = v;
		*cap = ncap;
	}
	log->v[log->n++] = *a;
	return 0;
}

/* no two records overlap, no seq appears twice: the writer never logs that */
static int
check_consistent(const char *path, struct ack_log *log)
{
	qsort(log->v, log->n, sizeof(log->v[0]), by_seq);
	for (size_t i = 1; i < log->n; i++)
		if (log->v[i].seq == log->v[i - 1].seq) {
			fprintf(stderr, "rpmem_ackcheck: malformed ack log %s: seq %" PRIu64
				" appears twice\n", path, log->v[i].seq);
			return -1;
		}
	qsort(log->v, log->n, sizeof(log->v[0]), by_offset);
	for (size_t i = 1; i < log->n; i++)
		if (log->v[i - 1].off + log->v[i - 1].len > log->v[i].off) {
			fprintf(stderr, "rpmem_ackcheck: malformed ack log %s: the records at "
				"offsets %" PRIu64 " and %" PRIu64 " overlap\n", path,
				log->v[i - 1].off, log->v[i].off);
			return -1;
		}
	return 0;
}

int
ack_log_read(const char *path, struct ack_log *log)
{
	*log = (struct ack_log){ 0 };
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		fprintf(stderr, "rpmem_ackcheck: cannot open the ack log %s: %s\n", path,
			strerror(errno));
		return -1;
	}
	struct reader r = { .path = path };
	char *line = NULL;
	size_t linecap = 0, cap = 0;
	ssize_t len;
	int ret = 0;
	while (ret == 0 && (len = getline(&line, &linecap, f)) >= 0) {
		r.lineno++;
		r.line = line;
		if (strlen(line) != (size_t)len)
			ret = bad(&r, "a NUL byte in the line");
		else if (line[len - 1] != '\n')
			ret = bad(&r, "the last line is cut short (no newline)");
		else if (r.lineno == 1)
			ret = parse_header(&r, log);
		else {
			struct ack a;
			ret = parse_record(&r, log, &a);
			if (ret == 0)
				ret = append(log, &cap, &a);
		}
	}
	if (ret == 0 && ferror(f)) {
		fprintf(stderr, "rpmem_ackcheck: cannot read the ack log %s: %s\n", path,
			strerror(errno));
		ret = -1;
	}
	if (ret == 0 && r.lineno == 0) {
		fprintf(stderr, "rpmem_ackcheck: malformed ack log %s: the file is empty\n", path);
		ret = -1;
	}
	free(line);
	fclose(f);
	if (ret == 0)
		ret = check_consistent(path, log);
	if (ret)
		ack_log_free(log);
	return ret;
}

void
ack_log_free(struct ack_log *log)
{
	free(log->v);
	log->v = NULL;
	log->n = 0;
}
