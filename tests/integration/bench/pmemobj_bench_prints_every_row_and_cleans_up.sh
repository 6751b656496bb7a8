#!/bin/bash
# pmemobj_bench_prints_every_row_and_cleans_up.sh -- `make bench`'s replicated-pool benchmark, run for a few milliseconds: every row (0, 1 and 2 remote replicas, 4 and 64 KiB, 1 and 2 threads), the ratio and its verdict on each 2-replica row, the target line, exit 0, nothing left behind; no timing is judged
set -u

bench=${BUILD_DIR:-build/release}/utils/pmemobj_bench
if [ ! -x "$bench" ]; then
	echo "SKIP: $bench not built"
	exit 77
fi
if command -v fi_info > /dev/null && ! fi_info -p tcp > /dev/null 2>&1; then
	echo "SKIP: libfabric's tcp provider is not available"
	exit 77
fi

# the benchmark's own defaults (RPMEM_SSH, RPMEM_CMD, provider tcp, lanes), not the caller's
unset RPMEM_SSH RPMEM_CMD RPMEM_PROVIDER RPMEM_ENABLE_SOCKETS RPMEM_MAX_NLANES PMEMOBJ_NLANES
dir=$(mktemp -d /dev/shm/pmemobj-bench-smoke-XXXXXX)
trap 'rm -rf "$dir"' EXIT

out=$("$bench" -r 2 -t 5 -T 2 -s 8 -d "$dir" 2>&1)
rc=$?
echo "$out"

fail=0
[ $rc -eq 0 ] || { echo "FAIL: pmemobj_bench exited $rc"; fail=1; }
for size in 4 64; do
	for threads in 1 2; do
		for remote in 0 1 2; do
			row="| $size KiB | $threads | $remote |"
			n=$(grep -cF "$row" <<< "$out")
			[ "$n" -eq 1 ] || { echo "FAIL: $n rows \"$row\", not 1"; fail=1; }
		done
		# the 2-replica row carries the ratios (of the means, median of rounds), the range and the verdict
		grep -qE "^\| $size KiB \| $threads \| 2 \| [0-9.]+ \| [0-9]+ \| [0-9.]+ \| [0-9]+\.[0-9]{2} \| [0-9]+\.[0-9]{2} \| [0-9.]+-[0-9.]+ \| <= 1\.3x: (MET|MISSED) \|$" <<< "$out" ||
			{ echo "FAIL: no ratio and verdict on the $size KiB, $threads-thread, 2-replica row"; fail=1; }
	done
done
[ "$(grep -c '^| [0-9]* KiB |' <<< "$out")" -eq 12 ] || { echo "FAIL: not 12 rows"; fail=1; }
grep -qE '^target, 2 remote replicas <= 1\.3x the 1-replica time, 4 KiB and 64 KiB, 1 thread: (MET|MISSED)$' <<< "$out" ||
	{ echo "FAIL: no target line"; fail=1; }
grep -q '^machine: .*CPUs online' <<< "$out" || { echo "FAIL: no machine line"; fail=1; }
left=$(ls -A "$dir")
[ -z "$left" ] || { echo "FAIL: the benchmark left $left in $dir"; fail=1; }
exit $fail
