/* fabric_wait.c -- bounded waits on event and completion queues, and noticing a lost connection */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "err.h"
#include "fabric.h"
#include "log.h"
#include "util.h"

/*
 * A completion wait sleeps in fi_cq_sread at most this long before it looks
 * at the event queue for FI_SHUTDOWN: the bound on noticing a lost
 * connection when no posted operation fails with it first.
 */
#define SHUTDOWN_CHECK_MS 100
#define SPIN_DEFAULT_NS 50000

/* fi_tostr is not thread-safe; the few events we wait for by name */
static const char *
event_name(uint32_t event)
{
	switch (event) {
	case FI_CONNREQ: return "FI_CONNREQ";
	case FI_CONNECTED: return "FI_CONNECTED";
	case FI_SHUTDOWN: return "FI_SHUTDOWN";
	case FI_MR_COMPLETE: return "FI_MR_COMPLETE";
	case FI_AV_COMPLETE: return "FI_AV_COMPLETE";
	case FI_JOIN_COMPLETE: return "FI_JOIN_COMPLETE";
	case FI_NOTIFY: return "FI_NOTIFY";
	default: return "unknown event";
	}
}

/* errors that mean the peer or the link is gone, not that one operation was bad */
static int
is_connection_error(int err)
{
	return err == ECONNRESET || err == ECONNABORTED || err == EPIPE ||
		err == ENOTCONN || err == ESHUTDOWN || err == EHOSTUNREACH ||
		err == ENETUNREACH || err == ENETDOWN || err == ETIMEDOUT;
}

/* the sticky error of a lost connection, with the reason recorded first */
static int
lost_error(struct fabric_ep *ep)
{
	return err_set(-ECONNRESET, "fabric: connection to %s lost (%s)", ep->peer,
		ep->lost_reason);
}

/* records the loss once; every later call repeats the same message */
static int
mark_lost(struct fabric_ep *ep, const char *reason)
{
	if (!ep->lost) {
		ep->lost = -ECONNRESET;
		snprintf(ep->lost_reason, sizeof(ep->lost_reason), "%s", reason);
	}
	return lost_error(ep);
}

/* reads the error entry waiting on eq and turns it into an errno and a message */
static int
eq_error(struct fid_eq *eq, const char *peer, uint32_t want)
{
	struct fi_eq_err_entry e;
	memset(&e, 0, sizeof(e));
	ssize_t n = fi_eq_readerr(eq, &e, 0);
	if (n < 0)
		return fabric_err((int)n, "fabric: cannot read the error event of %s",
			peer);

	char buf[128];
	const char *why = e.prov_errno == 0 ? "no provider detail" :
		fi_eq_strerror(eq, e.prov_errno, e.err_data, buf, sizeof(buf));
	if (e.err == ECONNREFUSED)
		return err_set(-ECONNREFUSED, "fabric: connection to %s refused",
			peer);
	if (is_connection_error(e.err))
		return err_set(-ECONNRESET, "fabric: connection to %s lost while "
			"waiting for %s: %s (%s)", peer, event_name(want),
			fi_strerror(e.err), why);
	return fabric_err(-e.err, "fabric: waiting for %s from %s failed (%s)",
		event_name(want), peer, why);
}

