/* oob_relay.h -- an RPMEM_SSH stand-in that relays rpmemd's answers and holds a successful CREATE/OPEN answer until the test lets it go, so strangers can be sent to the lane port while rpmemd waits for the lanes */
#ifndef OOB_RELAY_H
#define OOB_RELAY_H 1

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/*
 * The test program runs itself as the relay: with OOB_RELAY_DIR set, its
 * main calls oob_relay_main(argc, argv) first. librpmem starts it as it
 * would start ssh; it starts OOB_RELAY_SSH (tests/lib/rpmem_ssh_local.sh)
 * with the same arguments, passes the client's bytes to rpmemd untouched
 * (rpmemd's stdin is the relay's) and copies rpmemd's frames back. At the
 * first successful CREATE_RESP or OPEN_RESP it writes what a client learns
 * (port, secret) to OOB_RELAY_DIR/held and waits for OOB_RELAY_DIR/go
 * before it passes the answer on. librpmem closes every descriptor above 2
 * in its ssh child, so the two sides meet through files.
 */
#define OOB_RELAY_DIR "OOB_RELAY_DIR"
#define OOB_RELAY_SSH "OOB_RELAY_SSH"
#define OOB_RELAY_HOLD_MS 30000	/* a hang guard: the test lets go far sooner */

#define OOB_SECRET_SIZE 32

/* what the held answer told the client */
struct oob_held {
	uint16_t port;
	uint8_t secret[OOB_SECRET_SIZE];
};

static inline uint32_t
oob_get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline unsigned
oob_get16(const unsigned char *p)
{
	return (unsigned)(p[0] << 8 | p[1]);
}

/*
 * The port and secret of a successful CREATE_RESP/OPEN_RESP body
 * (doc/rpmem-protocol.md): status, reason, persist_method, nlanes, address,
 * port, raddr, rkey, pool_size, secret. -1 for a failure or a short body.
 */
static inline int
oob_decode_resp(const unsigned char *b, size_t len, struct oob_held *h)
{
	if (len < 6 || oob_get32(b) != 0)
		return -1;
	size_t off = 6 + oob_get16(b + 4);	/* after the reason */
	off += 1 + 4;				/* persist_method, nlanes */
	if (off + 2 > len)
		return -1;
	off += 2 + oob_get16(b + off);		/* the address */
	if (off + 2 + 24 + OOB_SECRET_SIZE > len)
		return -1;
	h->port = (uint16_t)oob_get16(b + off);
	off += 2 + 24;				/* port, raddr, rkey, pool_size */
	memcpy(h->secret, b + off, OOB_SECRET_SIZE);
	return 0;
}

/* all len bytes of buf read from fd, or written to it when out, across EINTR; -1 at EOF or an error */
static inline int
oob_io_full(int fd, unsigned char *buf, size_t len, int out)
{
	size_t done = 0;
	while (done < len) {
		ssize_t n = out ? write(fd, buf + done, len - done) :
			read(fd, buf + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	return 0;
}

static inline int
oob_read_full(int fd, unsigned char *buf, size_t len)
{
	return oob_io_full(fd, buf, len, 0);
}

static inline int
oob_write_full(int fd, unsigned char *buf, size_t len)
{
	return oob_io_full(fd, buf, len, 1);
}

/* publishes h as dir/held (whole or not at all), then waits for dir/go */
static inline void
oob_relay_hold(const char *dir, const struct oob_held *h)
{
	char tmp[PATH_MAX], held[PATH_MAX], go[PATH_MAX];
	snprintf(tmp, sizeof(tmp), "%s/held.tmp", dir);
	snprintf(held, sizeof(held), "%s/held", dir);
	snprintf(go, sizeof(go), "%s/go", dir);
	FILE *f = fopen(tmp, "w");
	if (f == NULL || fwrite(h, sizeof(*h), 1, f) != 1 || fclose(f) != 0 ||
			rename(tmp, held) != 0) {
		fprintf(stderr, "oob_relay: cannot write %s\n", held);
		return;
	}
	struct timespec ts = { 0, 5 * 1000 * 1000 };
	for (int waited = 0; access(go, F_OK) != 0 && waited < OOB_RELAY_HOLD_MS; waited += 5)
		nanosleep(&ts, NULL);
}

/* the relay's whole life; returns its exit status (rpmemd's, through the ssh stand-in) */
static inline int
oob_relay_main(int argc, char *argv[])
{
	const char *dir = getenv(OOB_RELAY_DIR);
	const char *ssh = getenv(OOB_RELAY_SSH);
	if (dir == NULL || ssh == NULL || argc < 2)
		return 255;
	int out[2];
	if (pipe(out) != 0)
		return 255;
	pid_t pid = fork();
	if (pid < 0)
		return 255;
	if (pid == 0) {
		dup2(out[1], 1);
		close(out[0]);
		close(out[1]);
		argv[0] = (char *)ssh;
		execv(ssh, argv);
		_exit(127);
	}
	close(out[1]);
	int held = 0;
	unsigned char frame[12 + 4096];
	for (;;) {
		if (oob_read_full(out[0], frame, 12) != 0)
			break;
		uint32_t len = oob_get32(frame + 8);
		unsigned type = oob_get16(frame + 4);
		if (len > 4096 || oob_read_full(out[0], frame + 12, len) != 0)
			break;	/* rpmemd never sends such a frame */
		struct oob_held h;
		if (!held && (type == 3 || type == 5) &&
				oob_decode_resp(frame + 12, len, &h) == 0) {
			oob_relay_hold(dir, &h);
			held = 1;
		}
		if (oob_write_full(1, frame, 12 + len) != 0)
			break;
	}
	close(out[0]);
	close(1);
	int st;
	if (waitpid(pid, &st, 0) != pid)
		return 255;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

#endif /* OOB_RELAY_H */
