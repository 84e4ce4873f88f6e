# The Multiboot (v1) test kernel (guests/tests/multiboot.asm): ELF32 linked
# at 1 MiB, loaded by vmm/loader/multiboot.c from its program headers.
# -Ttext-segment puts the first segment (ELF headers + text) at 1 MiB:
# with plain -Ttext, ld maps the headers in a page below, inside the
# reserved BIOS area the loader refuses. noseparate-code keeps the file
# small and the Multiboot header near its start.
MULTIBOOT_GUEST := $(BUILD)/guests/multiboot.elf

$(BUILD)/guests/multiboot.o: guests/tests/multiboot.asm | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(NASM) -f elf32 $< -o $@

$(MULTIBOOT_GUEST): $(BUILD)/guests/multiboot.o
	$(LD) -m elf_i386 -z noexecstack -e _start \
		-Ttext-segment=0x100000 -z noseparate-code -o $@ $<

guests: $(MULTIBOOT_GUEST)
