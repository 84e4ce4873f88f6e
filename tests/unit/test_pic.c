/*
 * Host tests for the 8259A PIC pair (vmm/dev/pic.c), driven through the
 * port-I/O bus as a guest would. Expected values come from the Intel
 * 8259A datasheet and from what Linux 6.1 (arch/x86/kernel/i8259.c)
 * writes and expects.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "vmm/dev/irq.h"
#include "vmm/dev/pic.h"
#include "vmm/io_bus.h"

static struct pic pic;
static struct io_bus bus;
static unsigned intr_calls;
static bool intr_level;

static void intr_hook(void *ctx, bool intr)
{
	assert_ptr_equal(ctx, &pic);
	intr_calls++;
	intr_level = intr;
}

static void outb(uint16_t port, uint8_t v)
{
	assert_int_equal(io_bus_write(&bus, port, 1, v), 0);
}

static uint8_t inb(uint16_t port)
{
	return (uint8_t)io_bus_read(&bus, port, 1);
}

static void pulse(unsigned irq)
{
	pic_set_irq(&pic, irq, true);
	pic_set_irq(&pic, irq, false);
}

/* init_8259A(0) of Linux 6.1 on x86-64 (ISA_IRQ_VECTOR(0) = 0x30). */
static void linux_init(void)
{
	outb(0x21, 0xff); /* mask all of the master */
	outb(0x20, 0x11); /* ICW1: edge, cascade, ICW4 needed */
	outb(0x21, 0x30); /* ICW2: IR0-7 -> 0x30-0x37 */
	outb(0x21, 0x04); /* ICW3: slave on IR2 */
	outb(0x21, 0x01); /* ICW4: 8086 mode, normal EOI */
	outb(0xa0, 0x11);
	outb(0xa1, 0x38); /* IR8-15 -> 0x38-0x3f */
	outb(0xa1, 0x02); /* slave ID 2 */
	outb(0xa1, 0x01);
}

static void unmask_all(void)
{
	outb(0x21, 0x00);
	outb(0xa1, 0x00);
}

/* The EOIs Linux's mask_and_ack_8259A sends: specific EOI to the slave
 * then to master IR2, or to the master alone. */
static void linux_eoi(unsigned irq)
{
	if (irq & 8) {
		outb(0xa0, (uint8_t)(0x60 + (irq & 7)));
		outb(0x20, 0x62);
	} else {
		outb(0x20, (uint8_t)(0x60 + irq));
	}
}

static uint8_t read_isr(uint16_t cmd)
{
	outb(cmd, 0x0b);
	uint8_t v = inb(cmd);
	outb(cmd, 0x0a);
	return v;
}

static int setup(void **state)
{
	memset(&bus, 0, sizeof(bus));
	pic_init(&pic);
	assert_int_equal(pic_attach(&pic, &bus), IO_BUS_OK);
	pic_set_intr_hook(&pic, intr_hook, &pic);
	intr_calls = 0;
	intr_level = false;
	return 0;
}

static void test_power_on_state(void **state)
{
	assert_int_equal(inb(0x21), 0xff); /* everything masked */
	assert_int_equal(inb(0xa1), 0xff);
	pulse(0);
	pulse(12);
	assert_false(pic_has_interrupt(&pic));
	assert_int_equal(intr_calls, 0);
	assert_int_equal(inb(0x20), 0x01); /* but requested (IRR) */
	assert_int_equal(inb(0xa0), 0x10);
}

