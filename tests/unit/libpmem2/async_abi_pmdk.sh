#!/bin/bash
# async_abi_pmdk.sh -- the asynchronous copies are ABI-compatible with Debian's PMDK 1.12.1: one program,
# built once with PMDK's <libpmem2/async.h> and once with ours, linked against PMDK's libpmem2.so.1, prints
# the same at every granularity (futures returned by value, vdm flags, finaliser, data) whether it runs
# on PMDK or on ours (KEEP_TMP=1 keeps the scratch directory)
set -u

pmdk_lib=/usr/lib/x86_64-linux-gnu/libpmem2.so.1
pmdk_async=/usr/include/libpmem2/async.h
ours=$(cd "${BUILD_DIR:-build/release}/lib" 2> /dev/null && pwd)
cc=${CC:-cc}

if [ ! -e "$pmdk_lib" ] || [ ! -e "$pmdk_async" ]; then
	echo "SKIP: Debian's libpmem2 with async.h (libpmem2-dev 1.12) is not installed"
	exit 77
fi
if ! command -v "$cc" > /dev/null || ! command -v readelf > /dev/null; then
	echo "SKIP: no C compiler or readelf"
	exit 77
fi
if [ -z "$ours" ] || [ ! -e "$ours/libpmem2.so.1" ] || [ ! -e "$ours/libminiasync.so.0" ]; then
	echo "FAIL: ${BUILD_DIR:-build/release}/lib lacks libpmem2.so.1 or libminiasync.so.0"
	exit 1
fi

tmp=$(mktemp -d /tmp/async_abi_pmdk.XXXXXX)
trap '[ -n "${KEEP_TMP:-}" ] || rm -rf "$tmp"' EXIT
fail=0
bad() {
	echo "FAIL: $*"
	fail=1
}

cat > "$tmp/prog.c" <<'PROG'
/* prog.c -- pmem2 futures with the default and the sync mover; prints what does not depend on addresses */
#define _GNU_SOURCE
#define PMEM2_USE_MINIASYNC 1
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libpmem2.h>
#include <libminiasync.h>

#define SIZE (1 << 20)

static unsigned char Src[SIZE], Want[SIZE];

/* the future's shape before it runs, then its result; rt NULL: busy poll */
static void
run(const char *what, struct pmem2_future f, char *base, size_t dst, struct runtime *rt)
{
	printf("%s: state %d vdm flags %llu last %d", what, (int)FUTURE_STATE(&f),
		(unsigned long long)f.data.op.fut.data.operation.data.memcpy.flags,
		FUTURE_CHAIN_ENTRY_IS_LAST(&f.data.op) ? 1 : 0);
	if (!FUTURE_CHAIN_ENTRY_IS_LAST(&f.data.op))
		printf(" persist %zu at +%td", f.data.fin.fut.persist.data.size,
			(char *)f.data.fin.fut.persist.data.ptr - base);
	if (rt != NULL)
		runtime_wait(rt, FUTURE_AS_RUNNABLE(&f));
	else
		FUTURE_BUSY_POLL(&f);
	printf(" -> state %d result %d dest +%td\n", (int)FUTURE_STATE(&f),
		(int)f.data.op.fut.output.result, (char *)FUTURE_OUTPUT(&f)->dest - base);
	(void)dst;
}

static int
with_mover(int fd, struct vdm *vdm, const char *name, struct runtime *rt)
{
	struct pmem2_source *src;
	struct pmem2_config *cfg;
	struct pmem2_map *map;
	if (pmem2_source_from_fd(&src, fd) || pmem2_config_new(&cfg) ||
	    pmem2_config_set_required_store_granularity(cfg, PMEM2_GRANULARITY_PAGE) ||
	    pmem2_config_set_vdm(cfg, vdm) || pmem2_map_new(&map, cfg, src))
		return 1;
	char *b = pmem2_map_get_address(map);
	printf("%s mover, granularity %d, %s\n", name, (int)pmem2_map_get_store_granularity(map),
		rt ? "runtime_wait" : "FUTURE_BUSY_POLL");
	memcpy(Want, b, SIZE);

	run("memcpy 4096", pmem2_memcpy_async(map, b + 4096, Src, 4096, 0), b, 4096, rt);
	memcpy(Want + 4096, Src, 4096);
	run("memcpy 300000", pmem2_memcpy_async(map, b + 100001, Src + 7, 300000, 0), b, 100001, rt);
	memcpy(Want + 100001, Src + 7, 300000);
	run("memmove down", pmem2_memmove_async(map, b + 500000, b + 500255, 10000, 0), b, 500000, rt);
	memmove(Want + 500000, Want + 500255, 10000);
	run("memmove up", pmem2_memmove_async(map, b + 600255, b + 600000, 10000, 0), b, 600255, rt);
	memmove(Want + 600255, Want + 600000, 10000);
	run("memset 77", pmem2_memset_async(map, b + 700003, 0x5c, 77, 0), b, 700003, rt);
	memset(Want + 700003, 0x5c, 77);
	printf("map %s\n", memcmp(b, Want, SIZE) == 0 ? "as expected" : "WRONG");

	pmem2_map_delete(&map);
	pmem2_config_delete(&cfg);
	pmem2_source_delete(&src);
	unsigned char *file = malloc(SIZE);
	printf("file %s\n", file && pread(fd, file, SIZE, 0) == SIZE &&
		memcmp(file, Want, SIZE) == 0 ? "as expected" : "WRONG");
	free(file);
	return 0;
}

