#!/bin/bash
# run-tests.sh LOGDIR TEST... -- runs every test (cmocka program or script) in parallel,
# each bounded in time, keeps each one's output in LOGDIR and ends with the line
# "N passed, N failed[, N skipped]". Counts are test cases for cmocka programs and
# one per script; a script exiting 77 is skipped and prints "SKIP: reason".
# TEST_JOBS (default: cores), TEST_TIMEOUT seconds (default 300), TEST_WRAPPER
# (e.g. "valgrind --error-exitcode=99") tune the run; TEST_FILTER runs only
# tests whose name (e.g. integration/rpmem/replicate) matches the given extended regex.
set -u

if [ "${1:-}" = "--one" ]; then
	test=$2 log=$3
	case "$test" in
	*.sh) cmd=(bash "$test") ;;
	*) read -r -a wrap <<< "${TEST_WRAPPER:-}"; cmd=("${wrap[@]}" "$test") ;;
	esac
	timeout -k 10 "${TEST_TIMEOUT:-300}" "${cmd[@]}" > "$log" 2>&1 < /dev/null
	rc=$?
	pass=0 fail=0 skip=0 cm=0
	while read -r kind n; do
		cm=1
		case "$kind" in
		PASSED) pass=$((pass + n)) ;;
		FAILED) fail=$((fail + n)) ;;
		SKIPPED) skip=$((skip + n)) ;;
		esac
	done < <(sed -nE 's/^\[  (PASSED|FAILED|SKIPPED) *\] ([0-9]+) test\(s\).*/\1 \2/p' "$log")
	if [ $cm -eq 0 ]; then
		case $rc in
		0) pass=1 ;;
		77) skip=1 ;;
		*) fail=1 ;;
		esac
	elif [ $rc -ne 0 ] && [ $fail -eq 0 ]; then
		fail=1	# crashed or timed out after its last summary
	fi
	status=ok
	[ $fail -gt 0 ] && status=FAIL
	[ $rc -eq 124 ] && status="FAIL (timed out)"
	name=${test#*tests/}
	printf '%-50s %s (%d passed, %d failed, %d skipped)\n' "$name" "$status" $pass $fail $skip
	grep -h '^SKIP: ' "$log" | sed "s|^|    $name: |"
	if [ $fail -gt 0 ]; then
		echo "    --- last lines of $log ---"
		tail -n 25 "$log" | sed 's/^/    /'
	fi
	echo "$pass $fail $skip" > "$log.result"
	exit 0
fi

logdir=$1
shift
mkdir -p "$logdir"
rm -f "$logdir"/*.result

tests=()
for t in "$@"; do
	# matched against the name the runner prints (unit/..., integration/...), not the build dir
	if [ -n "${TEST_FILTER:-}" ] && ! [[ "${t#*tests/}" =~ $TEST_FILTER ]]; then
		continue
	fi
	tests+=("$t")
done

jobs=${TEST_JOBS:-$(nproc)}
self=$(readlink -f "$0")
for t in "${tests[@]}"; do
	printf '%s\0' "$t"
done | xargs -0 -r -n 1 -P "$jobs" sh -c \
	'log="$1/$(echo "$2" | tr / _).log"; exec "$0" --one "$2" "$log"' "$self" "$logdir"

# Failures are repeated at the end, so that a log showing only its tail names them.
pass=0 fail=0 skip=0 missing=0 failed=()
for t in "${tests[@]}"; do
	log="$logdir/$(echo "$t" | tr / _).log"
	if [ -f "$log.result" ]; then
		read -r p f s < "$log.result"
		pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
		[ "$f" -gt 0 ] && failed+=("$t")
	else
		missing=$((missing + 1))
		failed+=("$t")
	fi
done
fail=$((fail + missing))
for t in "${failed[@]}"; do
	log="$logdir/$(echo "$t" | tr / _).log"
	echo "FAILED: ${t#*tests/} (log: $log)"
	[ -f "$log" ] && tail -n 12 "$log" | sed 's/^/    /'
done

line="$pass passed, $fail failed"
[ $skip -gt 0 ] && line="$line, $skip skipped"
echo "$line"
[ $fail -eq 0 ]
