# rules.mk -- how sources become objects, libraries and programs

# V=1 shows every command; by default one short line per step
ifeq ($(V),1)
Q :=
say :=
else
Q := @
say = @printf '  %-8s %s\n' $(1) $(2);
endif

$(O)/obj/%.o: %.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(call say,CC,$<)$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) $(EXTRA_CFLAGS) $(DEPFLAGS) -c $< -o $@

# static library: one relocatable object whose internal (hidden) symbols are
# made local, so that the common/ code of two libraries never collides
# $(call static_lib,archive,objects)
define static_lib
	@mkdir -p $(dir $(1))
	$(call say,AR,$(1))$(LD) -r -o $(1:.a=.ro) $(2)
	$(Q)$(OBJCOPY) --localize-hidden $(1:.a=.ro)
	$(Q)rm -f $(1)
	$(Q)$(AR) rcs $(1) $(1:.a=.ro)
	$(Q)rm -f $(1:.a=.ro)
endef

# shared library with soname and version script
# $(call shared_lib,realname,soname,linkname,mapfile,objects,libs)
define shared_lib
	@mkdir -p $(dir $(1))
	$(call say,LINK,$(1))$(CC) -shared $(LDFLAGS_ALL) -Wl,-soname,$(2) -Wl,--version-script=$(4) \
		-Wl,--no-undefined -o $(1) $(5) $(6)
	$(Q)ln -sf $(notdir $(1)) $(dir $(1))$(2)
	$(Q)ln -sf $(2) $(dir $(1))$(3)
endef
