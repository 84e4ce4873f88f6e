/* The legacy 8259A interrupt controllers: Volt only silences them. */
#ifndef VOLT_ARCH_X86_PIC_H
#define VOLT_ARCH_X86_PIC_H

/* Remap both PICs away from the exception vectors and mask every line. */
void pic_disable(void);

#endif
