/*
 * librpmem.h -- remote access to persistent memory: replicate byte ranges of
 * a local pool to a pool served by rpmemd on another node. Source-compatible
 * with PMDK's librpmem, API version 1.3. See librpmem(7).
 */
#ifndef LIBRPMEM_H
#define LIBRPMEM_H 1

#include <sys/types.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rpmem_pool RPMEMpool;

#define RPMEM_POOL_HDR_SIG_LEN		8
#define RPMEM_POOL_HDR_UUID_LEN		16
#define RPMEM_POOL_USER_FLAGS_LEN	16

/* the pool header attributes kept by the remote side (104 bytes, no padding) */
struct rpmem_pool_attr {
	char signature[RPMEM_POOL_HDR_SIG_LEN];
	uint32_t major;
	uint32_t compat_features;
	uint32_t incompat_features;
	uint32_t ro_compat_features;
	unsigned char poolset_uuid[RPMEM_POOL_HDR_UUID_LEN];
	unsigned char uuid[RPMEM_POOL_HDR_UUID_LEN];
	unsigned char next_uuid[RPMEM_POOL_HDR_UUID_LEN];
	unsigned char prev_uuid[RPMEM_POOL_HDR_UUID_LEN];
	unsigned char user_flags[RPMEM_POOL_USER_FLAGS_LEN];
};

RPMEMpool *rpmem_create(const char *target, const char *pool_set_name,
	void *pool_addr, size_t pool_size, unsigned *nlanes,
	const struct rpmem_pool_attr *create_attr);

RPMEMpool *rpmem_open(const char *target, const char *pool_set_name,
	void *pool_addr, size_t pool_size, unsigned *nlanes,
	struct rpmem_pool_attr *open_attr);

int rpmem_set_attr(RPMEMpool *rpp, const struct rpmem_pool_attr *attr);

int rpmem_close(RPMEMpool *rpp);

#define RPMEM_PERSIST_RELAXED	(1U << 0)
#define RPMEM_FLUSH_RELAXED	(1U << 0)

int rpmem_flush(RPMEMpool *rpp, size_t offset, size_t length, unsigned lane,
	unsigned flags);
int rpmem_drain(RPMEMpool *rpp, unsigned lane, unsigned flags);

int rpmem_persist(RPMEMpool *rpp, size_t offset, size_t length,
	unsigned lane, unsigned flags);
int rpmem_read(RPMEMpool *rpp, void *buff, size_t offset, size_t length,
	unsigned lane);
int rpmem_deep_persist(RPMEMpool *rpp, size_t offset, size_t length,
	unsigned lane);

#define RPMEM_REMOVE_FORCE	0x1
#define RPMEM_REMOVE_POOL_SET	0x2

int rpmem_remove(const char *target, const char *pool_set, int flags);

/* the version of the API this header describes */
#define RPMEM_MAJOR_VERSION 1
#define RPMEM_MINOR_VERSION 3

const char *rpmem_check_version(unsigned major_required,
	unsigned minor_required);

const char *rpmem_errormsg(void);

/* smallest remote pool and smallest part file of a remote pool set */
#define RPMEM_MIN_POOL ((size_t)(1024 * 8))
#define RPMEM_MIN_PART ((size_t)(1024 * 1024 * 2))

#ifdef __cplusplus
}
#endif
#endif /* LIBRPMEM_H */
