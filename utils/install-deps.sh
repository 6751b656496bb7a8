#!/bin/sh
# install-deps.sh -- installs every Debian package the build, tests and benchmarks need.
# Idempotent and quick when all is present. With --check it only reports what is missing.
set -eu

PACKAGES="
gcc
clang
libclang-rt-14-dev
make
binutils
pkg-config
libcmocka-dev
libndctl-dev
libdaxctl-dev
libpmem2-dev
valgrind
libfabric-dev
libfabric-bin
openssh-server
openssh-client
uuid-dev
groff-base
iproute2
"

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done

[ -z "$missing" ] && exit 0

if [ "${1:-}" = "--check" ]; then
	echo "missing Debian packages:$missing" >&2
	echo "run utils/install-deps.sh (as root) to install them" >&2
	exit 1
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "missing Debian packages:$missing" >&2
	echo "utils/install-deps.sh must run as root to install them" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
