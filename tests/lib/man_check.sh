# man_check.sh -- the checks every man page test shares (sourced, not run): each prototype of a header is
# written exactly in the SYNOPSIS of the page whose NAME lists it, NAME sections name only declared
# functions, references resolve, a program's options are documented, pages convert to roff groff
# accepts, the build made a page per name.
# The test calls man_check_protos, man_check_pages, then the others, and man_check_done last; it runs
# from the repository root. Failures are counted by fail(), so one run reports every problem.

BUILD_DIR=${BUILD_DIR:-build/release}
MD2MAN=utils/md2man.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}

normalize() {
	tr '\t\n' '  ' | sed -e 's/  */ /g' -e 's/( /(/g' -e 's/ )/)/g' -e 's/ ;/;/g'
}

# man_check_protos HEADER PREFIX: one line per prototype of a PREFIX* function in HEADER, whitespace
# collapsed ("int rpmem_close(RPMEMpool *rpp);"), into $tmp/protos; sets HEADER, PREFIX and nprotos
man_check_protos() {
	HEADER=$1
	PREFIX=$2
	[ -r "$HEADER" ] || { echo "FAIL: $HEADER not found (run from the repository root)"; exit 1; }
	awk -v start="^[A-Za-z].*[ *]$PREFIX[a-z0-9_]+[(]" '
		/^(typedef|#|\/\*| \*|(struct|enum) [a-z_0-9]+ *\{)/ { next }
		!proto && $0 ~ start { proto = 1; buf = "" }
		proto { buf = buf " " $0; if ($0 ~ /;/) { print buf; proto = 0 } }
	' "$HEADER" | while IFS= read -r line; do
		printf '%s\n' "$line" | normalize | sed 's/^ //; s/ $//'
		echo
	done | sed '/^$/d' > "$tmp/protos"
	nprotos=$(wc -l < "$tmp/protos")
}

# man_check_pages GLOB: every page of GLOB has a NAME section (its names go to $tmp/index as
# "name page"), every prototype is in the SYNOPSIS of each page naming its function, and every
# name listed is a function of the header
man_check_pages() {
	: > "$tmp/index"
	for md in $1; do
		[ -e "$md" ] || { fail "no $1 page"; break; }
		page=$(basename "$md" .3.md)
		if ! "$MD2MAN" -n "$md" > "$tmp/$page.names"; then
			fail "$md: no NAME section"
			continue
		fi
		awk '/^## /{ s = ($0 ~ /^## SYNOPSIS/) } s && !/^```/' "$md" | normalize > "$tmp/$page.synopsis"
		sed "s/\$/ $page/" "$tmp/$page.names" >> "$tmp/index"
	done

	while IFS= read -r proto; do
		fn=$(printf '%s\n' "$proto" | sed -E "s/^[^(]*[ *]($PREFIX[a-z0-9_]+)\\(.*/\\1/")
		pages=$(awk -v f="$fn" '$1 == f { print $2 }' "$tmp/index")
		if [ -z "$pages" ]; then
			fail "$fn is declared in $HEADER but no $1 lists it in its NAME section"
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
}

# man_check_refs NAMES SECTIONS: every `name`(sec) in doc/*.md whose name matches the extended regex
# NAMES and whose section is one of the digits SECTIONS names a page; in section 3 an alias will do
man_check_refs() {
	grep -ohE "\`($1)\`\\([$2]\\)" doc/*.md | sed -E 's/`//g; s/\(([0-9])\)/ \1/' |
		sort -u > "$tmp/refs"
	while read -r name sec; do
		if [ "$sec" = 3 ]; then
			awk -v n="$name" '$1 == n { found = 1 } END { exit !found }' "$tmp/index" ||
				[ -e "doc/$name.3.md" ] || fail "reference to $name($sec) has no page"
		else
			[ -e "doc/$name.$sec.md" ] || fail "reference to $name($sec) has no page"
		fi
	done < "$tmp/refs"
}

# man_check_roff MD...: each page converts, has .TH and NAME, and groff reads it without warnings
man_check_roff() {
	for md in "$@"; do
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
}

# man_check_options PROGRAM PAGE: PAGE's OPTIONS section documents (`-x` or `--xy` opening a line or
# after ", ") every option `PROGRAM --help` prints, and no other; sets nopts to how many it prints.
# Returns 1, after a failure, when PROGRAM was not built.
man_check_options() {
	opt_name=$(basename "$1")
	if [ ! -x "$1" ]; then
		fail "$1 not built (BUILD_DIR=$BUILD_DIR)"
		return 1
	fi
	"$1" --help > "$tmp/help" 2>&1 || fail "$1 --help failed: $(cat "$tmp/help")"
	awk '/^## /{ s = ($0 ~ /^## OPTIONS/) } s' "$2" > "$tmp/options"
	grep -oE '(^|[ ,])--?[A-Za-z][A-Za-z-]*' "$tmp/help" | sed 's/^[ ,]*//' | sort -u > "$tmp/help_opts"
	nopts=$(wc -l < "$tmp/help_opts")
	while IFS= read -r o; do
		grep -qE "^\`$o\`|, \`$o\`" "$tmp/options" ||
			fail "$2: OPTIONS does not document $o (printed by $opt_name --help)"
	done < "$tmp/help_opts"
	grep -oE '^`--?[A-Za-z][A-Za-z-]*`|, `--?[A-Za-z][A-Za-z-]*`' "$tmp/options" |
		sed 's/^, //; s/`//g' | sort -u > "$tmp/doc_opts"
	while IFS= read -r o; do
		grep -qx -- "$o" "$tmp/help_opts" || fail "$2: documents $o, which $opt_name --help does not print"
	done < "$tmp/doc_opts"
}

# man_check_built_names: when the build made its man pages, every name of a NAME section has its page
man_check_built_names() {
	[ -d "$BUILD_DIR/man/man3" ] || return 0
	while read -r n page; do
		[ -e "$BUILD_DIR/man/man3/$n.3" ] || fail "$BUILD_DIR/man/man3/$n.3 was not built (documented on $page)"
	done < "$tmp/index"
}

# man_check_done MESSAGE: exit 1 after counting the failures, or print MESSAGE
man_check_done() {
	if [ "$failures" -ne 0 ]; then
		echo "$failures failure(s)"
		exit 1
	fi
	echo "$1"
}
