# tests.mk -- unit tests: every tests/unit/<component>/<name>.c is one cmocka program,
# every tests/unit/<component>/<name>.sh one script; tests/lib/ holds their helpers

TEST_LIB_SRCS := $(wildcard tests/lib/*.c)
TEST_LIB_OBJS := $(TEST_LIB_SRCS:%.c=$(O)/obj/%.o)
UNIT_TEST_SRCS := $(wildcard tests/unit/*/*.c)
UNIT_TESTS := $(UNIT_TEST_SRCS:%.c=$(O)/%)
TEST_SCRIPTS := $(wildcard tests/unit/*/*.sh)

$(O)/obj/tests/%.o: EXTRA_CFLAGS += -Itests/lib

$(O)/tests/unit/%: tests/unit/%.c $(TEST_LIB_OBJS) $(PMEM2_SO) $(PMEM2_A) | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(call say,TEST,$<)$(CC) $(CPPFLAGS_ALL) -Itests/lib $(CFLAGS_ALL) $(DEPFLAGS) -MT $@ -MF $@.d \
		-o $@ $< $(TEST_LIB_OBJS) -L$(O)/lib -Wl,-rpath,$(abspath $(O)/lib) \
		$(LDFLAGS_ALL) $(TEST_LDLIBS) -lcmocka

TESTS += $(UNIT_TESTS) $(TEST_SCRIPTS)

-include $(wildcard $(O)/tests/unit/*/*.d)
