# libminiasync.mk -- libminiasync.so.0 and libminiasync.a (futures, movers, runtime), its pkg-config file and install

MINIASYNC_SRCS := $(wildcard libminiasync/*.c)
MINIASYNC_OBJS := $(MINIASYNC_SRCS:%.c=$(O)/obj/%.o)
MINIASYNC_SO := $(O)/lib/libminiasync.so.0.2.0
MINIASYNC_A := $(O)/lib/libminiasync.a

$(O)/obj/libminiasync/%.o: EXTRA_CFLAGS += -Ilibminiasync

$(MINIASYNC_SO): $(MINIASYNC_OBJS) libminiasync/libminiasync.map
	$(call shared_lib,$@,libminiasync.so.0,libminiasync.so,libminiasync/libminiasync.map,$(MINIASYNC_OBJS),)

$(MINIASYNC_A): $(MINIASYNC_OBJS)
	$(call static_lib,$@,$(MINIASYNC_OBJS))

ALL_TARGETS += $(MINIASYNC_SO) $(MINIASYNC_A)
TEST_LDLIBS += -lminiasync
TEST_DEPS += $(MINIASYNC_SO)

.PHONY: install-libminiasync
install-libminiasync: $(MINIASYNC_SO) $(MINIASYNC_A)
	install -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR)/libminiasync
	install -m 644 include/libminiasync.h $(DESTDIR)$(INCLUDEDIR)/
	install -m 644 include/libminiasync/*.h $(DESTDIR)$(INCLUDEDIR)/libminiasync/
	install -m 755 $(MINIASYNC_SO) $(DESTDIR)$(LIBDIR)/
	ln -sf libminiasync.so.0.2.0 $(DESTDIR)$(LIBDIR)/libminiasync.so.0
	ln -sf libminiasync.so.0 $(DESTDIR)$(LIBDIR)/libminiasync.so
	install -m 644 $(MINIASYNC_A) $(DESTDIR)$(LIBDIR)/
	# written at install time: the paths are those of this PREFIX
	sed -e 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$(LIBDIR)|; s|@INCLUDEDIR@|$(INCLUDEDIR)|' \
		libminiasync/libminiasync.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/libminiasync.pc
INSTALL_TARGETS += install-libminiasync
