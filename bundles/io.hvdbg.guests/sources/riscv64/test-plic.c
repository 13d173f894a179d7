/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 *
 * External interrupts: the UART's receive interrupt through the PLIC (source 10, context 0 =
 * hart 0 S-mode) into the guest as a supervisor external interrupt; the guest claims,
 * reads the bytes, completes, and echoes them. The host queues the input before the run.
 */
#include "guest.h"

#define PLIC ((volatile u32 *)0x0c000000UL)
static volatile int irqs;
static char line[64];
static volatile int len;

static int hook(struct frame *f, u64 scause, u64 stval)
{
    if (scause != ((1UL << 63) | 9))
        return 0;
    irqs++;
    u32 src = PLIC[0x200004 / 4];
    while (UART0[5] & 1) {
        if (len < 63)
            line[len++] = UART0[0];
    }
    PLIC[0x200004 / 4] = src;
    return 1;
}

int main(void)
{
    trap_hook = hook;
    PLIC[10] = 1;                 /* priority of source 10 */
    PLIC[0x2000 / 4] = 1 << 10;   /* context 0 enables source 10 */
    PLIC[0x200000 / 4] = 0;       /* threshold */
    UART0[1] = 1;                 /* IER: receive data available */
    csr_set(sie, 1 << 9);
    while (len < 5) {
        __asm__ volatile("wfi");
        csr_set(sstatus, 2);
        csr_clear(sstatus, 2);
    }
    line[len] = 0;
    puts("got: ");
    puts(line);
    putc('\n');
    check(irqs >= 1, "UART receive interrupt through the PLIC");
    check(PLIC[0x200004 / 4] == 0, "nothing left to claim");
    return failures();
}
