# libpmemobj.mk -- format.c and health.c test the library's internals: they link its objects instead of libpmemobj-core.so
OBJ_WHITEBOX_TESTS := $(O)/tests/unit/libpmemobj/format $(O)/tests/unit/libpmemobj/health
$(OBJ_WHITEBOX_TESTS): $(OBJ_OBJS) $(OBJ_COMMON_OBJS)
$(OBJ_WHITEBOX_TESTS): private TEST_OBJS_libpmemobj := $(OBJ_OBJS) $(OBJ_COMMON_OBJS)
$(OBJ_WHITEBOX_TESTS): private TEST_LIBS_libpmemobj :=
