#!/bin/bash
# corrupted_record_in_the_part_file_fails_verify_naming_it.sh -- after a clean write, three acknowledged records are damaged
# in rpmemd's part file (a payload byte flipped, a byte of the seq flipped, a record zeroed): verify exits 2, counts
# them lost, and names each one by seq, offset and length with what is wrong. A one-part set with a header
# maps pool offset x to file offset x (doc/rpmemd-pool-format.md), so the log's offsets are file offsets.
. tests/integration/ackcheck/ackcheck_env.bash

dir=$WORK/corrupt
part=$dir/pool.part
ackcheck_pool corrupt 8M
write_then_verify corrupt -s 8M -t 2 -m mixed -d 300 || ackcheck_done "unreachable"
acked=$(field acked "$(cat "$dir/write.out")")

# flip_byte OFFSET: inverts the byte at OFFSET of the part file
flip_byte() {
	local b
	b=$(od -An -tu1 -j "$1" -N 1 "$part" | tr -d ' ')
	printf "\\x$(printf %02x $((b ^ 0xff)))" | dd of="$part" bs=1 seek="$1" conv=notrunc status=none
}
# the lines 2, the middle and the last of the log: three records far apart
n=$(wc -l < "$dir/ack.log")
read -r off1 len1 seq1 < <(sed -n 2p "$dir/ack.log")
read -r off2 len2 seq2 < <(sed -n "$(((n + 2) / 2))p" "$dir/ack.log")
read -r off3 len3 seq3 < <(sed -n "${n}p" "$dir/ack.log")
[ "$n" -ge 4 ] && [ "$off1" -lt "$off2" ] && [ "$off2" -lt "$off3" ] ||
	{ fail "expected at least 3 records in the log, got $((n - 1))"; ackcheck_done unreachable; }
flip_byte $((off1 + 32 + 5))	# payload
flip_byte $((off2 + 16))	# the low byte of seq
head -c "$len3" /dev/zero | dd of="$part" bs=64K seek="$off3" oflag=seek_bytes conv=notrunc status=none

ackcheck corrupt verify -a "$dir/ack.log" localhost pool.set > "$dir/verify.out" 2> "$dir/verify.err"
rc=$?
cat "$dir/verify.out" "$dir/verify.err"
[ $rc -eq 2 ] || fail "verify exited $rc, expected 2 (records lost or corrupt)"
[ "$(cat "$dir/verify.out")" = "verified=$((acked - 3)) lost=3" ] ||
	fail "verify printed '$(cat "$dir/verify.out")', expected 'verified=$((acked - 3)) lost=3'"
hex() { printf '0x%x' "$1"; }
grep -qF "record seq $(hex "$seq1") at offset $off1 (len $len1): checksum mismatch (stored 0x" "$dir/verify.err" ||
	fail "no checksum mismatch line naming seq $(hex "$seq1") at offset $off1"
grep -qF "payload byte 5 is 0x" "$dir/verify.err" || fail "the checksum mismatch line does not name payload byte 5"
grep -qF "record seq $(hex "$seq2") at offset $off2 (len $len2): holds seq $(hex $((seq2 ^ 0xff))) instead" \
	"$dir/verify.err" || fail "no line naming the wrong seq of the record at offset $off2"
grep -qF "record seq $(hex "$seq3") at offset $off3 (len $len3): missing: all $len3 bytes are zero" \
	"$dir/verify.err" || fail "no line naming the zeroed record at offset $off3"
ackcheck_done "ok: 3 damaged records of $acked found and named"
