# faults.mk -- the fault-injection tests (tests/integration/faults/) and the soak target:
# "make soak SOAK_SECONDS=600" runs the acknowledged-records checker for that long.

SOAK_SECONDS ?= 600
.PHONY: soak
soak: all $(O)/tests/integration/faults/ack_checker
	@BUILD_DIR=$(O) ACKCHECK_SECONDS=$(SOAK_SECONDS) TEST_TIMEOUT=$$(($(SOAK_SECONDS) + 300)) \
		tests/run-tests.sh $(O)/test-logs/soak $(O)/tests/integration/faults/ack_checker
	@grep -h '^FIGURES' $(O)/test-logs/soak/*.log
