# Emulators, images and system tests (see docs/testing.md).
#
#   make run [EMU=qemu] [CMDLINE="..."] [CONFIG=guests/volt.cfg]
#   make test | test-system [T=regex] | image | deps

EMU     ?= bochs
CONFIG  ?= guests/volt.cfg
CMDLINE ?=
T       ?=

DEPS_STAMP := $(BUILD)/.deps-ok

deps: $(DEPS_STAMP)
$(DEPS_STAMP): tools/deps.sh
	@mkdir -p $(BUILD)
	tools/deps.sh
	@touch $@

# Every build and emulator target needs the tools first.
$(CORE_OBJS) $(MB2_OBJS): | $(DEPS_STAMP)
$(UNIT_BINS): | $(DEPS_STAMP)

$(BUILD)/volt.iso: $(BUILD)/volt.elf $(CONFIG) tools/mkiso.sh
	tools/mkiso.sh $@ $(BUILD)/volt.elf "$(CMDLINE)" $(CONFIG):volt.cfg \
		$(addprefix guests/,$(shell tools/config-files.sh $(CONFIG)))

image: $(BUILD)/volt-esp.img
$(BUILD)/volt-esp.img: $(BUILD)/volt.efi $(CONFIG) tools/mkesp.sh
	tools/mkesp.sh $@ $(BUILD)/volt.efi $(CONFIG):volt.cfg \
		$(addprefix guests/,$(shell tools/config-files.sh $(CONFIG)))

.PHONY: run run-bochs run-qemu test test-system
run: run-$(EMU)

run-bochs: $(BUILD)/volt.iso
	tools/run-bochs.sh $(BUILD)/volt.iso

run-qemu: $(BUILD)/volt-esp.img
	tools/run-qemu.sh $(BUILD)/volt-esp.img

test: unit test-system

test-system: $(BUILD)/volt.elf $(BUILD)/volt.efi $$(GUEST_TEST_BINS) | $(DEPS_STAMP)
	tests/system/run.py -j2 --build $(BUILD) $(if $(T),--only '$(T)')
