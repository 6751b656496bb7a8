#!/bin/bash
# mem_env_matrix.sh -- reruns the mem_* and movnt* tests under each PMEM_* variable that changes
# the CPU layer's choice, and checks that the LOG_INFO line at load names that choice.
# The test programs are taken from ${BUILD_DIR:-build/release}/tests/unit/libpmem2/.
set -u

bindir=${BUILD_DIR:-build/release}/tests/unit/libpmem2
bins=(mem_memcpy mem_memmove mem_memset movnt movnt_align)
for b in "${bins[@]}"; do
	if [ ! -x "$bindir/$b" ]; then
		echo "SKIP: $bindir/$b not built"
		exit 77
	fi
done

# what the library should pick on this CPU (the kernel hides what the OS cannot save)
cpuflags=" $(grep -m 1 '^flags' /proc/cpuinfo | cut -d: -f2) "
has() { [[ "$cpuflags" == *" $1 "* ]]; }
best_flush=clflush
has clflushopt && best_flush=clflushopt
has clwb && best_flush=clwb
no_clwb=clflush
has clflushopt && no_clwb=clflushopt
best_isa=sse2
has avx && best_isa=avx
has avx512f && best_isa=avx512f
no_avx512=sse2
has avx && no_avx512=avx
vendor=$(grep -m 1 '^vendor_id' /proc/cpuinfo | cut -d: -f2 | tr -d ' ')
wc_default=off
[ "$vendor" = GenuineIntel ] && wc_default=on
wc_of() { # wc_of ISA [on|off]: what the log says about the WC workaround
	case $1 in
	sse2|avx) echo "${2:-$wc_default}" ;;
	*) echo n/a ;;
	esac
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
n=0

# check "ENV..." FLUSH ISA THRESHOLD WC [EXTRA_LOG_REGEX]
check() {
	local envs=$1 flush=$2 isa=$3 thr=$4 wc=$5 extra=${6:-}
	local expect="flush: $flush, memmove/memset: $isa, movnt threshold: $thr, wc workaround: $wc"
	n=$((n + 1))
	local pids=() b
	for b in "${bins[@]}"; do
		# shellcheck disable=SC2086 # envs is a list of NAME=VALUE words
		env $envs MEM_TEST_QUICK=1 PMEM2_LOG_LEVEL=3 \
			PMEM2_LOG_FILE="$tmp/$n.$b.log" "$bindir/$b" \
			> "$tmp/$n.$b.out" 2>&1 &
		pids+=($!)
	done
	local i=0
	for b in "${bins[@]}"; do
		if ! wait "${pids[$i]}"; then
			echo "FAIL [$envs] $b:"
			tail -n 15 "$tmp/$n.$b.out" | sed 's/^/    /'
			failed=$((failed + 1))
		fi
		i=$((i + 1))
		if ! grep -qF "$expect" "$tmp/$n.$b.log"; then
			echo "FAIL [$envs] $b: log lacks \"$expect\"; it has:"
			grep 'flush:' "$tmp/$n.$b.log" | sed 's/^/    /'
			failed=$((failed + 1))
		fi
		if [ -n "$extra" ] && ! grep -qE "$extra" "$tmp/$n.$b.log"; then
			echo "FAIL [$envs] $b: log lacks /$extra/"
			failed=$((failed + 1))
		fi
	done
	[ $failed -ne 0 ] || echo "ok [${envs:-defaults}]: $expect"
}

check "" $best_flush $best_isa 256 "$(wc_of $best_isa)"
check "PMEM_NO_MOVNT=1" $best_flush generic 256 n/a
check "PMEM_NO_MOVNT=1 PMEM_NO_GENERIC_MEMCPY=1" $best_flush libc 256 n/a
check "PMEM_NO_MOVNT=1 PMEM_NO_GENERIC_MEMCPY=0" $best_flush generic 256 n/a
check "PMEM_NO_MOVNT=0" $best_flush $best_isa 256 "$(wc_of $best_isa)"
check "PMEM_AVX512F=0" $best_flush $no_avx512 256 "$(wc_of $no_avx512)"
check "PMEM_AVX512F=0 PMEM_AVX=0" $best_flush sse2 256 "$(wc_of sse2)"
check "PMEM_AVX=0" $best_flush "$(has avx512f && echo avx512f || echo sse2)" 256 \
	"$(wc_of "$(has avx512f && echo avx512f || echo sse2)")"
check "PMEM_NO_CLWB=1" $no_clwb $best_isa 256 "$(wc_of $best_isa)"
check "PMEM_NO_CLWB=1 PMEM_NO_CLFLUSHOPT=1" clflush $best_isa 256 "$(wc_of $best_isa)"
check "PMEM_NO_CLFLUSHOPT=1" "$(has clwb && echo clwb || echo clflush)" $best_isa 256 \
	"$(wc_of $best_isa)"
check "PMEM_MOVNT_THRESHOLD=0" $best_flush $best_isa 0 "$(wc_of $best_isa)"
check "PMEM_MOVNT_THRESHOLD=1024" $best_flush $best_isa 1024 "$(wc_of $best_isa)"
check "PMEM_MOVNT_THRESHOLD=garbage" $best_flush $best_isa 256 "$(wc_of $best_isa)" \
	'PMEM_MOVNT_THRESHOLD="garbage" is not a non-negative number'
check "PMEM_MOVNT_THRESHOLD=-5" $best_flush $best_isa 256 "$(wc_of $best_isa)" \
	'PMEM_MOVNT_THRESHOLD="-5" is not a non-negative number'
# movdir64b kernels are not implemented: the variable changes nothing but a warning
check "PMEM_MOVDIR64B=1" $best_flush $best_isa 256 "$(wc_of $best_isa)" \
	'PMEM_MOVDIR64B is not supported, ignored'
check "PMEM_AVX512F=0 PMEM_WC_WORKAROUND=1" $best_flush $no_avx512 256 \
	"$(wc_of $no_avx512 on)"
check "PMEM_AVX512F=0 PMEM_AVX=0 PMEM_WC_WORKAROUND=1 PMEM_MOVNT_THRESHOLD=100" \
	$best_flush sse2 100 on
check "PMEM_AVX512F=0 PMEM_WC_WORKAROUND=0" $best_flush $no_avx512 256 \
	"$(wc_of $no_avx512 off)"

if [ $failed -ne 0 ]; then
	echo "$failed check(s) failed"
	exit 1
fi
echo "all $n environment combinations passed"
