#!/bin/bash
# abi_pmdk.sh -- programs built against Debian's PMDK libpmem2 (name@LIBPMEM2_1.0) and against a
# LIBPMEM2_2.0 stub run unchanged on our libpmem2.so.1 and print what they print on PMDK
# (KEEP_TMP=1 keeps the scratch directory for a look afterwards)
set -u

pmdk_lib=/usr/lib/x86_64-linux-gnu/libpmem2.so.1
pmdk_header=/usr/include/libpmem2.h
ours=$(cd "${BUILD_DIR:-build/release}/lib" 2> /dev/null && pwd)
cc=${CC:-cc}

if [ ! -e "$pmdk_lib" ] || [ ! -e "$pmdk_header" ]; then
	echo "SKIP: Debian's libpmem2 (libpmem2-dev) is not installed"
	exit 77
fi
if ! command -v "$cc" > /dev/null || ! command -v readelf > /dev/null; then
	echo "SKIP: no C compiler or readelf"
	exit 77
fi
if [ -z "$ours" ] || [ ! -e "$ours/libpmem2.so.1" ]; then
	echo "FAIL: ${BUILD_DIR:-build/release}/lib/libpmem2.so.1 does not exist"
	exit 1
fi

tmp=$(mktemp -d /tmp/abi_pmdk.XXXXXX)
trap '[ -n "${KEEP_TMP:-}" ] || rm -rf "$tmp"' EXIT
fail=0
bad() {
	echo "FAIL: $*"
	fail=1
}

cat > "$tmp/prog.c" <<'PROG'
/* prog.c -- uses most of libpmem2 and prints results that do not depend on addresses */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libpmem2.h>

#define MIB (1UL << 20)
#define SHOW(expr) printf("%s = %lld\n", #expr, (long long)(expr))

