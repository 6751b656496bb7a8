#!/bin/sh
# man_pages.sh -- every function of include/libpmem2/base.h is documented (NAME and exact
# SYNOPSIS prototype), every pmem2_*(3) reference resolves, and each page converts to roff
# that groff accepts without warnings. Runs from the repository root.
set -u

BUILD_DIR=${BUILD_DIR:-build/release}
HEADER=include/libpmem2/base.h
MD2MAN=utils/md2man.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}

[ -r "$HEADER" ] || { echo "FAIL: $HEADER not found (run from the repository root)"; exit 1; }

# one line per prototype of base.h, whitespace collapsed: "int pmem2_x(int a);"
normalize() {
	tr '\t\n' '  ' | sed -e 's/  */ /g' -e 's/( /(/g' -e 's/ )/)/g' -e 's/ ;/;/g'
}
awk '
	/^(typedef|#|\/\*| \*|(struct|enum) [a-z_0-9]+ *\{)/ { next }
	!proto && /^[a-z].*[ *]pmem2_[a-z0-9_]+\(/ { proto = 1; buf = "" }
	proto { buf = buf " " $0; if ($0 ~ /;/) { print buf; proto = 0 } }
' "$HEADER" | while IFS= read -r line; do
	printf '%s\n' "$line" | normalize | sed 's/^ //; s/ $//'
	echo
done | sed '/^$/d' > "$tmp/protos"

nprotos=$(wc -l < "$tmp/protos")
[ "$nprotos" -ge 50 ] || fail "found only $nprotos prototypes in $HEADER"

# names and SYNOPSIS text of every page
for md in doc/pmem2_*.3.md; do
	page=$(basename "$md" .3.md)
	if ! "$MD2MAN" -n "$md" > "$tmp/$page.names"; then
		fail "$md: no NAME section"
		continue
	fi
	awk '/^## /{ s = ($0 ~ /^## SYNOPSIS/) } s && !/^```/' "$md" | normalize > "$tmp/$page.synopsis"
	sed "s/\$/ $page/" "$tmp/$page.names" >> "$tmp/index"
done

while IFS= read -r proto; do
	fn=$(printf '%s\n' "$proto" | sed -E 's/^[^(]*[ *](pmem2_[a-z0-9_]+)\(.*/\1/')
	pages=$(awk -v f="$fn" '$1 == f { print $2 }' "$tmp/index")
	if [ -z "$pages" ]; then
		fail "$fn is declared in $HEADER but no doc/*.3.md lists it in its NAME section"
		continue
	fi
	for page in $pages; do
		grep -qF -- "$proto" "$tmp/$page.synopsis" ||
			fail "doc/$page.3.md: SYNOPSIS lacks the exact prototype: $proto"
	done
done < "$tmp/protos"

# every name in a NAME section is a real function
awk '{ print $1 }' "$tmp/index" | while IFS= read -r n; do
	grep -q "[ *]$n(" "$tmp/protos" || echo "$n"
done > "$tmp/unknown"
while IFS= read -r n; do
	fail "a NAME section lists $n, which $HEADER does not declare"
done < "$tmp/unknown"

# every `pmem2_*`(3) or `libpmem2`(7) reference names a page or an alias
grep -ohE '`(pmem2_[a-z0-9_]+|libpmem2)`\([37]\)' doc/*.md | sed -E 's/`//g; s/\(([37])\)/ \1/' |
	sort -u > "$tmp/refs"
while read -r name sec; do
	if [ "$sec" = 7 ]; then
		[ -e "doc/$name.7.md" ] || fail "reference to $name($sec) has no page"
	else
		awk -v n="$name" '$1 == n { found = 1 } END { exit !found }' "$tmp/index" ||
			[ -e "doc/$name.3.md" ] || fail "reference to $name($sec) has no page"
	fi
done < "$tmp/refs"

[ -e doc/libpmem2.7.md ] || fail "doc/libpmem2.7.md is missing"

# conversion, and roff that groff reads without warnings
mkdir -p "$tmp/man/man3" "$tmp/man/man7"
for md in doc/*.3.md doc/*.7.md; do
	[ -e "$md" ] || continue
	base=$(basename "$md" .md)
	sec=${base##*.}
	out="$tmp/man/man$sec/$base"
	if ! "$MD2MAN" "$md" > "$out" 2> "$tmp/err"; then
		fail "$md: md2man failed: $(cat "$tmp/err")"
		continue
	fi
	grep -q '^\.TH ' "$out" || fail "$md: no .TH in the output"
	grep -q '^\.SH "NAME"' "$out" || fail "$md: no NAME section in the output"
	if command -v groff > /dev/null 2>&1; then
		(cd "$tmp/man" && groff -man -ww -z "man$sec/$base") > "$tmp/warn" 2>&1
		[ -s "$tmp/warn" ] && fail "$md: groff warnings: $(cat "$tmp/warn")"
	fi
done
command -v groff > /dev/null 2>&1 || echo "note: groff not installed, roff not validated"

# the build's alias pages, when built, point at pages that exist
if [ -d "$BUILD_DIR/man/man3" ]; then
	for f in "$BUILD_DIR"/man/man3/*.3; do
		[ -e "$f" ] || continue
		target=$(sed -n 's/^\.so //p' "$f")
		[ -z "$target" ] && continue
		[ -e "$BUILD_DIR/man/$target" ] || fail "$f points to missing $target"
	done
	while read -r n page; do
		[ -e "$BUILD_DIR/man/man3/$n.3" ] || fail "$BUILD_DIR/man/man3/$n.3 was not built (documented on $page)"
	done < "$tmp/index"
fi

if [ "$failures" -ne 0 ]; then
	echo "$failures failure(s)"
	exit 1
fi
echo "ok: $nprotos functions documented, $(ls doc/*.[37].md | wc -l) pages valid"
