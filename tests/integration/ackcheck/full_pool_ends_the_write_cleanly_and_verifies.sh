#!/bin/bash
# full_pool_ends_the_write_cleanly_and_verifies.sh -- with no time limit, rpmem_ackcheck writes an 8 MiB pool until no
# record fits: write exits 0 (a full pool is not an error), the records reach the end of the pool (less than the
# largest record, 65536 bytes, is left), they are contiguous from offset 4096, and verify finds every one
. tests/integration/ackcheck/ackcheck_env.bash

size=$((8 << 20))
dir=$WORK/full
ackcheck_pool full 8M
if write_then_verify full -s 8M -t 4 -m mixed; then
	echo "write: $(grep '^acked=' "$dir/write.out")"
	echo "verify: $(cat "$dir/verify.out")"
	# every record placed was acknowledged (no call failed), so they tile the pool from its header on
	awk -v size=$size 'NR == 1 { next }
		$1 != next_off && NR > 2 { print "FAIL: a gap before offset " $1 " (expected " next_off ")"; bad = 1 }
		NR == 2 && $1 != 4096 { print "FAIL: the first record is at " $1 ", not 4096"; bad = 1 }
		{ next_off = $1 + $2 }
		END {
			if (size - next_off >= 65536) { print "FAIL: the records end at " next_off " of " size; bad = 1 }
			exit bad
		}' "$dir/ack.log" || fail "the log does not show a full pool"
fi
ackcheck_done "ok: the pool filled up and verified"
