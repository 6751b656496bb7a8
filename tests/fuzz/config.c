/* config.c -- libFuzzer target: rpmemd config file text through rpmemd_config_parse_text on fresh defaults */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* exactly size bytes: the text need not be NUL-terminated */
	char *text = malloc(size ? size : 1);
	FUZZ_ASSERT(text != NULL);
	memcpy(text, data, size);

	/* "$HOME" in a path must expand the same way on every run */
	setenv("HOME", "/home/fuzz", 1);
	struct rpmemd_config cfg;
	memset(&cfg, 0, sizeof(cfg));
	fuzz_clear_err();
	int ret = rpmemd_config_defaults(&cfg);
	FUZZ_ASSERT(ret == 0);
	ret = rpmemd_config_parse_text(&cfg, text, size, "fuzz.conf");
	fuzz_check_result("rpmemd_config_parse_text", ret);
	if (ret == 0) {
		FUZZ_ASSERT(cfg.log_level <= RPMEMD_LOG_DBG);
		FUZZ_ASSERT(cfg.nthreads <= RPMEMD_NTHREADS_MAX);
		FUZZ_ASSERT(cfg.poolset_dir != NULL && cfg.poolset_dir[0] == '/');
	}
	rpmemd_config_fini(&cfg);
	free(text);
	return 0;
}
