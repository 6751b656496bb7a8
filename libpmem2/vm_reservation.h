/* vm_reservation.h -- what map.c needs of a reservation: its lock and its set of maps */
#ifndef PMEM2_VM_RESERVATION_H
#define PMEM2_VM_RESERVATION_H 1

#include <pthread.h>

#include "pmem2.h"
#include "range_set.h"

struct pmem2_vm_reservation {
	void *addr;
	size_t size;
	/* held for writing across the check, the mmap and the insert of a map */
	pthread_rwlock_t lock;
	struct range_set maps;	/* by absolute address */
};

/*
 * Under the write lock: 0 when [addr, addr + len) is free inside rsv,
 * PMEM2_E_MAPPING_EXISTS when a map occupies part of it.
 */
int vm_reservation_check_free(struct pmem2_vm_reservation *rsv, void *addr, size_t len);
/* under the write lock; 0 or -ENOMEM */
int vm_reservation_insert(struct pmem2_vm_reservation *rsv, struct pmem2_map *map);
/* under the write lock */
void vm_reservation_remove(struct pmem2_vm_reservation *rsv, struct pmem2_map *map);

/* puts an inaccessible placeholder back over [addr, addr + len); 0 or -errno */
int vm_reservation_mend(void *addr, size_t len);

#endif /* PMEM2_VM_RESERVATION_H */
