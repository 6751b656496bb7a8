#!/bin/bash
# symbols.sh -- libminiasync.so.0 exports exactly the 14 functions its headers declare, each under LIBMINIASYNC_1.0, and the static library no internal name
set -u

lib=${BUILD_DIR:-build/release}/lib
so=$lib/libminiasync.so.0
if ! command -v readelf > /dev/null || ! command -v nm > /dev/null; then
	echo "SKIP: readelf or nm is not installed"
	exit 77
fi
[ -e "$so" ] || { echo "FAIL: $so does not exist"; exit 1; }

fail=0
soname=$(readelf -d "$so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[ "$soname" = libminiasync.so.0 ] || { echo "FAIL: soname is '$soname'"; fail=1; }

# the prototypes of the headers (the inline functions are static and not counted)
want=$(cat include/libminiasync/*.h | grep -vE '^static|^\s' |
	grep -oE '\b(runtime|data_mover)_[a-z_]+\(' | tr -d '(' | sort -u)
have=$(readelf --dyn-syms -W "$so" | awk 'NR > 3 && $7 != "UND" && $8 != "" { print $8 }' |
	grep -v '^LIBMINIASYNC_1.0$' | sort -u)
if [ "$have" != "$(sed 's/$/@@LIBMINIASYNC_1.0/' <<< "$want")" ]; then
	echo "FAIL: exported: $(echo $have)"
	echo "      expected: $(echo $want) (each @@LIBMINIASYNC_1.0)"
	fail=1
fi
[ $(wc -w <<< "$want") -eq 14 ] || { echo "FAIL: the headers declare $(wc -w <<< "$want") functions, not 14"; fail=1; }

# the static library defines the same 14 names globally, nothing else (ring_*, op_* stay local)
sdefs=$(nm "$lib/libminiasync.a" | awk '$2 ~ /^[A-TV-Z]$/ { print $3 }' | sort -u)
[ "$sdefs" = "$want" ] || { echo "FAIL: libminiasync.a defines globally: $(echo $sdefs)"; fail=1; }

[ $fail -eq 0 ] && echo "ok: 14 functions under LIBMINIASYNC_1.0, nothing else, in the shared and the static library"
exit $fail
