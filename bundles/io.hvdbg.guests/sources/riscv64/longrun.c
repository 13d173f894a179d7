/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 *
 * Long-run guest for `hvdbg bench long-run`: loops forever doing some integer work and, every
 * round, things that trap to the hypervisor - SBI calls (BASE, RFENCE), an MMIO read of the
 * UART, sfence.vma - plus a WFI woken by an SBI timer every 64 rounds and a console line every
 * 65536 rounds. It never ends on its own: the host stops it after its instruction budget and
 * looks at what the trace, the caches and the heap did meanwhile.
 */
#include "guest.h"

static volatile u64 ticks;
static volatile u32 pages[8][1024] __attribute__((aligned(4096)));

static int hook(struct frame *f, u64 scause, u64 stval)
{
    (void)f;
    (void)stval;
    if (scause == ((1UL << 63) | 5)) { /* supervisor timer */
        ticks++;
        sbi_set_timer(~0UL);
        return 1;
    }
    return 0;
}

int main(unsigned long hartid, unsigned long fdt)
{
    (void)hartid;
    (void)fdt;
    trap_hook = hook;
    csr_set(sie, 1UL << 5);
    puts("hvdbg riscv64 long-run guest: looping forever\n");
    u64 h = 0x9e3779b97f4a7c15UL;
    for (u64 round = 0;; round++) {
        for (int i = 0; i < 200; i++) {
            h ^= h << 13;
            h ^= h >> 7;
            h ^= h << 17;
            pages[i & 7][(h >> 20) & 1023] += (u32)h;
        }
        h += sbi_call(SBI_EXT_BASE, round & 3, 0, 0, 0, 0).value;
        sbi_call(SBI_EXT_RFENCE, 0, 0, 0, 0, 0); /* remote fence.i on no harts */
        h += UART0[5];
        __asm__ volatile("sfence.vma" ::: "memory");
        if ((round & 63) == 0) {
            sbi_set_timer(rdtime() + 200);
            csr_set(sstatus, 2);
            __asm__ volatile("wfi");
            csr_clear(sstatus, 2);
        }
        if ((round & 0xffff) == 0) {
            print("long-run: round ", round);
            print("long-run: ticks ", ticks);
        }
    }
}
