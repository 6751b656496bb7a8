#!/bin/sh
# man_page_documents_every_option.sh -- rpmempool(1) documents every option `rpmempool --help` prints and no other,
# every command and exit status, converts to roff that groff accepts without warnings, and the build made it
set -u
. tests/lib/man_check.sh
RPMEMPOOL=$BUILD_DIR/bin/rpmempool
PAGE=doc/rpmempool.1.md

[ -e "$PAGE" ] || { echo "FAIL: $PAGE is missing"; exit 1; }
if man_check_options "$RPMEMPOOL" "$PAGE"; then
	[ "$nopts" -eq 19 ] || fail "found $nopts options in rpmempool --help, expected 19 (9 short, 10 long)"
fi
for cmd in create info check sync rm; do
	grep -q "^### $cmd\$" "$PAGE" || fail "$PAGE: no section for the command $cmd"
	grep -q "^rpmempool $cmd " "$PAGE" || fail "$PAGE: SYNOPSIS lacks rpmempool $cmd"
done
awk '/^## /{ s = ($0 ~ /^## EXIT STATUS/) } s' "$PAGE" > "$tmp/exit"
for status in 0 1 2; do
	grep -qx "$status" "$tmp/exit" || fail "$PAGE: EXIT STATUS does not describe $status"
done
man_check_roff "$PAGE"
if [ -d "$BUILD_DIR/man/man1" ] && [ ! -e "$BUILD_DIR/man/man1/rpmempool.1" ]; then
	fail "$BUILD_DIR/man/man1/rpmempool.1 was not built"
fi
man_check_done "ok: rpmempool(1) documents its ${nopts:-0} options, commands and exit statuses"
