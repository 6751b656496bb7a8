#!/bin/bash
# pmemobj_bench_refuses_bad_options_with_exit_2.sh -- bad options and arguments end pmemobj_bench with exit 2 and a message naming them, before any pool or daemon exists; a directory it cannot use, or a daemon that does not start, ends it with exit 1 naming the cause and leaving nothing behind
set -u

bench=${BUILD_DIR:-build/release}/utils/pmemobj_bench
if [ ! -x "$bench" ]; then
	echo "SKIP: $bench not built"
	exit 77
fi

fail=0
# expect CODE PATTERN ARGS...: the exit code and a line of stderr matching PATTERN
expect() {
	local code=$1 pattern=$2
	shift 2
	local err rc
	err=$("$bench" "$@" 2>&1 > /dev/null)
	rc=$?
	if [ $rc -ne "$code" ]; then
		echo "FAIL: pmemobj_bench $* exited $rc, not $code ($err)"
		fail=1
	elif ! grep -qE "$pattern" <<< "$err"; then
		echo "FAIL: pmemobj_bench $*: no \"$pattern\" in: $err"
		fail=1
	fi
}

expect 2 '^pmemobj_bench: -r 0: not a number in 1\.\.1000$' -r 0
expect 2 '^pmemobj_bench: -r 12x: not a number in 1\.\.1000$' -r 12x
expect 2 '^pmemobj_bench: -t -5: not a number in 1\.\.60000$' -t -5
expect 2 '^pmemobj_bench: -s 4: not a number in 8\.\.4096$' -s 4
expect 2 '^pmemobj_bench: -T 5: not a number in 1\.\.4$' -T 5
expect 2 '^pmemobj_bench: -p 3: not a number in 0\.\.2$' -p 3
expect 2 '^pmemobj_bench: -t : not a number' -t ''
expect 2 '^pmemobj_bench: unexpected argument extra$' -r 1 extra
expect 2 'invalid option' -x
expect 2 '^usage: pmemobj_bench' -r 0
expect 1 '^pmemobj_bench: cannot make a directory in /nonexistent/dir: No such file or directory$' \
	-r 1 -t 1 -d /nonexistent/dir

# a daemon that cannot be started: pmemobj_create's message names the replica and the command
dir=$(mktemp -d /dev/shm/pmemobj-bench-bad-XXXXXX)
trap 'rm -rf "$dir"' EXIT
unset RPMEM_SSH RPMEM_CMD RPMEM_PROVIDER
PMEMOBJ_BENCH_RPMEMD=/nonexistent/rpmemd \
	expect 1 '^pmemobj_bench: pmemobj_create\(.*/pool1\.set\): .*one\.set.*/nonexistent/rpmemd' \
	-r 1 -t 1 -d "$dir"
left=$(ls -A "$dir")
[ -z "$left" ] || { echo "FAIL: pmemobj_bench left $left in $dir"; fail=1; }
exit $fail
