#!/bin/bash
# symbols.sh -- libpmem2.so.1 exports exactly the functions of base.h, each under LIBPMEM2_1.0 (default) and LIBPMEM2_2.0,
# and those of async.h under LIBPMEM2_1.0 only (PMDK 2.x has none of them); libpmem2.a leaks no internal globals
set -u

lib=${BUILD_DIR:-build/release}/lib
so=$lib/libpmem2.so.1
archive=$lib/libpmem2.a
header=include/libpmem2/base.h
async_header=include/libpmem2/async.h

for tool in readelf nm; do
	if ! command -v $tool > /dev/null; then
		echo "SKIP: $tool is not installed"
		exit 77
	fi
done
for f in "$so" "$archive" "$header" "$async_header"; do
	if [ ! -e "$f" ]; then
		echo "FAIL: $f does not exist (run from the repository root after make)"
		exit 1
	fi
done

fail=0
bad() {
	echo "FAIL: $*"
	fail=1
}

# every function declared in the header: "name(" outside typedefs
mapfile -t funcs < <(grep -v '^typedef' "$header" | grep -oE '\bpmem2_[a-z0-9_]+ *\(' |
	sed 's/ *($//' | sort -u)
# 49 functions in PMDK 2.x plus pmem2_err_to_errno, which we export (reference 9.1)
if [ ${#funcs[@]} -lt 50 ]; then
	bad "found only ${#funcs[@]} functions in $header"
fi

# the exported functions of async.h: prototypes that open a line (its inline functions do not)
mapfile -t async_funcs < <(sed -nE 's/^[a-z][a-z0-9_ ]*[ *](pmem2_[a-z0-9_]+)\(.*/\1/p' "$async_header" |
	sort -u)
[ "${async_funcs[*]}" = "pmem2_config_set_vdm pmem2_memcpy_async pmem2_memmove_async pmem2_memset_async" ] ||
	bad "$async_header declares '${async_funcs[*]}', expected the four functions of PMDK 1.12"

soname=$(readelf -d "$so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[ "$soname" = "libpmem2.so.1" ] || bad "soname is '$soname', not libpmem2.so.1"

# defined dynamic symbols: "name@@VER" / "name@VER" of type FUNC/OBJECT, not UND
syms=$(readelf --dyn-syms -W "$so" | awk '$7 != "UND" && $8 != "" && NR > 3 { print $4, $5, $8 }')

for f in "${funcs[@]}"; do
	grep -qxF "FUNC GLOBAL $f@@LIBPMEM2_1.0" <<< "$syms" ||
		bad "$f is not exported as $f@@LIBPMEM2_1.0"
	grep -qxF "FUNC GLOBAL $f@LIBPMEM2_2.0" <<< "$syms" ||
		bad "$f is not exported as $f@LIBPMEM2_2.0"
done

for f in "${async_funcs[@]}"; do
	grep -qxF "FUNC GLOBAL $f@@LIBPMEM2_1.0" <<< "$syms" ||
		bad "$f is not exported as $f@@LIBPMEM2_1.0"
	grep -qF "FUNC GLOBAL $f@LIBPMEM2_2.0" <<< "$syms" &&
		bad "$f is exported under LIBPMEM2_2.0, which PMDK 2.x never had"
done

# nothing else: every defined name is a header function or a version node
declare -A known
for f in "${funcs[@]}" "${async_funcs[@]}"; do
	known[$f]=1
done
while read -r type bind name; do
	base=${name%%@*}
	case "$base" in
	LIBPMEM2_1.0|LIBPMEM2_2.0) continue ;;
	esac
	if [ -z "${known[$base]:-}" ]; then
		bad "$so exports $name ($type $bind), which is not in $header or $async_header"
	fi
	case "$name" in
	*@@LIBPMEM2_1.0|*@LIBPMEM2_2.0) ;;
	*) bad "$name is exported under an unexpected version" ;;
	esac
done <<< "$syms"

# version nodes: 1.0 and 2.0 defined, 2.0 the child of 1.0 or standalone, nothing else
nodes=$(readelf -V "$so" | sed -n '/Version definition/,/Version needs/p' |
	grep -oE 'Name: [A-Za-z0-9_.]+' | awk '{print $2}' | sort -u | tr '\n' ' ')
[ "$nodes" = "LIBPMEM2_1.0 LIBPMEM2_2.0 libpmem2.so.1 " ] ||
	bad "version definitions are '$nodes'"

# the static library: only pmem2_* globals, so that common/ code never collides
leaks=$(nm -g --defined-only "$archive" 2> /dev/null | awk 'NF == 3 { print $3 }' |
	grep -v '^pmem2_' | sort -u)
if [ -n "$leaks" ]; then
	bad "$archive defines non-pmem2_ globals: $(echo $leaks)"
fi
for f in "${funcs[@]}" "${async_funcs[@]}"; do
	nm -g --defined-only "$archive" 2> /dev/null | grep -qE " T $f\$" ||
		bad "$archive does not define $f"
done

if [ $fail -eq 0 ]; then
	echo "ok: ${#funcs[@]} functions under LIBPMEM2_1.0 and LIBPMEM2_2.0, ${#async_funcs[@]} async ones under LIBPMEM2_1.0, nothing else"
fi
exit $fail
