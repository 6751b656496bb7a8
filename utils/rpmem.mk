# rpmem.mk -- the replication demo (`make demo`) and the librpmem benchmark (`make bench-rpmem`, part of `make bench`)

RPMEM_DEMO := $(O)/utils/rpmem_demo
RPMEM_BENCH := $(O)/utils/rpmem_bench
RPMEM_BENCH_SRCS := $(wildcard utils/rpmem_bench*.c)

# the local ssh stand-in and the build's daemon, by absolute path: the demo runs from anywhere
RPMEM_UTILS_PATHS := -DDEMO_SSH='"$(abspath tests/lib/rpmem_ssh_local.sh)"' \
	-DDEMO_RPMEMD='"$(abspath $(RPMEMD))"'

$(RPMEM_DEMO): utils/rpmem_demo.c $(RPMEM_SO) | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(call say,CC,$<)$(CC) $(CPPFLAGS_ALL) $(RPMEM_UTILS_PATHS) $(CFLAGS_ALL) -o $@ $< \
		-L$(O)/lib -Wl,-rpath,$(abspath $(O)/lib) $(LDFLAGS_ALL) -lrpmem

# the bare libfabric ceiling uses the common/ fabric helpers (hidden symbols, linked in)
$(RPMEM_BENCH): $(RPMEM_BENCH_SRCS) utils/rpmem_bench.h $(RPMEM_SO) $(COMMON_OBJS) | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(call say,CC,$@)$(CC) $(CPPFLAGS_ALL) $(RPMEM_UTILS_PATHS) $(CFLAGS_ALL) -o $@ \
		$(RPMEM_BENCH_SRCS) $(COMMON_OBJS) -L$(O)/lib -Wl,-rpath,$(abspath $(O)/lib) \
		$(LDFLAGS_ALL) -lrpmem -lfabric -lm

# asynchronous persists in flight against synchronous ones (librpmem/async.h)
RPMEM_ASYNC_BENCH := $(O)/utils/rpmem_async_bench
$(RPMEM_ASYNC_BENCH): utils/rpmem_async_bench.c $(RPMEM_SO) | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(call say,CC,$<)$(CC) $(CPPFLAGS_ALL) $(RPMEM_UTILS_PATHS) $(CFLAGS_ALL) -o $@ $< \
		-L$(O)/lib -Wl,-rpath,$(abspath $(O)/lib) $(LDFLAGS_ALL) -lrpmem

ALL_TARGETS += $(RPMEM_DEMO) $(RPMEM_BENCH) $(RPMEM_ASYNC_BENCH)

# both run the real daemon
demo: $(RPMEM_DEMO) $(RPMEMD)

# after every benchmark is built (a compile would disturb the timing); before the libpmem2 one
.PHONY: bench-rpmem
bench-rpmem: $(DEPS_OK) $(BENCHES) $(RPMEM_BENCH) $(RPMEM_ASYNC_BENCH) $(RPMEMD)
	utils/run-rpmem-bench.sh $(O)
bench: bench-rpmem
