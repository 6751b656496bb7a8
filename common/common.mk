# common.mk -- objects shared by every library (linked into each, symbols kept internal)

COMMON_SRCS := $(wildcard common/*.c)
COMMON_OBJS := $(COMMON_SRCS:%.c=$(O)/obj/%.o)
