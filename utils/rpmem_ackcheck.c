/* rpmem_ackcheck.c -- "nothing acknowledged is lost": the command line of the checker (write, verify), its options and their checks */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/types.h>
#include <unistd.h>

#include <librpmem.h>

#include "rpmem_ackcheck.h"

const char *const ackcheck_mode_names[MODE_MIXED + 1] = {
	[MODE_PERSIST] = "persist",
	[MODE_RELAXED] = "relaxed",
	[MODE_DEEP] = "deep",
	[MODE_FLUSH] = "flush",
	[MODE_FLUSH_RELAXED] = "flush-relaxed",
	[MODE_MIXED] = "mixed",
};

static const char Usage[] =
	"usage: rpmem_ackcheck write  [OPTIONS] TARGET POOLSET\n"
	"       rpmem_ackcheck verify [OPTIONS] TARGET POOLSET\n"
	"write: writes numbered, checksummed records into a new remote pool through librpmem\n"
	"and logs every acknowledged one; verify: reopens the pool and checks them all.\n"
	"  -a, --ack-log FILE     the log of acknowledged records (required)\n"
	"  -s, --pool-size SIZE   write: the pool size, K/M/G suffixes (default 64M)\n"
	"  -t, --threads N        write: threads and lanes asked for, 1..64 (default 4)\n"
	"  -m, --mode MODE        write: persist, relaxed, deep, flush, flush-relaxed or\n"
	"                         mixed (default mixed)\n"
	"  -d, --duration-ms MS   write: stop after MS ms (default 0: when the pool is full\n"
	"                         or a call failed)\n"
	"  -e, --epoch N          write: the run's number in every record (default from the\n"
	"                         time and the process id)\n"
	"  -q, --quiet            no informational lines on stderr\n"
	"  -h, --help             this text\n"
	"exit status: 0 ok, 1 usage or setup error, 2 (verify) a record lost or corrupt,\n"
	"3 (write) a replication call failed, 4 (write) a descriptor leaked\n";

static const struct option Long_opts[] = {
	{ "ack-log", required_argument, NULL, 'a' },
	{ "pool-size", required_argument, NULL, 's' },
	{ "threads", required_argument, NULL, 't' },
	{ "mode", required_argument, NULL, 'm' },
	{ "duration-ms", required_argument, NULL, 'd' },
	{ "epoch", required_argument, NULL, 'e' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* the message on stderr; the exit status of a usage error */
__attribute__((format(printf, 1, 2)))
static int
usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "rpmem_ackcheck: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n(rpmem_ackcheck --help shows the usage)\n");
	va_end(ap);
	return ACKCHECK_SETUP;
}

/* a whole decimal number, or hexadecimal with 0x; -1 when s is anything else */
static int
parse_u64(const char *s, uint64_t *v)
{
	int base = strncmp(s, "0x", 2) == 0 || strncmp(s, "0X", 2) == 0 ? 16 : 10;
	const char *digits = base == 16 ? s + 2 : s;
	char *end;
	/* strtoull would take a sign and leading blanks */
	if (!(base == 16 ? isxdigit : isdigit)((unsigned char)*digits))
		return -1;
	errno = 0;
	unsigned long long x = strtoull(digits, &end, base);
	if (errno || end == digits || *end != '\0')
		return -1;
	*v = x;
	return 0;
}

/* a size with an optional K, M or G suffix */
static int
parse_size(const char *s, size_t *size)
{
	char num[32];
	size_t n = strlen(s);
	int shift = 0;
	if (n > 0 && strchr("KkMmGg", s[n - 1]) != NULL) {
		shift = s[n - 1] == 'K' || s[n - 1] == 'k' ? 10 :
			s[n - 1] == 'M' || s[n - 1] == 'm' ? 20 : 30;
		n--;
	}
	uint64_t v;
	if (n == 0 || n >= sizeof(num))
		return -1;
	memcpy(num, s, n);
	num[n] = '\0';
	if (parse_u64(num, &v) || v > (SIZE_MAX >> shift))
		return -1;
	*size = (size_t)v << shift;
	return 0;
}

static int
parse_mode(const char *s, enum ackcheck_mode *m)
{
	for (int i = 0; i <= MODE_MIXED; i++)
		if (strcmp(s, ackcheck_mode_names[i]) == 0) {
			*m = (enum ackcheck_mode)i;
			return 0;
		}
	return -1;
}

