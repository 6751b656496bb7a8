# ackcheck_env.bash -- sourced by the rpmem_ackcheck tests: the build's tool and rpmemd on loopback, one poolset-dir per pool, cleanup on every path
# Sets ACKCHECK and WORK (a fresh directory, removed at exit with every process the test left serving it);
# a test calls fail() for each problem and ends with ackcheck_done. Runs from the repository root.
set -u

BUILD_DIR=${BUILD_DIR:-build/release}
ACKCHECK=$BUILD_DIR/utils/rpmem_ackcheck
failures=0
BACKGROUND=()

fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}

skip() {
	echo "SKIP: $*"
	exit 77
}

[ -x "$ACKCHECK" ] || skip "$ACKCHECK not built"
[ -x "$BUILD_DIR/bin/rpmemd" ] || skip "$BUILD_DIR/bin/rpmemd not built"
if command -v fi_info > /dev/null && ! fi_info -p tcp > /dev/null 2>&1; then
	skip "libfabric's tcp provider is not available"
fi
RPMEMD=$(realpath "$BUILD_DIR/bin/rpmemd")
SSH_LOCAL=$(realpath tests/lib/rpmem_ssh_local.sh)

# pools in RAM, as the pmem they stand for
WORK=$(mktemp -d /dev/shm/ackcheck.XXXXXX 2> /dev/null || mktemp -d /tmp/ackcheck.XXXXXX)

# ackcheck_daemons NAME: the pids of the rpmemd processes serving $WORK/NAME (argv[0] is rpmemd itself)
ackcheck_daemons() {
	local dir=$WORK/$1 p args a
	for p in /proc/[0-9]*; do
		mapfile -d "" -t args 2> /dev/null < "$p/cmdline" || continue
		[ ${#args[@]} -gt 0 ] && [ "${args[0]##*/}" = rpmemd ] || continue
		for a in "${args[@]}"; do
			if [ "$a" = "--poolset-dir=$dir" ]; then
				echo "${p#/proc/}"
				break
			fi
		done
	done
}

cleanup() {
	local pid name
	# each is a timeout(1) leading its own process group, the tool in it
	for pid in "${BACKGROUND[@]}"; do
		kill -KILL -- "-$pid" 2> /dev/null
	done
	for name in "$WORK"/*/; do
		[ -d "$name" ] || continue
		for pid in $(ackcheck_daemons "$(basename "$name")"); do
			kill -KILL "$pid" 2> /dev/null
		done
	done
	rm -rf "$WORK"
}
trap cleanup EXIT

# ackcheck_pool NAME SIZE: the poolset-dir $WORK/NAME with pool.set, one part of SIZE (not created yet)
ackcheck_pool() {
	mkdir "$WORK/$1"
	printf 'PMEMPOOLSET\n%s pool.part\n' "$2" > "$WORK/$1/pool.set"
}

# ackcheck_exec NAME ARGS...: becomes rpmem_ackcheck ARGS against the build's rpmemd serving $WORK/NAME,
# over tcp, under timeout(1): a hang is cut after 60 s (exit status 124); ACKCHECK_NLANES, when set, caps the lanes
ackcheck_exec() {
	local name=$1
	shift
	exec env -u RPMEM_ENABLE_SOCKETS -u RPMEM_MAX_NLANES -u RPMEM_TIMEOUT_MS \
		${ACKCHECK_NLANES:+RPMEM_MAX_NLANES=$ACKCHECK_NLANES} RPMEM_SSH="$SSH_LOCAL" RPMEM_PROVIDER=tcp \
		RPMEM_CMD="$RPMEMD --poolset-dir=$WORK/$name --log-file=$WORK/$name/rpmemd.log --log-level=info" \
		timeout -k 5 60 "$ACKCHECK" "$@"
}
# ackcheck NAME ARGS...: the same in a subshell, waited for
ackcheck() {
	( ackcheck_exec "$@" )
}

# ackcheck_bg NAME OUT ERR ARGS...: the same in the background, its output in OUT and ERR; sets BG_PID
# (timeout's, which leads the process group of the tool)
ackcheck_bg() {
	local name=$1 out=$2 err=$3
	shift 3
	( ackcheck_exec "$name" "$@" > "$out" 2> "$err" ) &
	BG_PID=$!
	BACKGROUND+=("$BG_PID")
}

# field NAME LINE: the value of NAME=value in LINE
field() {
	sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p" <<< "$2"
}

# show_logs NAME: the outputs of a failed run and rpmemd's log
show_logs() {
	local f
	for f in "$WORK/$1"/*.out "$WORK/$1"/*.err "$WORK/$1/rpmemd.log"; do
		[ -f "$f" ] || continue
		echo "--- $f"
		tail -n 20 "$f"
	done
}

# write_then_verify NAME ARGS...: write ARGS (the log $WORK/NAME/ack.log), then verify; checks both
# exit 0, acked > 0, verified = acked, lost 0, no thread failed, close 0, fd_delta 0
write_then_verify() {
	local name=$1 dir=$WORK/$1 rc out acked
	shift
	ackcheck "$name" write -a "$dir/ack.log" "$@" localhost pool.set > "$dir/write.out" 2> "$dir/write.err"
	rc=$?
	out=$(grep '^acked=' "$dir/write.out")
	acked=$(field acked "$out")
	if [ $rc -ne 0 ] || ! grep -q '^ready nlanes=[1-9]' "$dir/write.out" || [ -z "$acked" ] ||
			[ "$acked" -le 0 ] || [ "$(field failed_threads "$out")" != 0 ] ||
			[ "$(field close "$out")" != 0 ] || [ "$(field fd_delta "$out")" != 0 ]; then
		fail "$name: write $* exited $rc: $(cat "$dir/write.out")"
		show_logs "$name"
		return 1
	fi
	ackcheck "$name" verify -a "$dir/ack.log" localhost pool.set > "$dir/verify.out" 2> "$dir/verify.err"
	rc=$?
	if [ $rc -ne 0 ] || [ "$(cat "$dir/verify.out")" != "verified=$acked lost=0" ]; then
		fail "$name: verify after write $* exited $rc, printed '$(cat "$dir/verify.out")', expected 'verified=$acked lost=0'"
		show_logs "$name"
		return 1
	fi
	return 0
}

# ackcheck_done MESSAGE: exit 1 after counting the failures, or print MESSAGE and exit 0
ackcheck_done() {
	if [ "$failures" -ne 0 ]; then
		echo "$failures failure(s)"
		exit 1
	fi
	echo "$1"
	exit 0
}
