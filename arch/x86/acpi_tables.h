/*
 * Byte layouts of the ACPI tables Volt reads on the host and builds for its
 * guests (ACPI 6.5, chapter 5.2).
 *
 * Every structure is packed and little-endian, exactly as the firmware
 * lays it out in memory; the static asserts at the bottom pin each offset
 * to the spec's tables so a typo cannot move a field silently. Only the
 * parser (acpi_parse.c, aml_s5.c) and the guest builder (vmm/acpi_build.c)
 * include this header.
 *
 * A table may be shorter than these structs (an ACPI 1.0 FADT is 116
 * bytes, not 276): callers must check a field lies inside the table's
 * header length before reading it (see ACPI_FIELD_END()).
 */
#ifndef VOLT_ARCH_X86_ACPI_TABLES_H
#define VOLT_ARCH_X86_ACPI_TABLES_H

#include <stddef.h>
#include <stdint.h>

#define ACPI_PACKED __attribute__((packed))

/* One past the last byte of a field: compare with a table's length. */
#define ACPI_FIELD_END(type, field) \
	(offsetof(type, field) + sizeof(((type *)0)->field))

/* 5.2.5.3 Root System Description Pointer (RSDP) structure. */
#define ACPI_RSDP_SIGNATURE "RSD PTR "
#define ACPI_RSDP_V1_LEN 20 /* the ACPI 1.0 part, covered by `checksum` */
struct acpi_rsdp {
	char signature[8];
	uint8_t checksum;      /* bytes 0-19 sum to zero */
	char oem_id[6];
	uint8_t revision;      /* 0: ACPI 1.0 (RSDT only); 2: ACPI 2.0+ */
	uint32_t rsdt_address;
	/* ACPI 2.0+ (revision >= 2) */
	uint32_t length;       /* of the whole RSDP, 36 today */
	uint64_t xsdt_address;
	uint8_t ext_checksum;  /* bytes 0..length-1 sum to zero */
	uint8_t reserved[3];
} ACPI_PACKED;

/* 5.2.6 System Description Table header, common to every table but FACS. */
struct acpi_sdt_header {
	char signature[4];
	uint32_t length;       /* of the whole table, header included */
	uint8_t revision;
	uint8_t checksum;      /* the whole table sums to zero */
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	uint32_t creator_id;
	uint32_t creator_revision;
} ACPI_PACKED;

/*
 * 5.2.7 RSDT: the header followed by 32-bit table addresses.
 * 5.2.8 XSDT: the header followed by 64-bit table addresses (unaligned:
 * the first entry sits at offset 36).
 */
#define ACPI_SIG_RSDT "RSDT"
#define ACPI_SIG_XSDT "XSDT"
#define ACPI_SIG_FADT "FACP"
#define ACPI_SIG_MADT "APIC"
#define ACPI_SIG_DSDT "DSDT"

/* 5.2.3.2 Generic Address Structure (GAS). */
#define ACPI_GAS_SYSTEM_MEMORY 0
#define ACPI_GAS_SYSTEM_IO 1
struct acpi_gas {
	uint8_t space_id;      /* ACPI_GAS_* */
	uint8_t bit_width;
	uint8_t bit_offset;
	uint8_t access_size;
	uint64_t address;
} ACPI_PACKED;

/* 5.2.9 Fixed ACPI Description Table (FADT), signature "FACP". */
#define ACPI_FADT_HW_REDUCED (1u << 20) /* Table 5.10: HW_REDUCED_ACPI */
struct acpi_fadt {
	struct acpi_sdt_header hdr;
	uint32_t firmware_ctrl;      /* FACS */
	uint32_t dsdt;
	uint8_t reserved0;
	uint8_t preferred_pm_profile;
	uint16_t sci_int;
	uint32_t smi_cmd;            /* port that takes acpi_enable, 0 if none */
	uint8_t acpi_enable;
	uint8_t acpi_disable;
	uint8_t s4bios_req;
	uint8_t pstate_cnt;
	uint32_t pm1a_evt_blk;
	uint32_t pm1b_evt_blk;
	uint32_t pm1a_cnt_blk;       /* I/O port of PM1a control (4.8.3.2.1) */
	uint32_t pm1b_cnt_blk;
	uint32_t pm2_cnt_blk;
	uint32_t pm_tmr_blk;
	uint32_t gpe0_blk;
	uint32_t gpe1_blk;
	uint8_t pm1_evt_len;
	uint8_t pm1_cnt_len;
	uint8_t pm2_cnt_len;
	uint8_t pm_tmr_len;
	uint8_t gpe0_blk_len;
	uint8_t gpe1_blk_len;
	uint8_t gpe1_base;
	uint8_t cst_cnt;
	uint16_t p_lvl2_lat;
	uint16_t p_lvl3_lat;
	uint16_t flush_size;
	uint16_t flush_stride;
	uint8_t duty_offset;
	uint8_t duty_width;
	uint8_t day_alrm;
	uint8_t mon_alrm;
	uint8_t century;
	uint16_t iapc_boot_arch;
	uint8_t reserved1;
	uint32_t flags;              /* ACPI_FADT_* (Table 5.10) */
	/* ACPI 1.0 FADTs end here (116 bytes). */
	struct acpi_gas reset_reg;
	uint8_t reset_value;
	uint16_t arm_boot_arch;
	uint8_t minor_version;
	uint64_t x_firmware_ctrl;
	uint64_t x_dsdt;             /* preferred over dsdt when present and non-zero */
	struct acpi_gas x_pm1a_evt_blk;
	struct acpi_gas x_pm1b_evt_blk;
	struct acpi_gas x_pm1a_cnt_blk;
	struct acpi_gas x_pm1b_cnt_blk;
	struct acpi_gas x_pm2_cnt_blk;
	struct acpi_gas x_pm_tmr_blk;
	struct acpi_gas x_gpe0_blk;
	struct acpi_gas x_gpe1_blk;
	struct acpi_gas sleep_control_reg;
	struct acpi_gas sleep_status_reg;
	uint64_t hypervisor_vendor_id;
} ACPI_PACKED;

