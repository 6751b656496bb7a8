#!/bin/bash
# replay.sh -- every fuzz target, built without libFuzzer, replays its seed corpus and crash reproducers
# (tests/fuzz/corpus/<name>/, tests/fuzz/regressions/<name>/): a crash found once stays fixed.
set -u
build=${BUILD_DIR:-build/release}
fail=0
n=0
for corpus in tests/fuzz/corpus/*/; do
	name=$(basename "$corpus")
	bin=$build/tests/fuzz/replay_$name
	if [ ! -x "$bin" ]; then
		echo "FAIL: $bin is missing (is $name in FUZZ_NAMES of tests/fuzz/fuzz.mk?)"
		fail=1
		continue
	fi
	dirs=("$corpus")
	[ -d "tests/fuzz/regressions/$name" ] && dirs+=("tests/fuzz/regressions/$name")
	if ! out=$("$bin" "${dirs[@]}" 2>&1); then
		echo "FAIL: $name:"
		echo "$out"
		fail=1
		continue
	fi
	echo "$out"
	# an empty seed corpus would make the replay pass without testing anything
	if grep -q "^${corpus}: 0 inputs" <<< "$out"; then
		echo "FAIL: $corpus has no seeds"
		fail=1
	fi
	n=$((n + 1))
done
[ $n -gt 0 ] || { echo "FAIL: no fuzz corpus found under tests/fuzz/corpus"; exit 1; }
exit $fail