int
main(int argc, char *argv[])
{
	(void)argc;
	setvbuf(stdout, NULL, _IONBF, 0);
	Dl_info info;
	if (dladdr((void *)pmem2_memcpy_async, &info) && info.dli_fname)
		fprintf(stderr, "library %s\n", info.dli_fname);
	printf("sizeof(struct pmem2_future) = %zu\n", sizeof(struct pmem2_future));
	for (size_t i = 0; i < SIZE; i++)
		Src[i] = (unsigned char)(i * 131 + 7);

	int fd = open(argv[1], O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, SIZE) != 0)
		return 2;
	struct runtime *rt = runtime_new();
	struct data_mover_sync *dms = data_mover_sync_new();
	if (rt == NULL || dms == NULL)
		return 2;
	if (with_mover(fd, NULL, "default", NULL) ||
	    with_mover(fd, NULL, "default", rt) ||
	    with_mover(fd, data_mover_sync_get_vdm(dms), "sync", NULL) ||
	    with_mover(fd, data_mover_sync_get_vdm(dms), "sync", rt)) {
		pmem2_perror("map");
		return 3;
	}
	data_mover_sync_delete(dms);
	runtime_delete(rt);
	close(fd);
	return 0;
}
PROG

# PMDK's header (from /usr/include) with our libminiasync headers, which Debian does not package
mkdir -p "$tmp/miniasync_only/libminiasync" "$tmp/ours_inc/libpmem2" "$tmp/ours_inc/libminiasync" "$tmp/masync"
cp include/libminiasync.h "$tmp/miniasync_only/"
cp include/libminiasync/*.h "$tmp/miniasync_only/libminiasync/"
cp include/libpmem2.h include/libminiasync.h "$tmp/ours_inc/"
cp include/libpmem2/*.h "$tmp/ours_inc/libpmem2/"
cp include/libminiasync/*.h "$tmp/ours_inc/libminiasync/"
ln -s "$ours/libminiasync.so.0" "$tmp/masync/libminiasync.so.0"

build() {
	"$cc" -std=c11 -Wall -Wextra -Werror -I"$2" -o "$tmp/$1" "$tmp/prog.c" "$pmdk_lib" \
		"$ours/libminiasync.so.0" 2> "$tmp/cc.err" || { cat "$tmp/cc.err"; bad "cannot build $1"; exit 1; }
	readelf --dyn-syms -W "$tmp/$1" | grep -q ' pmem2_memcpy_async@LIBPMEM2_1.0' ||
		bad "$1 does not ask for pmem2_memcpy_async@LIBPMEM2_1.0"
}
build prog_pmdk_hdr "$tmp/miniasync_only"
build prog_our_hdr "$tmp/ours_inc"

# a sanitizer build of ours needs its runtimes loaded first
preload=$(ldd "$ours/libpmem2.so.1" "$ours/libminiasync.so.0" |
	awk '$1 ~ /^lib(asan|ubsan)\.so/ { print $3 }' | sort -u | tr '\n' ' ')

# run PROG LIBDIR NAME GRANULARITY
run() {
	rm -f "$tmp/pool"
	LD_PRELOAD=$preload LD_LIBRARY_PATH=$2 PMEM2_FORCE_GRANULARITY=$4 \
		timeout 60 "$tmp/$1" "/dev/shm/async_abi_pmdk.$$" > "$tmp/$3.out" 2> "$tmp/$3.err"
	local rc=$?
	rm -f "/dev/shm/async_abi_pmdk.$$"
	return $rc
}

for g in byte cache_line page; do
	run prog_pmdk_hdr "$tmp/masync" pmdk_$g $g || bad "PMDK's header on PMDK, $g: $(tail -3 "$tmp/pmdk_$g.err")"
	grep -q "^library .*/x86_64-linux-gnu/libpmem2.so.1$" "$tmp/pmdk_$g.err" ||
		bad "the PMDK run did not load Debian's library: $(head -1 "$tmp/pmdk_$g.err")"
	grep -q WRONG "$tmp/pmdk_$g.out" && bad "PMDK itself got the data wrong at $g"
	for p in prog_pmdk_hdr prog_our_hdr; do
		for l in pmdk ours; do
			[ "$p/$l" = prog_pmdk_hdr/pmdk ] && continue
			dir=$tmp/masync
			[ $l = ours ] && dir=$ours
			run $p "$dir" ${p}_${l}_$g $g || bad "$p on $l, $g: $(tail -3 "$tmp/${p}_${l}_$g.err")"
			[ $l = ours ] && { grep -qxF "library $ours/libpmem2.so.1" "$tmp/${p}_${l}_$g.err" ||
				bad "$p did not run on ours: $(head -1 "$tmp/${p}_${l}_$g.err")"; }
			diff -u "$tmp/pmdk_$g.out" "$tmp/${p}_${l}_$g.out" > "$tmp/diff" ||
				{ bad "$p on $l at $g prints something else than PMDK's header on PMDK:"; cat "$tmp/diff"; }
		done
	done
done

# the granularities and movers really differ: durable flag at CACHE_LINE with the default mover only
grep -q "^memcpy 4096: state 0 vdm flags 1 last 1" "$tmp/pmdk_cache_line.out" ||
	bad "PMDK's default mover at CACHE_LINE did not ask for DURABLE without a finaliser"
grep -q "^memcpy 4096: state 0 vdm flags 0 last 0 persist 4096 at +4096" "$tmp/pmdk_page.out" ||
	bad "PMDK at PAGE did not add a persist of the range"

if [ $fail -eq 0 ]; then
	echo "ok: $(wc -l < "$tmp/pmdk_page.out") lines per granularity alike for both headers on PMDK and on ours"
fi
exit $fail
