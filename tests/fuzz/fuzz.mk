# fuzz.mk -- libFuzzer targets of the decoders of untrusted bytes ("make fuzz"), and their corpus replay for "make check"
# Each tests/fuzz/<name>.c defines LLVMFuzzerTestOneInput; FUZZ_SRCS_<name> lists the decoder sources it needs.

FUZZ_NAMES := proto inband_req inband_resp poolset config target

FUZZ_CORE_SRCS := common/err.c common/log.c common/log_syslog.c common/util.c
FUZZ_SRCS_proto := common/proto.c
FUZZ_SRCS_inband_req := common/proto_inband.c
FUZZ_SRCS_inband_resp := common/proto_inband.c
FUZZ_SRCS_poolset := common/poolset_parse.c common/poolset_beneath.c
FUZZ_SRCS_config := rpmemd/config.c rpmemd/config_file.c rpmemd/config_home.c rpmemd/config_args.c
FUZZ_SRCS_target := common/target.c

# --- replay: the same targets built with $(CC), without libFuzzer, run by tests/unit/fuzz/replay.sh

FUZZ_REPLAYS := $(FUZZ_NAMES:%=$(O)/tests/fuzz/replay_%)
$(foreach n,$(FUZZ_NAMES),$(eval FUZZ_OBJS_$(n) := $(patsubst %.c,$(O)/obj/%.o,$(FUZZ_CORE_SRCS) $(FUZZ_SRCS_$(n)))))
$(O)/obj/tests/fuzz/config.o: private EXTRA_CFLAGS += -Irpmemd

.SECONDEXPANSION:
$(FUZZ_REPLAYS): $(O)/tests/fuzz/replay_%: $(O)/obj/tests/fuzz/%.o $(O)/obj/tests/fuzz/replay_main.o \
		$$(FUZZ_OBJS_$$*) | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(call say,LINK,$@)$(CC) -o $@ $^ $(LDFLAGS_ALL)

ALL_TARGETS += $(FUZZ_REPLAYS)
TEST_DEPS += $(FUZZ_REPLAYS)

# --- make fuzz: clang + libFuzzer + ASan + UBSan, sources compiled straight into each binary

FUZZ_CC ?= clang
FUZZ_SECONDS ?= 30
FUZZ_MAX_LEN ?= 8192
FUZZ_O := $(BUILD)/fuzz
FUZZ_CFLAGS := -std=c11 -O1 -g $(WARN) -pthread -D_GNU_SOURCE -Iinclude -Icommon \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_BINS := $(FUZZ_NAMES:%=$(FUZZ_O)/bin/%)
$(FUZZ_O)/bin/config: private FUZZ_CFLAGS += -Irpmemd

# one compile of several sources cannot write dependency files: every header counts
FUZZ_HDRS := tests/fuzz/fuzz_check.h $(wildcard include/*.h common/*.h rpmemd/*.h)
$(FUZZ_BINS): $(FUZZ_O)/bin/%: tests/fuzz/%.c $(FUZZ_CORE_SRCS) $$(FUZZ_SRCS_$$*) $(FUZZ_HDRS) | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(call say,FUZZCC,$@)$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(filter %.c,$^)

.PHONY: fuzz fuzz-build $(FUZZ_NAMES:%=fuzz-%)
fuzz-build: $(FUZZ_BINS)
fuzz: $(FUZZ_NAMES:%=fuzz-%)
# each on a copy of its seeds (and regressions) in $(FUZZ_O)/<name>/; crashes stay there
$(FUZZ_NAMES:%=fuzz-%): fuzz-%: $(FUZZ_O)/bin/%
	$(Q)tests/fuzz/run.sh $< tests/fuzz $* $(FUZZ_O)/$* $(FUZZ_SECONDS) $(FUZZ_MAX_LEN)

# regenerates the binary seeds (protocol frames, in-band messages) with the real encoders, into the repository
.PHONY: fuzz-seeds
fuzz-seeds: $(O)/tests/fuzz/gen_seeds
	$(Q)mkdir -p tests/fuzz/corpus/proto tests/fuzz/corpus/inband_req tests/fuzz/corpus/inband_resp
	$(Q)$< tests/fuzz/corpus
$(O)/tests/fuzz/gen_seeds: $(O)/obj/tests/fuzz/gen_seeds.o \
		$(patsubst %.c,$(O)/obj/%.o,$(FUZZ_CORE_SRCS) common/proto.c common/proto_inband.c) | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(call say,LINK,$@)$(CC) -o $@ $^ $(LDFLAGS_ALL)
