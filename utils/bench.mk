# bench.mk -- pmem2_bench built twice from one source (ours and Debian's PMDK libpmem2) and `make bench`

BENCH := $(O)/utils/pmem2_bench
BENCH_PMDK := $(O)/utils/pmem2_bench_pmdk
PMDK_PMEM2_SO := /usr/lib/x86_64-linux-gnu/libpmem2.so.1
PMDK_PMEM2_H := /usr/include/libpmem2.h

# linked by file name (not -lpmem2) so neither build can pick the other library
$(BENCH): utils/pmem2_bench.c $(PMEM2_SO)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) -o $@ $< $(PMEM2_SO) \
		-Wl,-rpath,$(abspath $(O)/lib) $(LDFLAGS_ALL) -ldl

# the same source against PMDK: system headers only (no -Iinclude), no rpath
$(BENCH_PMDK): utils/pmem2_bench.c
	@mkdir -p $(dir $@)
	$(CC) -D_GNU_SOURCE $(CPPFLAGS) $(CFLAGS_ALL) -o $@ $< $(PMDK_PMEM2_SO) \
		$(LDFLAGS_ALL) -ldl

BENCHES += $(BENCH)
ifneq ($(wildcard $(PMDK_PMEM2_SO)),)
ifneq ($(wildcard $(PMDK_PMEM2_H)),)
BENCHES += $(BENCH_PMDK)
endif
endif
ALL_TARGETS += $(BENCHES)

# pmem2_memcpy_async against the synchronous copy (libpmem2/async.h, libminiasync)
ASYNC_BENCH := $(O)/utils/pmem2_async_bench
$(ASYNC_BENCH): utils/pmem2_async_bench.c $(PMEM2_SO) $(MINIASYNC_SO) | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(call say,CC,$<)$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) -o $@ $< -L$(O)/lib \
		-Wl,-rpath,$(abspath $(O)/lib) $(LDFLAGS_ALL) -lpmem2 -lminiasync
ALL_TARGETS += $(ASYNC_BENCH)

# timing never runs under `make check`; only here
bench: $(DEPS_OK) $(BENCHES) $(ASYNC_BENCH)
	utils/run-bench.sh $(O)/utils
	$(ASYNC_BENCH)
