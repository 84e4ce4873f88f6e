# volt.efi: the UEFI entry (GNU-EFI), linked with the same core objects as
# volt.elf. Recipe: ../shared/EMULATORS.md ("GNU-EFI build").

EFI_INC  := /usr/include/efi
EFI_LDS  := /usr/lib/elf_x86_64_efi.lds
EFI_CRT0 := /usr/lib/crt0-efi-x86_64.o
# The kernel's warnings except -Wstrict-prototypes, which gnu-efi's own
# efiapi.h fails.
EFI_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-Wshadow -Wmissing-prototypes -Wpointer-arith -Wvla \
	-I. -I$(EFI_INC) -I$(EFI_INC)/x86_64 -DGNU_EFI_USE_MS_ABI \
	-maccumulate-outgoing-args -fpic -fshort-wchar -mno-red-zone \
	-mgeneral-regs-only -ffreestanding -fno-stack-protector \
	-fno-strict-aliasing -fno-asynchronous-unwind-tables -MMD -MP

UEFI_SRCS := $(wildcard boot/uefi/*.c)
UEFI_OBJS := $(patsubst %,$(BUILD)/efi/%.o,$(UEFI_SRCS))

$(BUILD)/efi/%.c.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(EFI_CFLAGS) -c $< -o $@

# libefi's init.o brings its own memset/memcpy; lib/string.c's come first
# on the command line and win (-z muldefs): both are plain C semantics.
$(BUILD)/volt.efi.so: $(UEFI_OBJS) $(CORE_OBJS)
	$(LD) -nostdlib -znocombreloc -z noexecstack -z muldefs -T $(EFI_LDS) -shared \
		-Bsymbolic -L/usr/lib $(EFI_CRT0) $(UEFI_OBJS) $(CORE_OBJS) \
		-o $@ -lefi -lgnuefi

$(BUILD)/volt.efi: $(BUILD)/volt.efi.so
	$(OBJCOPY) -j .text -j .sdata -j .data -j .dynamic -j .dynsym \
		-j .rel -j .rela -j .rel.* -j .rela.* -j .reloc \
		--target=efi-app-x86_64 --subsystem=10 $< $@
