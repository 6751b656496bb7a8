# ackcheck.mk -- rpmem_ackcheck, the "nothing acknowledged is lost" checker: writes records through librpmem, verifies them after a reopen

ACKCHECK := $(O)/utils/rpmem_ackcheck
ACKCHECK_SRCS := $(wildcard utils/rpmem_ackcheck*.c)

# common/util (hidden symbols) is linked in: librpmem does not export it
ACKCHECK_COMMON := $(O)/obj/common/util.o

$(ACKCHECK): $(ACKCHECK_SRCS) $(wildcard utils/rpmem_ackcheck*.h) common/bytes.h $(ACKCHECK_COMMON) \
		$(RPMEM_SO) | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(call say,CC,$@)$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) -o $@ $(ACKCHECK_SRCS) $(ACKCHECK_COMMON) \
		-L$(O)/lib -Wl,-rpath,$(abspath $(O)/lib) $(LDFLAGS_ALL) -lrpmem

ALL_TARGETS += $(ACKCHECK)
# tests/integration/ackcheck/ runs it against the build's rpmemd
TEST_DEPS += $(ACKCHECK)

# tests/integration/ackcheck/record_format.c checks the record codec itself
TEST_OBJS_ackcheck := $(O)/obj/utils/rpmem_ackcheck_record.o $(ACKCHECK_COMMON)
$(O)/tests/integration/ackcheck/%: private CPPFLAGS_ALL += -Iutils
