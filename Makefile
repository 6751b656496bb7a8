# Makefile -- the one entry point: all, check, install, bench, demo, clean
# Non-recursive: every folder contributes a fragment; shared rules live in mk/.

.DEFAULT_GOAL := all
.SUFFIXES:
.DELETE_ON_ERROR:
# keep intermediate objects (test helpers) so a second make has nothing to do
.SECONDARY:

include mk/config.mk
include mk/rules.mk

include common/common.mk
include libpmem2/libpmem2.mk
include librpmem/librpmem.mk
include libminiasync/libminiasync.mk
include rpmemd/rpmemd.mk
include libpmemobj/libpmemobj.mk
include tests/tests.mk
include tests/fuzz/fuzz.mk
include utils/utils.mk
include doc/doc.mk

.PHONY: all check bench demo install clean deps

all: $(DEPS_OK) $(ALL_TARGETS)

# The packages are installed before anything else is read: the stamp is an
# included makefile, so make creates it first and then starts over, seeing
# what the packages brought (e.g. Debian's libpmem2 for the benchmark).
# Without root, it fails early with a message naming the script.
ifeq ($(filter clean deps,$(MAKECMDGOALS)),)
include $(DEPS_OK)
endif
$(DEPS_OK): utils/install-deps.sh
	@utils/install-deps.sh || { echo "error: dependencies missing; run utils/install-deps.sh as root" >&2; exit 1; }
	@mkdir -p $(dir $@) && echo "# utils/install-deps.sh succeeded" > $@

deps:
	utils/install-deps.sh

# VALGRIND=1: every test program under valgrind's memcheck
ifeq ($(VALGRIND),1)
TEST_WRAPPER := valgrind --error-exitcode=99 -q --leak-check=full \
	--errors-for-leak-kinds=definite --suppressions=$(abspath tests/valgrind.supp)
export TEST_WRAPPER
endif

check: all $(TESTS)
	@BUILD_DIR=$(O) tests/run-tests.sh $(O)/test-logs $(TESTS)

install: all $(INSTALL_TARGETS)

clean:
	rm -rf $(BUILD)

-include $(shell find $(O)/obj -name '*.d' 2>/dev/null)