int
main(int argc, char *argv[])
{
	(void)argc;
	setvbuf(stdout, NULL, _IONBF, 0);
	Dl_info info;
	if (dladdr((void *)pmem2_map_new, &info) && info.dli_fname)
		fprintf(stderr, "library %s\n", info.dli_fname);

	int fd = open(argv[1], O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, 4 * MIB) != 0)
		return 2;
	struct pmem2_source *src;
	SHOW(pmem2_source_from_fd(&src, fd));
	size_t size = 0, align = 0;
	SHOW(pmem2_source_size(src, &size));
	SHOW(size);
	SHOW(pmem2_source_alignment(src, &align));
	SHOW(align == (size_t)sysconf(_SC_PAGESIZE));
	int fd2 = -1;
	SHOW(pmem2_source_get_fd(src, &fd2));
	SHOW(fd2 == fd);
	struct pmem2_source *bad_src;
	SHOW(pmem2_source_from_fd(&bad_src, -1));
	SHOW(bad_src == NULL);

	struct pmem2_config *cfg;
	SHOW(pmem2_config_new(&cfg));
	struct pmem2_map *map;
	SHOW(pmem2_map_new(&map, cfg, src));
	SHOW(map == NULL);
	SHOW(strlen(pmem2_errormsg()) > 0);
	SHOW(pmem2_config_set_required_store_granularity(cfg, 7));
	SHOW(pmem2_config_set_required_store_granularity(cfg, PMEM2_GRANULARITY_BYTE));
	SHOW(pmem2_map_new(&map, cfg, src));
	SHOW(pmem2_config_set_required_store_granularity(cfg, PMEM2_GRANULARITY_PAGE));
	SHOW(pmem2_config_set_offset(cfg, (size_t)INT64_MAX + 1));
	SHOW(pmem2_config_set_offset(cfg, 1));
	SHOW(pmem2_map_new(&map, cfg, src));
	SHOW(pmem2_config_set_offset(cfg, MIB));
	SHOW(pmem2_config_set_length(cfg, MIB + 1));
	SHOW(pmem2_map_new(&map, cfg, src));
	SHOW(pmem2_config_set_length(cfg, 4 * MIB));
	SHOW(pmem2_map_new(&map, cfg, src));
	SHOW(pmem2_config_set_length(cfg, 2 * MIB));
	SHOW(pmem2_config_set_sharing(cfg, 5));
	SHOW(pmem2_config_set_sharing(cfg, PMEM2_SHARED));
	SHOW(pmem2_config_set_protection(cfg, 1));
	SHOW(pmem2_config_set_protection(cfg, PMEM2_PROT_READ | PMEM2_PROT_WRITE));
	SHOW(pmem2_map_new(&map, cfg, src));
	SHOW(pmem2_map_get_size(map));
	SHOW(pmem2_map_get_store_granularity(map));
	char *addr = pmem2_map_get_address(map);
	SHOW((uintptr_t)addr % (2 * MIB));

	pmem2_memcpy_fn mcpy = pmem2_get_memcpy_fn(map);
	pmem2_memmove_fn mmove = pmem2_get_memmove_fn(map);
	pmem2_memset_fn mset = pmem2_get_memset_fn(map);
	SHOW(mcpy(addr, "hello, pmem2", 13, 0) == addr);
	SHOW(mmove(addr + 100, addr, 13, PMEM2_F_MEM_NONTEMPORAL) == addr + 100);
	SHOW(mset(addr + 200, 'z', 10, PMEM2_F_MEM_NODRAIN) == addr + 200);
	pmem2_get_drain_fn(map)();
	pmem2_get_flush_fn(map)(addr, 4096);
	pmem2_get_persist_fn(map)(addr, 4096);
	char buf[16] = "";
	SHOW(pread(fd, buf, 13, MIB + 100));
	printf("file says \"%s\"\n", buf);
	SHOW(pmem2_deep_flush(map, addr, 4096));
	SHOW(pmem2_deep_flush(map, addr + 2 * MIB, 4096));

	struct pmem2_map *wrapped;
	SHOW(pmem2_map_from_existing(&wrapped, src, addr, 4096, PMEM2_GRANULARITY_PAGE));
	SHOW(pmem2_map_delete(&map));
	SHOW(map == NULL);
	SHOW(pmem2_map_from_existing(&wrapped, src, addr, 4096, PMEM2_GRANULARITY_PAGE));
	SHOW(pmem2_map_get_size(wrapped));
	SHOW(pmem2_map_delete(&wrapped));

	struct pmem2_vm_reservation *rsv;
	SHOW(pmem2_vm_reservation_new(&rsv, NULL, 8 * MIB + 1));
	SHOW(pmem2_vm_reservation_new(&rsv, NULL, 8 * MIB));
	SHOW(pmem2_vm_reservation_get_size(rsv));
	SHOW((uintptr_t)pmem2_vm_reservation_get_address(rsv) % (2 * MIB));
	SHOW(pmem2_vm_reservation_extend(rsv, 1));
	SHOW(pmem2_config_set_vm_reservation(cfg, rsv, 2 * MIB));
	SHOW(pmem2_config_set_offset(cfg, 0));
	SHOW(pmem2_map_new(&map, cfg, src));
	SHOW((char *)pmem2_map_get_address(map) -
		(char *)pmem2_vm_reservation_get_address(rsv));
	struct pmem2_map *found;
	SHOW(pmem2_vm_reservation_map_find(rsv, 3 * MIB, 4096, &found));
	SHOW(found == map);
	SHOW(pmem2_vm_reservation_map_find(rsv, 0, 4096, &found));
	SHOW(pmem2_vm_reservation_map_find_first(rsv, &found));
	SHOW(pmem2_vm_reservation_map_find_last(rsv, &found));
	SHOW(pmem2_vm_reservation_map_find_next(rsv, map, &found));
	SHOW(pmem2_vm_reservation_map_find_prev(rsv, map, &found));
	SHOW(pmem2_vm_reservation_shrink(rsv, 0, 4 * MIB));
	SHOW(pmem2_vm_reservation_shrink(rsv, 4096, 4096));
	SHOW(pmem2_vm_reservation_shrink(rsv, 6 * MIB, 2 * MIB));
	SHOW(pmem2_vm_reservation_get_size(rsv));
	SHOW(pmem2_vm_reservation_delete(&rsv));
	SHOW(pmem2_map_delete(&map));
	SHOW(pmem2_vm_reservation_delete(&rsv));
	SHOW(rsv == NULL);

	struct pmem2_source *anon;
	SHOW(pmem2_source_from_anon(&anon, 2 * MIB));
	SHOW(pmem2_source_get_fd(anon, &fd2));
	size_t len = 0;
	SHOW(pmem2_source_device_id(anon, NULL, &len));
	uint64_t usc;
	SHOW(pmem2_source_device_usc(anon, &usc));
	int node;
	SHOW(pmem2_source_numa_node(anon, &node));
	struct pmem2_badblock_context *bb;
	SHOW(pmem2_badblock_context_new(&bb, anon));
	SHOW(pmem2_source_pread_mcsafe(anon, buf, 4, 0));
	SHOW(pmem2_config_set_vm_reservation(cfg, NULL, 0));
	SHOW(pmem2_config_set_length(cfg, 0));
	SHOW(pmem2_map_new(&map, cfg, anon));
	SHOW(pmem2_map_get_store_granularity(map));
	SHOW(pmem2_deep_flush(map, pmem2_map_get_address(map), 64));
	SHOW(pmem2_map_delete(&map));
	SHOW(pmem2_source_delete(&anon));

	SHOW(pmem2_source_pwrite_mcsafe(src, "mcsafe", 7, 8192));
	SHOW(pmem2_source_pread_mcsafe(src, buf, 7, 8192));
	printf("mcsafe read \"%s\"\n", buf);
	SHOW(pmem2_source_pread_mcsafe(src, buf, 7, 4 * MIB - 3));
	SHOW(pmem2_config_delete(&cfg));
	SHOW(cfg == NULL);
	SHOW(pmem2_source_delete(&src));
	SHOW(src == NULL);
	SHOW(pmem2_source_from_fd(&bad_src, -1));
	pmem2_perror("abi");
