# Test guests: flat images from guests/tests/*.asm (vmm/loader/flat.h); the
# Multiboot test kernel is an ELF with its own rule (mk/guests-multiboot.mk).
GUEST_TEST_SRCS := $(filter-out guests/tests/multiboot.asm,$(wildcard guests/tests/*.asm))
GUEST_TEST_BINS := $(patsubst guests/tests/%.asm,$(BUILD)/guests/%.bin,$(GUEST_TEST_SRCS))
GUEST_TEST_BINS += $(MULTIBOOT_GUEST)

$(BUILD)/guests/%.bin: guests/tests/%.asm guests/tests/guest.inc | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(NASM) -f bin -I guests/tests/ $< -o $@

.PHONY: guests
guests: $(GUEST_TEST_BINS)

# A corrupt Linux kernel for the refusal test: a real boot header (the
# small kernel's setup sectors) whose protected-mode part is missing.
BROKEN_KERNEL := $(BUILD)/guests/broken.bzImage
$(BROKEN_KERNEL): tests/unit/fixtures/bzimage/small.setup
	@mkdir -p $(dir $@)
	cp $< $@
GUEST_TEST_BINS += $(BROKEN_KERNEL)
guests: $(BROKEN_KERNEL)
