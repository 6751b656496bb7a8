/*
 * libpmemobj/base.h -- the basic definitions of libpmemobj core: the pool
 * and object handles, object addresses, the persist calls, versions and
 * errors, with PMDK 1.12's names, values and prototypes. See
 * libpmemobj-core(7).
 */
#ifndef LIBPMEMOBJ_BASE_H
#define LIBPMEMOBJ_BASE_H 1

#ifndef __STDC_LIMIT_MACROS
#define __STDC_LIMIT_MACROS
#endif

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* a pool; the pointer is the address of the pool's first byte in this process */
typedef struct pmemobjpool PMEMobjpool;

/* flags of pmemobj_memcpy, pmemobj_memmove and pmemobj_memset */
#define PMEMOBJ_F_MEM_NODRAIN		(1U << 0)
#define PMEMOBJ_F_MEM_NONTEMPORAL	(1U << 1)
#define PMEMOBJ_F_MEM_TEMPORAL		(1U << 2)
#define PMEMOBJ_F_MEM_WC		(1U << 3)
#define PMEMOBJ_F_MEM_WB		(1U << 4)
#define PMEMOBJ_F_MEM_NOFLUSH		(1U << 5)

/* the same calls and pmemobj_xflush, pmemobj_xpersist: remote replicas may reorder */
#define PMEMOBJ_F_RELAXED		(1U << 31)

/* an object: the pool it lives in (low 64 bits of its UUID) and its offset there */
typedef struct pmemoid {
	uint64_t pool_uuid_lo;
	uint64_t off;
} PMEMoid;

static const PMEMoid OID_NULL = { 0, 0 };
#define OID_IS_NULL(o)	((o).off == 0)
#define OID_EQUALS(lhs, rhs)\
((lhs).off == (rhs).off &&\
	(lhs).pool_uuid_lo == (rhs).pool_uuid_lo)

PMEMobjpool *pmemobj_pool_by_ptr(const void *addr);
PMEMobjpool *pmemobj_pool_by_oid(PMEMoid oid);

/* the address of an object in this process; NULL for OID_NULL or a pool not open */
void *pmemobj_direct(PMEMoid oid);

/* PMDK's inline variant, here the same call */
static inline void *
pmemobj_direct_inline(PMEMoid oid)
{
	return pmemobj_direct(oid);
}

PMEMoid pmemobj_oid(const void *addr);

/* the memory calls: what they write reaches the pool and every replica of it */
void *pmemobj_memcpy_persist(PMEMobjpool *pop, void *dest, const void *src,
	size_t len);
void *pmemobj_memset_persist(PMEMobjpool *pop, void *dest, int c, size_t len);
void *pmemobj_memcpy(PMEMobjpool *pop, void *dest, const void *src, size_t len,
		unsigned flags);
void *pmemobj_memmove(PMEMobjpool *pop, void *dest, const void *src, size_t len,
		unsigned flags);
void *pmemobj_memset(PMEMobjpool *pop, void *dest, int c, size_t len,
		unsigned flags);
void pmemobj_persist(PMEMobjpool *pop, const void *addr, size_t len);
int pmemobj_xpersist(PMEMobjpool *pop, const void *addr, size_t len,
		unsigned flags);
void pmemobj_flush(PMEMobjpool *pop, const void *addr, size_t len);
int pmemobj_xflush(PMEMobjpool *pop, const void *addr, size_t len,
		unsigned flags);
void pmemobj_drain(PMEMobjpool *pop);

/* the version of the libpmemobj API this header describes (PMDK 1.12's) */
#define PMEMOBJ_MAJOR_VERSION 2
#define PMEMOBJ_MINOR_VERSION 4

const char *pmemobj_check_version(unsigned major_required,
	unsigned minor_required);

/* the root object's constructor (pmemobj_root_construct); non-zero cancels */
typedef int (*pmemobj_constr)(PMEMobjpool *pop, void *ptr, void *arg);

const char *pmemobj_errormsg(void);

#ifdef __cplusplus
}
#endif
#endif /* LIBPMEMOBJ_BASE_H */