static void test_linux_init_irq0(void **state)
{
	linux_init();
	assert_int_equal(pic.master.init_step, 0);
	assert_int_equal(pic.slave.init_step, 0);
	assert_int_equal(pic.master.vector_base, 0x30);
	assert_int_equal(pic.slave.vector_base, 0x38);
	assert_int_equal(inb(0x21), 0x00); /* ICW1 cleared the IMR */
	outb(0x21, 0xfa);		   /* Linux: IRQ 0 and cascade on */
	outb(0xa1, 0xff);
	assert_int_equal(inb(0x21), 0xfa); /* probe_8259A reads it back */

	pulse(0);
	assert_true(pic_has_interrupt(&pic));
	assert_int_equal(intr_calls, 1);
	assert_true(intr_level);
	assert_int_equal(inb(0x20), 0x01); /* IRR */
	assert_int_equal(pic_acknowledge(&pic), 0x30);
	assert_false(pic_has_interrupt(&pic));
	assert_int_equal(intr_calls, 2);
	assert_false(intr_level);
	assert_int_equal(inb(0x20), 0x00);	/* IRR cleared by INTA */
	assert_int_equal(read_isr(0x20), 0x01); /* in service */

	/* a new edge while in service waits for the EOI */
	pulse(0);
	assert_false(pic_has_interrupt(&pic));
	(void)inb(0x21);  /* mask_and_ack_8259A: dummy read, */
	outb(0x21, 0xfb); /* mask IRQ 0, */
	outb(0x20, 0x60); /* specific EOI 0 */
	assert_int_equal(read_isr(0x20), 0x00);
	assert_false(pic_has_interrupt(&pic)); /* masked */
	outb(0x21, 0xfa);
	assert_true(pic_has_interrupt(&pic));
	assert_int_equal(pic_acknowledge(&pic), 0x30);
	assert_int_equal(pic.spurious_master, 0);
}

static void test_priorities_master_slave(void **state)
{
	linux_init();
	unmask_all();
	pulse(5);
	pulse(9);
	pulse(1);
	assert_int_equal(pic_acknowledge(&pic), 0x31);
	/* IR2 (slave) and IR5 wait: both rank below IR1 in service */
	assert_false(pic_has_interrupt(&pic));
	assert_int_equal(inb(0x20), 0x24);
	outb(0x20, 0x20); /* non-specific EOI clears IR1 */
	assert_int_equal(pic_acknowledge(&pic), 0x39);
	assert_int_equal(read_isr(0x20), 0x04); /* master: cascade */
	assert_int_equal(read_isr(0xa0), 0x02); /* slave: IR1 = IRQ 9 */

	/* IRQ 8 outranks IRQ 9 on the slave, but the master's IR2 is in
	 * service: fully nested mode blocks it there */
	pulse(8);
	assert_false(pic_has_interrupt(&pic));
	assert_int_equal(inb(0xa0), 0x01);
	assert_int_equal(inb(0x20) & 0x04, 0x04);
	linux_eoi(9);
	assert_int_equal(pic_acknowledge(&pic), 0x38);
	linux_eoi(8);
	assert_int_equal(pic_acknowledge(&pic), 0x35);
	linux_eoi(5);
	assert_false(pic_has_interrupt(&pic));

	/* any slave IRQ outranks master IR3-7 */
	pulse(3);
	pulse(15);
	assert_int_equal(pic_acknowledge(&pic), 0x3f);
	linux_eoi(15);
	assert_int_equal(pic_acknowledge(&pic), 0x33);
	linux_eoi(3);
	pulse(0);
	pulse(8);
	assert_int_equal(pic_acknowledge(&pic), 0x30);
	linux_eoi(0);
	assert_int_equal(pic_acknowledge(&pic), 0x38);
	linux_eoi(8);
	assert_int_equal(read_isr(0x20), 0);
	assert_int_equal(read_isr(0xa0), 0);
	assert_int_equal(pic.spurious_master + pic.spurious_slave, 0);
}

static void test_masks(void **state)
{
	linux_init();
	outb(0x21, 0xff & ~0x08); /* only IRQ 3 */
	outb(0xa1, 0x00);
	pulse(4);
	pulse(11);
	assert_false(pic_has_interrupt(&pic)); /* IR4 and IR2 masked */
	assert_int_equal(inb(0x20), 0x14);      /* still requested */
	pulse(3);
	assert_int_equal(pic_acknowledge(&pic), 0x33);
	linux_eoi(3);
	outb(0x21, 0xfb); /* open the cascade: IRQ 11 arrives */
	assert_int_equal(pic_acknowledge(&pic), 0x3b);
	linux_eoi(11);
	outb(0xa1, 0xff); /* a masked slave input never reaches IR2 */
	pulse(12);
	assert_false(pic_has_interrupt(&pic));
	outb(0x21, 0x00);
	assert_int_equal(pic_acknowledge(&pic), 0x34); /* the old IRQ 4 */
	linux_eoi(4);
	assert_false(pic_has_interrupt(&pic));
	outb(0xa1, 0x00);
	assert_int_equal(pic_acknowledge(&pic), 0x3c);
}

