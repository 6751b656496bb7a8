# common.mk -- objects shared by the libraries and programs (linked into each, symbols kept internal)

COMMON_SRCS := $(wildcard common/*.c)
COMMON_OBJS := $(COMMON_SRCS:%.c=$(O)/obj/%.o)
# what every library needs: errors, logging, small utilities
COMMON_CORE_OBJS := $(patsubst %,$(O)/obj/common/%.o,err log log_syslog util)

# white-box unit tests of common/ link its objects directly
TEST_OBJS_common := $(COMMON_OBJS)

# the fabric helpers need libfabric; so do the white-box tests of common/
TEST_LIBS_common += -lfabric
