#!/bin/bash
# symbols.sh -- librpmem.so.1 exports exactly the 12 functions of librpmem.h under LIBRPMEM_1.0 and the 6 of librpmem/async.h under LIBRPMEM_1.1, nothing of common/
set -u

so=${BUILD_DIR:-build/release}/lib/librpmem.so.1
if ! command -v readelf > /dev/null; then
	echo "SKIP: readelf is not installed"
	exit 77
fi
[ -e "$so" ] || { echo "FAIL: $so does not exist"; exit 1; }

fail=0
soname=$(readelf -d "$so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[ "$soname" = librpmem.so.1 ] || { echo "FAIL: soname is '$soname'"; fail=1; }

# the functions a header declares (its comments, which name others, left out)
declared() {
	perl -0pe 's{/\*.*?\*/}{}gs' "$1" | grep -oE '\brpmem_[a-z_]+ *\(' | sed 's/ *($//' | sort -u | sed "s/\$/@@$2/"
}
want=$( (declared include/librpmem.h LIBRPMEM_1.0; declared include/librpmem/async.h LIBRPMEM_1.1) |
	sort -u | tr '\n' ' ')
have=$(readelf --dyn-syms -W "$so" | awk 'NR > 3 && $7 != "UND" && $8 != "" { print $8 }' |
	grep -v '^LIBRPMEM_1\.[01]$' | sort -u | tr '\n' ' ')
if [ "$have" != "$want" ]; then
	echo "FAIL: exported: $have"
	echo "      expected: $want"
	fail=1
fi
[ $(wc -w <<< "$want") -eq 18 ] || { echo "FAIL: the headers declare $(wc -w <<< "$want") functions"; fail=1; }
[ $fail -eq 0 ] && echo "ok: 12 functions under LIBRPMEM_1.0, 6 under LIBRPMEM_1.1, nothing else"
exit $fail
