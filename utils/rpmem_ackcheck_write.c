/* rpmem_ackcheck_write.c -- the write command: threads place records in a new remote pool and remember each one acknowledged */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/mman.h>

#include <librpmem.h>

#include "bytes.h"
#include "rpmem_ackcheck.h"
#include "rpmem_ackcheck_log.h"
#include "rpmem_ackcheck_record.h"

#define FLUSH_BATCH 4	/* flush modes: up to this many records per drain */

struct shared {
	const struct ackcheck_opts *o;
	RPMEMpool *rpp;
	uint8_t *pool;
	unsigned nlanes;
	uint64_t deadline_ns;	/* 0: none */
	atomic_uint_fast64_t next_off;	/* where the next record goes */
	atomic_int stop;	/* a thread could not be started */
	pthread_mutex_t lane_lock[ACKCHECK_MAX_THREADS];	/* a lane is one thread's at a time */
};

struct worker {
	struct shared *s;
	unsigned index;
	uint64_t counter;	/* records made: the low bits of seq */
	uint64_t units;		/* durable-making steps: a persist, or flushes and a drain */
	uint64_t flush_units;
	struct ack *acks;	/* the acknowledged records */
	size_t nacks, cap;
	int oom;
	/* the failing call, when one failed */
	int failed;
	int err;
	const char *call;
	char msg[512];
	uint64_t fail_ns;
};

static int
is_flush(enum ackcheck_mode m)
{
	return m == MODE_FLUSH || m == MODE_FLUSH_RELAXED;
}

/* room for n more records in w->acks, before the call that acknowledges them */
static int
reserve_acks(struct worker *w, size_t n)
{
	if (w->nacks + n <= w->cap)
		return 0;
	size_t cap = w->cap ? w->cap * 2 : 1024;
	struct ack *v = realloc(w->acks, cap * sizeof(*v));
	if (v == NULL)
		return -1;
	w->acks = v;
	w->cap = cap;
	return 0;
}

/* a place for len bytes from the shared counter; -1 when the pool has no room left */
static int
place(struct shared *s, uint32_t len, uint64_t *off)
{
	uint64_t step = (len + REC_ALIGN - 1) / REC_ALIGN * REC_ALIGN;
	uint_fast64_t cur = atomic_load(&s->next_off);
	do {
		if (cur + len > s->o->pool_size)
			return -1;
	} while (!atomic_compare_exchange_weak(&s->next_off, &cur, cur + step));
	*off = cur;
	return 0;
}

static void
record_failure(struct worker *w, const char *call)
{
	w->failed = 1;
	w->err = errno;
	w->call = call;
	w->fail_ns = ackcheck_now_ns();
	snprintf(w->msg, sizeof(w->msg), "%s", rpmem_errormsg());
}

/* makes the n records at recs durable on the thread's lane in mode m; -1 when a call failed */
static int
make_durable(struct worker *w, enum ackcheck_mode m, const struct ack *recs, size_t n)
{
	struct shared *s = w->s;
	unsigned lane = w->index % s->nlanes;
	const char *call = NULL;
	pthread_mutex_lock(&s->lane_lock[lane]);
	switch (m) {
	case MODE_PERSIST:
	case MODE_RELAXED:
		if (rpmem_persist(s->rpp, recs[0].off, recs[0].len, lane,
				m == MODE_RELAXED ? RPMEM_PERSIST_RELAXED : 0))
			call = "rpmem_persist";
		break;
	case MODE_DEEP:
		if (rpmem_deep_persist(s->rpp, recs[0].off, recs[0].len, lane))
			call = "rpmem_deep_persist";
		break;
	default:
		for (size_t i = 0; i < n && call == NULL; i++)
			if (rpmem_flush(s->rpp, recs[i].off, recs[i].len, lane,
					m == MODE_FLUSH_RELAXED ? RPMEM_FLUSH_RELAXED : 0))
				call = "rpmem_flush";
		if (call == NULL && rpmem_drain(s->rpp, lane, 0))
			call = "rpmem_drain";
		break;
	}
	if (call != NULL)
		record_failure(w, call);
	pthread_mutex_unlock(&s->lane_lock[lane]);
	return call ? -1 : 0;
}