int
fabric_eq_wait(struct fid_eq *eq, const char *peer, uint32_t want, void *entry,
	size_t size, int timeout_ms)
{
	if (timeout_ms < 0)
		return err_set(-EINVAL, "fabric: negative timeout %d ms", timeout_ms);

	long long deadline = util_now_ms() + timeout_ms;
	for (;;) {
		long long left = deadline - util_now_ms();
		uint32_t event = 0;
		ssize_t n = fi_eq_sread(eq, &event, entry, size,
			left > 0 ? (int)left : 0, 0);
		if (n >= 0) {
			if (event == want)
				return (int)n;
			if (event == FI_SHUTDOWN)
				return err_set(-ECONNRESET, "fabric: connection to "
					"%s lost (FI_SHUTDOWN) while waiting for %s",
					peer, event_name(want));
			return err_set(-EPROTO, "fabric: %s from %s while waiting "
				"for %s", event_name(event), peer, event_name(want));
		}
		if (n == -FI_EAVAIL)
			return eq_error(eq, peer, want);
		if (n != -FI_EAGAIN && n != -FI_ETIMEDOUT && n != -FI_EINTR)
			return fabric_err((int)n, "fabric: waiting for %s from %s "
				"failed", event_name(want), peer);
		if (util_now_ms() >= deadline)
			return err_set_quiet(-ETIMEDOUT, "fabric: no %s from %s within %d ms",
				event_name(want), peer, timeout_ms);
	}
}

int
fabric_ep_check(struct fabric_ep *ep)
{
	if (ep->lost)
		return lost_error(ep);

	uint32_t event = 0;
	union {
		struct fi_eq_cm_entry cm;
		uint8_t raw[sizeof(struct fi_eq_cm_entry) + FABRIC_CM_DATA_MAX];
	} entry;
	ssize_t n = fi_eq_read(ep->eq, &event, &entry, sizeof(entry), 0);
	if (n == -FI_EAGAIN)
		return 0;
	if (n >= 0) {
		if (event == FI_SHUTDOWN)
			return mark_lost(ep, "FI_SHUTDOWN");
		log_msg(LOG_WARN, "fabric: ignoring %s from %s", event_name(event),
			ep->peer);
		return 0;
	}
	if (n == -FI_EAVAIL) {
		struct fi_eq_err_entry e;
		memset(&e, 0, sizeof(e));
		if (fi_eq_readerr(ep->eq, &e, 0) < 0)
			return mark_lost(ep, "unreadable error event");
		char reason[96];
		snprintf(reason, sizeof(reason), "error event: %s",
			fi_strerror(e.err));
		return mark_lost(ep, reason);
	}
	return fabric_err((int)n, "fabric: cannot read the events of %s", ep->peer);
}

static const char *
op_name(uint64_t flags)
{
	if (flags & FI_RECV)
		return "receive";
	if (flags & FI_SEND)
		return "send";
	if (flags & FI_READ)
		return "RDMA read";
	if (flags & FI_WRITE)
		return "RDMA write";
	return "operation";
}

/* reads the failed completion into entries[0] and explains it */
static int
cq_error(struct fabric_ep *ep, struct fi_cq_msg_entry *entries)
{
	struct fi_cq_err_entry e;
	memset(&e, 0, sizeof(e));
	ssize_t n = fi_cq_readerr(ep->cq, &e, 0);
	if (n < 0)
		return fabric_err((int)n, "fabric: cannot read the failed completion "
			"of %s", ep->peer);
	entries[0].op_context = e.op_context;
	entries[0].flags = e.flags;
	entries[0].len = e.len;

	char buf[128];
	const char *why = e.prov_errno == 0 ? "no provider detail" :
		fi_cq_strerror(ep->cq, e.prov_errno, e.err_data, buf, sizeof(buf));
	char reason[96];
	snprintf(reason, sizeof(reason), "%s failed: %s", op_name(e.flags),
		fi_strerror(e.err));

	/* a flushed operation (FI_ECANCELED) is a loss when the peer left */
	if (is_connection_error(e.err) || fabric_ep_check(ep) == -ECONNRESET)
		return mark_lost(ep, reason);
	return fabric_err(-e.err, "fabric: %s %s %s failed (%s)", op_name(e.flags),
		(e.flags & (FI_RECV | FI_READ)) ? "from" : "to", ep->peer, why);
}

/*
 * After the loss, what completed before it is still handed out (a message
 * received just before the peer shut down), then the loss itself.
 */
static int
drain_lost(struct fabric_ep *ep, struct fi_cq_msg_entry *entries, size_t max)
{
	ssize_t n = fi_cq_read(ep->cq, entries, max);
	if (n > 0)
		return (int)n;
	return lost_error(ep);
}

