#!/bin/bash
# install_names.sh -- `make install` lays libpmemobj core out under names of its own (libpmemobj-core.so.1,
# <includedir>/libpmemobj-core/, libpmemobj-core.pc, section 3obj pages) and nothing under PMDK's
# libpmemobj names; a program written for PMDK's libpmemobj compiles unchanged with pkg-config's
# flags, links to libpmemobj-core.so.1 and runs (shared and static)
set -euo pipefail

build_dir=${BUILD_DIR:-build/release}
case "$build_dir" in
*/sanitize) sanitize=1 ;;
*) sanitize=0 ;;
esac
build=$(dirname "$build_dir")

dest=$(mktemp -d /tmp/pmemobj-install-XXXXXX)
trap 'rm -rf "$dest"' EXIT
unset MAKEFLAGS MFLAGS
make -s install-libpmemobj install-libpmem2 install-librpmem BUILD="$build" SANITIZE=$sanitize \
	DESTDIR="$dest" PREFIX=/opt/pmem > /dev/null

root=$dest/opt/pmem
fail() { echo "FAIL: $*"; exit 1; }

for f in include/libpmemobj-core/libpmemobj.h include/libpmemobj-core/libpmemobj/base.h \
	include/libpmemobj-core/libpmemobj/pool_base.h include/libpmemobj-core/libpmemobj/types.h \
	lib/libpmemobj-core.so.1.0.0 lib/libpmemobj-core.a lib/pkgconfig/libpmemobj-core.pc \
	share/man/man3/pmemobj_create.3obj share/man/man3/pmemobj_persist.3obj; do
	[ -f "$root/$f" ] || fail "$f not installed"
done
# PMDK's names stay free
for f in include/libpmemobj.h include/libpmemobj lib/libpmemobj.so lib/libpmemobj.so.1 \
	lib/libpmemobj.a lib/pkgconfig/libpmemobj.pc share/man/man3/pmemobj_create.3 \
	share/man/man7/libpmemobj.7; do
	[ ! -e "$root/$f" ] || fail "$f installed: it would replace PMDK's"
done
[ "$(readlink "$root/lib/libpmemobj-core.so")" = libpmemobj-core.so.1 ] || fail "bad .so link"
soname=$(readelf -d "$root/lib/libpmemobj-core.so.1" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[ "$soname" = libpmemobj-core.so.1 ] || fail "soname is '$soname'"
# every export is versioned LIBPMEMOBJ_CORE_1.0, none is PMDK's node
exports=$(readelf --dyn-syms -W "$root/lib/libpmemobj-core.so.1" | awk '$7 != "UND" && / pmemobj_/ { print $8 }')
[ "$(echo "$exports" | wc -l)" -eq 25 ] || fail "expected 25 exports: $exports"
echo "$exports" | grep -v '@@LIBPMEMOBJ_CORE_1.0$' && fail "an export outside LIBPMEMOBJ_CORE_1.0"
grep -q '^Cflags: -I${includedir}/libpmemobj-core$' "$root/lib/pkgconfig/libpmemobj-core.pc" || fail "Cflags"
grep -q '^Libs: -L${libdir} -lpmemobj-core$' "$root/lib/pkgconfig/libpmemobj-core.pc" || fail "Libs"

# written for PMDK's libpmemobj: its headers, names and macros only
cat > "$dest/hello.c" <<'C'
#include <libpmemobj.h>
#include <stdio.h>
#include <string.h>

struct my_root {
	char msg[64];
	uint64_t count;
};

int
main(int argc, char *argv[])
{
	if (argc < 2)
		return 2;
	const char *v = pmemobj_check_version(PMEMOBJ_MAJOR_VERSION, PMEMOBJ_MINOR_VERSION);
	if (v != NULL) {
		fprintf(stderr, "%s\n", v);
		return 1;
	}
	PMEMobjpool *pop = pmemobj_open(argv[1], "hello");
	if (pop == NULL)
		pop = pmemobj_create(argv[1], "hello", PMEMOBJ_MIN_POOL, 0600);
	if (pop == NULL) {
		fprintf(stderr, "%s\n", pmemobj_errormsg());
		return 1;
	}
	PMEMoid oid = pmemobj_root(pop, sizeof(struct my_root));
	if (OID_IS_NULL(oid) || pmemobj_pool_by_oid(oid) != pop)
		return 1;
	struct my_root *rp = pmemobj_direct(oid);
	rp->count++;
	pmemobj_persist(pop, &rp->count, sizeof(rp->count));
	pmemobj_memcpy_persist(pop, rp->msg, "hello", 6);
	if (pmemobj_xpersist(pop, rp, sizeof(*rp), PMEMOBJ_F_RELAXED) != 0)
		return 1;
	printf("%s %llu %zu %d\n", rp->msg, (unsigned long long)rp->count,
		pmemobj_root_size(pop), (int)(PMEMOBJ_MAX_LAYOUT > 0));
	pmemobj_close(pop);
	return 0;
}
C
export PKG_CONFIG_PATH=$root/lib/pkgconfig
flags=$(pkg-config --cflags --libs libpmemobj-core)
flags=${flags//\/opt\/pmem/$root}
case "$flags" in *"-I$root/include/libpmemobj-core"*"-lpmemobj-core"*) ;; *) fail "pkg-config gave '$flags'" ;; esac
san=""
[ $sanitize = 1 ] && san="-fsanitize=address,undefined"
cc $san -std=c99 -Wall -Wextra -Werror "$dest/hello.c" -o "$dest/hello" $flags -Wl,-rpath,"$root/lib"
readelf -d "$dest/hello" | grep -q 'NEEDED.*\[libpmemobj-core.so.1\]' || fail "hello does not need libpmemobj-core.so.1"
readelf -d "$dest/hello" | grep -q 'NEEDED.*\[libpmemobj.so' && fail "hello needs PMDK's libpmemobj"
out=$("$dest/hello" "$dest/pool")
[ "$out" = "hello 1 72 1" ] || fail "first run printed '$out'"
out=$("$dest/hello" "$dest/pool")
[ "$out" = "hello 2 72 1" ] || fail "second run printed '$out'"

# a C++ compiler takes the headers too
if command -v c++ > /dev/null; then
	printf '#include <libpmemobj.h>\nint main() { return OID_IS_NULL(OID_NULL) ? 0 : 1; }\n' > "$dest/cxx.cpp"
	c++ $san -Wall -Werror "$dest/cxx.cpp" -o "$dest/cxx" $flags -Wl,-rpath,"$root/lib" || fail "C++ build"
	"$dest/cxx" || fail "C++ program"
fi

# the static library links with libpmem2's and librpmem's dependencies
cc $san "$dest/hello.c" -o "$dest/hello_static" -I"$root/include/libpmemobj-core" \
	"$root/lib/libpmemobj-core.a" "$root/lib/librpmem.a" "$root/lib/libpmem2.a" \
	-lfabric -lndctl -ldaxctl -pthread
rm -f "$dest/pool"
out=$("$dest/hello_static" "$dest/pool")
[ "$out" = "hello 1 72 1" ] || fail "static program printed '$out'"
echo "libpmemobj core installs under its own names; a PMDK program builds and runs: ok"