static void test_elcr(void **state)
{
	outb(0x4d0, 0xff);
	outb(0x4d1, 0xff);
	assert_int_equal(inb(0x4d0), 0xf8); /* IRQ 0-2 stay edge */
	assert_int_equal(inb(0x4d1), 0xde); /* IRQ 8, 13 stay edge */
	assert_int_equal(io_bus_read(&bus, 0x4d0, 2), 0xdef8);
	io_bus_write(&bus, 0x4d0, 2, 0);
	assert_int_equal(io_bus_read(&bus, 0x4d0, 2), 0);
	/* a wide access past the range reads an empty byte */
	assert_int_equal(io_bus_read(&bus, 0x4d1, 2), 0xff00);
}

static void test_level_and_edge(void **state)
{
	linux_init();
	unmask_all();
	outb(0x4d0, 0x20); /* IRQ 5 level-triggered */
	pic_set_irq(&pic, 5, true);
	assert_int_equal(pic_acknowledge(&pic), 0x35);
	linux_eoi(5);
	/* still asserted: interrupts again, without a new edge */
	assert_true(pic_has_interrupt(&pic));
	assert_int_equal(pic_acknowledge(&pic), 0x35);
	pic_set_irq(&pic, 5, false);
	assert_int_equal(inb(0x20) & 0x20, 0); /* IRR follows the line */
	linux_eoi(5);
	assert_false(pic_has_interrupt(&pic));

	/* edge: a line held high interrupts once */
	pic_set_irq(&pic, 4, true);
	assert_int_equal(pic_acknowledge(&pic), 0x34);
	linux_eoi(4);
	pic_set_irq(&pic, 4, true);
	assert_false(pic_has_interrupt(&pic));
	pic_set_irq(&pic, 4, false);
	pic_set_irq(&pic, 4, true);
	assert_int_equal(pic_acknowledge(&pic), 0x34);
	linux_eoi(4);

	/* ICW1 LTIM: every input level-triggered, the ELCR aside */
	outb(0x20, 0x19);
	outb(0x21, 0x30);
	outb(0x21, 0x04);
	outb(0x21, 0x01);
	assert_true(pic.master.ltim);
	assert_int_equal(inb(0x20) & 0x10, 0x10); /* IR4 is high */
	assert_int_equal(pic_acknowledge(&pic), 0x34);
	pic_set_irq(&pic, 4, false);
	linux_eoi(4);
	assert_false(pic_has_interrupt(&pic));
}

static void test_icw1_resets_edge_sense(void **state)
{
	linux_init();
	unmask_all();
	pic_set_irq(&pic, 6, true);
	assert_int_equal(pic_acknowledge(&pic), 0x36);
	pulse(7);
	outb(0x20, 0x60 + 5); /* an EOI for a level not in service: no-op */
	assert_int_equal(read_isr(0x20), 0x40);
	linux_init(); /* re-initialize with IR6 still high */
	assert_int_equal(read_isr(0x20), 0);
	assert_int_equal(inb(0x20), 0); /* pending edges are forgotten */
	assert_false(pic_has_interrupt(&pic));
	pic_set_irq(&pic, 6, true); /* no transition: nothing */
	assert_false(pic_has_interrupt(&pic));
	pic_set_irq(&pic, 6, false);
	pic_set_irq(&pic, 6, true);
	assert_int_equal(pic_acknowledge(&pic), 0x36);
}

