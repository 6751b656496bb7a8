#!/bin/sh
# man_pages.sh -- every function of include/libpmem2/base.h and async.h is documented (NAME and
# exact SYNOPSIS prototype), every pmem2_*(3) reference resolves, and each page converts to roff
# that groff accepts without warnings. Runs from the repository root.
set -u
. tests/lib/man_check.sh

man_check_protos include/libpmem2/async.h pmem2_
cp "$tmp/protos" "$tmp/async_protos"
[ "$nprotos" -eq 4 ] || fail "found $nprotos prototypes in $HEADER, expected 4"
man_check_protos include/libpmem2/base.h pmem2_
[ "$nprotos" -ge 50 ] || fail "found only $nprotos prototypes in $HEADER"
cat "$tmp/async_protos" >> "$tmp/protos"
nprotos=$(wc -l < "$tmp/protos")
HEADER="include/libpmem2/{base,async}.h"
man_check_pages 'doc/pmem2_*.3.md'
man_check_refs 'pmem2_[a-z0-9_]+|libpmem2' 37
[ -e doc/libpmem2.7.md ] || fail "doc/libpmem2.7.md is missing"
man_check_roff doc/*.3.md doc/*.7.md
man_check_built_names

# the build's alias pages, when built, point at pages that exist
for f in "$BUILD_DIR"/man/man3/*.3; do
	[ -e "$f" ] || continue
	target=$(sed -n 's/^\.so //p' "$f")
	[ -z "$target" ] && continue
	[ -e "$BUILD_DIR/man/$target" ] || fail "$f points to missing $target"
done

man_check_done "ok: $nprotos functions documented, $(ls doc/*.[37].md | wc -l) pages valid"