static long long
now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/*
 * Polls the queue for a moment before sleeping: an answer on a fast link
 * comes within tens of microseconds, and a sleep in fi_cq_sread adds a
 * wakeup (measured on tcp over loopback: a 4 KiB persist took 55 us
 * sleeping, 29 us with this spin). RPMEM_SPIN_US changes the moment
 * (default 50 us; 0: sleep at once). 1 with n set when something (a
 * completion, or FI_EAVAIL) came.
 */
int
fabric_cq_spin(struct fabric_ep *ep, struct fi_cq_msg_entry *entries, size_t max, ssize_t *n)
{
	/* read once; threads that race here compute the same value */
	static _Atomic long spin_ns = -1;
	long ns = atomic_load_explicit(&spin_ns, memory_order_relaxed);
	if (ns < 0) {
		const char *v = getenv("RPMEM_SPIN_US");
		long us = v && *v ? atol(v) : SPIN_DEFAULT_NS / 1000;
		ns = us > 0 && us < 1000000 ? us * 1000 : 0;
		atomic_store_explicit(&spin_ns, ns, memory_order_relaxed);
	}
	/*
	 * The sockets provider's own progress threads do the work while the
	 * caller sleeps; polling would only take their CPU (measured: a 64 B
	 * persist over sockets went from 60 to 264 us). Its name, not
	 * data_progress: tcp reports FI_PROGRESS_AUTO too, and gains.
	 */
	const struct fi_info *info = ep->dom ? ep->dom->info : NULL;
	if (info && info->fabric_attr && info->fabric_attr->prov_name &&
			strcmp(info->fabric_attr->prov_name, "sockets") == 0)
		return 0;
	long long end = now_ns() + ns;
	while (now_ns() < end) {
		*n = fi_cq_read(ep->cq, entries, max);
		if (*n > 0 || *n == -FI_EAVAIL)
			return 1;
	}
	return 0;
}

int
fabric_cq_wait(struct fabric_ep *ep, struct fi_cq_msg_entry *entries, size_t max,
	int timeout_ms)
{
	if (timeout_ms < 0)
		return err_set(-EINVAL, "fabric: negative timeout %d ms", timeout_ms);
	if (max == 0)
		return err_set(-EINVAL, "fabric: no room for completions");
	if (ep->lost)
		return drain_lost(ep, entries, max);

	long long deadline = util_now_ms() + timeout_ms;
	for (;;) {
		ssize_t n = fi_cq_read(ep->cq, entries, max);
		if (n > 0)
			return (int)n;
		if (n == -FI_EAVAIL)
			return cq_error(ep, entries);
		if (n != -FI_EAGAIN)
			return fabric_err((int)n, "fabric: cannot read completions of %s",
				ep->peer);

		int ret = fabric_ep_check(ep);
		if (ret == -ECONNRESET)
			return drain_lost(ep, entries, max);
		if (ret)
			return ret;

		if (timeout_ms > 0 && fabric_cq_spin(ep, entries, max, &n))
			return n > 0 ? (int)n : cq_error(ep, entries);

		long long left = deadline - util_now_ms();
		if (left <= 0)
			return err_set_quiet(-ETIMEDOUT, "fabric: no completion from %s "
				"within %d ms", ep->peer, timeout_ms);
		int slice = left < SHUTDOWN_CHECK_MS ? (int)left : SHUTDOWN_CHECK_MS;
		n = fi_cq_sread(ep->cq, entries, max, NULL, slice);
		if (n > 0)
			return (int)n;
		if (n == -FI_EAVAIL)
			return cq_error(ep, entries);
		if (n != -FI_EAGAIN && n != -FI_ETIMEDOUT && n != -FI_EINTR)
			return fabric_err((int)n, "fabric: waiting for completions of "
				"%s failed", ep->peer);
	}
}
