/*
 * The MMIO test device: one 4 KiB page at guest-physical 0xfed00000 that
 * reads back what was written, like RAM, but lives on the VM's MMIO bus,
 * so every access a guest makes to it goes through Volt's instruction
 * decoder and emulator. A test guest does the same operations on this
 * page and on RAM and compares (guests/tests/mmio.asm). Enabled per VM
 * with test_mmio=on. Writing 0xdead to offset 0xff8 asks to stop the VM
 * (tests the "device stops the VM" path). Pure: host-tested.
 */
#ifndef VOLT_VMM_DEV_TEST_MMIO_H
#define VOLT_VMM_DEV_TEST_MMIO_H

#include <stdint.h>

struct mmio_bus;

#define TEST_MMIO_BASE 0xfed00000ull
#define TEST_MMIO_SIZE 0x1000ull
#define TEST_MMIO_STOP_OFFSET 0xff8
#define TEST_MMIO_STOP_VALUE 0xdead

struct test_mmio {
	uint8_t bytes[TEST_MMIO_SIZE];
	uint64_t reads, writes;
};

int test_mmio_attach(struct test_mmio *t, struct mmio_bus *bus);

#endif
