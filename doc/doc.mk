# doc.mk -- man pages: doc/*.<section>.md (sections 1, 3, 5, 7) become roff pages under
# $(O)/man, plus one ".so" alias page per function documented on a page named after another one

MD2MAN := utils/md2man.sh
MAN_SECTIONS := 1 3 5 7
MAN3_SRCS := $(wildcard doc/*.3.md)
MAN3_PAGES := $(MAN3_SRCS:doc/%.md=$(O)/man/man3/%)
# the pages of the sections without aliases
MAN_OTHER_PAGES := $(foreach s,1 5 7,$(patsubst doc/%.md,$(O)/man/man$(s)/%,$(wildcard doc/*.$(s).md)))

# "alias:page" for every name in a page's NAME section that has no page of its
# own, e.g. pmem2_config_delete:pmem2_config_new
MAN3_ALIAS_PAIRS := $(shell for md in $(MAN3_SRCS); do \
	page=$$(basename $$md .3.md); \
	for n in $$($(MD2MAN) -n $$md); do \
		[ -e doc/$$n.3.md ] || echo "$$n:$$page"; \
	done; \
done)
MAN3_ALIASES := $(foreach p,$(MAN3_ALIAS_PAIRS),$(O)/man/man3/$(firstword $(subst :, ,$(p))).3)

define man_section
$(O)/man/man$(1)/%.$(1): doc/%.$(1).md $(MD2MAN)
	@mkdir -p $$(dir $$@)
	$$(call say,MAN,$$@)$(MD2MAN) $$< > $$@
endef
$(foreach s,$(MAN_SECTIONS),$(eval $(call man_section,$(s))))

# $(call man_alias,alias,page)
define man_alias
$(O)/man/man3/$(1).3: doc/$(2).3.md
	@mkdir -p $$(dir $$@)
	$$(call say,MAN,$$@)echo '.so man3/$(2).3' > $$@
endef
$(foreach p,$(MAN3_ALIAS_PAIRS),$(eval $(call man_alias,$(firstword $(subst :, ,$(p))),$(lastword $(subst :, ,$(p))))))

MAN_ALL := $(MAN3_PAGES) $(MAN3_ALIASES) $(MAN_OTHER_PAGES)
ALL_TARGETS += $(MAN_ALL)

.PHONY: man install-man
man: $(MAN_ALL)

install-man: $(MAN_ALL)
	$(call say,INSTALL,$(DESTDIR)$(MANDIR))for s in $(MAN_SECTIONS); do install -d $(DESTDIR)$(MANDIR)/man$$s; done
	$(Q)for p in $(MAN_ALL); do \
		s=$${p##*.}; install -m 644 $$p $(DESTDIR)$(MANDIR)/man$$s/ || exit 1; \
	done
INSTALL_TARGETS += install-man
