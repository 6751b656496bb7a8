#!/bin/bash
# rpmem_async_bench_smoke.sh -- rpmem_async_bench runs against the build's rpmemd and prints every row; no timing checks
set -u

bin=${BUILD_DIR:-build/release}/utils/rpmem_async_bench
[ -x "$bin" ] || { echo "FAIL: $bin is not built"; exit 1; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
# the bench starts its build's rpmemd through tests/lib/rpmem_ssh_local.sh itself
unset RPMEM_SSH RPMEM_CMD RPMEM_PROVIDER
out=$("$bin" 1 20 "$dir" 2>&1)
rc=$?
rows=$(grep -cE '^\| rpmem_persist(_async)? \| [0-9]+ \| [0-9]+ \| [0-9.]+ \| [0-9.]+ \|' <<< "$out")
# sync; async with 1, 2, 4 and 8 in flight on as many lanes; 1, 2, 4, 8 and 16 on one lane
one_lane=$(grep -cE '^\| rpmem_persist_async \| 1 \| (1|2|4|8|16) \|' <<< "$out")
if [ $rc -ne 0 ] || [ "$rows" -ne 10 ] || [ "$one_lane" -ne 6 ]; then
	echo "FAIL: exit $rc, $rows of 10 rows, $one_lane of 6 with one lane:"
	echo "$out"
	exit 1
fi
echo "ok: 10 rows"
