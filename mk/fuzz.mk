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

# make fuzz-decode [FUZZ_SECONDS=60]: fuzz MMIO emulation's guest-controlled
# inputs (tests/fuzz/fuzz_decode.c): instruction bytes in all three modes,
# the emulation of what decodes, and page-table walks over fuzzed tables.
# Seeds: tests/fuzz/corpus/decode; found inputs: $(BUILD)/fuzz/corpus-decode;
# crashes: $(BUILD)/fuzz/decode-crash-*. `make fuzz` runs it too.
FUZZ_DECODE_SRCS := tests/fuzz/fuzz_decode.c vmm/insn/x86_decode.c \
	vmm/insn/mmio_emulate.c vmm/guest_walk.c

$(FUZZ_DIR)/fuzz_decode: $(FUZZ_DECODE_SRCS) vmm/insn/x86_decode.h \
		vmm/insn/mmio_emulate.h vmm/guest_walk.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -std=gnu11 -g -O1 -Wall -Wextra -I. -DVOLT_HOST_TEST \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-o $@ $(FUZZ_DECODE_SRCS)

.PHONY: fuzz-decode
fuzz-decode: $(FUZZ_DIR)/fuzz_decode
	@mkdir -p $(FUZZ_DIR)/corpus-decode
	$< -max_total_time=$(FUZZ_SECONDS) -max_len=512 -timeout=10 \
		-artifact_prefix=$(FUZZ_DIR)/decode- \
		-print_final_stats=1 $(FUZZ_DIR)/corpus-decode \
		tests/fuzz/corpus/decode

fuzz: fuzz-decode
