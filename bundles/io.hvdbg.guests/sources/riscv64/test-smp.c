/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 *
 * SMP atomics (run with --smp 4): the boot hart starts the others through SBI HSM; every hart
 * adds to shared counters with an LR/SC retry loop (which must always complete: Ziccrse) and
 * with amoadd, 20000 times each, and the totals must be exact.
 */
#include "guest.h"

#define HARTS 4
#define ROUNDS 20000
extern char _start[];
static volatile u64 lrsc_counter, amo_counter, done_harts, sc_failures;

static void work(void)
{
    for (int i = 0; i < ROUNDS; i++) {
        u64 v, fail;
        do {
            __asm__ volatile("lr.d %0, (%2)\n addi %0, %0, 1\n sc.d %1, %0, (%2)"
                             : "=&r"(v), "=&r"(fail) : "r"(&lrsc_counter) : "memory");
            if (fail)
                __atomic_fetch_add(&sc_failures, 1, __ATOMIC_RELAXED);
        } while (fail);
        __atomic_fetch_add(&amo_counter, 1, __ATOMIC_RELAXED);
    }
    __atomic_fetch_add(&done_harts, 1, __ATOMIC_SEQ_CST);
}

void secondary_main(unsigned long hartid, unsigned long opaque)
{
    work();
}

int main(void)
{
    for (long h = 1; h < HARTS; h++)
        check(sbi_call(SBI_EXT_HSM, 0, h, (long)_start, 0, 0).error == 0, "hart_start");
    work();
    while (done_harts != HARTS)
        ;
    check(lrsc_counter == HARTS * ROUNDS, "LR/SC increments from 4 harts add up exactly");
    check(amo_counter == HARTS * ROUNDS, "amoadd increments from 4 harts add up exactly");
    print("sc failures (retried): ", sc_failures);
    return failures();
}
