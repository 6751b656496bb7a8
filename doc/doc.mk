# doc.mk -- man pages: doc/*.3.md and doc/*.7.md become roff pages under $(O)/man,
# plus one ".so" alias page per function documented on a page named after another one

MD2MAN := utils/md2man.sh
MAN3_SRCS := $(wildcard doc/*.3.md)
MAN7_SRCS := $(wildcard doc/*.7.md)
MAN3_PAGES := $(MAN3_SRCS:doc/%.md=$(O)/man/man3/%)
MAN7_PAGES := $(MAN7_SRCS:doc/%.md=$(O)/man/man7/%)

# "alias:page" for every name in a page's NAME section that has no page of its
# own, e.g. pmem2_config_delete:pmem2_config_new
MAN3_ALIAS_PAIRS := $(shell for md in $(MAN3_SRCS); do \
	page=$$(basename $$md .3.md); \
	for n in $$($(MD2MAN) -n $$md); do \
		[ -e doc/$$n.3.md ] || echo "$$n:$$page"; \
	done; \
done)
MAN3_ALIASES := $(foreach p,$(MAN3_ALIAS_PAIRS),$(O)/man/man3/$(firstword $(subst :, ,$(p))).3)

$(O)/man/man3/%.3: doc/%.3.md $(MD2MAN)
	@mkdir -p $(dir $@)
	$(call say,MAN,$@)$(MD2MAN) $< > $@

$(O)/man/man7/%.7: doc/%.7.md $(MD2MAN)
	@mkdir -p $(dir $@)
	$(call say,MAN,$@)$(MD2MAN) $< > $@

# $(call man_alias,alias,page)
define man_alias
$(O)/man/man3/$(1).3: doc/$(2).3.md
	@mkdir -p $$(dir $$@)
	$$(call say,MAN,$$@)echo '.so man3/$(2).3' > $$@
endef
$(foreach p,$(MAN3_ALIAS_PAIRS),$(eval $(call man_alias,$(firstword $(subst :, ,$(p))),$(lastword $(subst :, ,$(p))))))

MAN_ALL := $(MAN3_PAGES) $(MAN3_ALIASES) $(MAN7_PAGES)
ALL_TARGETS += $(MAN_ALL)

.PHONY: man install-man
man: $(MAN_ALL)

install-man: $(MAN_ALL)
	$(call say,INSTALL,$(DESTDIR)$(MANDIR))install -d $(DESTDIR)$(MANDIR)/man3 $(DESTDIR)$(MANDIR)/man7
	$(Q)$(if $(MAN3_PAGES)$(MAN3_ALIASES),install -m 644 $(MAN3_PAGES) $(MAN3_ALIASES) $(DESTDIR)$(MANDIR)/man3/)
	$(Q)$(if $(MAN7_PAGES),install -m 644 $(MAN7_PAGES) $(DESTDIR)$(MANDIR)/man7/)
INSTALL_TARGETS += install-man