/* one option's value into o; an exit status when it is bad, -1 when fine */
static int
set_option(struct ackcheck_opts *o, int c, const char *arg, const char *name)
{
	uint64_t v;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	switch (c) {
	case 'a':
		if (*arg == '\0')
			return usage_error("%s: an empty file name", name);
		o->ack_log = arg;
		break;
	case 's':
		if (parse_size(arg, &o->pool_size) || o->pool_size < RPMEM_MIN_POOL ||
				o->pool_size % page)
			return usage_error("%s '%s': expected a size of at least 8K (K, M, G "
				"suffixes), a multiple of the page size", name, arg);
		break;
	case 't':
		if (parse_u64(arg, &v) || v < 1 || v > ACKCHECK_MAX_THREADS)
			return usage_error("%s '%s': expected a number of threads from 1 to 64",
				name, arg);
		o->threads = (unsigned)v;
		break;
	case 'm':
		if (parse_mode(arg, &o->mode))
			return usage_error("%s '%s': expected persist, relaxed, deep, flush, "
				"flush-relaxed or mixed", name, arg);
		break;
	case 'd':
		if (parse_u64(arg, &v) || v > 1000ULL * 3600 * 24 * 365)
			return usage_error("%s '%s': expected milliseconds (0: no limit)", name, arg);
		o->duration_ms = v;
		break;
	case 'e':
		if (parse_u64(arg, &o->epoch))
			return usage_error("%s '%s': expected a number (decimal, or hexadecimal "
				"with 0x)", name, arg);
		break;
	}
	return -1;
}

/* the option as the user wrote it, for messages */
static const char *
option_name(int c, int long_index, char *buf, size_t size)
{
	if (long_index >= 0)
		snprintf(buf, size, "--%s", Long_opts[long_index].name);
	else
		snprintf(buf, size, "-%c", c);
	return buf;
}

static uint64_t
default_epoch(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return ((uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec) ^
		(uint64_t)getpid() << 44;
}

/* parses argv (argv[0] being the command) into o; an exit status, or -1 to go on */
static int
parse_args(int argc, char *argv[], int writing, struct ackcheck_opts *o)
{
	int c, long_index = -1;
	int given_epoch = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":a:s:t:m:d:e:qh", Long_opts, &long_index)) != -1) {
		char name[32];
		option_name(c, long_index, name, sizeof(name));
		if (c == 'h') {
			fputs(Usage, stdout);
			return ACKCHECK_OK;
		}
		if (c == '?' || c == ':') {
			const char *what = c == '?' ? "unknown option" : "a value is missing for";
			if (c == '?' && optopt)
				return usage_error("%s -%c", what, optopt);
			return usage_error("%s %s", what, argv[optind - 1]);
		}
		if (!writing && strchr("stmde", c) != NULL)
			return usage_error("verify: %s is an option of write only", name);
		if (c == 'q')
			o->quiet = 1;
		int ret = set_option(o, c, optarg, name);
		if (ret >= 0)
			return ret;
		given_epoch |= c == 'e';
		long_index = -1;
	}
	if (o->ack_log == NULL)
		return usage_error("%s: --ack-log FILE is required", argv[0]);
	if (argc - optind != 2)
		return usage_error("%s: expected TARGET and POOLSET after the options, got %s",
			argv[0], argc - optind < 2 ? "fewer" : "more");
	o->target = argv[optind];
	o->poolset = argv[optind + 1];
	if (!given_epoch)
		o->epoch = default_epoch();
	return -1;
}

int
main(int argc, char *argv[])
{
	if (argc < 2)
		return usage_error("expected a command, write or verify");
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		fputs(Usage, stdout);
		return ACKCHECK_OK;
	}
	int writing = strcmp(argv[1], "write") == 0;
	if (!writing && strcmp(argv[1], "verify") != 0)
		return usage_error("unknown command '%s' (expected write or verify)", argv[1]);

	struct ackcheck_opts o = {
		.pool_size = (size_t)64 << 20,
		.threads = 4,
		.mode = MODE_MIXED,
	};
	int ret = parse_args(argc - 1, argv + 1, writing, &o);
	if (ret >= 0)
		return ret;
	return writing ? ackcheck_write(&o) : ackcheck_verify(&o);
}