static void test_spurious_irq7(void **state)
{
	linux_init();
	unmask_all();
	outb(0x4d0, 0x20);
	pic_set_irq(&pic, 5, true);
	assert_true(pic_has_interrupt(&pic));
	pic_set_irq(&pic, 5, false); /* gone before the INTA */
	assert_false(pic_has_interrupt(&pic));
	assert_int_equal(intr_calls, 2);
	assert_int_equal(pic_acknowledge(&pic), 0x37);
	assert_int_equal(read_isr(0x20), 0); /* no ISR bit for it */
	assert_int_equal(pic.spurious_master, 1);

	/* an edge request masked between INTR and INTA: the same */
	pulse(3);
	outb(0x21, 0x08);
	assert_int_equal(pic_acknowledge(&pic), 0x37);
	assert_int_equal(pic.spurious_master, 2);
	outb(0x21, 0x00);
	assert_int_equal(pic_acknowledge(&pic), 0x33); /* still requested */
}

static void test_spurious_irq15(void **state)
{
	linux_init();
	unmask_all();
	outb(0x4d1, 0x04); /* IRQ 10 level-triggered */
	pic_set_irq(&pic, 10, true);
	assert_int_equal(inb(0x20) & 0x04, 0x04); /* master latched IR2 */
	pic_set_irq(&pic, 10, false);
	/* the master's edge-triggered IR2 still holds the request */
	assert_true(pic_has_interrupt(&pic));
	assert_int_equal(pic_acknowledge(&pic), 0x3f);
	assert_int_equal(read_isr(0x20), 0x04); /* master bit 2 is set */
	assert_int_equal(read_isr(0xa0), 0x00);
	assert_int_equal(pic.spurious_slave, 1);
	assert_int_equal(pic.spurious_master, 0);
	outb(0x20, 0x62); /* Linux EOIs the master's cascade only */
	assert_int_equal(read_isr(0x20), 0);
	assert_false(pic_has_interrupt(&pic));
}

static void test_poll(void **state)
{
	linux_init();
	outb(0x21, 0xff); /* the poll sees what the resolver sees: */
	outb(0x20, 0x0c);
	pulse(6);
	assert_int_equal(inb(0x20), 0x00); /* masked: nothing to report */
	outb(0x21, 0x00);
	outb(0x20, 0x0c); /* OCW3 poll */
	assert_int_equal(inb(0x21), 0x00); /* a data read is still IMR */
	assert_int_equal(inb(0x20), 0x86); /* request, level 6 */
	assert_int_equal(read_isr(0x20), 0x40); /* the read acknowledged */
	assert_int_equal(inb(0x20), 0x00);	/* one read per poll: IRR */
	outb(0x20, 0x0c);
	assert_int_equal(inb(0x20), 0x00); /* nothing pending */
	outb(0x20, 0x20);

	/* polling the pair: the master reports IR2, then the slave */
	outb(0xa1, 0x00);
	pulse(13);
	outb(0x20, 0x0c);
	assert_int_equal(inb(0x20), 0x82);
	outb(0xa0, 0x0c);
	assert_int_equal(inb(0xa0), 0x85);
	assert_int_equal(read_isr(0xa0), 0x20);
}

static void test_aeoi_and_rotation(void **state)
{
	linux_init();
	outb(0x20, 0x11);
	outb(0x21, 0x30);
	outb(0x21, 0x04);
	outb(0x21, 0x03); /* AEOI, as init_8259A(1) */
	unmask_all();
	pulse(1);
	assert_int_equal(pic_acknowledge(&pic), 0x31);
	assert_int_equal(read_isr(0x20), 0); /* no EOI needed */
	pulse(4);
	assert_int_equal(pic_acknowledge(&pic), 0x34);

	/* rotate in AEOI mode: the level served becomes the lowest */
	outb(0x20, 0x80);
	pulse(0);
	pulse(3);
	assert_int_equal(pic_acknowledge(&pic), 0x30);
	pulse(0);
	assert_int_equal(pic_acknowledge(&pic), 0x33); /* IR0 now last */
	assert_int_equal(pic_acknowledge(&pic), 0x30);
	outb(0x20, 0x00); /* rotation off */
	assert_false(pic.master.rotate_aeoi);
}

