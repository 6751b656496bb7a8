# load.mk -- the load tests start the real rpmemd like the rpmem integration tests and share their helpers
$(O)/tests/integration/load/%: private CPPFLAGS_ALL += -Itests/integration/rpmem
