# common.mk -- objects shared by the libraries and programs (linked into each, symbols kept internal)

# the local replica module maps with libpmem2: only what links libpmem2 takes it (rpmemd, libpmemobj)
COMMON_REPLICA_SRCS := $(wildcard common/replica*.c)
COMMON_REPLICA_OBJS := $(COMMON_REPLICA_SRCS:%.c=$(O)/obj/%.o)
COMMON_SRCS := $(filter-out $(COMMON_REPLICA_SRCS),$(wildcard common/*.c))
COMMON_OBJS := $(COMMON_SRCS:%.c=$(O)/obj/%.o)
# what every library needs: errors, logging, small utilities
COMMON_CORE_OBJS := $(patsubst %,$(O)/obj/common/%.o,err log log_syslog util)

# white-box unit tests of common/ link its objects directly (libpmem2 comes with TEST_LDLIBS)
TEST_OBJS_common := $(COMMON_OBJS) $(COMMON_REPLICA_OBJS)

# the fabric helpers need libfabric; so do the white-box tests of common/
TEST_LIBS_common += -lfabric
