#!/bin/bash
# create_info_check_on_local_replica_and_remote_sets.sh -- rpmempool create, info (text and JSON) and check on a single
# pool file, a set with a local replica of two parts, a SINGLEHDR set and a set with a remote replica behind rpmemd:
# the layout, sizes, modes, headers, the ring of UUIDs and the remote attributes are what create made
. tests/integration/rpmempool/rpmempool_env.bash

# a single file
run create -l single -s 16M -m 0640 one
expect 0 "one: created with 1 replica"
[ "$(stat -c %a "$WORK/one")" = 640 ] || fail "mode $(stat -c %a "$WORK/one"), expected 640"
[ "$(stat -c %s "$WORK/one")" = 16777216 ] || fail "size $(stat -c %s "$WORK/one"), expected 16777216"
run check one
expect 0 "one: consistent (1 replica)"
run info one
expect 0 "layout: single"
expect 0 "pool_size: 16777216"
expect 0 "name: pool file 'one'"
expect 0 "health: ok"
run info -j one
expect 0
[ "$(json_get "j['pool_set'], j['layout'], j['pool_size'], j['root_size'], j['nreplicas'], j['consistent']")" = \
	"(False, 'single', 16777216, 0, 1, True)" ] || fail "info -j one: $out"
[ "$(json_get "j['replicas'][0]['header']['signature'], j['replicas'][0]['header']['stale_marks']")" = \
	"('PMOBJCOR', [])" ] || fail "info -j one: header $out"
# a second create over it is refused, the pool stays
run create -s 16M one
expect 2 "" "already exists"
# an existing file of zeros is used as it is
head -c 8M /dev/zero > "$WORK/reuse"
run create reuse
expect 0 "reuse: created with 1 replica"
run check reuse
expect 0 "consistent"

# a local replica of two parts
file local.set 'PMEMPOOLSET\n8M p0\nREPLICA\n4M r1a\n8M r1b\n'
run create -l loc local.set
expect 0 "local.set: created with 2 replicas"
run check local.set
expect 0 "local.set: consistent (2 replicas)"
run info -j local.set
expect 0
[ "$(json_get "j['pool_set'], j['layout'], j['pool_size'], j['reference'], len(j['replicas'])")" = \
	"(True, 'loc', 8388608, 0, 2)" ] || fail "info -j local.set: $out"
[ "$(json_get "[(p['size'], p['file_size'], p['header']) for p in j['replicas'][1]['parts']]")" = \
	"[(4194304, 4194304, True), (8388608, 8388608, True)]" ] || fail "info -j local.set: parts $out"
h0="j['replicas'][0]['header']"
h1="j['replicas'][1]['header']"
[ "$(json_get "$h0['next_uuid'] == $h1['uuid'] and $h1['next_uuid'] == $h0['uuid'] and $h0['prev_uuid'] == $h1['uuid'] and $h0['poolset_uuid'] == $h1['poolset_uuid'] and $h0['uuid'] != $h1['uuid']")" = True ] ||
	fail "the UUIDs of local.set do not form a ring: $out"
[ "$(json_get "$h1['replica'], $h1['nreplicas'], $h1['nparts'], $h0['nparts']")" = "(1, 2, 2, 1)" ] ||
	fail "info -j local.set: indexes $out"
run info local.set
expect 0 "replicas:"
expect 0 "  replica 1:"
expect 0 "stale_marks: none"
expect 0 "        path: r1b"

# SINGLEHDR: only part 0 of a replica has a header
file single.set 'PMEMPOOLSET\nOPTION SINGLEHDR\n4M s0a\n4M s0b\n'
run create single.set
expect 0 "created with 1 replica"
run info -j single.set
[ "$(json_get "j['singlehdr'], [p['header'] for p in j['replicas'][0]['parts']], j['replicas'][0]['header']['incompat_features']")" = \
	"(True, [True, False], 1)" ] || fail "info -j single.set: $out"
run check single.set
expect 0 "consistent"

# a remote replica behind rpmemd
printf 'PMEMPOOLSET\n8M r1.part\n' > "$REMOTE/r1.set"
file remote.set 'PMEMPOOLSET\n8M q0\nREPLICA localhost r1.set\n'
run create -l rem remote.set
expect 0 "remote.set: created with 2 replicas"
[ -s "$REMOTE/r1.part" ] || fail "no remote part made"
run check remote.set
expect 0 "remote.set: consistent (2 replicas)"
run info -j remote.set
expect 0
r1="j['replicas'][1]"
[ "$(json_get "$r1['remote'], $r1['target'], $r1['set_name'], $r1['health'], $r1['attributes']['signature']")" = \
	"(True, 'localhost', 'r1.set', 'ok', 'PMOBJCOR')" ] || fail "info -j remote.set: $out"
[ "$(json_get "$r1['attributes']['uuid'] == j['replicas'][0]['header']['next_uuid'] and $r1['attributes']['next_uuid'] == j['replicas'][0]['header']['uuid']")" = True ] ||
	fail "the remote attributes are not in the ring: $out"
run info remote.set
expect 0 "target: localhost"
expect 0 "set_name: r1.set"
# rpmemd unreachable: the remote replica is reported, check exits 1
RPMEM_CMD="/nonexistent/rpmemd" run check remote.set
expect 1 "replica 1 (localhost r1.set): unreachable: "
[ -z "$(pool_daemons)" ] || fail "rpmemd still running after the commands: $(pool_daemons)"
pool_done "ok: create, info and check agree on single, local-replica, SINGLEHDR and remote sets"