static void test_specific_rotation(void **state)
{
	linux_init();
	unmask_all();
	outb(0x20, 0xc4); /* set priority: IR4 lowest, IR5 highest */
	pulse(3);
	pulse(6);
	pulse(5);
	assert_int_equal(pic_acknowledge(&pic), 0x35);
	outb(0x20, 0xa0); /* rotate on non-specific EOI: IR5 lowest */
	assert_int_equal(pic.master.lowest, 5);
	assert_int_equal(pic_acknowledge(&pic), 0x36);
	outb(0x20, 0xe6); /* rotate on specific EOI 6 */
	assert_int_equal(pic.master.lowest, 6);
	assert_int_equal(pic_acknowledge(&pic), 0x33);
	outb(0x20, 0x40); /* OCW2 no-op */
	assert_int_equal(read_isr(0x20), 0x08);
	outb(0x20, 0x20);
	assert_int_equal(read_isr(0x20), 0x00);
	outb(0x20, 0x20); /* EOI with nothing in service */
	assert_int_equal(read_isr(0x20), 0x00);
}

static void test_special_mask_mode(void **state)
{
	linux_init();
	unmask_all();
	pulse(3);
	assert_int_equal(pic_acknowledge(&pic), 0x33);
	pulse(5);
	assert_false(pic_has_interrupt(&pic)); /* IR3 in service blocks */
	outb(0x20, 0x68);		       /* OCW3: set special mask */
	outb(0x21, 0x08);		       /* mask the level in service */
	assert_true(pic_has_interrupt(&pic));
	assert_int_equal(pic_acknowledge(&pic), 0x35);
	outb(0x20, 0x65); /* specific EOI 5 */
	outb(0x20, 0x48); /* reset special mask: IR3's ISR blocks again */
	pulse(6);
	assert_false(pic_has_interrupt(&pic));
	assert_false(pic.master.special_mask);
}

static void test_special_fully_nested(void **state)
{
	linux_init();
	outb(0x20, 0x11);
	outb(0x21, 0x30);
	outb(0x21, 0x04);
	outb(0x21, 0x11); /* ICW4: SFNM */
	unmask_all();
	pulse(10);
	assert_int_equal(pic_acknowledge(&pic), 0x3a);
	pulse(8); /* a higher slave level nests in SFNM */
	assert_int_equal(pic_acknowledge(&pic), 0x38);
	pulse(11); /* a lower one still waits, in the slave */
	assert_false(pic_has_interrupt(&pic));
	pulse(4); /* master levels below IR2 wait too */
	assert_false(pic_has_interrupt(&pic));
	linux_eoi(8);
	linux_eoi(10);
	assert_int_equal(pic_acknowledge(&pic), 0x3b);
}

static void test_slave_aeoi_keeps_requests(void **state)
{
	/* A slave in AEOI keeps INT high across an INTA when it holds two
	 * requests: the second must still reach the master. */
	linux_init();
	outb(0xa0, 0x11);
	outb(0xa1, 0x38);
	outb(0xa1, 0x02);
	outb(0xa1, 0x03);
	outb(0x20, 0x11);
	outb(0x21, 0x30);
	outb(0x21, 0x04);
	outb(0x21, 0x03);
	unmask_all();
	pulse(9);
	pulse(12);
	assert_int_equal(pic_acknowledge(&pic), 0x39);
	assert_true(pic_has_interrupt(&pic));
	assert_int_equal(pic_acknowledge(&pic), 0x3c);
	assert_false(pic_has_interrupt(&pic));
}

