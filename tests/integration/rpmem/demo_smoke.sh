#!/bin/bash
# demo_smoke.sh -- `make demo`'s replication program runs end to end on a small pool: exits 0, verifies, cleans up
set -u

demo=${BUILD_DIR:-build/release}/utils/rpmem_demo
if [ ! -x "$demo" ]; then
	echo "SKIP: $demo not built"
	exit 77
fi
if command -v fi_info > /dev/null && ! fi_info -p tcp > /dev/null 2>&1; then
	echo "SKIP: libfabric's tcp provider is not available"
	exit 77
fi

# the demo's own defaults (RPMEM_SSH, RPMEM_CMD, provider tcp), not the caller's
unset RPMEM_SSH RPMEM_CMD RPMEM_PROVIDER RPMEM_ENABLE_SOCKETS RPMEM_MAX_NLANES
out=$("$demo" -s 4M 2>&1)
rc=$?
dir=$(sed -n 's/^created remote pool .* in \(.*\)$/\1/p' <<< "$out")

fail=0
[ $rc -eq 0 ] || { echo "FAIL: rpmem_demo -s 4M exited $rc"; fail=1; }
grep -q '^read back and verified 4092 KiB' <<< "$out" ||
	{ echo "FAIL: no \"read back and verified 4092 KiB\" line"; fail=1; }
grep -q '^removed the remote pool and its pool set file$' <<< "$out" ||
	{ echo "FAIL: the pool was not removed"; fail=1; }
[ -n "$dir" ] || { echo "FAIL: no \"created remote pool ... in DIR\" line"; fail=1; }
[ -z "$dir" ] || [ ! -e "$dir" ] || { echo "FAIL: the demo left $dir behind"; fail=1; }
echo "$out"
exit $fail
