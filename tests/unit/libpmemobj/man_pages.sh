#!/bin/sh
# man_pages.sh -- every function of libpmemobj core's headers is documented in a section 3obj page
# (NAME and exact SYNOPSIS prototype), every pmemobj_*(3obj) reference resolves, the pages convert
# to roff groff accepts, and the build made one page per name. Runs from the repository root.
set -u
. tests/lib/man_check.sh

man_check_protos include/libpmemobj-core/libpmemobj/pool_base.h pmemobj_
cp "$tmp/protos" "$tmp/pool_protos"
[ "$nprotos" -eq 9 ] || fail "found $nprotos prototypes in $HEADER, expected 9"
man_check_protos include/libpmemobj-core/libpmemobj/base.h pmemobj_
[ "$nprotos" -eq 16 ] || fail "found $nprotos prototypes in $HEADER, expected 16"
cat "$tmp/pool_protos" >> "$tmp/protos"
nprotos=$(wc -l < "$tmp/protos")
HEADER="include/libpmemobj-core/libpmemobj/{base,pool_base}.h"

# the checks expect NAME.3.md pages: the 3obj pages under those names
mkdir -p "$tmp/pages"
for md in doc/pmemobj_*.3obj.md; do
	cp "$md" "$tmp/pages/$(basename "$md" .3obj.md).3.md"
done
man_check_pages "$tmp/pages/*.3.md"

# every `pmemobj_x`(3obj) in doc/ names a page or a name of one
grep -ohE '`pmemobj_[a-z0-9_]+`\(3obj\)' doc/*.md | sed -E 's/`//g; s/\(3obj\)//' | sort -u |
	while read -r n; do
		awk -v n="$n" '$1 == n { found = 1 } END { exit !found }' "$tmp/index" ||
			echo "FAIL: reference to $n(3obj) has no page"
	done > "$tmp/bad_refs"
[ -s "$tmp/bad_refs" ] && fail "$(cat "$tmp/bad_refs")"

man_check_roff doc/pmemobj_*.3obj.md doc/libpmemobj-core.7.md
[ -e doc/libpmemobj-pool-format.md ] || fail "doc/libpmemobj-pool-format.md is missing"
# nothing of ours in section 3 proper, where PMDK's pages live
ls doc/pmemobj_*.3.md > /dev/null 2>&1 && fail "a pmemobj page in section 3 would shadow PMDK's"

if [ -d "$BUILD_DIR/man/man3" ]; then
	while read -r n page; do
		[ -e "$BUILD_DIR/man/man3/$n.3obj" ] ||
			fail "$BUILD_DIR/man/man3/$n.3obj was not built (documented on $page)"
		[ -e "$BUILD_DIR/man/man3/$n.3" ] && fail "$BUILD_DIR/man/man3/$n.3 exists (PMDK's name)"
	done < "$tmp/index"
	[ -e "$BUILD_DIR/man/man7/libpmemobj-core.7" ] || fail "libpmemobj-core.7 was not built"
fi

man_check_done "ok: $nprotos functions documented in $(ls doc/pmemobj_*.3obj.md | wc -l) pages"