#ifdef USE_ERR_TO_ERRNO
	SHOW(pmem2_err_to_errno(PMEM2_E_NOSUPP));
#endif
	close(fd);
	return 0;
}
PROG

# a few lines that must be there whoever runs it
cat > "$tmp/key_lines" <<'OUT'
pmem2_map_new(&map, cfg, src) = -100008
pmem2_map_get_store_granularity(map) = 2
file says "hello, pmem2"
pmem2_vm_reservation_map_find_next(rsv, map, &found) = -100016
mcsafe read "mcsafe"
pmem2_source_from_fd(&bad_src, -1) = -100004
OUT

# a sanitizer build of ours needs its runtimes loaded first
preload=$(ldd "$ours/libpmem2.so.1" | awk '$1 ~ /^lib(asan|ubsan)\.so/ { print $3 }' | tr '\n' ' ')

# run BINARY LIBDIR NAME: stdout to $tmp/NAME.out, stderr to $tmp/NAME.err
run() {
	rm -f "$tmp/pool"
	if [ -n "$2" ]; then
		LD_PRELOAD=$preload LD_LIBRARY_PATH=$2 "$1" "$tmp/pool" > "$tmp/$3.out" 2> "$tmp/$3.err"
	else
		"$1" "$tmp/pool" > "$tmp/$3.out" 2> "$tmp/$3.err"
	fi
}

# 1. a program built the PMDK 1.12.1 way: Debian's header, Debian's library
"$cc" -std=c11 -Wall -Wextra -Werror -I/usr/include -o "$tmp/prog_v1" "$tmp/prog.c" \
	"$pmdk_lib" 2> "$tmp/cc.err" || { cat "$tmp/cc.err"; bad "cannot build against PMDK"; exit 1; }
readelf --dyn-syms -W "$tmp/prog_v1" | grep -q ' pmem2_map_new@LIBPMEM2_1.0' ||
	bad "prog_v1 does not ask for pmem2_map_new@LIBPMEM2_1.0"

run "$tmp/prog_v1" "" pmdk || bad "prog_v1 failed on PMDK itself: $(tail -3 "$tmp/pmdk.err")"
grep -q "^library .*/x86_64-linux-gnu/libpmem2.so.1$" "$tmp/pmdk.err" ||
	bad "the PMDK run did not load Debian's library: $(head -1 "$tmp/pmdk.err")"

loaded=$(LD_LIBRARY_PATH=$ours ldd "$tmp/prog_v1" | awk '$1 == "libpmem2.so.1" { print $3 }')
[ "$loaded" = "$ours/libpmem2.so.1" ] || bad "ldd resolves libpmem2.so.1 to '$loaded', not $ours"
run "$tmp/prog_v1" "$ours" ours_v1 || bad "prog_v1 failed on ours: $(tail -3 "$tmp/ours_v1.err")"
grep -qxF "library $ours/libpmem2.so.1" "$tmp/ours_v1.err" ||
	bad "prog_v1 did not run on ours: $(head -1 "$tmp/ours_v1.err")"
