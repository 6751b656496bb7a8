#!/bin/bash
# run-rpmem-bench.sh [BUILDDIR] -- runs rpmem_bench (librpmem + rpmemd on loopback beside the bare libfabric ceiling) and prints its table with the machine
#
# BUILDDIR holds utils/rpmem_bench and bin/rpmemd (default build/release). Environment:
# RPMEM_BENCH_ROUNDS rounds per row (default 7), RPMEM_BENCH_MS milliseconds per row and round
# (default 100), RPMEM_BENCH_PROVIDERS (default "tcp sockets"), RPMEM_BENCH_DIR where the daemon's
# poolset-dir goes (default /dev/shm). RPMEM_SSH / RPMEM_CMD, when set, are used as they are.
set -eu

build=${1:-build/release}
bench=$build/utils/rpmem_bench
rounds=${RPMEM_BENCH_ROUNDS:-7}
ms=${RPMEM_BENCH_MS:-100}
dir=${RPMEM_BENCH_DIR:-/dev/shm}

if [ ! -x "$bench" ]; then
	echo "run-rpmem-bench.sh: $bench not built (run make first)" >&2
	exit 1
fi

args=(-r "$rounds" -t "$ms" -d "$dir")
for p in ${RPMEM_BENCH_PROVIDERS:-tcp sockets}; do
	args+=(-p "$p")
done

unset LD_LIBRARY_PATH LD_PRELOAD
cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
echo "librpmem benchmark: rpmemd ($build/bin/rpmemd) through tests/lib/rpmem_ssh_local.sh on 127.0.0.1, pool in $dir"
echo "machine: $cpu_model, $(nproc) CPUs online, $(uname -sr), libfabric $(fi_info --version 2>/dev/null | sed -n 's/^libfabric: //p' | head -n 1)"
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at the start"
"$bench" "${args[@]}"
echo
echo "asynchronous persists (librpmem/async.h), tcp:"
RPMEM_PROVIDER=tcp "$build/utils/rpmem_async_bench" "$rounds" "$((ms * 2))" "$dir"
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
