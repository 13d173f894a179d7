/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 *
 * Self-checking test of timers: the time CSR, the SBI TIME extension (a host timer exit, then
 * the injected VS timer interrupt), and Sstc's stimecmp (no exit at all), each waking WFI.
 */
#include "guest.h"

static volatile int ticks;

static int hook(struct frame *f, u64 scause, u64 stval)
{
    if (scause == ((1UL << 63) | 5)) {
        ticks++;
        sbi_set_timer(~0UL);
        csr_write(stimecmp, ~0UL);
        return 1;
    }
    return 0;
}

static void wait_tick(int want)
{
    while (ticks < want) {
        __asm__ volatile("wfi");
        csr_set(sstatus, 2);
        csr_clear(sstatus, 2);
    }
}

int main(void)
{
    trap_hook = hook;
    u64 t0 = rdtime();
    for (volatile int i = 0; i < 1000; i++)
        ;
    u64 t1 = rdtime();
    check(t1 > t0, "time advances");
    csr_set(sie, 1 << 5);
    puts("test-timer: SBI\n");
    for (int k = 1; k <= 3; k++) {
        u64 start = rdtime();
        sbi_set_timer(start + 5000);
        wait_tick(k);
        check(rdtime() >= start + 5000, "SBI timer interrupt not before its deadline");
    }
    puts("test-timer: Sstc\n");
    for (int k = 4; k <= 6; k++) {
        u64 start = rdtime();
        csr_write(stimecmp, start + 5000);
        wait_tick(k);
        check(rdtime() >= start + 5000, "stimecmp interrupt not before its deadline");
    }
    csr_write(stimecmp, 0);
    check((csr_read(sip) & (1 << 5)) != 0, "stimecmp in the past: STIP pending in sip");
    csr_write(stimecmp, ~0UL);
    check((csr_read(sip) & (1 << 5)) == 0, "stimecmp in the future: STIP clear");
    check(ticks == 6, "six timer interrupts");
    return failures();
}
