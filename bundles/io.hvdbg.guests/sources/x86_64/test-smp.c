/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 *
 * SMP bring-up: the BSP reads the CPU count from fw_cfg, copies a real-mode trampoline to
 * 0x8000 and wakes the application processors with INIT and SIPI (vector 8) through the
 * xAPIC ICR; each AP runs the trampoline in real mode and reports its APIC id.
 */
#include "lib.h"

#define LAPIC 0xfee00000UL
#define TRAMPOLINE 0x8000UL

extern char tramp_start[], tramp_end[], tramp_count[], tramp_ids[];

static u16 fw_cfg_u16(u16 key)
{
    outw(0x510, key);
    u16 v = inb(0x511);
    return v | (u16)(inb(0x511) << 8);
}

int main(void)
{
    outb(0x21, 0xff);
    outb(0xa1, 0xff);
    int cpus = fw_cfg_u16(0x05);
    puts("cpus: ");
    put_dec(cpus);
    puts("\n");
    CHECK(cpus >= 1 && cpus <= 16);
    memcpy((void *)TRAMPOLINE, tramp_start, (ulong)(tramp_end - tramp_start));
    volatile u16 *count = (volatile u16 *)(TRAMPOLINE + (tramp_count - tramp_start));
    volatile u8 *ids = (volatile u8 *)(TRAMPOLINE + (tramp_ids - tramp_start));
    mmio_write32(LAPIC + 0xf0, 0x1ff);
    mmio_write32(LAPIC + 0x310, 0);
    mmio_write32(LAPIC + 0x300, 0x000c4500); /* INIT, all excluding self */
    mmio_write32(LAPIC + 0x300, 0x000c4600 | (TRAMPOLINE >> 12)); /* SIPI */
    for (long spin = 0; spin < 10000000 && *count < cpus - 1; spin++)
        __asm__ volatile("pause");
    puts("application processors started: ");
    put_dec(*count);
    puts("\n");
    CHECK_EQ(*count, cpus - 1);
    u32 a, b, c, d;
    cpuid2(1, 0, &a, &b, &c, &d);
    int bsp = b >> 24;
    CHECK_EQ(bsp, 0);
    for (int i = 1; i < cpus; i++)
        CHECK_EQ(ids[i], 1);
    CHECK_EQ(ids[0], 0);
    report_and_exit("smp");
}
