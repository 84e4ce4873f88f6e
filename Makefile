# Volt: build, run and test.
#
#   make            build/volt.elf (Multiboot2) and build/volt.efi (UEFI)
#   make run        boot Volt in Bochs (EMU=qemu: volt.efi in QEMU + OVMF)
#   make test       host unit tests, then the emulator system tests
#   make image      a FAT ESP image for a USB stick (real hardware)
#   make deps       install the Debian packages Volt needs (when root)
#
# Core objects (lib/ arch/ vmm/ sched/ pm/) are compiled once, position
# independent, and linked into both volt.elf and volt.efi.

BUILD   := build
CC      := gcc
LD      := ld
NASM    := nasm
OBJCOPY := objcopy

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wpointer-arith -Wvla -Wno-unused-parameter

# -fpic: the same objects run at GRUB's fixed address and wherever UEFI
# loads volt.efi. -mgeneral-regs-only: Volt never saves FPU/SSE state.
KCFLAGS := -std=gnu11 -O2 -g $(WARN) -I. -ffreestanding -fno-builtin \
	-fno-stack-protector -fno-strict-aliasing -fno-omit-frame-pointer \
	-fno-asynchronous-unwind-tables -fno-tree-loop-distribute-patterns -mno-red-zone -mgeneral-regs-only \
	-fpic -fvisibility=hidden -fno-common -MMD -MP
NASMFLAGS := -f elf64 -g -F dwarf

CORE_DIRS := lib arch/x86 vmm sched pm
CORE_SRCS := $(foreach d,$(CORE_DIRS),$(wildcard $(d)/*.c $(d)/*/*.c $(d)/*.asm $(d)/*/*.asm))
MB2_SRCS  := $(wildcard boot/multiboot2/*.c boot/multiboot2/*.asm)

obj = $(patsubst %,$(BUILD)/k/%.o,$(1))
CORE_OBJS := $(call obj,$(CORE_SRCS))
MB2_OBJS  := $(call obj,$(MB2_SRCS))

.PHONY: all clean unit test run image deps
all: $(BUILD)/volt.elf $(BUILD)/volt.efi

$(BUILD)/k/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(KCFLAGS) -c $< -o $@

$(BUILD)/k/%.asm.o: %.asm
	@mkdir -p $(dir $@)
	$(NASM) $(NASMFLAGS) -I./ $< -o $@

$(BUILD)/volt.elf: $(MB2_OBJS) $(CORE_OBJS) boot/multiboot2/volt.ld
	$(LD) -n -nostdlib -z max-page-size=0x1000 -z noexecstack \
		-T boot/multiboot2/volt.ld -o $@ $(MB2_OBJS) $(CORE_OBJS)

# ---- host unit tests (cmocka, ASan + UBSan) --------------------------------
# Each tests/unit/<name>.mk adds:  UNIT_TESTS += name
#                                  name_SRCS := tests/unit/test_name.c pure.c ...
HOSTCC := gcc
UNIT_CFLAGS := -std=gnu11 -g -O1 $(WARN) -Wno-missing-prototypes -I. \
	-DVOLT_HOST_TEST -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
UNIT_TESTS :=
include $(wildcard tests/unit/*.mk)
UNIT_BINS := $(UNIT_TESTS:%=$(BUILD)/unit/test_%)

.SECONDEXPANSION:
$(BUILD)/unit/test_%: $$($$*_SRCS) lib/strlcpy.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_CFLAGS) -MMD -MP -MF $@.d -o $@ $(filter %.c,$^) -lcmocka

unit: $(UNIT_BINS)
	@failed=; for t in $(UNIT_BINS); do echo "== $$t"; \
		$$t || failed="$$failed $$(basename $$t)"; done; \
		if [ -n "$$failed" ]; then echo "unit tests failed:$$failed"; exit 1; fi

# ---- emulators, images, system tests: see mk/*.mk ---------------------------
include $(wildcard mk/*.mk)

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
