#!/bin/bash
# rm_removes_local_parts_and_remote_replicas.sh -- rpmempool rm removes every local part and, through rpmemd, the remote
# replica's parts; the pool set files stay unless -s (then rpmemd's goes too); missing parts fail unless -f; a pool
# in use is not removed
. tests/integration/rpmempool/rpmempool_env.bash

exists() {
	local f
	for f in "$@"; do
		[ -e "$WORK/$f" ] || fail "$f is gone"
	done
}
gone() {
	local f
	for f in "$@"; do
		[ ! -e "$WORK/$f" ] || fail "$f is still there"
	done
}

# local: parts go, the set file stays; again: the missing part is named, -f ignores it; -s takes the set file
file local.set 'PMEMPOOLSET\n8M p0\nREPLICA\n4M r1a\n8M r1b\n'
run create local.set
expect 0
run rm local.set
expect 0
gone p0 r1a r1b
exists local.set
run rm local.set
expect 1 "" "replica 0 (line 2, p0): not removed: "
expect 1 "" "'p0' cannot be opened: No such file or directory"
run rm -f local.set
expect 0
exists local.set
run create local.set
expect 0
rm "$WORK/r1b"
run rm local.set
expect 1 "" "replica 1 (line 4, r1a): not removed: "
gone p0
exists r1a
run rm -f -s local.set
expect 0
gone r1a local.set
run rm -f local.set
expect 0
run rm local.set
expect 2 "" "'local.set' cannot be opened: No such file or directory"

# a single pool file
run create -s 8M single
expect 0
run rm single
expect 0
gone single

# remote: the parts behind rpmemd go, its set file stays; with -s both set files go
printf 'PMEMPOOLSET\n8M r1.part\n' > "$REMOTE/r1.set"
file remote.set 'PMEMPOOLSET\n8M q0\nREPLICA localhost r1.set\n'
run create remote.set
expect 0
exists q0 remote/r1.part
run rm remote.set
expect 0
gone q0 remote/r1.part
exists remote.set remote/r1.set
run rm remote.set
expect 1 "" "not removed"
run rm -f remote.set
expect 0
exists remote/r1.set
run create remote.set
expect 0
run rm --pool-set remote.set
expect 0
gone q0 remote/r1.part remote/r1.set remote.set

# a pool in use is not removed
file busy.set 'PMEMPOOLSET\n8M b0\nREPLICA\n8M b1\n'
run create busy.set
expect 0
exec 9< "$WORK/b0"
flock -x 9
run rm -f busy.set
expect 1 "" "replica 0 (line 2, b0): not removed: "
expect 1 "" "is in use"
exec 9<&-
exists b0 b1 busy.set
run rm busy.set
expect 0
gone b0 b1
[ -z "$(pool_daemons)" ] || fail "rpmemd still running after the commands: $(pool_daemons)"
pool_done "ok: rm removed local parts and remote replicas, set files only with -s"
