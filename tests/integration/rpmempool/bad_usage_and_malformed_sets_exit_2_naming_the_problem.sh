#!/bin/bash
# bad_usage_and_malformed_sets_exit_2_naming_the_problem.sh -- rpmempool's usage errors (commands, options, operands,
# sizes, modes) and malformed pool set files give exit status 2 with a message naming what is wrong, for every command;
# --help and --version work; files that are not pools are told apart from sets that cannot be read
. tests/integration/rpmempool/rpmempool_env.bash

run
expect 2 "" "usage: rpmempool COMMAND"
run --help
expect 0 "usage: rpmempool COMMAND"
run -V
expect 0 "rpmempool version "
run frob x
expect 2 "" "rpmempool: unknown command 'frob'"
run sync --help
expect 0 "sync [-p] [-n] PATH"
for cmd in create info check sync rm; do
	run "$cmd"
	expect 2 "" "rpmempool $cmd: PATH (a pool set file or a pool file) is missing"
	run "$cmd" a b
	expect 2 "" "rpmempool $cmd: one PATH expected, 'b' is one too many"
	run "$cmd" -x a
	expect 2 "" "rpmempool $cmd: unknown option '-x'"
	run "$cmd" --bogus a
	expect 2 "" "rpmempool $cmd: unknown option '--bogus'"
	run "$cmd" ""
	expect 2 "" "rpmempool $cmd: PATH is empty"
done
run create -s
expect 2 "" "option '-s' needs a value"
run create --layout
expect 2 "" "option '--layout' needs a value"
for size in 12Q -8M M 8MX 99999999999999999999 20000000000P; do
	run create -s "$size" p
	expect 2 "" "size '$size' is not a size"
done
for mode in 999 -1 abc 17777; do
	run create -m "$mode" -s 8M p
	expect 2 "" "mode '$mode' is not an octal file mode"
done
[ ! -e "$WORK/p" ] || fail "a refused create made the file"

# pool set files that cannot be used, each named by what is wrong
check_set() {
	local text=$1 msg=$2 cmd
	file bad.set "$text"
	for cmd in create info check sync rm; do
		run "$cmd" bad.set
		expect 2 "" "$msg"
	done
}
check_set 'PMEMPOOLSET\nfoo bar\n' "line 2: part size 'foo' is not a size"
check_set 'PMEMPOOLSET\n' "no parts (a pool set needs at least one 'SIZE PATH' line)"
check_set 'PMEMPOOLSET\n1M p0\n' "line 2: part size 1048576 is below the minimum of 2097152 bytes (PMEMOBJ_MIN_PART)"
check_set 'PMEMPOOLSET\nOPTION NOHDRS\n8M p0\n' "OPTION NOHDRS is not supported"
check_set 'PMEMPOOLSET\n8M p0\nREPLICA\n' "line 3: REPLICA without parts"
check_set 'PMEMPOOLSET\n8M p0\nREPLICA badhost\n' "line 3: remote replica 'badhost' lacks the pool set name"
check_set 'PMEMPOOLSET\nREPLICA localhost x.set\n8M p0\n' "line 2: REPLICA before the first part"
ls "$WORK" | grep -qx p0 && fail "a malformed set made a part"

# a set that parses but breaks a size rule: create refuses it, nothing is made
file small.set 'PMEMPOOLSET\n8M p0\nREPLICA\n4M r1\n'
run create small.set
expect 1 "" "fewer than the primary's 8388608 (a replica must be at least as large as the primary)"
[ ! -e "$WORK/p0" ] && [ ! -e "$WORK/r1" ] || fail "the refused create left parts"
run create -s 8M small.set
expect 2 "" "poolsize must be 0 for a pool set (it is 8388608)"

# single files: missing, too small, a directory, not a pool
run create nosuch
expect 2 "" "pool file 'nosuch' does not exist (poolsize 0 needs an existing file)"
run create -s 4M small
expect 2 "" "poolsize 4194304 is below the minimum pool of 8388608 bytes (PMEMOBJ_MIN_POOL)"
for cmd in info check sync; do
	run "$cmd" nosuch
	expect 2 "" "'nosuch' cannot be opened: No such file or directory"
done
head -c 1M /dev/zero > "$WORK/tiny"
run check tiny
expect 2 "" "pool file 'tiny' has 1048576 bytes, below the minimum pool of 8388608 (PMEMOBJ_MIN_POOL)"
run check remote
expect 2 "" "'remote' is a directory, not a pool file or a pool set file"
head -c 9M /dev/zero > "$WORK/zeros"
run check zeros
expect 1 "pool file 'zeros': damaged: no pool header (all zero)"
run sync zeros
expect 1 "" "has no good replica, local or remote, to rebuild the others from"
run create -s 8M zeros
expect 2 "" "pool file 'zeros' already exists (poolsize 0 uses it as it is)"
pool_done "ok: usage errors and malformed pool sets exit 2 with their reasons"