/* 5.2.12 Multiple APIC Description Table (MADT), signature "APIC". */
#define ACPI_MADT_PCAT_COMPAT (1u << 0) /* Table 5.20: dual 8259s present */
struct acpi_madt {
	struct acpi_sdt_header hdr;
	uint32_t lapic_address;      /* 32-bit local APIC base */
	uint32_t flags;              /* ACPI_MADT_* */
	/* interrupt controller structures follow, to hdr.length */
} ACPI_PACKED;

/* 5.2.12: every interrupt controller structure starts with type, length. */
struct acpi_madt_entry {
	uint8_t type;
	uint8_t length;
} ACPI_PACKED;

/* Table 5.21: the entry types Volt reads (others are skipped by length). */
enum acpi_madt_type {
	ACPI_MADT_LAPIC = 0,
	ACPI_MADT_IOAPIC = 1,
	ACPI_MADT_ISO = 2,
	ACPI_MADT_LAPIC_OVERRIDE = 5,
	ACPI_MADT_X2APIC = 9,
};

/* Table 5.23 Local APIC flags (shared by the x2APIC entry). */
#define ACPI_MADT_CPU_ENABLED (1u << 0)
#define ACPI_MADT_CPU_ONLINE_CAPABLE (1u << 1) /* ACPI 6.3+: may be enabled later */

/* 5.2.12.2 Processor Local APIC structure. */
struct acpi_madt_lapic {
	struct acpi_madt_entry e;    /* type 0, length 8 */
	uint8_t uid;                 /* ACPI processor UID */
	uint8_t apic_id;
	uint32_t flags;
} ACPI_PACKED;

/* 5.2.12.3 I/O APIC structure. */
struct acpi_madt_ioapic {
	struct acpi_madt_entry e;    /* type 1, length 12 */
	uint8_t id;
	uint8_t reserved;
	uint32_t address;
	uint32_t gsi_base;
} ACPI_PACKED;

/* 5.2.12.5 Interrupt Source Override structure. */
struct acpi_madt_iso {
	struct acpi_madt_entry e;    /* type 2, length 10 */
	uint8_t bus;                 /* 0: ISA */
	uint8_t source;              /* ISA IRQ */
	uint32_t gsi;
	uint16_t flags;              /* MPS INTI flags: polarity, trigger mode */
} ACPI_PACKED;

/* 5.2.12.8 Local APIC Address Override structure. */
struct acpi_madt_lapic_override {
	struct acpi_madt_entry e;    /* type 5, length 12 */
	uint16_t reserved;
	uint64_t address;
} ACPI_PACKED;

/* 5.2.12.12 Processor Local x2APIC structure. */
struct acpi_madt_x2apic {
	struct acpi_madt_entry e;    /* type 9, length 16 */
	uint16_t reserved;
	uint32_t x2apic_id;
	uint32_t flags;              /* as the local APIC flags */
	uint32_t uid;
} ACPI_PACKED;

/* Offsets and sizes straight from the spec's tables. */
_Static_assert(sizeof(struct acpi_rsdp) == 36, "RSDP is 36 bytes");
_Static_assert(offsetof(struct acpi_rsdp, length) == ACPI_RSDP_V1_LEN,
	       "RSDP 2.0 fields start after the 1.0 part");
_Static_assert(offsetof(struct acpi_rsdp, xsdt_address) == 24, "RSDP.XSDT");
_Static_assert(sizeof(struct acpi_sdt_header) == 36, "SDT header");
_Static_assert(sizeof(struct acpi_gas) == 12, "GAS");
_Static_assert(offsetof(struct acpi_fadt, smi_cmd) == 48, "FADT.SMI_CMD");
_Static_assert(offsetof(struct acpi_fadt, pm1a_cnt_blk) == 64, "FADT.PM1a_CNT");
_Static_assert(offsetof(struct acpi_fadt, flags) == 112, "FADT.Flags");
_Static_assert(offsetof(struct acpi_fadt, reset_reg) == 116, "FADT 1.0 end");
_Static_assert(offsetof(struct acpi_fadt, x_dsdt) == 140, "FADT.X_DSDT");
_Static_assert(offsetof(struct acpi_fadt, x_pm1a_cnt_blk) == 172,
	       "FADT.X_PM1a_CNT_BLK");
_Static_assert(offsetof(struct acpi_fadt, x_pm1b_cnt_blk) == 184,
	       "FADT.X_PM1b_CNT_BLK");
_Static_assert(sizeof(struct acpi_fadt) == 276, "FADT (6.x) is 276 bytes");
_Static_assert(sizeof(struct acpi_madt) == 44, "MADT fixed part");
_Static_assert(sizeof(struct acpi_madt_lapic) == 8, "MADT type 0");
_Static_assert(sizeof(struct acpi_madt_ioapic) == 12, "MADT type 1");
_Static_assert(sizeof(struct acpi_madt_iso) == 10, "MADT type 2");
_Static_assert(sizeof(struct acpi_madt_lapic_override) == 12, "MADT type 5");
_Static_assert(sizeof(struct acpi_madt_x2apic) == 16, "MADT type 9");

#endif
