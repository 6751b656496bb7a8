#!/bin/bash
# bench_smoke.sh -- pmem2_bench (and its PMDK build, if built) runs on a small file and prints every row; no timing checks
set -u

dir=${BUILD_DIR:-build/release}/utils
file=$(mktemp /dev/shm/bench_smoke.XXXXXX 2>/dev/null || mktemp)
trap 'rm -f "$file"' EXIT
export PMEM2_FORCE_GRANULARITY=cache_line

bins=()
for b in pmem2_bench pmem2_bench_pmdk; do
	[ -x "$dir/$b" ] && bins+=("$dir/$b")
done
if [ ${#bins[@]} -eq 0 ]; then
	echo "SKIP: no pmem2_bench under $dir"
	exit 77
fi

# 2 operations per row on a 4 MiB file: the row list and the output format, not the speed
expected=42
fail=0
for bin in "${bins[@]}"; do
	out=$("$bin" -f "$file" -s $((4 << 20)) -r 1 -n 2 2>&1)
	rc=$?
	rows=$(grep -cE '^row [a-zA-Z0-9_]+ ops 2 ns_per_op [0-9.]+ gb_per_s [0-9.]+ wall_ns_per_op [0-9.]+$' <<< "$out")
	if [ $rc -ne 0 ] || [ "$rows" -ne $expected ] || ! grep -q '^# library /' <<< "$out" ||
	    ! grep -q 'granularity CACHE_LINE$' <<< "$out"; then
		echo "FAIL: $bin exited $rc and printed $rows of $expected rows:"
		echo "$out"
		fail=1
	else
		echo "ok: $bin printed $rows rows ($(sed -n 's/^# library //p' <<< "$out"))"
	fi
done
exit $fail
