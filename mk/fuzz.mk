# make fuzz [FUZZ_SECONDS=60]: fuzz the volt.cfg and
# command-line parsers (tests/fuzz/fuzz_config.c) with clang's libFuzzer,
# ASan and UBSan. Seeds come from tests/fuzz/corpus/config; inputs found
# on the way go to $(BUILD)/fuzz/corpus, a crashing input to
# $(BUILD)/fuzz/crash-* (make it a unit test, then fix the parser).
FUZZ_SECONDS ?= 60
FUZZ_CC ?= clang
FUZZ_DIR := $(BUILD)/fuzz
FUZZ_SRCS := tests/fuzz/fuzz_config.c vmm/config.c vmm/options.c \
	lib/format.c lib/strlcpy.c

$(FUZZ_DIR)/fuzz_config: $(FUZZ_SRCS) vmm/config.h vmm/options.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -std=gnu11 -g -O1 -Wall -Wextra -I. -DVOLT_HOST_TEST \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-o $@ $(FUZZ_SRCS)

.PHONY: fuzz
fuzz: $(FUZZ_DIR)/fuzz_config
	@mkdir -p $(FUZZ_DIR)/corpus
	$< -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -timeout=10 \
		-dict=tests/fuzz/config.dict -artifact_prefix=$(FUZZ_DIR)/ \
		-print_final_stats=1 $(FUZZ_DIR)/corpus tests/fuzz/corpus/config
