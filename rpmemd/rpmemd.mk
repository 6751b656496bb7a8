# rpmemd.mk -- the rpmemd daemon: its objects (the program comes later) and what its tests link

RPMEMD_SRCS := $(filter-out rpmemd/main.c,$(wildcard rpmemd/*.c))
RPMEMD_OBJS := $(RPMEMD_SRCS:%.c=$(O)/obj/%.o)
# the in-band side (common/fabric*.c) runs over libfabric
RPMEMD_LIBS := -lfabric
# private: the flag must not leak into prerequisites built on the way (other config.h files)
$(O)/obj/rpmemd/%.o: private EXTRA_CFLAGS += -Irpmemd

# compiled by "make all" even before the daemon links them, so errors show early
ALL_TARGETS += $(RPMEMD_OBJS)

# white-box unit tests of rpmemd link its objects and include its headers
TEST_OBJS_rpmemd := $(RPMEMD_OBJS) $(COMMON_OBJS) $(COMMON_REPLICA_OBJS)
TEST_LIBS_rpmemd += $(RPMEMD_LIBS)
$(O)/tests/unit/rpmemd/%: private CPPFLAGS_ALL += -Irpmemd
TEST_LIBS_rpmemd += -lpmem2

# the daemon; $ORIGIN/../lib finds our libpmem2 both in the build tree and installed
RPMEMD := $(O)/bin/rpmemd
$(RPMEMD): $(O)/obj/rpmemd/main.o $(RPMEMD_OBJS) $(COMMON_OBJS) $(COMMON_REPLICA_OBJS) $(PMEM2_SO)
	@mkdir -p $(dir $@)
	$(call say,LINK,$@)$(CC) -o $@ $(filter %.o,$^) $(LDFLAGS_ALL) -L$(O)/lib \
		-Wl,-rpath,'$$ORIGIN/../lib' -lpmem2 $(RPMEMD_LIBS)
ALL_TARGETS += $(RPMEMD)
# the integration tests start it
TEST_DEPS += $(RPMEMD)

.PHONY: install-rpmemd
install-rpmemd: $(RPMEMD)
	$(call say,INSTALL,$(DESTDIR)$(BINDIR)/rpmemd)install -d $(DESTDIR)$(BINDIR)
	$(Q)install -m 755 $(RPMEMD) $(DESTDIR)$(BINDIR)/
INSTALL_TARGETS += install-rpmemd
