# rpmempool_env.bash -- sourced by the rpmempool shell tests: the build's rpmempool, a work directory, and rpmemd on
# loopback over tcp (through the local ssh stand-in) serving $REMOTE; cleanup on every path.
# A test calls run ARGS... (sets rc, out, err), expect STATUS [OUT] [ERR], fail() for each problem, and pool_done last.
# Runs from the repository root.
set -u

BUILD_DIR=${BUILD_DIR:-build/release}
RPMEMPOOL=$(realpath "$BUILD_DIR/bin/rpmempool" 2> /dev/null)
failures=0

fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}

skip() {
	echo "SKIP: $*"
	exit 77
}

[ -x "$RPMEMPOOL" ] || skip "$BUILD_DIR/bin/rpmempool not built"
[ -x "$BUILD_DIR/bin/rpmemd" ] || skip "$BUILD_DIR/bin/rpmemd not built"
if command -v fi_info > /dev/null && ! fi_info -p tcp > /dev/null 2>&1; then
	skip "libfabric's tcp provider is not available"
fi

WORK=$(mktemp -d /dev/shm/rpmempool.XXXXXX 2> /dev/null || mktemp -d /tmp/rpmempool.XXXXXX)
REMOTE=$WORK/remote
mkdir "$REMOTE"
export RPMEM_SSH RPMEM_CMD RPMEM_PROVIDER=tcp
RPMEM_SSH=$(realpath tests/lib/rpmem_ssh_local.sh)
RPMEM_CMD="$(realpath "$BUILD_DIR/bin/rpmemd") --poolset-dir=$REMOTE --log-file=$REMOTE/rpmemd.log --log-level=info"
unset RPMEM_ENABLE_SOCKETS RPMEM_MAX_NLANES RPMEM_TIMEOUT_MS

# the rpmemd processes serving $REMOTE (argv[0] is rpmemd itself)
pool_daemons() {
	local p args a
	for p in /proc/[0-9]*; do
		mapfile -d "" -t args 2> /dev/null < "$p/cmdline" || continue
		[ ${#args[@]} -gt 0 ] && [ "${args[0]##*/}" = rpmemd ] || continue
		for a in "${args[@]}"; do
			[ "$a" = "--poolset-dir=$REMOTE" ] && echo "${p#/proc/}" && break
		done
	done
}

cleanup() {
	local pid
	for pid in $(pool_daemons); do
		kill -KILL "$pid" 2> /dev/null
	done
	rm -rf "$WORK"
}
trap cleanup EXIT

# run ARGS...: rpmempool ARGS in $WORK, bounded by timeout(1); sets rc, out and err
run() {
	(cd "$WORK" && timeout -k 5 60 "$RPMEMPOOL" "$@" > "$WORK/.out" 2> "$WORK/.err" < /dev/null)
	rc=$?
	out=$(cat "$WORK/.out")
	err=$(cat "$WORK/.err")
	echo "\$ rpmempool $* -> $rc"
	[ -z "$out" ] || printf '%s\n' "$out"
	[ -z "$err" ] || printf '%s\n' "$err"
}

# expect STATUS [OUT] [ERR]: the last run exited STATUS, its output contains OUT and its errors ERR (fixed strings)
expect() {
	[ "$rc" = "$1" ] || fail "exit status $rc, expected $1 (stdout: $out; stderr: $err)"
	if [ -n "${2:-}" ] && [[ "$out" != *"$2"* ]]; then
		fail "stdout lacks '$2': $out"
	fi
	if [ -n "${3:-}" ] && [[ "$err" != *"$3"* ]]; then
		fail "stderr lacks '$3': $err"
	fi
}

# file NAME TEXT: $WORK/NAME holds TEXT (printf's escapes)
file() {
	printf "$2" > "$WORK/$1"
}

# json_get EXPR: evaluates the python expression EXPR on the JSON object the last run printed (as j)
json_get() {
	python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$WORK/.out" "$1"
}

pool_done() {
	if [ "$failures" -ne 0 ]; then
		echo "$failures failure(s)"
		exit 1
	fi
	echo "$1"
	exit 0
}
