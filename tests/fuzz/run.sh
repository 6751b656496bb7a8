#!/bin/bash
# run.sh BIN FUZZ_DIR NAME WORK SECONDS MAX_LEN -- runs one libFuzzer target for a bounded time on a copy of its
# seeds (FUZZ_DIR/corpus/NAME) and regressions (FUZZ_DIR/regressions/NAME) in WORK, never writing into FUZZ_DIR;
# prints the executions, and fails leaving the crash file in WORK/crashes/ when the target crashed.
set -u
bin=$1 fuzz_dir=$2 name=$3 work=$4 seconds=$5 max_len=$6

mkdir -p "$work/corpus" "$work/crashes"
for d in "$fuzz_dir/corpus/$name" "$fuzz_dir/regressions/$name"; do
	[ -d "$d" ] || continue
	find "$d" -maxdepth 1 -type f ! -name '.*' -exec cp -f -t "$work/corpus" {} +
done

log=$work/fuzz.log
"$bin" -max_total_time="$seconds" -max_len="$max_len" -print_final_stats=1 \
	-artifact_prefix="$work/crashes/" "$work/corpus" > "$log" 2>&1
rc=$?
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
inputs=$(find "$work/corpus" -type f | wc -l)
if [ $rc -ne 0 ]; then
	echo "FUZZ $name: FAILED (exit $rc) after ${execs:-?} executions; log $log"
	grep -E '^(==[0-9]+==ERROR|SUMMARY|.*fuzz assertion failed|.*runtime error)' "$log" | head -n 5 | sed 's/^/    /'
	for f in "$work"/crashes/*; do
		[ -e "$f" ] && echo "    reproducer: $f"
	done
	exit 1
fi
printf 'FUZZ %-12s %10s executions in %ss, corpus %d inputs\n' "$name" "${execs:-?}" "$seconds" "$inputs"
