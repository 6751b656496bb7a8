# rpmem.mk -- intruders.c knocks at rpmemd's lane port as a libfabric client: it links the common fabric helpers and libfabric
INTRUDERS := $(O)/tests/integration/rpmem/intruders
$(INTRUDERS): $(COMMON_OBJS)
$(INTRUDERS): private TEST_OBJS_rpmem := $(COMMON_OBJS)
$(INTRUDERS): private TEST_LIBS_rpmem := -lfabric
