# pmemobj_bench.mk -- the replicated-pool benchmark (`make bench-pmemobj`, part of `make bench`): pmemobj_memcpy_persist with 0, 1 and 2 remote replicas

OBJ_BENCH := $(O)/utils/pmemobj_bench
OBJ_BENCH_SRCS := $(wildcard utils/pmemobj_bench*.c)

# programs include <libpmemobj.h> as pkg-config's -I gives it
$(OBJ_BENCH): $(OBJ_BENCH_SRCS) utils/pmemobj_bench.h $(OBJ_SO) | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(call say,CC,$@)$(CC) $(CPPFLAGS_ALL) -Iinclude/libpmemobj-core $(RPMEM_UTILS_PATHS) \
		$(CFLAGS_ALL) -o $@ $(OBJ_BENCH_SRCS) -L$(O)/lib -Wl,-rpath,$(abspath $(O)/lib) \
		$(LDFLAGS_ALL) -lpmemobj-core

ALL_TARGETS += $(OBJ_BENCH)

# after every benchmark is built; under `make bench` after the librpmem one, never beside it
.PHONY: bench-pmemobj
bench-pmemobj: $(DEPS_OK) $(BENCHES) $(OBJ_BENCH) $(RPMEMD)
	env -u LD_LIBRARY_PATH -u LD_PRELOAD $(OBJ_BENCH) -r $${PMEMOBJ_BENCH_ROUNDS:-15} \
		-t $${PMEMOBJ_BENCH_MS:-100} -d $${PMEMOBJ_BENCH_DIR:-/dev/shm}
ifneq ($(filter bench,$(MAKECMDGOALS)),)
bench-pmemobj: | bench-rpmem
endif
bench: bench-pmemobj
