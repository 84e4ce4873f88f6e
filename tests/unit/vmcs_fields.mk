UNIT_TESTS += vmcs_fields
vmcs_fields_SRCS := tests/unit/test_vmcs_fields.c arch/x86/vmx/vmcs_names.c

# Negative compile tests: the width-typed VMCS accessors must reject each
# misuse in test_vmcs_fields.c (-DVMCS_NEGATIVE_TEST=n) with the expected
# message. Case 0 (no misuse) must compile with the very same command, so
# a failure can only come from the misuse. Runs as part of `make unit`.
VMCS_NEGATIVE_CASES := \
	"1|vmcs_write32: GUEST_RIP is not a 32-bit VMCS field" \
	"2|vmcs_read64: GUEST_CS_SELECTOR is not a 64-bit VMCS field" \
	"3|vmcs_read16: VM_EXIT_REASON is not a 16-bit VMCS field" \
	"4|vmcs_writenat: EPT_POINTER is not a natural-width VMCS field" \
	"5|VMCS_WIDTH_NOT_A_VMCS_FIELD" \
	"6|BAD_LINE: declared width disagrees with encoding bits 14:13" \
	"7|EPT_POINTER_HIGH: reserved or high-access bits set"

.PHONY: unit-vmcs-negative
unit: unit-vmcs-negative
unit-vmcs-negative:
	@mkdir -p $(BUILD)/unit
	@set -e; err=$(BUILD)/unit/vmcs_negative.err; \
	src=tests/unit/test_vmcs_fields.c; \
	$(HOSTCC) $(UNIT_CFLAGS) -fsyntax-only -DVMCS_NEGATIVE_TEST=0 $$src; \
	n=0; for c in $(VMCS_NEGATIVE_CASES); do \
		num=$${c%%|*}; want=$${c#*|}; \
		if $(HOSTCC) $(UNIT_CFLAGS) -fsyntax-only \
			-DVMCS_NEGATIVE_TEST=$$num $$src 2>$$err; then \
			echo "FAIL: vmcs negative case $$num compiled"; exit 1; \
		fi; \
		if ! grep -qF "$$want" $$err; then \
			echo "FAIL: vmcs negative case $$num: expected '$$want'"; \
			cat $$err; exit 1; \
		fi; \
		n=$$((n + 1)); \
	done; \
	echo "== vmcs_fields: $$n misuses rejected by the compiler"
