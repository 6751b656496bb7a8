#!/bin/bash
# run-bench.sh [BINDIR] -- runs pmem2_bench (ours) and pmem2_bench_pmdk (Debian's PMDK) run by run, A B A B,
# and prints one Markdown table of medians with the ratio ours/PMDK per row and how many rows meet the target.
#
# BINDIR holds pmem2_bench and, optionally, pmem2_bench_pmdk (default build/release/utils).
# Environment: BENCH_RUNS runs of each binary (default 9, at least 5), BENCH_MS milliseconds per row and
# run (default 60), BENCH_SIZE file size in bytes (default 1 GiB), BENCH_DIR directory of the file
# (default /dev/shm), BENCH_CPU CPU to pin to (default the last one), BENCH_LOGS directory that keeps
# the raw output of every run (default: a temporary directory, removed at exit). BENCH_AA=1 runs the
# PMDK build in both columns: an A/A run that shows the noise floor of the ratio on this machine.
set -eu

bindir=${1:-build/release/utils}
runs=${BENCH_RUNS:-9}
ms=${BENCH_MS:-60}
size=${BENCH_SIZE:-1073741824}
dir=${BENCH_DIR:-/dev/shm}

ours=$bindir/pmem2_bench
pmdk=$bindir/pmem2_bench_pmdk
[ -x "$pmdk" ] || pmdk=
aa=${BENCH_AA:-0}
if [ "$aa" = 1 ]; then
	[ -n "$pmdk" ] || { echo "run-bench.sh: BENCH_AA=1 needs $bindir/pmem2_bench_pmdk" >&2; exit 1; }
	ours=$pmdk
fi
if [ ! -x "$ours" ]; then
	echo "run-bench.sh: $ours not built (run make first)" >&2
	exit 1
fi
if [ "$runs" -lt 5 ]; then
	echo "run-bench.sh: BENCH_RUNS=$runs raised to 5 (the median needs at least 5 runs)" >&2
	runs=5
fi

# both libraries map a tmpfs file as CACHE_LINE only when told so
export PMEM2_FORCE_GRANULARITY=cache_line
unset LD_LIBRARY_PATH LD_PRELOAD

pin=()
if command -v taskset > /dev/null; then
	cpu=${BENCH_CPU:-$(($(nproc) - 1))}
	pin=(taskset -c "$cpu")
fi

file=$dir/pmem2_bench.$$
if [ -n "${BENCH_LOGS:-}" ]; then
	logs=$BENCH_LOGS
	mkdir -p "$logs"
	cleanlogs=
else
	logs=$(mktemp -d)
	cleanlogs=$logs
fi
trap 'rm -f "$file"; [ -z "$cleanlogs" ] || rm -rf "$cleanlogs"' EXIT

run() { # run BINARY OUTFILE ARGS...
	local bin=$1 out=$2
	shift 2
	if ! "${pin[@]}" "$bin" -f "$file" -s "$size" "$@" > "$out"; then
		echo "run-bench.sh: $bin failed; its output:" >&2
		cat "$out" >&2
		exit 1
	fi
}

# created here so that every run reuses its tmpfs pages (pmem2_bench removes only files it created)
truncate -s "$size" "$file"

# one calibration run fixes the operation count of every row for all later runs of both binaries
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
ref=${pmdk:-$ours}
echo "calibrating with $(basename "$ref") (${ms} ms per row) ..." >&2
run "$ref" "$logs/calibration" -r 1 -t "$ms"
awk '$1 == "row" { print $2, $4 }' "$logs/calibration" > "$logs/ops"

for i in $(seq 1 "$runs"); do
	echo "run $i of $runs ..." >&2
	[ -z "$pmdk" ] || run "$pmdk" "$logs/pmdk.$i" -r 1 -O "$logs/ops"
	run "$ours" "$logs/ours.$i" -r 1 -O "$logs/ops"
done

lib_of() { sed -n 's/^# library //p' "$1" | head -n 1; }
ours_lib=$(lib_of "$logs/ours.1")
pmdk_lib=
[ -z "$pmdk" ] || pmdk_lib=$(lib_of "$logs/pmdk.1")
if [ -n "$pmdk" ] && [ "$aa" != 1 ] && [ "$ours_lib" = "$pmdk_lib" ]; then
	echo "run-bench.sh: both binaries loaded $ours_lib; the comparison is void" >&2
	exit 1
fi

cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
echo "machine: $cpu_model, $(nproc) CPUs online, $(uname -sr)${pin:+, pinned to CPU ${cpu:-}}"
echo "file: $file, $size bytes, PMEM2_FORCE_GRANULARITY=cache_line, $(sed -n 's/^# file .* granularity //p' "$logs/ours.1") granularity"
echo "ours: $ours_lib$([ "$aa" != 1 ] || echo " (BENCH_AA=1: PMDK against itself)")"
[ -z "$pmdk" ] || echo "PMDK: $pmdk_lib"
echo "median of $runs runs per binary, run alternately; ops per row fixed by calibration (~${ms} ms);"
echo "ns/op is thread CPU time; load average $load_start at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end"
echo

files=()
for i in $(seq 1 "$runs"); do
	[ -z "$pmdk" ] || files+=("$logs/pmdk.$i")
	files+=("$logs/ours.$i")
done

awk -v havepmdk="${pmdk:+1}" '
function median(list,    a, n, i, j, t) {
	n = split(list, a, " ")
	for (i = 2; i <= n; i++)	# insertion sort: n is small
		for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) {
			t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
		}
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function bytes(name,    s) {
	s = name
	sub(/.*_/, "", s)
	if (s ~ /MiB$/) return s * 1048576
	if (s ~ /KiB$/) return s * 1024
	return s + 0
}
$1 == "row" {
	who = FILENAME ~ /\/pmdk\.[0-9]+$/ ? "pmdk" : "ours"
	if (!($2 in seen)) { seen[$2] = 1; order[++nrows] = $2 }
	ns[who, $2] = ns[who, $2] " " $6
}
END {
	if (havepmdk) {
		print "| row | PMDK ns/op | ours ns/op | PMDK GB/s | ours GB/s | ours/PMDK | target | |"
		print "|---|---:|---:|---:|---:|---:|---:|---|"
	} else {
		print "| row | ours ns/op | ours GB/s |"
		print "|---|---:|---:|"
	}
	met = 0
	for (i = 1; i <= nrows; i++) {
		r = order[i]
		o = median(ns["ours", r])
		if (!havepmdk) {
			printf "| %s | %.1f | %.2f |\n", r, o, bytes(r) / o
			continue
		}
		p = median(ns["pmdk", r])
		ratio = sprintf("%.2f", p / o) + 0	# judged as printed
		target = (r ~ /_(64|256)B$/) ? 1.2 : 1.0
		ok = ratio >= target
		met += ok
		printf "| %s | %.1f | %.1f | %.2f | %.2f | %.2f | %.1f | %s |\n", r, p, o,
			bytes(r) / p, bytes(r) / o, ratio, target, ok ? "ok" : "MISS"
	}
	print ""
	if (havepmdk)
		printf "%d of %d rows meet the target (ours/PMDK >= 1.2 at 64 B and 256 B, >= 1.0 elsewhere)\n", met, nrows
	else
		print "pmem2_bench_pmdk not built: no PMDK column"
}' "${files[@]}"
