#!/bin/bash
# bad_usage_exits_1_naming_the_option.sh -- rpmem_ackcheck refuses a missing ack log, bad sizes, modes, thread counts,
# durations and epochs, write-only options given to verify, unknown options and commands, missing operands: exit 1,
# a message on stderr naming the option (and value), nothing started, no log written; --help exits 0
. tests/integration/ackcheck/ackcheck_env.bash

log=$WORK/ack.log
# check EXPECTED ARGS...: rpmem_ackcheck ARGS must exit 1 with EXPECTED on stderr and nothing on stdout;
# started in the background (each run spends ~0.2 s loading libfabric's providers), judged by judge_all
n=0 expected=() cmds=()
check() {
	n=$((n + 1))
	expected[$n]=$1
	shift
	cmds[$n]="$*"
	# a daemon that cannot start: nothing may get that far
	(RPMEM_SSH=/bin/false timeout 60 "$ACKCHECK" "$@" > "$WORK/$n.out" 2> "$WORK/$n.err"
		echo $? > "$WORK/$n.rc") &
}
judge_all() {
	local i rc out err
	wait
	for ((i = 1; i <= n; i++)); do
		rc=$(cat "$WORK/$i.rc") out=$(cat "$WORK/$i.out") err=$(cat "$WORK/$i.err")
		if [ "$rc" -ne 1 ] || ! grep -qF -- "${expected[$i]}" <<< "$err" || [ -n "$out" ]; then
			fail "rpmem_ackcheck ${cmds[$i]}: exit $rc (expected 1), stdout '$out', stderr '$err' (expected '${expected[$i]}')"
		else
			echo "rpmem_ackcheck ${cmds[$i]}: $(head -n 1 <<< "$err")"
		fi
	done
}
check "--ack-log FILE is required" write localhost pool.set
check "--ack-log FILE is required" verify localhost pool.set
check "--pool-size '12345': expected a size" write -a "$log" --pool-size 12345 localhost pool.set
check "-s 'abc': expected a size" write -a "$log" -s abc localhost pool.set
check "-s '4K': expected a size of at least 8K" write -a "$log" -s 4K localhost pool.set
check "-s '-64M': expected a size" write -a "$log" -s -64M localhost pool.set
check "--mode 'fast': expected persist, relaxed, deep, flush, flush-relaxed or mixed" \
	write -a "$log" --mode fast localhost pool.set
check "-m 'Persist': expected persist" write -a "$log" -m Persist localhost pool.set
check "--threads '0': expected a number of threads from 1 to 64" write -a "$log" --threads 0 localhost pool.set
check "-t '65': expected a number of threads from 1 to 64" write -a "$log" -t 65 localhost pool.set
check "-t ' 4': expected a number of threads" write -a "$log" -t ' 4' localhost pool.set
check "--duration-ms '1.5': expected milliseconds" write -a "$log" --duration-ms 1.5 localhost pool.set
check "-e '0xg': expected a number" write -a "$log" -e 0xg localhost pool.set
check "--ack-log: an empty file name" write --ack-log= localhost pool.set
check "verify: --pool-size is an option of write only" verify -a "$log" --pool-size 8M localhost pool.set
check "verify: -t is an option of write only" verify -a "$log" -t 2 localhost pool.set
check "unknown option --size" write -a "$log" --size 8M localhost pool.set
check "unknown option -x" write -a "$log" -x localhost pool.set
check "a value is missing for --mode" write -a "$log" localhost pool.set --mode
check "write: expected TARGET and POOLSET after the options, got fewer" write -a "$log" localhost
check "verify: expected TARGET and POOLSET after the options, got more" verify -a "$log" localhost a.set b.set
check "unknown command 'check' (expected write or verify)" check -a "$log" localhost pool.set
check "expected a command, write or verify"
judge_all
[ -e "$log" ] && fail "a refused command wrote $log"
[ -e "$log.tmp" ] && fail "a refused command wrote $log.tmp"

for help in --help -h "write --help" "verify -h"; do
	out=$("$ACKCHECK" $help 2>&1)
	rc=$?
	[ $rc -eq 0 ] && grep -q '^usage: rpmem_ackcheck write' <<< "$out" ||
		fail "rpmem_ackcheck $help exited $rc: $out"
done
ackcheck_done "ok: every bad usage refused"