static void test_hostile_programming(void **state)
{
	linux_init();
	unmask_all();
	pic_set_irq(&pic, 2, true); /* no such pin on a PC */
	pic_set_irq(&pic, 16, true);
	pic_set_irq(&pic, 0xffffffffu, true);
	assert_false(pic_has_interrupt(&pic));
	assert_int_equal(pic_acknowledge(&pic), 0x37); /* spurious */

	/* an init sequence restarted halfway */
	outb(0x20, 0x11);
	outb(0x21, 0x50);
	outb(0x20, 0x11);
	outb(0x21, 0x30);
	outb(0x21, 0x04);
	outb(0x21, 0x01);
	assert_int_equal(pic.master.init_step, 0);
	assert_int_equal(pic.master.vector_base, 0x30);
	outb(0x21, 0x00);
	assert_int_equal(inb(0x21), 0x00); /* an OCW1 again */

	/* single mode, no ICW3: the next byte is ICW4; IR2 is an input */
	outb(0x20, 0x13);
	outb(0x21, 0x47); /* low bits of ICW2 ignored */
	outb(0x21, 0x01);
	assert_int_equal(pic.master.init_step, 0);
	assert_int_equal(pic.master.vector_base, 0x40);
	pulse(9);
	assert_int_equal(pic_acknowledge(&pic), 0x42);

	/* no ICW4: its functions are zero; the master names a slave on
	 * IR5 that is not there: nobody drives the bus */
	linux_init();
	outb(0x20, 0x10);
	outb(0x21, 0x30);
	outb(0x21, 0x20);
	assert_false(pic.master.x86_mode);
	assert_int_equal(pic.master.init_step, 0);
	pulse(5);
	assert_int_equal(pic_acknowledge(&pic), 0xff);
	outb(0x20, 0x20);
	/* and IR2, no longer a cascade input, is served by the master */
	pulse(14);
	assert_int_equal(pic_acknowledge(&pic), 0x32);

	/* wide accesses are split into bytes */
	linux_init();
	outb(0x21, 0x5a);
	pulse(0);
	assert_int_equal(io_bus_read(&bus, 0x20, 2), 0x5a01);
	io_bus_write(&bus, 0x20, 2, 0x0b | 0xa5 << 8); /* OCW3, then IMR */
	assert_int_equal(inb(0x21), 0xa5);
	assert_int_equal(io_bus_read(&bus, 0x21, 4), 0xffffffa5u);
	assert_int_equal(pic.master.read_isr, true);
}

static void test_irq_line_hookup(void **state)
{
	linux_init();
	unmask_all();
	struct irq_line l = { pic_irq_line_set, &pic, 1 };
	irq_line_pulse(&l);
	assert_int_equal(pic_acknowledge(&pic), 0x31);
	pic_set_intr_hook(&pic, NULL, NULL); /* polling only: no call */
	unsigned calls = intr_calls;
	pulse(8);
	assert_false(pic_has_interrupt(&pic)); /* IR1 is in service */
	linux_eoi(1);
	assert_true(pic_has_interrupt(&pic));
	assert_int_equal(intr_calls, calls);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_power_on_state, setup),
		cmocka_unit_test_setup(test_linux_init_irq0, setup),
		cmocka_unit_test_setup(test_priorities_master_slave, setup),
		cmocka_unit_test_setup(test_masks, setup),
		cmocka_unit_test_setup(test_elcr, setup),
		cmocka_unit_test_setup(test_level_and_edge, setup),
		cmocka_unit_test_setup(test_icw1_resets_edge_sense, setup),
		cmocka_unit_test_setup(test_spurious_irq7, setup),
		cmocka_unit_test_setup(test_spurious_irq15, setup),
		cmocka_unit_test_setup(test_poll, setup),
		cmocka_unit_test_setup(test_aeoi_and_rotation, setup),
		cmocka_unit_test_setup(test_specific_rotation, setup),
		cmocka_unit_test_setup(test_special_mask_mode, setup),
		cmocka_unit_test_setup(test_special_fully_nested, setup),
		cmocka_unit_test_setup(test_slave_aeoi_keeps_requests, setup),
		cmocka_unit_test_setup(test_hostile_programming, setup),
		cmocka_unit_test_setup(test_irq_line_hookup, setup),
	};
	return cmocka_run_group_tests_name("pic", tests, NULL, NULL);
}
