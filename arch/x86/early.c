/* Early processor setup (see early.h). SDM vol. 3A 11.5.3: with CD=0, NW=0
 * caching follows the MTRRs and PAT, which the firmware has programmed. */
#include "arch/x86/cpu.h"
#include "arch/x86/early.h"

void caches_enable(void)
{
	uint64_t cr0 = read_cr0();
	if (cr0 & (CR0_CD | CR0_NW)) {
		write_cr0(cr0 & ~(CR0_CD | CR0_NW));
		wbinvd();
	}
}
