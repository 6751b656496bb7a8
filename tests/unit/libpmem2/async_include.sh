#!/bin/bash
# async_include.sh -- <libpmem2.h> needs no libminiasync header unless PMEM2_USE_MINIASYNC is defined;
# with it (and the headers) a program builds with -pedantic, in C and C++, and copies through the default
# mover linked with -lpmem2 alone (libpmem2.so does not need libminiasync.so); the EXAMPLE of
# pmem2_memcpy_async(3) builds and prints what it copied
set -u

lib=${BUILD_DIR:-build/release}/lib
cc=${CC:-cc}
if ! command -v "$cc" > /dev/null; then
	echo "SKIP: no C compiler"
	exit 77
fi
if [ ! -e "$lib/libpmem2.so" ]; then
	echo "FAIL: $lib/libpmem2.so does not exist (run from the repository root after make)"
	exit 1
fi
lib=$(cd "$lib" && pwd)

tmp=$(mktemp -d /tmp/async_include.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() {
	echo "FAIL: $*"
	fail=1
}

# a sanitizer build of the library needs the program built the same way
san=()
case "$lib" in
*/sanitize/lib) san=(-fsanitize=address,undefined) ;;
esac

# include trees: libpmem2's headers alone, then with libminiasync's
mkdir -p "$tmp/pmem2only/libpmem2" "$tmp/both/libpmem2" "$tmp/both/libminiasync"
cp include/libpmem2.h "$tmp/pmem2only/"
cp include/libpmem2/*.h "$tmp/pmem2only/libpmem2/"
cp include/libpmem2.h include/libminiasync.h "$tmp/both/"
cp include/libpmem2/*.h "$tmp/both/libpmem2/"
cp include/libminiasync/*.h "$tmp/both/libminiasync/"

cat > "$tmp/sync.c" <<'EOF'
#include <libpmem2.h>
int
main(void)
{
	struct pmem2_config *cfg;
	return pmem2_config_new(&cfg) || pmem2_config_delete(&cfg);
}
EOF

cat > "$tmp/async.c" <<'EOF'
#define PMEM2_USE_MINIASYNC 1
#include <stdio.h>
#include <string.h>
#include <libpmem2.h>

int
main(void)
{
	struct pmem2_source *src;
	struct pmem2_config *cfg;
	struct pmem2_map *map;
	if (pmem2_source_from_anon(&src, 4096) || pmem2_config_new(&cfg) ||
	    pmem2_config_set_required_store_granularity(cfg, PMEM2_GRANULARITY_PAGE) ||
	    pmem2_config_set_vdm(cfg, NULL) || pmem2_map_new(&map, cfg, src))
		return 1;
	char *addr = (char *)pmem2_map_get_address(map);
	struct pmem2_future cpy = pmem2_memcpy_async(map, addr, "async", 6, 0);
	struct pmem2_future mov = pmem2_memmove_async(map, addr + 1, addr, 5, 0);
	struct pmem2_future set = pmem2_memset_async(map, addr, 'A', 1, 0);
	FUTURE_BUSY_POLL(&cpy);
	FUTURE_BUSY_POLL(&mov);
	FUTURE_BUSY_POLL(&set);
	printf("%s %d\n", addr, FUTURE_OUTPUT(&set)->dest == addr);
	pmem2_map_delete(&map);
	pmem2_config_delete(&cfg);
	pmem2_source_delete(&src);
	return 0;
}
EOF

flags=(-std=c11 -Wall -Wextra -Werror -pedantic "${san[@]}")

# 1. without PMEM2_USE_MINIASYNC nothing of libminiasync is needed
"$cc" "${flags[@]}" -I"$tmp/pmem2only" -o "$tmp/sync" "$tmp/sync.c" -L"$lib" -lpmem2 \
	2> "$tmp/cc1" || bad "a program without PMEM2_USE_MINIASYNC does not build without libminiasync's headers: $(cat "$tmp/cc1")"

# 2. the check has teeth: with PMEM2_USE_MINIASYNC the same tree lacks what async.h includes
if "$cc" "${flags[@]}" -I"$tmp/pmem2only" -c -o "$tmp/async.o" "$tmp/async.c" 2> "$tmp/cc2"; then
	bad "async.c built without libminiasync's headers: <libpmem2.h> ignores PMEM2_USE_MINIASYNC"
elif ! grep -q 'libminiasync/vdm.h' "$tmp/cc2"; then
	bad "without libminiasync's headers the error is not about libminiasync/vdm.h: $(head -3 "$tmp/cc2")"
fi

# 3. with them: builds pedantic, links with -lpmem2 alone, runs
if "$cc" "${flags[@]}" -I"$tmp/both" -o "$tmp/async" "$tmp/async.c" -L"$lib" \
		-Wl,-rpath,"$lib" -lpmem2 2> "$tmp/cc3"; then
	out=$("$tmp/async" 2>&1)
	[ "$out" = "Aasync 1" ] || bad "the async program printed '$out', not 'Aasync 1'"
	ldd "$tmp/async" | grep -q libminiasync && bad "the async program needs libminiasync.so"
else
	bad "a program with PMEM2_USE_MINIASYNC does not build: $(cat "$tmp/cc3")"
fi

# 4. C++ compilers see the same declarations
cxx=${CXX:-c++}
if command -v "$cxx" > /dev/null; then
	cp "$tmp/async.c" "$tmp/async.cpp"
	"$cxx" -std=c++11 -Wall -Wextra -Werror "${san[@]}" -I"$tmp/both" -c -o "$tmp/async_cpp.o" \
		"$tmp/async.cpp" 2> "$tmp/cxx" || bad "async.h does not compile as C++: $(head -5 "$tmp/cxx")"
else
	echo "note: no C++ compiler, C++ not checked"
fi

# 5. the man page's EXAMPLE: threads mover and runtime
page=doc/pmem2_memcpy_async.3.md
awk '/^## /{ s = ($0 ~ /^## EXAMPLE/) } s && /^```/ { c = !c; next } s && c' "$page" > "$tmp/example.c"
if "$cc" -std=c11 -Wall -Wextra -Werror "${san[@]}" -Iinclude -o "$tmp/example" "$tmp/example.c" \
		-L"$lib" -Wl,-rpath,"$lib" -lpmem2 -lminiasync -pthread 2> "$tmp/cc5"; then
	truncate -s 4096 "$tmp/example.pool"
	out=$(timeout 60 "$tmp/example" "$tmp/example.pool" 2>&1)
	[ "$out" = "hello, pmem2" ] || bad "$page: the EXAMPLE printed '$out', not 'hello, pmem2'"
	[ "$(head -c 13 "$tmp/example.pool" | tr -d '\0')" = "hello, pmem2" ] ||
		bad "$page: the EXAMPLE did not write the file"
else
	bad "$page: the EXAMPLE does not build: $(cat "$tmp/cc5")"
fi

[ $fail -eq 0 ] && echo "ok: <libpmem2.h> needs libminiasync only with PMEM2_USE_MINIASYNC; C and C++ build; the EXAMPLE runs"
exit $fail
