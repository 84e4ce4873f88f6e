/*
 * MSR bitmap builder (see msr_bitmap.h; SDM vol. 3C 25.6.9). Each MSR
 * range maps to bit (msr - first) of its 1 KiB part: byte index / 8,
 * bit index % 8, as the processor reads it.
 */
#include "arch/x86/vmx/msr_bitmap.h"
#include "lib/string.h"

#define PART_BYTES 1024u
#define PART_READ_LOW 0u
#define PART_READ_HIGH 1u
#define PART_WRITE_LOW 2u
#define PART_WRITE_HIGH 3u
#define ALL_EXIT 0xff

/*
 * Locate the bit for (msr, direction): byte offset in the page and bit
 * mask. False for an MSR outside both ranges.
 */
static bool locate(uint32_t msr, bool write, unsigned *byte, uint8_t *mask)
{
	uint32_t index;
	unsigned part;

	if (msr <= MSR_BITMAP_LOW_LAST) {
		index = msr - MSR_BITMAP_LOW_FIRST;
		part = write ? PART_WRITE_LOW : PART_READ_LOW;
	} else if (msr >= MSR_BITMAP_HIGH_FIRST && msr <= MSR_BITMAP_HIGH_LAST) {
		index = msr - MSR_BITMAP_HIGH_FIRST;
		part = write ? PART_WRITE_HIGH : PART_READ_HIGH;
	} else {
		return false;
	}
	*byte = part * PART_BYTES + index / 8;
	*mask = (uint8_t)(1u << (index % 8));
	return true;
}

static void set_exit(uint8_t *page, unsigned byte, uint8_t mask, bool exits)
{
	if (exits)
		page[byte] |= mask;
	else
		page[byte] &= (uint8_t)~mask;
}

void msr_bitmap_init_all_exit(uint8_t page[MSR_BITMAP_BYTES])
{
	memset(page, ALL_EXIT, MSR_BITMAP_BYTES);
}

int msr_bitmap_pass(uint8_t page[MSR_BITMAP_BYTES], uint32_t msr, bool read,
		    bool write)
{
	unsigned rbyte, wbyte;
	uint8_t rmask, wmask;

	if (!locate(msr, false, &rbyte, &rmask) ||
	    !locate(msr, true, &wbyte, &wmask))
		return -1;
	set_exit(page, rbyte, rmask, !read);
	set_exit(page, wbyte, wmask, !write);
	return 0;
}

bool msr_bitmap_exits(const uint8_t page[MSR_BITMAP_BYTES], uint32_t msr,
		      bool write)
{
	unsigned byte;
	uint8_t mask;

	if (!locate(msr, write, &byte, &mask))
		return true;
	return page[byte] & mask;
}