/* one step: up to FLUSH_BATCH records in a flush mode, one otherwise; 1 when the thread is done */
static int
step(struct worker *w)
{
	struct shared *s = w->s;
	enum ackcheck_mode m = s->o->mode == MODE_MIXED ?
		(enum ackcheck_mode)(w->units % ACKCHECK_NSINGLE_MODES) : s->o->mode;
	size_t want = is_flush(m) ? 1 + w->flush_units % FLUSH_BATCH : 1;
	if (reserve_acks(w, want)) {
		w->oom = 1;
		return 1;
	}
	struct ack *recs = &w->acks[w->nacks];
	size_t n = 0;
	int full = 0;
	for (; n < want; n++) {
		uint32_t len = rec_lengths[(w->counter + w->index) % REC_NLENGTHS];
		if (place(s, len, &recs[n].off)) {
			full = 1;
			break;
		}
		recs[n].len = len;
		recs[n].seq = rec_seq(w->index, w->counter++);
		rec_encode(s->pool + recs[n].off, s->o->epoch, recs[n].seq, len);
	}
	if (n > 0 && make_durable(w, m, recs, n))
		return 1;
	w->nacks += n;
	w->units++;
	w->flush_units += is_flush(m);
	return full;
}

static void *
worker_run(void *arg)
{
	struct worker *w = arg;
	struct shared *s = w->s;
	while (!atomic_load(&s->stop) &&
			(s->deadline_ns == 0 || ackcheck_now_ns() < s->deadline_ns))
		if (step(w))
			break;
	return NULL;
}

/* the open descriptors of this process, the one that lists them not counted */
static int
count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	if (d == NULL)
		return -1;
	int n = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1;
}

static RPMEMpool *
create_pool(const struct ackcheck_opts *o, void *pool, unsigned *nlanes)
{
	struct rpmem_pool_attr attr;
	memset(&attr, 0, sizeof(attr));
	memcpy(attr.signature, ACKCHECK_SIGNATURE, sizeof(ACKCHECK_SIGNATURE));
	attr.major = 1;
	/* the epoch in the pool too, so that verify recognizes a log of another run */
	struct bytes_wr w = bytes_wr_init(attr.user_flags, sizeof(attr.user_flags));
	bytes_put_le64(&w, o->epoch);
	*nlanes = o->threads;
	RPMEMpool *rpp = rpmem_create(o->target, o->poolset, pool, o->pool_size, nlanes, &attr);
	if (rpp == NULL)
		fprintf(stderr, "rpmem_ackcheck: rpmem_create of %s on %s (%zu bytes, %u lanes): %s\n",
			o->poolset, o->target, o->pool_size, o->threads, rpmem_errormsg());
	return rpp;
}

