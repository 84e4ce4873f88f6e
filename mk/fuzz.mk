# make fuzz [FUZZ_SECONDS=60]: fuzz the config and command-line parsers with
# clang's libFuzzer (+ ASan, UBSan). New inputs go to build/fuzz/corpus.
FUZZ_SECONDS ?= 60

$(BUILD)/fuzz/fuzz_config: tests/fuzz/fuzz_config.c vmm/config.c vmm/options.c \
		lib/format.c lib/strlcpy.c
	@mkdir -p $(dir $@)
	clang -g -O1 -I. -DVOLT_HOST_TEST -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all -o $@ $^

.PHONY: fuzz
fuzz: $(BUILD)/fuzz/fuzz_config
	@mkdir -p $(BUILD)/fuzz/corpus
	$< -max_total_time=$(FUZZ_SECONDS) -max_len=4096 $(BUILD)/fuzz/corpus tests/fuzz/corpus/config
