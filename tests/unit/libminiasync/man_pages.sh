#!/bin/bash
# man_pages.sh -- every exported function of libminiasync has its page (NAME and exact SYNOPSIS
# prototype), every macro and inline function of future.h and vdm.h is described in
# miniasync_future(7) or miniasync_vdm(7), references resolve, libminiasync(7) says how it differs
# from miniasync, its EXAMPLE builds and runs, and the pages convert to roff groff accepts.
set -u
. tests/lib/man_check.sh

# the three headers of the exported functions, one prototype list
: > "$tmp/all_protos"
for h in data_mover_sync:data_mover_sync_ data_mover_threads:data_mover_threads_ runtime:runtime_; do
	man_check_protos "include/libminiasync/${h%%:*}.h" "${h#*:}"
	cat "$tmp/protos" >> "$tmp/all_protos"
done
cp "$tmp/all_protos" "$tmp/protos"
nprotos=$(wc -l < "$tmp/protos")
HEADER="include/libminiasync/{data_mover_sync,data_mover_threads,runtime}.h"
PREFIX='(data_mover_sync_|data_mover_threads_|runtime_)'
[ "$nprotos" -eq 14 ] || fail "found $nprotos prototypes in $HEADER, expected the 14 exported functions"
man_check_pages 'doc/data_mover_*.3.md doc/runtime_*.3.md'
man_check_refs 'data_mover_[a-z_]+|runtime_[a-z_]+|libminiasync|miniasync_[a-z]+' 37

pages="doc/libminiasync.7.md doc/miniasync_future.7.md doc/miniasync_vdm.7.md"
for p in $pages; do
	[ -e "$p" ] || fail "$p is missing"
done

# every public macro and inline function of the inline API, by name, in the two pages about it
sed -nE 's/^#define ([A-Za-z][A-Za-z0-9_]*).*/\1/p; s/^([a-z_]+)\(.*/\1/p' \
	include/libminiasync/future.h include/libminiasync/vdm.h |
	grep -vE '^(LIBMINIASYNC_|VDM_OPERATION_DATA_MAX_SIZE$)' | sort -u > "$tmp/inline_names"
[ "$(wc -l < "$tmp/inline_names")" -ge 40 ] || fail "found only $(wc -l < "$tmp/inline_names") inline names"
cat doc/miniasync_future.7.md doc/miniasync_vdm.7.md > "$tmp/inline_pages" 2> /dev/null
while IFS= read -r n; do
	grep -qw -- "$n" "$tmp/inline_pages" || fail "$n (future.h or vdm.h) is not described in miniasync_future(7) or miniasync_vdm(7)"
done < "$tmp/inline_names"

# the fixed defects and the compatibility notes are written down
L7=doc/libminiasync.7.md
if [ -e "$L7" ]; then
	awk '/^## /{ s = ($0 ~ /^## DIFFERENCES FROM MINIASYNC/) } s' "$L7" > "$tmp/diff"
	for w in vdm_is_supported runtime_wait_multiple has_property VDM_OPERATION_FLUSH memcpy_fn; do
		grep -q "$w" "$tmp/diff" || fail "$L7: DIFFERENCES FROM MINIASYNC does not mention $w"
	done

	# the EXAMPLE is a whole program: it builds against this tree and prints what it copied
	awk '/^## /{ s = ($0 ~ /^## EXAMPLE/) } s && /^```/ { c = !c; next } s && c' "$L7" > "$tmp/example.c"
	lib=$BUILD_DIR/lib
	san=()
	case "$BUILD_DIR" in
	*/sanitize) san=(-fsanitize=address,undefined) ;;
	esac
	if ! [ -e "$lib/libminiasync.so" ]; then
		fail "$lib/libminiasync.so not built (BUILD_DIR=$BUILD_DIR)"
	elif ! "${CC:-cc}" -std=c11 -Wall -Wextra -Werror "${san[@]}" -Iinclude "$tmp/example.c" \
			-o "$tmp/example" -L"$lib" -Wl,-rpath,"$(cd "$lib" && pwd)" -lminiasync -pthread \
			2> "$tmp/cc"; then
		fail "$L7: the EXAMPLE does not build: $(cat "$tmp/cc")"
	else
		out=$(timeout 30 "$tmp/example" 2>&1)
		[ "$out" = hello ] || fail "$L7: the EXAMPLE printed '$out', not 'hello'"
	fi
fi

man_check_roff doc/data_mover_*.3.md doc/runtime_*.3.md $pages
man_check_built_names
if [ -d "$BUILD_DIR/man/man3" ]; then
	for p in libminiasync miniasync_future miniasync_vdm; do
		[ -e "$BUILD_DIR/man/man7/$p.7" ] || fail "$BUILD_DIR/man/man7/$p.7 was not built"
	done
fi

man_check_done "ok: $nprotos functions and $(wc -l < "$tmp/inline_names") inline names documented"
