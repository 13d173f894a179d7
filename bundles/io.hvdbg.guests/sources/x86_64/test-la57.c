/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 *
 * 5-level paging (CR4.LA57): the boot code entered long mode with a PML5; this maps a page at
 * a linear address only 57-bit paging can reach (PML5 slot 1, i.e. 2^48) and checks that it
 * reads and writes through it, and that a 57-bit non-canonical address raises #GP.
 */
#include "idt64.h"

static u64 pml4b[512] __attribute__((aligned(4096)));
static u64 pdptb[512] __attribute__((aligned(4096)));
static u64 pdb[512] __attribute__((aligned(4096)));
static u64 ptb[512] __attribute__((aligned(4096)));
static u8 page[4096] __attribute__((aligned(4096)));

int main(void)
{
    outb(0x21, 0xff);
    outb(0xa1, 0xff);
    idt_init();
    u32 a, b, c, d;
    cpuid2(7, 0, &a, &b, &c, &d);
    CHECK(c & (1 << 16));
    CHECK(read_cr4() & (1 << 12));
    u64 *pml5 = (u64 *)(read_cr3() & ~0xfffUL);
    pml5[1] = (u64)pml4b | 3;
    pml4b[0] = (u64)pdptb | 3;
    pdptb[0] = (u64)pdb | 3;
    pdb[0] = (u64)ptb | 3;
    ptb[0] = (u64)page | 3;
    write_cr3(read_cr3());
    volatile u8 *high = (volatile u8 *)(1UL << 48);
    page[0] = 0x57;
    barrier();
    CHECK_EQ(high[0], 0x57);
    high[1] = 0x75;
    CHECK_EQ(page[1], 0x75);
    CHECK(ptb[0] & 0x40);
    /* bit 56 set without sign extension: not canonical under 57-bit paging */
    CHECK_EQ(TRY_CL("mov (%0), %%al", INPUTS("r"(1UL << 56)), "rax"), 13);
    report_and_exit("la57");
}
