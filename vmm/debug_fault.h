/* Deliberate faults for testing the exception report (debug=... option). */
#ifndef VOLT_VMM_DEBUG_FAULT_H
#define VOLT_VMM_DEBUG_FAULT_H

/* Does nothing for DEBUG_NONE; otherwise faults and never returns. */
void debug_fault_trigger(int kind);

#endif
