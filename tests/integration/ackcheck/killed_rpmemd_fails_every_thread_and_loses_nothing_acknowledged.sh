#!/bin/bash
# killed_rpmemd_fails_every_thread_and_loses_nothing_acknowledged.sh -- rpmemd gets SIGKILL while rpmem_ackcheck writes
# with 4 threads (mixed modes) and has records acknowledged: write exits 3, every thread failed with ECONNRESET
# (librpmem(7): a lost connection), rpmem_close failed, no descriptor leaked; the pool reopens and verify
# finds every acknowledged record intact
. tests/integration/ackcheck/ackcheck_env.bash

dir=$WORK/kill
ackcheck_pool kill 256M
# no time limit: only the kill ends it (the pool takes far longer to fill than the test to see progress)
ackcheck_bg kill "$dir/write.out" "$dir/write.err" write -a "$dir/ack.log" -s 256M -t 4 -m mixed \
	localhost pool.set

# wait_for WHAT CMD...: polls CMD every 10 ms for up to 30 s
wait_for() {
	local what=$1 i
	shift
	for ((i = 0; i < 3000; i++)); do
		"$@" && return 0
		kill -0 "$BG_PID" 2> /dev/null || { fail "write ended before $what"; return 1; }
		sleep 0.01
	done
	fail "no $what within 30 s"
	return 1
}
# records persisted beyond 1 MiB: each thread had earlier steps acknowledged before it placed a later record
progressed() {
	[ -n "$(od -An -tx1 -j $((1 << 20)) -N 64 "$dir/pool.part" 2> /dev/null | tr -d ' 0\n')" ]
}

if wait_for "ready line" grep -q '^ready nlanes=' "$dir/write.out"; then
	pids=($(ackcheck_daemons kill))
	[ ${#pids[@]} -eq 1 ] || fail "expected one rpmemd serving $dir, found ${#pids[@]}: ${pids[*]}"
	wait_for "record beyond 1 MiB in the part file" progressed && kill -KILL "${pids[@]}"
fi
wait "$BG_PID"
rc=$?
out=$(grep '^acked=' "$dir/write.out")
echo "write: $out"
[ $rc -eq 3 ] || fail "write exited $rc, expected 3 (a replication call failed)"
acked=$(field acked "$out")
[ -n "$acked" ] && [ "$acked" -gt 0 ] || fail "acked=$acked, expected records acknowledged before the kill"
[ "$(field failed_threads "$out")" = 4 ] || fail "failed_threads=$(field failed_threads "$out"), expected 4"
[ "$(field first_errno "$out")" = ECONNRESET ] || fail "first_errno=$(field first_errno "$out"), expected ECONNRESET"
[ "$(field close "$out")" != 0 ] || fail "close=0 after the daemon was killed"
[ "$(field fd_delta "$out")" = 0 ] || fail "fd_delta=$(field fd_delta "$out"), expected 0"
first=$(field first_fail_ms "$out") last=$(field last_fail_ms "$out")
[ "${first:-0}" -gt 0 ] && [ "$last" -ge "$first" ] || fail "first_fail_ms=$first last_fail_ms=$last"
for i in 0 1 2 3; do
	grep -qE "^thread $i: rpmem_[a-z_]+ failed: errno ECONNRESET: .+" "$dir/write.err" ||
		fail "no \"thread $i: ... failed: errno ECONNRESET: ...\" line on stderr"
done
cat "$dir/write.err"
[ $failures -eq 0 ] || show_logs kill

ackcheck kill verify -a "$dir/ack.log" localhost pool.set > "$dir/verify.out" 2> "$dir/verify.err"
rc=$?
echo "verify: $(cat "$dir/verify.out")"
if [ $rc -ne 0 ] || [ "$(cat "$dir/verify.out")" != "verified=$acked lost=0" ]; then
	fail "verify exited $rc, printed '$(cat "$dir/verify.out")', expected 'verified=$acked lost=0'"
	show_logs kill
fi
ackcheck_done "ok: rpmemd killed after $acked acknowledged records; all verified"
