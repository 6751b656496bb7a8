#!/bin/bash
# every_mode_acknowledges_records_and_verify_finds_each_one.sh -- rpmem_ackcheck writes for 300 ms in each mode (persist,
# relaxed, deep, flush, flush-relaxed, mixed; in parallel, each with its own rpmemd), and in mixed mode with 6 threads
# taking turns on 2 lanes; then verify: both exit 0, records were acknowledged, no call failed, no descriptor
# leaked, and verify finds every acknowledged record intact
. tests/integration/ackcheck/ackcheck_env.bash

modes=(persist relaxed deep flush flush-relaxed mixed)
declare -A pid
for m in "${modes[@]}"; do
	ackcheck_pool "$m" 32M
	write_then_verify "$m" -s 32M -m "$m" -t 4 -d 300 > "$WORK/$m.result" 2>&1 &
	pid[$m]=$!
done
ackcheck_pool shared-lanes 32M
ACKCHECK_NLANES=2 write_then_verify shared-lanes -s 32M -m mixed -t 6 -d 300 > "$WORK/shared-lanes.result" 2>&1 &
pid[shared-lanes]=$!
modes+=(shared-lanes)
for m in "${modes[@]}"; do
	if ! wait "${pid[$m]}"; then
		cat "$WORK/$m.result"
		fail "mode $m"
	fi
	echo "$m: $(grep '^acked=' "$WORK/$m/write.out"); $(cat "$WORK/$m/verify.out" 2> /dev/null)"
done
grep -qx 'ready nlanes=2' "$WORK/shared-lanes/write.out" ||
	fail "with RPMEM_MAX_NLANES=2: $(head -n 1 "$WORK/shared-lanes/write.out"), expected ready nlanes=2"
ackcheck_done "ok: every mode's acknowledged records verified"
