# Test guests (guests/tests/*.asm): flat images (vmm/loader/flat.h).
# (mk/guests-multiboot.mk) but travels with them.
GUEST_TEST_SRCS := $(filter-out guests/tests/multiboot.asm,$(wildcard guests/tests/*.asm))
GUEST_TEST_BINS := $(patsubst guests/tests/%.asm,$(BUILD)/guests/%.bin,$(GUEST_TEST_SRCS))
GUEST_TEST_BINS += $(MULTIBOOT_GUEST)

$(BUILD)/guests/%.bin: guests/tests/%.asm guests/tests/guest.inc | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(NASM) -f bin -I guests/tests/ $< -o $@

.PHONY: guests
guests: $(GUEST_TEST_BINS)
