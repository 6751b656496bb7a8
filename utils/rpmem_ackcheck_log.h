/* rpmem_ackcheck_log.h -- the ack log: the text file that carries the acknowledged records from write to verify */
#ifndef RPMEM_ACKCHECK_LOG_H
#define RPMEM_ACKCHECK_LOG_H 1

#include <stddef.h>
#include <stdint.h>

/*
 * Line 1: "rpmem_ackcheck 1 epoch=<epoch> pool_size=<bytes>", then one line
 * "<offset> <length> <seq>" per acknowledged record, decimal, sorted by offset.
 */
#define ACK_LOG_VERSION 1

struct ack {
	uint64_t off;
	uint64_t seq;
	uint32_t len;
};

struct ack_log {
	uint64_t epoch;
	size_t pool_size;
	struct ack *v;
	size_t n;
};

/* sorts the records by offset and writes the log to path.tmp, then renames it; -1 with a message on stderr */
int ack_log_write(const char *path, struct ack_log *log);

/* reads and checks a log; -1 with a message naming the file and line on stderr */
int ack_log_read(const char *path, struct ack_log *log);

void ack_log_free(struct ack_log *log);

#endif /* RPMEM_ACKCHECK_LOG_H */
