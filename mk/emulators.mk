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

# The files CONFIG names, found in guests/ or, for the test guests and the
# Linux images, among the built ones. Second expansion: mk/guests.mk and
# mk/linux.mk are read after this file.
config_file = $(if $(filter $(BUILD)/guests/$(1),$(GUEST_TEST_BINS) $(LINUX_IMAGES)),$(BUILD)/guests/$(1),guests/$(1))
CONFIG_FILES = $(foreach n,$(shell tools/config-files.sh $(CONFIG)),$(call config_file,$(n)))

# CONFIG and CMDLINE as last used: rewritten only when they change, so the
# images are rebuilt for `make run CMDLINE=...` and only then.
RUN_ARGS := $(BUILD)/run/args
$(RUN_ARGS): run-args-check
	@mkdir -p $(dir $@)
	@printf '%s\n' '$(CONFIG) $(CMDLINE)' | cmp -s - $@ || printf '%s\n' '$(CONFIG) $(CMDLINE)' > $@
.PHONY: run-args-check

$(BUILD)/volt.iso: $(BUILD)/volt.elf $(CONFIG) $$(CONFIG_FILES) $(RUN_ARGS) tools/mkiso.sh
	tools/mkiso.sh $@ $(BUILD)/volt.elf "$(CMDLINE)" $(CONFIG):volt.cfg $(CONFIG_FILES)

# UEFI has no command line here (the firmware's boot entry for the
# removable-media loader carries none): CMDLINE becomes a `host` line of
# the image's volt.cfg, which takes the same words.
$(BUILD)/run/volt.cfg: $(CONFIG) $(RUN_ARGS)
	@mkdir -p $(dir $@)
	{ cat $(CONFIG); $(if $(strip $(CMDLINE)),echo 'host $(CMDLINE)';) } > $@

image: $(BUILD)/volt-esp.img
$(BUILD)/volt-esp.img: $(BUILD)/volt.efi $(BUILD)/run/volt.cfg $$(CONFIG_FILES) tools/mkesp.sh
	tools/mkesp.sh $@ $(BUILD)/volt.efi $(BUILD)/run/volt.cfg:volt.cfg $(CONFIG_FILES)

.PHONY: run run-bochs run-qemu test test-system image deps
run: run-$(EMU)

run-bochs: $(BUILD)/volt.iso
	tools/run-bochs.sh $(BUILD)/volt.iso

run-qemu: $(BUILD)/volt-esp.img
	tools/run-qemu.sh $(BUILD)/volt-esp.img

test: unit test-system

test-system: $(BUILD)/volt.elf $(BUILD)/volt.efi $$(GUEST_TEST_BINS) \
		$$(LINUX_IMAGES) | $(DEPS_STAMP)
	tests/system/run.py -j2 --build $(BUILD) $(if $(T),--only '$(T)')
