/* The per-CPU array (see percpu.h for who owns which field). */
#include "arch/x86/percpu.h"

struct percpu cpus[MAX_CPUS];
uint32_t cpu_count = 1; /* the bootstrap processor, until SMP bring-up */
