# tests.mk -- every tests/{unit,integration}/<component>/<name>.c is one cmocka program,
# every tests/{unit,integration}/<component>/<name>.sh one script; tests/lib/ holds their helpers.
# Unit tests may look inside a component; integration tests start real processes.

TEST_LIB_SRCS := $(wildcard tests/lib/*.c)
TEST_LIB_OBJS := $(TEST_LIB_SRCS:%.c=$(O)/obj/%.o)
TEST_SRCS := $(wildcard tests/unit/*/*.c tests/integration/*/*.c)
TEST_PROGRAMS := $(TEST_SRCS:%.c=$(O)/%)
TEST_SCRIPTS := $(wildcard tests/unit/*/*.sh tests/integration/*/*.sh)

$(O)/obj/tests/%.o: EXTRA_CFLAGS += -Itests/lib

# TEST_DEPS: what every test needs built first (the libraries they link, the
# daemon the integration tests start); each component's fragment adds to it.
# A component may add objects (white-box tests) and libraries for its tests:
# TEST_OBJS_<component> and TEST_LIBS_<component>, <component> being the folder name
test_component = $(word 2,$(subst /, ,$*))

.SECONDEXPANSION:
$(O)/tests/%: tests/%.c $(TEST_LIB_OBJS) $$(TEST_DEPS) \
		$$(TEST_OBJS_$$(test_component)) | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(call say,TEST,$<)$(CC) $(CPPFLAGS_ALL) -Itests/lib $(CFLAGS_ALL) $(DEPFLAGS) -MT $@ -MF $@.d \
		-o $@ $< $(TEST_LIB_OBJS) $(TEST_OBJS_$(test_component)) \
		-L$(O)/lib -Wl,-rpath,$(abspath $(O)/lib) \
		$(LDFLAGS_ALL) $(TEST_LDLIBS) $(TEST_LIBS_$(test_component)) -lcmocka

TESTS += $(TEST_PROGRAMS) $(TEST_SCRIPTS)

# a test folder's own rules (extra libraries, targets such as soak) live in its <folder>.mk
include $(wildcard tests/unit/*/*.mk tests/integration/*/*.mk)

-include $(wildcard $(O)/tests/*/*/*.d)
