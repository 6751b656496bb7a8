#!/bin/bash
# examples.sh -- the three example programs of examples/ build as a user builds them (the public
# headers, -lminiasync -pthread, nothing else) and print exactly what they should
set -euo pipefail

build_dir=${BUILD_DIR:-build/release}
lib=$(cd "$build_dir/lib" && pwd)
[ -e "$lib/libminiasync.so" ] || [ -e "$lib/libminiasync.so.0" ] || { echo "FAIL: no libminiasync in $lib"; exit 1; }
san=()
case "$build_dir" in
*/sanitize) san=(-fsanitize=address,undefined -fno-sanitize-recover=undefined) ;;
esac
cc=${CC:-cc}
dir=$(mktemp -d /tmp/miniasync-examples-XXXXXX)
trap 'rm -rf "$dir"' EXIT
failures=0

fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}

# run NAME EXPECTED: builds examples/NAME.c, runs it, compares its whole output with EXPECTED
run() {
	local name=$1 expected=$2
	if ! "$cc" -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror "${san[@]}" -Iinclude \
			"tests/integration/libminiasync/examples/$name.c" -o "$dir/$name" \
			-L"$lib" -Wl,-rpath,"$lib" -lminiasync -pthread 2> "$dir/$name.cc"; then
		fail "$name does not build: $(cat "$dir/$name.cc")"
		return
	fi
	local rc=0 before=$failures
	timeout 60 "$dir/$name" > "$dir/$name.out" 2> "$dir/$name.err" || rc=$?
	[ $rc -eq 0 ] || fail "$name exited with $rc"
	if [ "$(cat "$dir/$name.out")" != "$expected" ]; then
		fail "$name printed something else:"
		diff <(echo "$expected") "$dir/$name.out" | sed 's/^/    /'
	fi
	if [ -s "$dir/$name.err" ]; then
		fail "$name wrote to stderr: $(cat "$dir/$name.err")"
	fi
	[ $failures -eq $before ] && echo "$name: the $(wc -l < "$dir/$name.out") lines expected"
	return 0
}

run basic "print: a future polled by hand
print: copying on the threads mover
print: hello from a future
copied to the buffer: yes, printed 27 characters"

run basic_async "256 futures complete: 128 copies, 64 fills, 64 sums of 522240
0 mismatches"

# key 6 probes past 2 (taken) into 3; 404 finds all four slots taken
run hashmap "put key 1: stored Foo
put key 2: stored Bar
put key 1: already exists
put key 6: stored Fizz
put key 4: stored Buzz
put key 4: already exists
put key 404: no space left
get key 1: Foo
get key 2: Bar
get key 4: Buzz
get key 6: Fizz
get key 404: (none)"

if [ $failures -ne 0 ]; then
	echo "$failures failure(s)"
	exit 1
fi
