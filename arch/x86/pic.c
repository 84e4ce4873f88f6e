/*
 * The 8259A pair. Firmware leaves the master PIC delivering IRQ 0-7 on
 * vectors 8-15, the same numbers as CPU exceptions: the first timer tick
 * after `sti` would look like a double fault. Volt uses the local APIC, so
 * it reprograms both PICs to vectors 0x20-0x2f (ICW1-ICW4, 8259A datasheet)
 * and masks all lines; a spurious IRQ 7/15 then lands on a harmless vector.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/pic.h"

#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xa0
#define PIC2_DATA 0xa1
#define ICW1_INIT_WITH_ICW4 0x11
#define ICW4_8086 0x01
#define PIC1_VECTOR_BASE 0x20
#define PIC2_VECTOR_BASE 0x28
#define PIC_CASCADE_IRQ 2
#define PIC_MASK_ALL 0xff

void pic_disable(void)
{
	outb(PIC1_CMD, ICW1_INIT_WITH_ICW4);
	outb(PIC2_CMD, ICW1_INIT_WITH_ICW4);
	outb(PIC1_DATA, PIC1_VECTOR_BASE);
	outb(PIC2_DATA, PIC2_VECTOR_BASE);
	outb(PIC1_DATA, 1u << PIC_CASCADE_IRQ); /* slave on IRQ 2 */
	outb(PIC2_DATA, PIC_CASCADE_IRQ);       /* slave's cascade identity */
	outb(PIC1_DATA, ICW4_8086);
	outb(PIC2_DATA, ICW4_8086);
	outb(PIC1_DATA, PIC_MASK_ALL);
	outb(PIC2_DATA, PIC_MASK_ALL);
}
