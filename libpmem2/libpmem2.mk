# libpmem2.mk -- libpmem2.so.1 and libpmem2.a

PMEM2_SRCS := $(wildcard libpmem2/*.c libpmem2/x86_64/*.c)
PMEM2_OBJS := $(filter-out %/version_v2.o,$(PMEM2_SRCS:%.c=$(O)/obj/%.o))
# symbol versions mean nothing to a static link: the LIBPMEM2_2.0 entries are shared-only
PMEM2_SO_OBJS := $(PMEM2_OBJS) $(O)/obj/libpmem2/version_v2.o
PMEM2_SO := $(O)/lib/libpmem2.so.1.0.0
PMEM2_A := $(O)/lib/libpmem2.a
PMEM2_LIBS := -lndctl -ldaxctl

# kernels compiled for one ISA each; dispatch picks them at load time
$(O)/obj/libpmem2/x86_64/%_avx.o: EXTRA_CFLAGS += -mavx
$(O)/obj/libpmem2/x86_64/%_avx512f.o: EXTRA_CFLAGS += -mavx512f
$(O)/obj/libpmem2/%.o: EXTRA_CFLAGS += -Ilibpmem2

$(PMEM2_SO): $(PMEM2_SO_OBJS) $(COMMON_CORE_OBJS) libpmem2/libpmem2.map
	$(call shared_lib,$@,libpmem2.so.1,libpmem2.so,libpmem2/libpmem2.map,$(PMEM2_SO_OBJS) $(COMMON_CORE_OBJS),$(PMEM2_LIBS))

$(PMEM2_A): $(PMEM2_OBJS) $(COMMON_CORE_OBJS)
	$(call static_lib,$@,$(PMEM2_OBJS) $(COMMON_CORE_OBJS))

ALL_TARGETS += $(PMEM2_SO) $(PMEM2_A)
TEST_LDLIBS += -lpmem2
TEST_DEPS += $(PMEM2_SO) $(PMEM2_A)

.PHONY: install-libpmem2
install-libpmem2: $(PMEM2_SO) $(PMEM2_A)
	install -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR)/libpmem2
	install -m 644 include/libpmem2.h $(DESTDIR)$(INCLUDEDIR)/
	install -m 644 include/libpmem2/*.h $(DESTDIR)$(INCLUDEDIR)/libpmem2/
	install -m 755 $(PMEM2_SO) $(DESTDIR)$(LIBDIR)/
	ln -sf libpmem2.so.1.0.0 $(DESTDIR)$(LIBDIR)/libpmem2.so.1
	ln -sf libpmem2.so.1 $(DESTDIR)$(LIBDIR)/libpmem2.so
	install -m 644 $(PMEM2_A) $(DESTDIR)$(LIBDIR)/
	# written at install time: the paths are those of this PREFIX
	sed -e 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$(LIBDIR)|; s|@INCLUDEDIR@|$(INCLUDEDIR)|' \
		libpmem2/libpmem2.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/libpmem2.pc
INSTALL_TARGETS += install-libpmem2