diff -u "$tmp/pmdk.out" "$tmp/ours_v1.out" > "$tmp/v1.diff" ||
	{ bad "prog_v1 prints something else on ours than on PMDK:"; cat "$tmp/v1.diff"; }
grep -qE '^abi: .+' "$tmp/ours_v1.err" || bad "pmem2_perror printed no 'abi: <message>' line"
while read -r line; do
	grep -qxF "$line" "$tmp/ours_v1.out" || bad "ours did not print: $line"
done < "$tmp/key_lines"

# 2. a program built the PMDK 2.x way: asks for name@LIBPMEM2_2.0 (from a stub library)
mkdir -p "$tmp/stub"
grep -v '^typedef' include/libpmem2/base.h | grep -oE '\bpmem2_[a-z0-9_]+ *\(' | sed 's/ *($//' |
	sort -u | sed 's/.*/void &(void) {}/' > "$tmp/stub/stub.c"
printf 'LIBPMEM2_2.0 {\n\tglobal:\n\t\tpmem2_*;\n\tlocal:\n\t\t*;\n};\n' > "$tmp/stub/stub.map"
"$cc" -shared -fPIC -fno-builtin -o "$tmp/stub/libpmem2.so.1" "$tmp/stub/stub.c" \
	-Wl,-soname,libpmem2.so.1 -Wl,--version-script="$tmp/stub/stub.map" ||
	{ bad "cannot build the LIBPMEM2_2.0 stub"; exit 1; }
"$cc" -std=c11 -Wall -Wextra -Werror -DUSE_ERR_TO_ERRNO -I/usr/include -o "$tmp/prog_v2" \
	"$tmp/prog.c" "$tmp/stub/libpmem2.so.1" 2> "$tmp/cc.err" ||
	{ cat "$tmp/cc.err"; bad "cannot build against the stub"; exit 1; }
readelf --dyn-syms -W "$tmp/prog_v2" | grep -q ' pmem2_map_new@LIBPMEM2_2.0' ||
	bad "prog_v2 does not ask for pmem2_map_new@LIBPMEM2_2.0"
# the check has teeth: PMDK 1.12.1 cannot run it
if run "$tmp/prog_v2" "" pmdk_v2; then
	bad "prog_v2 ran on Debian's libpmem2, so it does not need LIBPMEM2_2.0"
fi
run "$tmp/prog_v2" "$ours" ours_v2 || bad "prog_v2 failed on ours: $(tail -3 "$tmp/ours_v2.err")"
grep -qxF "library $ours/libpmem2.so.1" "$tmp/ours_v2.err" ||
	bad "prog_v2 did not run on ours: $(head -1 "$tmp/ours_v2.err")"
{ cat "$tmp/pmdk.out"; echo "pmem2_err_to_errno(PMEM2_E_NOSUPP) = 95"; } > "$tmp/want_v2"
diff -u "$tmp/want_v2" "$tmp/ours_v2.out" > "$tmp/v2.diff" ||
	{ bad "prog_v2 prints something else on ours than prog_v1 on PMDK:"; cat "$tmp/v2.diff"; }

# 3. every function Debian's library exports, async included (async_abi_pmdk.sh runs those), ours
# exports under LIBPMEM2_1.0
ours_syms=$(readelf --dyn-syms -W "$ours/libpmem2.so.1" | awk '$7 != "UND" { print $8 }')
for f in $(readelf --dyn-syms -W "$pmdk_lib" | awk '$7 != "UND" && $8 ~ /^pmem2_/ { print $8 }'); do
	name=${f%%@*}
	grep -qxF "$name@@LIBPMEM2_1.0" <<< "$ours_syms" || bad "ours does not export $name@@LIBPMEM2_1.0"
done

if [ $fail -eq 0 ]; then
	echo "ok: $(wc -l < "$tmp/pmdk.out") lines alike on PMDK and ours, via LIBPMEM2_1.0 and LIBPMEM2_2.0"
fi
exit $fail
