# config.mk -- toolchain, flags and output directories shared by every fragment

CC ?= cc
AR ?= ar
LD ?= ld
OBJCOPY ?= objcopy
PREFIX ?= /usr/local
DESTDIR ?=
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
MANDIR ?= $(PREFIX)/share/man
BINDIR ?= $(PREFIX)/bin

BUILD ?= build
SANITIZE ?= 0
ifeq ($(SANITIZE),1)
O := $(BUILD)/sanitize
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
else
O := $(BUILD)/release
SANFLAGS :=
endif

OPT ?= -O2
WARN := -Wall -Wextra -Werror -Wno-unused-parameter -Wshadow -Wpointer-arith -Wformat=2
CPPFLAGS_ALL := -D_GNU_SOURCE -Iinclude -Icommon $(CPPFLAGS)
CFLAGS_ALL := -std=c11 $(OPT) -g $(WARN) -fPIC -pthread -fvisibility=hidden $(SANFLAGS) $(CFLAGS)
LDFLAGS_ALL := -pthread $(SANFLAGS) $(LDFLAGS)

# the generated dependency files let header changes rebuild what uses them
DEPFLAGS = -MMD -MP

# stamp of a successful utils/install-deps.sh: every compile waits for it
DEPS_OK := $(O)/.deps-ok

ALL_TARGETS :=
TESTS :=
TEST_DEPS :=
BENCHES :=
INSTALL_TARGETS :=
