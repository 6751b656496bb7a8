/*
 * version_v2.c -- exports every function of base.h under LIBPMEM2_2.0 too
 * (not the asynchronous ones of async.h, which PMDK 2.x does not have).
 * PMDK 2.x renamed the version node without changing the soname, so binaries
 * built against it ask for name@LIBPMEM2_2.0. Each entry is a jump to the
 * LIBPMEM2_1.0 (default) definition; an alias would not do, because GNU ld
 * drops the default version of a name when an alias at the same address
 * carries another version. Linked into the shared library only.
 */

#define V2(fn) __asm__( \
	".text\n" \
	".globl " #fn "_v2\n" \
	".type " #fn "_v2, @function\n" \
	#fn "_v2:\n" \
	"\tjmp " #fn "@PLT\n" \
	".size " #fn "_v2, . - " #fn "_v2\n" \
	".symver " #fn "_v2, " #fn "@LIBPMEM2_2.0\n")

V2(pmem2_badblock_clear);
V2(pmem2_badblock_context_delete);
V2(pmem2_badblock_context_new);
V2(pmem2_badblock_next);
V2(pmem2_config_delete);
V2(pmem2_config_new);
V2(pmem2_config_set_length);
V2(pmem2_config_set_offset);
V2(pmem2_config_set_protection);
V2(pmem2_config_set_required_store_granularity);
V2(pmem2_config_set_sharing);
V2(pmem2_config_set_vm_reservation);
V2(pmem2_deep_flush);
V2(pmem2_err_to_errno);
V2(pmem2_errormsg);
V2(pmem2_get_drain_fn);
V2(pmem2_get_flush_fn);
V2(pmem2_get_memcpy_fn);
V2(pmem2_get_memmove_fn);
V2(pmem2_get_memset_fn);
V2(pmem2_get_persist_fn);
V2(pmem2_map_delete);
V2(pmem2_map_from_existing);
V2(pmem2_map_get_address);
V2(pmem2_map_get_size);
V2(pmem2_map_get_store_granularity);
V2(pmem2_map_new);
V2(pmem2_perror);
V2(pmem2_source_alignment);
V2(pmem2_source_delete);
V2(pmem2_source_device_id);
V2(pmem2_source_device_usc);
V2(pmem2_source_from_anon);
V2(pmem2_source_from_fd);
V2(pmem2_source_get_fd);
V2(pmem2_source_numa_node);
V2(pmem2_source_pread_mcsafe);
V2(pmem2_source_pwrite_mcsafe);
V2(pmem2_source_size);
V2(pmem2_vm_reservation_delete);
V2(pmem2_vm_reservation_extend);
V2(pmem2_vm_reservation_get_address);
V2(pmem2_vm_reservation_get_size);
V2(pmem2_vm_reservation_map_find);
V2(pmem2_vm_reservation_map_find_first);
V2(pmem2_vm_reservation_map_find_last);
V2(pmem2_vm_reservation_map_find_next);
V2(pmem2_vm_reservation_map_find_prev);
V2(pmem2_vm_reservation_new);
V2(pmem2_vm_reservation_shrink);
