# libpmemobj.mk -- libpmemobj-core.so.1 and libpmemobj-core.a (the replication core of libpmemobj, named so it never replaces PMDK's libpmemobj), its pkg-config file and man pages

OBJ_SRCS := $(wildcard libpmemobj/*.c)
OBJ_OBJS := $(OBJ_SRCS:%.c=$(O)/obj/%.o)
OBJ_SO := $(O)/lib/libpmemobj-core.so.1.0.0
OBJ_A := $(O)/lib/libpmemobj-core.a
# $$ORIGIN: libpmem2 and librpmem are found next to it, in the build tree as installed
OBJ_LIBS := -L$(O)/lib -Wl,-rpath,'$$ORIGIN' -lpmem2 -lrpmem
# what the library links besides its own objects (the pool tool links the same)
OBJ_COMMON_OBJS := $(COMMON_CORE_OBJS) $(COMMON_REPLICA_OBJS) \
	$(patsubst %,$(O)/obj/common/%.o,checksum poolset poolset_beneath poolset_layout poolset_parse)

$(O)/obj/libpmemobj/%.o: private EXTRA_CFLAGS += -Ilibpmemobj -Iinclude/libpmemobj-core

$(OBJ_SO): $(OBJ_OBJS) $(OBJ_COMMON_OBJS) libpmemobj/libpmemobj.map libpmemobj/libpmemobj.mk $(PMEM2_SO) $(RPMEM_SO)
	$(call shared_lib,$@,libpmemobj-core.so.1,libpmemobj-core.so,libpmemobj/libpmemobj.map,$(OBJ_OBJS) $(OBJ_COMMON_OBJS),$(OBJ_LIBS))

$(OBJ_A): $(OBJ_OBJS) $(OBJ_COMMON_OBJS)
	$(call static_lib,$@,$(OBJ_OBJS) $(OBJ_COMMON_OBJS))

ALL_TARGETS += $(OBJ_SO) $(OBJ_A)
TEST_DEPS += $(OBJ_SO)

# its tests include <libpmemobj.h> as programs do (pkg-config's -I), and white-box ones the internals
$(O)/tests/unit/libpmemobj/% $(O)/tests/integration/libpmemobj/%: private CPPFLAGS_ALL += \
	-Iinclude/libpmemobj-core -Ilibpmemobj
TEST_LIBS_libpmemobj := -lpmemobj-core

# man pages in section "3obj" (pmemobj_create.3obj): next to PMDK's pmemobj_create.3, never over it
OBJ_MAN_SRCS := $(wildcard doc/pmemobj_*.3obj.md)
OBJ_MAN_PAGES := $(OBJ_MAN_SRCS:doc/%.md=$(O)/man/man3/%)
$(O)/man/man3/%.3obj: doc/%.3obj.md utils/md2man.sh
	@mkdir -p $(dir $@)
	$(call say,MAN,$@)utils/md2man.sh -v "libpmemobj-core 1.12.1" $< > $@
# every other name of a page's NAME section: a ".so" page of its own
OBJ_MAN_ALIAS_PAIRS := $(shell for md in $(OBJ_MAN_SRCS); do \
	page=$$(basename $$md .3obj.md); \
	for n in $$(utils/md2man.sh -n $$md); do \
		[ -e doc/$$n.3obj.md ] || echo "$$n:$$page"; \
	done; \
done)
define obj_man_alias
$(O)/man/man3/$(1).3obj: doc/$(2).3obj.md
	@mkdir -p $$(dir $$@)
	$$(call say,MAN,$$@)echo '.so man3/$(2).3obj' > $$@
endef
$(foreach p,$(OBJ_MAN_ALIAS_PAIRS),$(eval $(call obj_man_alias,$(firstword $(subst :, ,$(p))),$(lastword $(subst :, ,$(p))))))
OBJ_MAN_ALL := $(OBJ_MAN_PAGES) $(foreach p,$(OBJ_MAN_ALIAS_PAIRS),$(O)/man/man3/$(firstword $(subst :, ,$(p))).3obj)
ALL_TARGETS += $(OBJ_MAN_ALL)

.PHONY: install-libpmemobj
install-libpmemobj: $(OBJ_SO) $(OBJ_A) $(OBJ_MAN_ALL)
	install -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR)/libpmemobj-core/libpmemobj \
		$(DESTDIR)$(MANDIR)/man3
	install -m 644 include/libpmemobj-core/libpmemobj.h $(DESTDIR)$(INCLUDEDIR)/libpmemobj-core/
	install -m 644 include/libpmemobj-core/libpmemobj/*.h \
		$(DESTDIR)$(INCLUDEDIR)/libpmemobj-core/libpmemobj/
	install -m 755 $(OBJ_SO) $(DESTDIR)$(LIBDIR)/
	ln -sf libpmemobj-core.so.1.0.0 $(DESTDIR)$(LIBDIR)/libpmemobj-core.so.1
	ln -sf libpmemobj-core.so.1 $(DESTDIR)$(LIBDIR)/libpmemobj-core.so
	install -m 644 $(OBJ_A) $(DESTDIR)$(LIBDIR)/
	install -m 644 $(OBJ_MAN_ALL) $(DESTDIR)$(MANDIR)/man3/
	# written at install time: the paths are those of this PREFIX
	sed -e 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$(LIBDIR)|; s|@INCLUDEDIR@|$(INCLUDEDIR)|' \
		libpmemobj/libpmemobj-core.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/libpmemobj-core.pc
INSTALL_TARGETS += install-libpmemobj
