# rpmempool.mk -- rpmempool, the pool tool for replicated pools (create, info, check, sync, rm); it links
# libpmemobj core's objects, since it works on one replica at a time through the library's internals

RPMEMPOOL := $(O)/bin/rpmempool
RPMEMPOOL_SRCS := $(wildcard utils/rpmempool*.c)
RPMEMPOOL_OBJS := $(RPMEMPOOL_SRCS:%.c=$(O)/obj/%.o)

$(RPMEMPOOL_OBJS): private EXTRA_CFLAGS += -Ilibpmemobj -Iinclude/libpmemobj-core

# $ORIGIN/../lib finds libpmem2 and librpmem in the build tree and installed alike
$(RPMEMPOOL): $(RPMEMPOOL_OBJS) $(OBJ_OBJS) $(OBJ_COMMON_OBJS) $(PMEM2_SO) $(RPMEM_SO)
	@mkdir -p $(dir $@)
	$(call say,LINK,$@)$(CC) -o $@ $(RPMEMPOOL_OBJS) $(OBJ_OBJS) $(OBJ_COMMON_OBJS) $(LDFLAGS_ALL) \
		-L$(O)/lib -Wl,-rpath,'$$ORIGIN/../lib' -lpmem2 -lrpmem

ALL_TARGETS += $(RPMEMPOOL)
# tests/integration/rpmempool/ runs it
TEST_DEPS += $(RPMEMPOOL)
# the writer test program uses libpmemobj like any program
TEST_LIBS_rpmempool := -lpmemobj-core
$(O)/tests/integration/rpmempool/%: private CPPFLAGS_ALL += -Iinclude/libpmemobj-core

.PHONY: install-rpmempool
install-rpmempool: $(RPMEMPOOL)
	$(call say,INSTALL,$(DESTDIR)$(BINDIR)/rpmempool)install -d $(DESTDIR)$(BINDIR)
	$(Q)install -m 755 $(RPMEMPOOL) $(DESTDIR)$(BINDIR)/
INSTALL_TARGETS += install-rpmempool
