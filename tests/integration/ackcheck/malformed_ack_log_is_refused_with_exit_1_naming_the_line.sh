#!/bin/bash
# malformed_ack_log_is_refused_with_exit_1_naming_the_line.sh -- verify takes the ack log of a real write apart: a last
# line cut short, a record line without its seq, a wrong header or version, an offset in the pool header, an unknown
# length, a record beyond the pool, overlapping records, a seq twice, an empty or missing file, and a log of
# another run each exit 1 with a message naming the file (and line); the untouched log still verifies
. tests/integration/ackcheck/ackcheck_env.bash

dir=$WORK/log
ackcheck_pool log 8M
write_then_verify log -s 8M -t 2 -m persist -d 200 || ackcheck_done "the write or the first verify failed"
log=$dir/ack.log
n=$(wc -l < "$log")
[ "$n" -ge 4 ] || { fail "expected at least 3 records, the log has $((n - 1))"; ackcheck_done "too few records"; }
read -r off len seq < <(sed -n 3p "$log")
header=$(head -n 1 "$log")

# variant NAME EXPECTED: writes $dir/NAME.log from stdin (not a pipe: it records in this shell); verify must
# exit 1 with EXPECTED in its message
names=() expected=()
variant() {
	cat > "$dir/$1.log"
	names+=("$1")
	expected+=("$2")
}
variant cut_short "malformed ack log $dir/cut_short.log:$n: the last line is cut short (no newline)" < <(head -c -4 "$log")
variant no_seq "malformed ack log $dir/no_seq.log:3: expected \"<offset> <length> <seq>\"" < <(sed "3s/ [0-9]*\$//" "$log")
variant extra_field "malformed ack log $dir/extra_field.log:3: expected \"<offset> <length> <seq>\"" < <(sed "3s/\$/ 7/" "$log")
variant version "$dir/version.log:1: unsupported log version" < <(sed "1s/^rpmem_ackcheck 1 /rpmem_ackcheck 2 /" "$log")
variant header "$dir/header.log:1: not an rpmem_ackcheck log" < <(sed "1s/^/x/" "$log")
variant pool_size "$dir/pool_size.log:1: pool_size is below RPMEM_MIN_POOL" < <(sed "1s/ pool_size=/ pool_size=1/" "$log")
variant in_header "$dir/in_header.log:3: the offset is inside the pool header" < <(sed "3s/^$off /4000 /" "$log")
variant length "$dir/length.log:3: the length is not one of the record lengths" < <(sed "3s/^$off $len /$off 65 /" "$log")
variant beyond "$dir/beyond.log:$((n + 1)): the record ends beyond pool_size" < <({ cat "$log"; echo "$((8 << 20)) 64 999999"; })
variant overlap "$dir/overlap.log: the records at offsets" < <({ cat "$log"; echo "$off 64 999999"; })
variant seq_twice "$dir/seq_twice.log: seq $seq appears twice" < <({ cat "$log"; echo "$(((8 << 20) - 4096)) 64 $seq"; })
variant empty "$dir/empty.log: the file is empty" < /dev/null
variant other_run "was written by epoch" < <(sed "1s/ epoch=[0-9]*/ epoch=12345/" "$log")
names+=(missing) expected+=("cannot open the ack log $dir/missing.log")

declare -A pid
for name in "${names[@]}"; do
	ackcheck log verify -q -a "$dir/$name.log" localhost pool.set > "$dir/$name.out" 2> "$dir/$name.err" &
	pid[$name]=$!
done
for i in "${!names[@]}"; do
	name=${names[$i]}
	wait "${pid[$name]}"
	rc=$?
	[ $rc -eq 1 ] || fail "$name: verify exited $rc, expected 1: $(cat "$dir/$name.out" "$dir/$name.err")"
	grep -qF -- "${expected[$i]}" "$dir/$name.err" ||
		fail "$name: expected '${expected[$i]}' on stderr, got: $(cat "$dir/$name.err")"
	[ -s "$dir/$name.out" ] && fail "$name: printed on stdout: $(cat "$dir/$name.out")"
	echo "$name: $(head -n 1 "$dir/$name.err")"
done
ackcheck_done "ok: ${#names[@]} malformed logs refused"
