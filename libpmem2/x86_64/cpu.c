/* cpu.c -- CPUID and XGETBV: which flush instructions and vector widths this CPU and OS allow */
#include <cpuid.h>
#include <stdint.h>
#include <string.h>

#include "cpu.h"

/* leaf 1 */
#define EDX_CLFLUSH (1u << 19)
#define ECX_OSXSAVE (1u << 27)
#define ECX_AVX (1u << 28)
/* leaf 7, subleaf 0 */
#define EBX_AVX512F (1u << 16)
#define EBX_CLFLUSHOPT (1u << 23)
#define EBX_CLWB (1u << 24)
#define ECX_MOVDIR64B (1u << 28)

/* XCR0 state components the OS must save for each vector width */
#define XCR0_SSE_AVX 0x06u		/* XMM (1), YMM (2) */
#define XCR0_AVX512 0xe0u		/* opmask (5), ZMM_Hi256 (6), Hi16_ZMM (7) */

static uint64_t
xgetbv0(void)
{
	uint32_t lo, hi;
	/* raw encoding keeps the file free of -mxsave */
	__asm__ volatile(".byte 0x0f, 0x01, 0xd0" : "=a"(lo), "=d"(hi) : "c"(0));
	return ((uint64_t)hi << 32) | lo;
}

void
cpu_detect(struct cpu_features *f)
{
	memset(f, 0, sizeof(*f));

	unsigned max, ebx, ecx, edx;
	__cpuid(0, max, ebx, ecx, edx);
	char vendor[12];
	memcpy(vendor, &ebx, 4);
	memcpy(vendor + 4, &edx, 4);
	memcpy(vendor + 8, &ecx, 4);
	f->intel = memcmp(vendor, "GenuineIntel", 12) == 0;

	if (max < 1)
		return;
	unsigned eax, ecx1, edx1;
	__cpuid(1, eax, ebx, ecx1, edx1);
	f->clflush = (edx1 & EDX_CLFLUSH) != 0;

	/* vector state is usable only when the OS enabled XSAVE and saves it */
	uint64_t xcr0 = (ecx1 & ECX_OSXSAVE) ? xgetbv0() : 0;
	bool os_avx = (xcr0 & XCR0_SSE_AVX) == XCR0_SSE_AVX;
	bool os_avx512 = os_avx && (xcr0 & XCR0_AVX512) == XCR0_AVX512;
	f->avx = os_avx && (ecx1 & ECX_AVX) != 0;

	if (max < 7)
		return;
	unsigned ebx7, ecx7;
	__cpuid_count(7, 0, eax, ebx7, ecx7, edx);
	f->clflushopt = (ebx7 & EBX_CLFLUSHOPT) != 0;
	f->clwb = (ebx7 & EBX_CLWB) != 0;
	f->avx512f = f->avx && os_avx512 && (ebx7 & EBX_AVX512F) != 0;
	f->movdir64b = (ecx7 & ECX_MOVDIR64B) != 0;
}
