#!/bin/sh
# rpmem_man_pages.sh -- every function of include/librpmem.h is documented (NAME and exact SYNOPSIS
# prototype), every rpmem_*(3)/librpmem(7)/rpmemd(1) reference resolves, every environment variable
# librpmem reads is in librpmem(7), rpmemd(1) documents every option `rpmemd --help` prints, and
# the pages convert to roff that groff accepts without warnings. Runs from the repository root.
set -u
. tests/lib/man_check.sh
RPMEMD=$BUILD_DIR/bin/rpmemd
nopts=0

man_check_protos include/librpmem.h rpmem_
[ "$nprotos" -eq 12 ] || fail "found $nprotos prototypes in $HEADER, expected the 12 of API 1.3"
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

man_check_roff doc/rpmem_*.3.md doc/librpmem.7.md doc/rpmemd.1.md
man_check_built_names
if [ -d "$BUILD_DIR/man/man3" ]; then
	[ -e "$BUILD_DIR/man/man7/librpmem.7" ] || fail "$BUILD_DIR/man/man7/librpmem.7 was not built"
	[ -e "$BUILD_DIR/man/man1/rpmemd.1" ] || fail "$BUILD_DIR/man/man1/rpmemd.1 was not built"
fi

man_check_done "ok: $nprotos functions and $nopts rpmemd options documented"
