/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 *
 * Long-run guest for `hvdbg bench long-run`: loops forever doing some integer work and, every
 * round, the things a hypervisor intercepts - CPUID, port I/O, MSR reads and writes, INVLPG,
 * CR4.PGE toggles, LAPIC MMIO - plus a HLT woken by the LAPIC timer every 64 rounds and a
 * console line every 65536 rounds. It never ends on its own: the host stops it after its
 * instruction budget and looks at what the trace, the caches and the heap did meanwhile.
 */
#include "idt64.h"

#define LAPIC 0xfee00000UL
#define TIMER_VECTOR 32

static volatile u64 ticks;
static volatile u32 pages[8][1024] __attribute__((aligned(4096)));

static void timer(struct frame *f)
{
    (void)f;
    ticks++;
    mmio_write32(LAPIC + 0xb0, 0); /* EOI */
}

int main(u32 mbinfo)
{
    (void)mbinfo;
    u32 a, b, c, d;
    outb(0x21, 0xff); /* mask the legacy PIC */
    outb(0xa1, 0xff);
    idt_init();
    set_handler(TIMER_VECTOR, timer);
    mmio_write32(LAPIC + 0xf0, 0x1ff);         /* software enable */
    mmio_write32(LAPIC + 0x3e0, 0xb);          /* divide by 1 */
    mmio_write32(LAPIC + 0x320, TIMER_VECTOR); /* one-shot */
    puts("hvdbg x86_64 long-run guest: looping forever\n");
    ulong cr4 = read_cr4();
    u64 h = 0x9e3779b97f4a7c15ULL;
    for (u64 round = 0;; round++) {
        for (int i = 0; i < 200; i++) {
            h ^= h << 13;
            h ^= h >> 7;
            h ^= h << 17;
            pages[i & 7][(h >> 20) & 1023] += (u32)h;
        }
        cpuid2((u32)round & 7, 0, &a, &b, &c, &d);
        outb(0x80, (u8)round);
        (void)inb(0x61);
        wrmsr(0xc0000102, h);
        h ^= rdmsr(0xc0000102);
        invlpg((void *)pages[round & 7]);
        write_cr4(cr4 ^ 0x80);
        write_cr4(cr4);
        h += mmio_read32(LAPIC + 0x30);
        if ((round & 63) == 0) {
            mmio_write32(LAPIC + 0x380, 20000); /* 20 us */
            __asm__ volatile("sti; hlt; cli");
        }
        if ((round & 0xffff) == 0) {
            puts("long-run: round ");
            put_dec(round);
            puts(" ticks ");
            put_dec(ticks);
            puts("\n");
        }
    }
}
