# Test guests (guests/tests/*.asm): flat images, see vmm/loader/flat.h.
GUEST_TEST_SRCS := $(wildcard guests/tests/*.asm)
GUEST_TEST_BINS := $(patsubst guests/tests/%.asm,$(BUILD)/guests/%.bin,$(GUEST_TEST_SRCS))

$(BUILD)/guests/%.bin: guests/tests/%.asm guests/tests/guest.inc | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(NASM) -f bin -I guests/tests/ $< -o $@

.PHONY: guests
guests: $(GUEST_TEST_BINS)
