# librpmem.mk -- librpmem.so.1 (the client of rpmemd), its pkg-config file, and the fake daemon its tests run

RPMEM_SRCS := $(wildcard librpmem/*.c)
RPMEM_OBJS := $(RPMEM_SRCS:%.c=$(O)/obj/%.o)
RPMEM_SO := $(O)/lib/librpmem.so.1.0.0
RPMEM_LIBS := -lfabric

$(O)/obj/librpmem/%.o: private EXTRA_CFLAGS += -Ilibrpmem

$(RPMEM_SO): $(RPMEM_OBJS) $(COMMON_OBJS) librpmem/librpmem.map
	$(call shared_lib,$@,librpmem.so.1,librpmem.so,librpmem/librpmem.map,$(RPMEM_OBJS) $(COMMON_OBJS),$(RPMEM_LIBS))

RPMEM_A := $(O)/lib/librpmem.a
$(RPMEM_A): $(RPMEM_OBJS) $(COMMON_OBJS)
	$(call static_lib,$@,$(RPMEM_OBJS) $(COMMON_OBJS))

ALL_TARGETS += $(RPMEM_SO) $(RPMEM_A)
TEST_LDLIBS += -lrpmem
TEST_DEPS += $(RPMEM_SO)

# a stand-in daemon for the tests of librpmem (the real rpmemd comes with its own tests)
FAKE_RPMEMD := $(O)/tests/lib/fake_rpmemd
$(FAKE_RPMEMD): $(O)/obj/tests/lib/fake_rpmemd/fake_rpmemd.o $(COMMON_OBJS)
	@mkdir -p $(dir $@)
	$(call say,LINK,$@)$(CC) $(LDFLAGS_ALL) -o $@ $^ -lfabric
$(patsubst %.c,$(O)/%,$(wildcard tests/unit/librpmem/*.c)): $(FAKE_RPMEMD)
$(O)/tests/unit/librpmem/%: private CPPFLAGS_ALL += -DFAKE_RPMEMD='"$(abspath $(FAKE_RPMEMD))"' \
	-DRPMEM_SSH_LOCAL='"$(abspath tests/lib/rpmem_ssh_local.sh)"'

.PHONY: install-librpmem
install-librpmem: $(RPMEM_SO) $(RPMEM_A)
	install -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR)/librpmem
	install -m 644 include/librpmem.h $(DESTDIR)$(INCLUDEDIR)/
	install -m 644 include/librpmem/async.h $(DESTDIR)$(INCLUDEDIR)/librpmem/
	install -m 755 $(RPMEM_SO) $(DESTDIR)$(LIBDIR)/
	ln -sf librpmem.so.1.0.0 $(DESTDIR)$(LIBDIR)/librpmem.so.1
	ln -sf librpmem.so.1 $(DESTDIR)$(LIBDIR)/librpmem.so
	install -m 644 $(RPMEM_A) $(DESTDIR)$(LIBDIR)/
	# written at install time: the paths are those of this PREFIX
	sed -e 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$(LIBDIR)|; s|@INCLUDEDIR@|$(INCLUDEDIR)|' \
		librpmem/librpmem.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/librpmem.pc
INSTALL_TARGETS += install-librpmem
