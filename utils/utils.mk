# utils.mk -- command-line programs: the demo (and the benchmarks)

DEMO := $(O)/utils/pmem2_demo

$(DEMO): utils/pmem2_demo.c $(PMEM2_SO)
	@mkdir -p $(dir $@)
	$(call say,CC,$<)$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) -o $@ $< -L$(O)/lib \
		-Wl,-rpath,$(abspath $(O)/lib) $(LDFLAGS_ALL) -lpmem2

ALL_TARGETS += $(DEMO)

.PHONY: demo
demo: $(DEPS_OK) $(DEMO)
	$(DEMO)
	$(RPMEM_DEMO)
include utils/bench.mk
include utils/rpmem.mk
include utils/pmemobj_bench.mk
include utils/ackcheck.mk
include utils/rpmempool.mk
