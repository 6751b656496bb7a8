/* rpmem_ackcheck.h -- what the parts of rpmem_ackcheck share: the options, the exit statuses, the two commands */
#ifndef RPMEM_ACKCHECK_H
#define RPMEM_ACKCHECK_H 1

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* the exit statuses, a contract with the tests that run the tool */
enum {
	ACKCHECK_OK = 0,
	ACKCHECK_SETUP = 1,	/* usage, create/open, the ack log, the local machine */
	ACKCHECK_LOST = 2,	/* verify: an acknowledged record is missing or corrupt */
	ACKCHECK_CALL_FAILED = 3,	/* write: a replication call failed */
	ACKCHECK_FD_LEAK = 4,	/* write: descriptors open after rpmem_close that were not before */
};

/* how a record is made durable; MODE_MIXED takes the others in turn */
enum ackcheck_mode {
	MODE_PERSIST,
	MODE_RELAXED,
	MODE_DEEP,
	MODE_FLUSH,
	MODE_FLUSH_RELAXED,
	MODE_MIXED,
};
#define ACKCHECK_NSINGLE_MODES MODE_MIXED
extern const char *const ackcheck_mode_names[MODE_MIXED + 1];

#define ACKCHECK_MAX_THREADS 64
#define ACKCHECK_POOL_HDR 4096	/* the pool header; records start after it */
#define ACKCHECK_SIGNATURE "ACKCHK"	/* the pool attributes' signature */

struct ackcheck_opts {
	const char *target;
	const char *poolset;
	const char *ack_log;
	size_t pool_size;
	unsigned threads;
	enum ackcheck_mode mode;
	uint64_t duration_ms;	/* 0: until the pool is full or a call fails */
	uint64_t epoch;
	int quiet;
};

/* the commands; each returns the exit status */
int ackcheck_write(const struct ackcheck_opts *o);
int ackcheck_verify(const struct ackcheck_opts *o);

static inline uint64_t
ackcheck_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* "ECONNRESET", or the number when the C library has no name for it */
static inline const char *
ackcheck_errno_name(int err, char *buf, size_t size)
{
	const char *name = strerrorname_np(err);
	if (name != NULL)
		return name;
	snprintf(buf, size, "%d", err);
	return buf;
}

#endif /* RPMEM_ACKCHECK_H */