/* starts the threads and waits for them; -1 when not all could be started */
static int
run_workers(struct shared *s, struct worker *w)
{
	const struct ackcheck_opts *o = s->o;
	pthread_t tid[ACKCHECK_MAX_THREADS];
	unsigned started = 0;
	if (o->duration_ms)
		s->deadline_ns = ackcheck_now_ns() + o->duration_ms * 1000000u;
	for (; started < o->threads; started++) {
		w[started] = (struct worker){ .s = s, .index = started };
		int err = pthread_create(&tid[started], NULL, worker_run, &w[started]);
		if (err) {
			fprintf(stderr, "rpmem_ackcheck: cannot start thread %u: %s\n", started,
				strerror(err));
			atomic_store(&s->stop, 1);
			break;
		}
	}
	for (unsigned i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	return started == o->threads ? 0 : -1;
}

struct outcome {
	uint64_t acked, bytes;
	unsigned failed;
	int first_err;
	uint64_t first_ns, last_ns;
	int oom;
};

/* one line per failed thread on stderr, and what the summary line needs */
static struct outcome
summarize(const struct worker *w, unsigned n)
{
	struct outcome r = { 0 };
	for (unsigned i = 0; i < n; i++) {
		r.acked += w[i].nacks;
		for (size_t k = 0; k < w[i].nacks; k++)
			r.bytes += w[i].acks[k].len;
		r.oom |= w[i].oom;
		if (!w[i].failed)
			continue;
		char buf[16];
		fprintf(stderr, "thread %u: %s failed: errno %s: %s\n", i, w[i].call,
			ackcheck_errno_name(w[i].err, buf, sizeof(buf)), w[i].msg);
		if (r.failed == 0 || w[i].fail_ns < r.first_ns) {
			r.first_ns = w[i].fail_ns;
			r.first_err = w[i].err;
		}
		if (w[i].fail_ns > r.last_ns)
			r.last_ns = w[i].fail_ns;
		r.failed++;
	}
	return r;
}

/* every thread's acknowledged records, in one log */
static int
write_log(const struct ackcheck_opts *o, const struct worker *w, uint64_t acked)
{
	struct ack_log log = { .epoch = o->epoch, .pool_size = o->pool_size };
	log.v = malloc((acked ? acked : 1) * sizeof(*log.v));
	if (log.v == NULL) {
		fprintf(stderr, "rpmem_ackcheck: out of memory for the ack log\n");
		return -1;
	}
	for (unsigned i = 0; i < o->threads; i++)
		for (size_t k = 0; k < w[i].nacks; k++)
			log.v[log.n++] = w[i].acks[k];
	int ret = ack_log_write(o->ack_log, &log);
	ack_log_free(&log);
	return ret;
}

static void
print_rate(const struct ackcheck_opts *o, const struct outcome *r, uint64_t ns)
{
	if (o->quiet)
		return;
	double s = (double)ns / 1e9;
	fprintf(stderr, "rpmem_ackcheck: %s, %u threads: %" PRIu64 " records (%.1f MiB) "
		"acknowledged in %.0f ms: %.0f records/s, %.1f MiB/s\n",
		ackcheck_mode_names[o->mode], o->threads, r->acked,
		(double)r->bytes / (1 << 20), s * 1e3, (double)r->acked / s,
		(double)r->bytes / (1 << 20) / s);
}

/* the workers ran; closes the pool, writes the log, prints the summary; the exit status */
static int
finish(const struct ackcheck_opts *o, RPMEMpool *rpp, struct worker *w, int fds_before,
	int started_all, uint64_t ns)
{
	struct outcome r = summarize(w, o->threads);
	int close_err = rpmem_close(rpp) ? errno : 0;
	if (close_err)
		fprintf(stderr, "rpmem_ackcheck: rpmem_close: %s\n", rpmem_errormsg());
	int fd_delta = count_fds() - fds_before;
	int log_ok = write_log(o, w, r.acked) == 0;
	if (r.oom)
		fprintf(stderr, "rpmem_ackcheck: out of memory for the acknowledged records\n");

	char b1[16], b2[16];
	printf("acked=%" PRIu64 " bytes=%" PRIu64 " failed_threads=%u first_errno=%s "
		"first_fail_ms=%" PRIu64 " last_fail_ms=%" PRIu64 " close=%s fd_delta=%d\n",
		r.acked, r.bytes, r.failed,
		r.failed ? ackcheck_errno_name(r.first_err, b1, sizeof(b1)) : "0",
		r.first_ns / 1000000u, r.last_ns / 1000000u,
		close_err ? ackcheck_errno_name(close_err, b2, sizeof(b2)) : "0", fd_delta);
	fflush(stdout);
	print_rate(o, &r, ns);

	if (fd_delta != 0)
		return ACKCHECK_FD_LEAK;
	if (!log_ok || !started_all || r.oom)
		return ACKCHECK_SETUP;
	return r.failed || close_err ? ACKCHECK_CALL_FAILED : ACKCHECK_OK;
}

int
ackcheck_write(const struct ackcheck_opts *o)
{
	uint8_t *pool = mmap(NULL, o->pool_size, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (pool == MAP_FAILED) {
		fprintf(stderr, "rpmem_ackcheck: cannot map %zu bytes: %s\n", o->pool_size,
			strerror(errno));
		return ACKCHECK_SETUP;
	}
	struct shared *s = calloc(1, sizeof(*s));
	struct worker *w = calloc(o->threads, sizeof(*w));
	int ret = ACKCHECK_SETUP;
	if (s == NULL || w == NULL) {
		fprintf(stderr, "rpmem_ackcheck: out of memory\n");
		goto out;
	}
	int fds_before = count_fds();
	s->o = o;
	s->pool = pool;
	atomic_init(&s->next_off, ACKCHECK_POOL_HDR);
	atomic_init(&s->stop, 0);
	s->rpp = create_pool(o, pool, &s->nlanes);
	if (s->rpp == NULL)
		goto out;
	for (unsigned i = 0; i < s->nlanes; i++)
		pthread_mutex_init(&s->lane_lock[i], NULL);
	printf("ready nlanes=%u\n", s->nlanes);
	fflush(stdout);
	if (!o->quiet)
		fprintf(stderr, "rpmem_ackcheck: created %s on %s: %zu bytes, %u lanes, %u threads, "
			"mode %s, epoch %" PRIu64 "\n", o->poolset, o->target, o->pool_size,
			s->nlanes, o->threads, ackcheck_mode_names[o->mode], o->epoch);

	uint64_t start = ackcheck_now_ns();
	int started_all = run_workers(s, w) == 0;
	ret = finish(o, s->rpp, w, fds_before, started_all, ackcheck_now_ns() - start);
	for (unsigned i = 0; i < s->nlanes; i++)
		pthread_mutex_destroy(&s->lane_lock[i]);
out:
	if (w != NULL)
		for (unsigned i = 0; i < o->threads; i++)
			free(w[i].acks);
	free(w);
	free(s);
	munmap(pool, o->pool_size);
	return ret;
}
