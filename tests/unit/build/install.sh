#!/bin/bash
# install.sh -- `make install` lays out headers, libraries with sonames, pkg-config and man
# pages, and a program builds against the installed copy with pkg-config and runs
set -euo pipefail

build_dir=${BUILD_DIR:-build/release}
case "$build_dir" in
*/sanitize) sanitize=1 ;;
*) sanitize=0 ;;
esac
build=$(dirname "$build_dir")

dest=$(mktemp -d /tmp/pmem2-install-XXXXXX)
trap 'rm -rf "$dest"' EXIT

unset MAKEFLAGS MFLAGS
make -s install BUILD="$build" SANITIZE=$sanitize DESTDIR="$dest" PREFIX=/opt/pmem >/dev/null

root=$dest/opt/pmem
fail() { echo "FAIL: $*"; exit 1; }

for f in include/libpmem2.h include/libpmem2/base.h lib/libpmem2.a lib/pkgconfig/libpmem2.pc \
	share/man/man7/libpmem2.7 share/man/man3/pmem2_map_new.3 \
	include/librpmem.h lib/librpmem.a lib/pkgconfig/librpmem.pc bin/rpmemd \
	share/man/man7/librpmem.7 share/man/man3/rpmem_create.3 share/man/man1/rpmemd.1 \
	share/man/man5/poolset.5 include/libminiasync.h include/libminiasync/future.h \
	include/libminiasync/vdm.h include/libminiasync/data_mover_sync.h \
	include/libminiasync/data_mover_threads.h include/libminiasync/runtime.h \
	lib/libminiasync.a lib/pkgconfig/libminiasync.pc; do
	[ -f "$root/$f" ] || fail "$f not installed"
done
[ "$(readlink "$root/lib/libpmem2.so")" = libpmem2.so.1 ] || fail "libpmem2.so does not point to libpmem2.so.1"
[ -e "$root/lib/libpmem2.so.1" ] || fail "libpmem2.so.1 missing"
soname=$(readelf -d "$root/lib/libpmem2.so.1" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[ "$soname" = libpmem2.so.1 ] || fail "soname is '$soname'"

cat > "$dest/prog.c" <<'C'
#include <libpmem2.h>
#include <stdio.h>
int main(void)
{
	struct pmem2_config *cfg;
	if (pmem2_config_new(&cfg))
		return 1;
	int r = pmem2_config_set_offset(cfg, (size_t)1 << 63);
	printf("%d %s\n", r, pmem2_errormsg());
	pmem2_config_delete(&cfg);
	return 0;
}
C
export PKG_CONFIG_PATH=$root/lib/pkgconfig
# pkg-config rewrites the prefix when told the install went to DESTDIR
flags=$(pkg-config --define-prefix --cflags --libs libpmem2 2>/dev/null || pkg-config --cflags --libs libpmem2)
flags=${flags//\/opt\/pmem/$root}
san=""
[ $sanitize = 1 ] && san="-fsanitize=address,undefined"
cc $san "$dest/prog.c" -o "$dest/prog" $flags -Wl,-rpath,"$root/lib"
out=$("$dest/prog")
[ "$out" = "-100010 offset is greater than INT64_MAX" ] || fail "dynamic program printed '$out'"

# the static library links on its own (with its private dependencies)
cc $san "$dest/prog.c" -o "$dest/prog_static" -I"$root/include" "$root/lib/libpmem2.a" \
	$(pkg-config --libs --static libpmem2 | sed "s|-L/opt/pmem/lib||; s|-lpmem2||") -pthread
out=$("$dest/prog_static")
[ "$out" = "-100010 offset is greater than INT64_MAX" ] || fail "static program printed '$out'"

# librpmem: the same, and the installed rpmemd runs with the installed libpmem2
soname=$(readelf -d "$root/lib/librpmem.so.1" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[ "$soname" = librpmem.so.1 ] || fail "librpmem soname is '$soname'"
cat > "$dest/rprog.c" <<'C'
#include <librpmem.h>
#include <stdio.h>
int main(void)
{
	const char *m = rpmem_check_version(RPMEM_MAJOR_VERSION, RPMEM_MINOR_VERSION);
	printf("%s\n", m ? m : "ok");
	return m != NULL;
}
C
flags=$(pkg-config --cflags --libs librpmem)
flags=${flags//\/opt\/pmem/$root}
cc $san "$dest/rprog.c" -o "$dest/rprog" $flags -Wl,-rpath,"$root/lib"
[ "$("$dest/rprog")" = ok ] || fail "librpmem program failed"
cc $san "$dest/rprog.c" -o "$dest/rprog_static" -I"$root/include" "$root/lib/librpmem.a" -lfabric -pthread
[ "$("$dest/rprog_static")" = ok ] || fail "static librpmem program failed"

# libminiasync: a program of futures and movers builds with pkg-config and runs, shared and static
soname=$(readelf -d "$root/lib/libminiasync.so.0" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[ "$soname" = libminiasync.so.0 ] || fail "libminiasync soname is '$soname'"
cat > "$dest/aprog.c" <<'C'
#include <libminiasync.h>
#include <stdio.h>
#include <string.h>
int main(void)
{
	char src[64] = "copied by a worker thread", dst[64] = "";
	struct runtime *r = runtime_new();
	struct data_mover_threads *dmt = data_mover_threads_default();
	if (r == NULL || dmt == NULL)
		return 1;
	struct vdm_operation_future f = vdm_memcpy(data_mover_threads_get_vdm(dmt), dst, src, sizeof(src), 0);
	runtime_wait(r, FUTURE_AS_RUNNABLE(&f));
	printf("%s %d\n", dst, f.output.result);
	data_mover_threads_delete(dmt);
	runtime_delete(r);
	return 0;
}
C
flags=$(pkg-config --cflags --libs libminiasync)
flags=${flags//\/opt\/pmem/$root}
cc $san -Wall -Wextra -Werror "$dest/aprog.c" -o "$dest/aprog" $flags -pthread -Wl,-rpath,"$root/lib"
[ "$("$dest/aprog")" = "copied by a worker thread 0" ] || fail "libminiasync program failed"
cc $san "$dest/aprog.c" -o "$dest/aprog_static" -I"$root/include" "$root/lib/libminiasync.a" -pthread
[ "$("$dest/aprog_static")" = "copied by a worker thread 0" ] || fail "static libminiasync program failed"

ver=$("$root/bin/rpmemd" --version)
case "$ver" in "rpmemd version "*) ;; *) fail "installed rpmemd printed '$ver'" ;; esac
echo "install layout, pkg-config, shared and static linking: ok"
