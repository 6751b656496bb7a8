/* obj_registry.c -- the open pools, found by their address or pool UUID; a per-thread cache makes the hot path lock-free */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>

#include "err.h"
#include "obj_pool.h"

static pthread_rwlock_t Lock = PTHREAD_RWLOCK_INITIALIZER;
static struct obj_pool *Pools;
/* bumped by every close: a cached pool may be gone */
static atomic_uint Generation = 1;

static __thread struct {
	const void *pop;
	struct obj_pool *pool;
	unsigned generation;
} Cache;

int
obj_registry_add(struct obj_pool *pool)
{
	pthread_rwlock_wrlock(&Lock);
	for (struct obj_pool *p = Pools; p != NULL; p = p->next) {
		if (p->uuid_lo == pool->uuid_lo) {
			pthread_rwlock_unlock(&Lock);
			return err_set(-EINVAL,
				"'%s' is the same pool (or a copy) as '%s', open at %p",
				pool->os.path, p->os.path, (void *)p->base);
		}
	}
	pool->next = Pools;
	Pools = pool;
	pthread_rwlock_unlock(&Lock);
	return 0;
}

void
obj_registry_remove(struct obj_pool *pool)
{
	pthread_rwlock_wrlock(&Lock);
	for (struct obj_pool **pp = &Pools; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == pool) {
			*pp = pool->next;
			break;
		}
	}
	atomic_fetch_add(&Generation, 1);
	pthread_rwlock_unlock(&Lock);
}

struct obj_pool *
obj_pool_get(PMEMobjpool *pop)
{
	unsigned gen = atomic_load_explicit(&Generation, memory_order_acquire);
	if (Cache.pop == pop && pop != NULL && Cache.generation == gen)
		return Cache.pool;
	struct obj_pool *found = NULL;
	pthread_rwlock_rdlock(&Lock);
	for (struct obj_pool *p = Pools; p != NULL; p = p->next)
		if ((void *)p->base == (void *)pop) {
			found = p;
			break;
		}
	gen = atomic_load_explicit(&Generation, memory_order_acquire);
	pthread_rwlock_unlock(&Lock);
	if (found != NULL) {
		Cache.pop = pop;
		Cache.pool = found;
		Cache.generation = gen;
	}
	return found;
}

struct obj_pool *
obj_pool_by_addr(const void *addr)
{
	struct obj_pool *found = NULL;
	pthread_rwlock_rdlock(&Lock);
	for (struct obj_pool *p = Pools; p != NULL; p = p->next)
		if ((const char *)addr >= p->base && (const char *)addr < p->base + p->size) {
			found = p;
			break;
		}
	pthread_rwlock_unlock(&Lock);
	return found;
}

struct obj_pool *
obj_pool_by_uuid_lo(uint64_t uuid_lo)
{
	struct obj_pool *found = NULL;
	pthread_rwlock_rdlock(&Lock);
	for (struct obj_pool *p = Pools; p != NULL; p = p->next)
		if (p->uuid_lo == uuid_lo) {
			found = p;
			break;
		}
	pthread_rwlock_unlock(&Lock);
	return found;
}

struct obj_pool *
obj_pool_arg(PMEMobjpool *pop, const char *func)
{
	if (pop == NULL) {
		obj_fail(EINVAL, "%s: pop is NULL", func);
		return NULL;
	}
	struct obj_pool *pool = obj_pool_get(pop);
	if (pool == NULL)
		obj_fail(EINVAL, "%s: %p is not an open pool", func, (void *)pop);
	return pool;
}

int
obj_range_arg(struct obj_pool *pool, const char *func, const void *addr, size_t len,
	size_t *off)
{
	const char *a = addr;
	if (a < pool->base || a > pool->base + pool->size)
		return obj_fail(EINVAL, "%s: address %p is outside the pool [%p, %p)", func, addr,
			(void *)pool->base, (void *)(pool->base + pool->size));
	size_t o = (size_t)(a - pool->base);
	if (o < OBJ_DESC_OFF)
		return obj_fail(EINVAL, "%s: offset %zu is inside the %zu-byte pool header", func, o,
			OBJ_DESC_OFF);
	if (len > pool->size - o)
		return obj_fail(EINVAL, "%s: range of %zu bytes at offset %zu ends beyond the pool of %zu bytes",
			func, len, o, pool->size);
	*off = o;
	return 0;
}
