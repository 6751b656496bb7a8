/* cpu.h -- the x86-64 features the CPU layer can use, as CPUID and the OS (XCR0) report them */
#ifndef PMEM2_X86_64_CPU_H
#define PMEM2_X86_64_CPU_H 1

#include <stdbool.h>

struct cpu_features {
	bool clflush;
	bool clflushopt;
	bool clwb;
	bool avx;		/* CPUID bit and the OS saves XMM and YMM state */
	bool avx512f;		/* the same plus opmask and ZMM state */
	bool movdir64b;
	bool intel;		/* vendor string "GenuineIntel" */
};

void cpu_detect(struct cpu_features *f);

#endif /* PMEM2_X86_64_CPU_H */
