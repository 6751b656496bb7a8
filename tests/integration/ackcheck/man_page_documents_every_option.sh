#!/bin/sh
# man_page_documents_every_option.sh -- rpmem_ackcheck(1) documents every option `rpmem_ackcheck --help` prints and no
# other, names every exit status, converts to roff that groff accepts without warnings, and the build made it
set -u
. tests/lib/man_check.sh
ACKCHECK=$BUILD_DIR/utils/rpmem_ackcheck
PAGE=doc/rpmem_ackcheck.1.md

[ -e "$PAGE" ] || { echo "FAIL: $PAGE is missing"; exit 1; }
if man_check_options "$ACKCHECK" "$PAGE"; then
	[ "$nopts" -eq 16 ] || fail "found $nopts options in rpmem_ackcheck --help, expected 16 (8 short, 8 long)"
fi
awk '/^## /{ s = ($0 ~ /^## EXIT STATUS/) } s' "$PAGE" > "$tmp/exit"
for status in 0 1 2 3 4; do
	grep -qx "$status" "$tmp/exit" || fail "$PAGE: EXIT STATUS does not describe $status"
done
man_check_roff "$PAGE"
if [ -d "$BUILD_DIR/man/man1" ] && [ ! -e "$BUILD_DIR/man/man1/rpmem_ackcheck.1" ]; then
	fail "$BUILD_DIR/man/man1/rpmem_ackcheck.1 was not built"
fi
man_check_done "ok: rpmem_ackcheck(1) documents its ${nopts:-0} options and exit statuses"
