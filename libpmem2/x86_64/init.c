/* init.c -- picks the flush instruction and the copy kernels once at load, from the CPU and PMEM_* */
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "cpu.h"
#include "memops.h"

struct pmem2_arch Pmem2_arch;

size_t Pmem2_movnt_threshold = 256;
int Pmem2_wc_barrier;

/* one kernel family: CACHE_LINE variants indexed by flush instruction */
enum { CL_CLFLUSH, CL_CLFLUSHOPT, CL_CLWB, CL_KINDS };

struct memops {
	const char *name;
	pmem2_memmove_fn memmove_cl[CL_KINDS];
	pmem2_memset_fn memset_cl[CL_KINDS];
	pmem2_memmove_fn memmove_byte;
	pmem2_memset_fn memset_byte;
	pmem2_memmove_fn memmove_noflush;
	pmem2_memset_fn memset_noflush;
};

#define MEMOPS(isa) { \
	#isa, \
	{ memmove_cl_clflush_##isa, memmove_cl_clflushopt_##isa, \
		memmove_cl_clwb_##isa }, \
	{ memset_cl_clflush_##isa, memset_cl_clflushopt_##isa, \
		memset_cl_clwb_##isa }, \
	memmove_byte_##isa, memset_byte_##isa, \
	memmove_noflush_##isa, memset_noflush_##isa, \
}

static const struct memops Memops_sse2 = MEMOPS(sse2);
static const struct memops Memops_avx = MEMOPS(avx);
static const struct memops Memops_avx512f = MEMOPS(avx512f);
static const struct memops Memops_generic = MEMOPS(generic);
static const struct memops Memops_libc = MEMOPS(libc);

static int
env_equals(const char *name, const char *value)
{
	const char *v = getenv(name);
	return v != NULL && strcmp(v, value) == 0;
}

/* PMEM_MOVNT_THRESHOLD: a non-negative decimal; anything else keeps the default */
static void
read_threshold(void)
{
	const char *v = getenv("PMEM_MOVNT_THRESHOLD");
	if (v == NULL)
		return;
	char *end;
	errno = 0;
	long long n = strtoll(v, &end, 10);
	if (end == v || *end != '\0' || errno != 0 || n < 0) {
		log_msg(LOG_WARN, "PMEM_MOVNT_THRESHOLD=\"%s\" is not a non-negative "
			"number, keeping %zu", v, Pmem2_movnt_threshold);
		return;
	}
	Pmem2_movnt_threshold = (size_t)n;
}

static int
cl_kind(const struct cpu_features *cpu, const char **name)
{
	int kind = CL_CLFLUSH;
	*name = "clflush";
	if (cpu->clflushopt && !env_equals("PMEM_NO_CLFLUSHOPT", "1")) {
		kind = CL_CLFLUSHOPT;
		*name = "clflushopt";
	}
	if (cpu->clwb && !env_equals("PMEM_NO_CLWB", "1")) {
		kind = CL_CLWB;
		*name = "clwb";
	}
	return kind;
}

static const struct memops *
pick_memops(const struct cpu_features *cpu)
{
	if (env_equals("PMEM_NO_MOVNT", "1")) {
		const char *v = getenv("PMEM_NO_GENERIC_MEMCPY");
		return v != NULL && atoll(v) != 0 ? &Memops_libc : &Memops_generic;
	}
	const struct memops *ops = &Memops_sse2;
	if (cpu->avx && !env_equals("PMEM_AVX", "0"))
		ops = &Memops_avx;
	if (cpu->avx512f && !env_equals("PMEM_AVX512F", "0"))
		ops = &Memops_avx512f;
	return ops;
}

void
pmem2_arch_init(void)
{
	struct cpu_features cpu;
	cpu_detect(&cpu);
	log_msg(LOG_DEBUG, "cpu: clflush %d, clflushopt %d, clwb %d, avx %d, "
		"avx512f %d (with OS state), movdir64b %d, GenuineIntel %d",
		cpu.clflush, cpu.clflushopt, cpu.clwb, cpu.avx, cpu.avx512f,
		cpu.movdir64b, cpu.intel);
	if (!cpu.clflush)
		log_msg(LOG_WARN, "CPUID reports no CLFLUSH, using it anyway");
	const char *movdir64b = getenv("PMEM_MOVDIR64B");
	if (movdir64b != NULL && atoll(movdir64b) != 0)
		log_msg(LOG_WARN, "PMEM_MOVDIR64B is not supported, ignored: "
			"non-temporal copies use movnt");

	static const pmem2_flush_fn flush[CL_KINDS] = {
		flush_clflush, flush_clflushopt, flush_clwb,
	};
	static const pmem2_persist_fn persist[CL_KINDS] = {
		persist_clflush, persist_clflushopt, persist_clwb,
	};
	const char *flush_name;
	int kind = cl_kind(&cpu, &flush_name);

	read_threshold();
	Pmem2_wc_barrier = cpu.intel;
	if (env_equals("PMEM_WC_WORKAROUND", "1"))
		Pmem2_wc_barrier = 1;
	else if (env_equals("PMEM_WC_WORKAROUND", "0"))
		Pmem2_wc_barrier = 0;

	const struct memops *ops = pick_memops(&cpu);

	Pmem2_arch.flush = flush[kind];
	Pmem2_arch.fence = fence_sfence;
	Pmem2_arch.persist_cl = persist[kind];
	Pmem2_arch.flush_cl = flush[kind];
	Pmem2_arch.persist_byte = persist_fence;
	Pmem2_arch.flush_byte = flush_empty;
	Pmem2_arch.drain = fence_sfence;
	Pmem2_arch.memmove_cl = ops->memmove_cl[kind];
	Pmem2_arch.memset_cl = ops->memset_cl[kind];
	Pmem2_arch.memmove_byte = ops->memmove_byte;
	Pmem2_arch.memset_byte = ops->memset_byte;
	Pmem2_arch.memmove_noflush = ops->memmove_noflush;
	Pmem2_arch.memset_noflush = ops->memset_noflush;

	int wc_matters = ops == &Memops_sse2 || ops == &Memops_avx;
	log_msg(LOG_INFO, "flush: %s, memmove/memset: %s, movnt threshold: %zu, "
		"wc workaround: %s", flush_name, ops->name, Pmem2_movnt_threshold,
		!wc_matters ? "n/a" : Pmem2_wc_barrier ? "on" : "off");
}
