#!/bin/sh
# rpmem_man_pages.sh -- every function of include/librpmem.h is documented (NAME and exact SYNOPSIS
# prototype), every rpmem_*(3)/librpmem(7)/rpmemd(1) reference resolves, every environment variable
# librpmem reads is in librpmem(7), rpmemd(1) documents every option `rpmemd --help` prints, and
# the pages convert to roff that groff accepts without warnings. Runs from the repository root.
set -u

BUILD_DIR=${BUILD_DIR:-build/release}
HEADER=include/librpmem.h
MD2MAN=utils/md2man.sh
RPMEMD=$BUILD_DIR/bin/rpmemd
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}

[ -r "$HEADER" ] || { echo "FAIL: $HEADER not found (run from the repository root)"; exit 1; }

normalize() {
	tr '\t\n' '  ' | sed -e 's/  */ /g' -e 's/( /(/g' -e 's/ )/)/g' -e 's/ ;/;/g'
}

# one line per prototype, whitespace collapsed: "int rpmem_close(RPMEMpool *rpp);"
awk '
	/^(typedef|#|\/\*| \*|(struct|enum) [a-z_0-9]+ *\{)/ { next }
	!proto && /^[A-Za-z].*[ *]rpmem_[a-z0-9_]+\(/ { proto = 1; buf = "" }
	proto { buf = buf " " $0; if ($0 ~ /;/) { print buf; proto = 0 } }
' "$HEADER" | while IFS= read -r line; do
	printf '%s\n' "$line" | normalize | sed 's/^ //; s/ $//'
	echo
done | sed '/^$/d' > "$tmp/protos"

nprotos=$(wc -l < "$tmp/protos")
[ "$nprotos" -eq 12 ] || fail "found $nprotos prototypes in $HEADER, expected the 12 of API 1.3"

# names and SYNOPSIS text of every librpmem page
: > "$tmp/index"
for md in doc/rpmem_*.3.md; do
	[ -e "$md" ] || { fail "no doc/rpmem_*.3.md page"; break; }
	page=$(basename "$md" .3.md)
	if ! "$MD2MAN" -n "$md" > "$tmp/$page.names"; then
		fail "$md: no NAME section"
		continue
	fi
	awk '/^## /{ s = ($0 ~ /^## SYNOPSIS/) } s && !/^```/' "$md" | normalize > "$tmp/$page.synopsis"
	sed "s/\$/ $page/" "$tmp/$page.names" >> "$tmp/index"
done

while IFS= read -r proto; do
	fn=$(printf '%s\n' "$proto" | sed -E 's/^[^(]*[ *](rpmem_[a-z0-9_]+)\(.*/\1/')
	pages=$(awk -v f="$fn" '$1 == f { print $2 }' "$tmp/index")
	if [ -z "$pages" ]; then
		fail "$fn is declared in $HEADER but no doc/rpmem_*.3.md lists it in its NAME section"
		continue
	fi
	for page in $pages; do
		grep -qF -- "$proto" "$tmp/$page.synopsis" ||
			fail "doc/$page.3.md: SYNOPSIS lacks the exact prototype: $proto"
	done
done < "$tmp/protos"

awk '{ print $1 }' "$tmp/index" | while IFS= read -r n; do
	grep -q "[ *]$n(" "$tmp/protos" || echo "$n"
done > "$tmp/unknown"
while IFS= read -r n; do
	fail "a NAME section lists $n, which $HEADER does not declare"
done < "$tmp/unknown"

# references to rpmem_*(3), librpmem(7) and rpmemd(1) name a page or an alias
grep -ohE '`(rpmem_[a-z0-9_]+|librpmem|rpmemd)`\([137]\)' doc/*.md | sed -E 's/`//g; s/\(([137])\)/ \1/' |
	sort -u > "$tmp/refs"
while read -r name sec; do
	if [ "$sec" = 3 ]; then
		awk -v n="$name" '$1 == n { found = 1 } END { exit !found }' "$tmp/index" ||
			[ -e "doc/$name.3.md" ] || fail "reference to $name($sec) has no page"
	else
		[ -e "doc/$name.$sec.md" ] || fail "reference to $name($sec) has no page"
	fi
done < "$tmp/refs"

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
elif [ ! -x "$RPMEMD" ]; then
	fail "$RPMEMD not built (BUILD_DIR=$BUILD_DIR)"
else
	"$RPMEMD" --help > "$tmp/help" 2>&1 || fail "$RPMEMD --help failed: $(cat "$tmp/help")"
	awk '/^## /{ s = ($0 ~ /^## OPTIONS/) } s' "$R1" > "$tmp/options"
	grep -oE '(^|[ ,])--?[A-Za-z][A-Za-z-]*' "$tmp/help" | sed 's/^[ ,]*//' | sort -u > "$tmp/help_opts"
	nopts=$(wc -l < "$tmp/help_opts")
	[ "$nopts" -ge 13 ] || fail "found only $nopts options in rpmemd --help"
	while IFS= read -r o; do
		grep -qE "^\`$o\`|, \`$o\`" "$tmp/options" ||
			fail "$R1: OPTIONS does not document $o (printed by rpmemd --help)"
	done < "$tmp/help_opts"
	# and documents no option rpmemd does not have
	grep -oE '^`--?[A-Za-z][A-Za-z-]*`|, `--?[A-Za-z][A-Za-z-]*`' "$tmp/options" |
		sed 's/^, //; s/`//g' | sort -u > "$tmp/doc_opts"
	while IFS= read -r o; do
		grep -qx -- "$o" "$tmp/help_opts" || fail "$R1: documents $o, which rpmemd --help does not print"
	done < "$tmp/doc_opts"
fi

# conversion, and roff that groff reads without warnings
for md in doc/rpmem_*.3.md doc/librpmem.7.md doc/rpmemd.1.md; do
	[ -e "$md" ] || continue
	base=$(basename "$md" .md)
	sec=${base##*.}
	mkdir -p "$tmp/man/man$sec"
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

# the build's pages, when built: one per page, one alias per other documented name
if [ -d "$BUILD_DIR/man/man3" ]; then
	while read -r n page; do
		[ -e "$BUILD_DIR/man/man3/$n.3" ] || fail "$BUILD_DIR/man/man3/$n.3 was not built (documented on $page)"
	done < "$tmp/index"
	[ -e "$BUILD_DIR/man/man7/librpmem.7" ] || fail "$BUILD_DIR/man/man7/librpmem.7 was not built"
	[ -e "$BUILD_DIR/man/man1/rpmemd.1" ] || fail "$BUILD_DIR/man/man1/rpmemd.1 was not built"
fi

if [ "$failures" -ne 0 ]; then
	echo "$failures failure(s)"
	exit 1
fi
echo "ok: $nprotos functions and $nopts rpmemd options documented"
