#!/bin/sh
# rpmem_man_pages.sh -- every function of include/librpmem.h and include/librpmem/async.h is
# documented (NAME and exact SYNOPSIS prototype), every rpmem_*(3)/librpmem(7)/rpmemd(1) reference
# resolves, every environment variable librpmem reads is in librpmem(7), rpmemd(1) documents every
# option `rpmemd --help` prints, the asynchronous pages' EXAMPLEs compile, and the pages convert to
# roff that groff accepts without warnings. Runs from the repository root.
set -u
. tests/lib/man_check.sh
RPMEMD=$BUILD_DIR/bin/rpmemd
nopts=0

# the asynchronous extension's functions (LIBRPMEM_1.1) have their pages among rpmem_*.3 too
man_check_protos include/librpmem/async.h rpmem_
[ "$nprotos" -eq 6 ] || fail "found $nprotos prototypes in $HEADER, expected the 6 of LIBRPMEM_1.1"
cp "$tmp/protos" "$tmp/async_protos"
man_check_protos include/librpmem.h rpmem_
[ "$nprotos" -eq 12 ] || fail "found $nprotos prototypes in $HEADER, expected the 12 of API 1.3"
cat "$tmp/async_protos" >> "$tmp/protos"
nprotos=$(wc -l < "$tmp/protos")
HEADER="include/librpmem.h or include/librpmem/async.h"
man_check_pages 'doc/rpmem_*.3.md'
man_check_refs 'rpmem_[a-z0-9_]+|librpmem|rpmemd' 137

# every environment variable librpmem reads is described in librpmem(7)'s ENVIRONMENT section
L7=doc/librpmem.7.md
if [ -e "$L7" ]; then
	awk '/^## /{ s = ($0 ~ /^## ENVIRONMENT/) } s' "$L7" > "$tmp/env_section"
	grep -ohE '"RPMEM_[A-Z_]+"' librpmem/*.c common/fabric*.c | tr -d '"' | sort -u > "$tmp/env_vars"
	[ -s "$tmp/env_vars" ] || fail "no RPMEM_* variable found in librpmem/*.c and common/fabric*.c"
	while IFS= read -r v; do
		grep -q "\`$v\`" "$tmp/env_section" || fail "$L7: ENVIRONMENT does not describe $v"
	done < "$tmp/env_vars"
	for v in RPMEM_SSH RPMEM_CMD RPMEM_TIMEOUT_MS; do
		grep -q "\`$v\`" "$tmp/env_section" || fail "$L7: ENVIRONMENT does not describe $v"
	done
else
	fail "$L7 is missing"
fi

# rpmemd(1) documents every option of rpmemd --help in its OPTIONS section
R1=doc/rpmemd.1.md
if [ ! -e "$R1" ]; then
	fail "$R1 is missing"
elif man_check_options "$RPMEMD" "$R1"; then
	[ "$nopts" -ge 13 ] || fail "found only $nopts options in rpmemd --help"
fi

# the EXAMPLEs of the asynchronous pages compile against this tree; the mover's needs libpmem2's
# asynchronous calls (PMEM2_USE_MINIASYNC), compiled once <libpmem2/async.h> exists
example_compiles() {
	awk '/^## /{ s = ($0 ~ /^## EXAMPLE/) } s && /^```/ { c = !c; if (!c) n++; next } s && c && n == 0' \
		"$1" > "$tmp/example.c"
	[ -s "$tmp/example.c" ] || { fail "$1: no EXAMPLE code"; return; }
	"${CC:-cc}" -std=c11 -Wall -Wextra -Werror -Iinclude -c "$tmp/example.c" -o "$tmp/example.o" \
		2> "$tmp/cc" || fail "$1: the EXAMPLE does not compile: $(cat "$tmp/cc")"
}
example_compiles doc/rpmem_persist_async.3.md
if [ -e include/libpmem2/async.h ]; then
	example_compiles doc/rpmem_vdm_new.3.md
else
	echo "note: include/libpmem2/async.h not there yet, rpmem_vdm_new(3)'s EXAMPLE not compiled"
fi

man_check_roff doc/rpmem_*.3.md doc/librpmem.7.md doc/rpmemd.1.md
man_check_built_names
if [ -d "$BUILD_DIR/man/man3" ]; then
	[ -e "$BUILD_DIR/man/man7/librpmem.7" ] || fail "$BUILD_DIR/man/man7/librpmem.7 was not built"
	[ -e "$BUILD_DIR/man/man1/rpmemd.1" ] || fail "$BUILD_DIR/man/man1/rpmemd.1 was not built"
fi

man_check_done "ok: $nprotos functions and $nopts rpmemd options documented"
