# rules.mk -- how sources become objects, libraries and programs

$(O)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) $(EXTRA_CFLAGS) $(DEPFLAGS) -c $< -o $@

# static library: one relocatable object whose internal (hidden) symbols are
# made local, so that the common/ code of two libraries never collides
# $(call static_lib,archive,objects)
define static_lib
	@mkdir -p $(dir $(1))
	$(LD) -r -o $(1:.a=.ro) $(2)
	$(OBJCOPY) --localize-hidden $(1:.a=.ro)
	rm -f $(1)
	$(AR) rcs $(1) $(1:.a=.ro)
	rm -f $(1:.a=.ro)
endef

# shared library with soname and version script
# $(call shared_lib,realname,soname,linkname,mapfile,objects,libs)
define shared_lib
	@mkdir -p $(dir $(1))
	$(CC) -shared $(LDFLAGS_ALL) -Wl,-soname,$(2) -Wl,--version-script=$(4) \
		-Wl,--no-undefined -o $(1) $(5) $(6)
	ln -sf $(notdir $(1)) $(dir $(1))$(2)
	ln -sf $(2) $(dir $(1))$(3)
endef
