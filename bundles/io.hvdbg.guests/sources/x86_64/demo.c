/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 *
 * The x86_64 demo guest: a multiboot kernel that enters long mode and does one of each thing
 * a hypervisor intercepts - CPUID, port I/O, MSR accesses, CR4.PGE toggles, INVLPG, HLT woken
 * by the LAPIC timer and MMIO - then exits through isa-debug-exit with 0 when every check held.
 */
#include "idt64.h"

#define LAPIC 0xfee00000UL
#define IOAPIC 0xfec00000UL
#define TIMER_VECTOR 32

static volatile int ticks;

static void timer(struct frame *f)
{
    (void)f;
    ticks++;
    mmio_write32(LAPIC + 0xb0, 0); /* EOI */
}

static u32 fw_cfg_read32(u16 key)
{
    outw(0x510, key);
    u32 v = 0;
    for (int i = 0; i < 4; i++)
        v |= (u32)inb(0x511) << (8 * i);
    return v;
}

int main(u32 mbinfo)
{
    u32 a, b, c, d;
    outb(0x21, 0xff); /* mask the legacy PIC: firmware points its timer IRQ at vector 8 */
    outb(0xa1, 0xff);
    idt_init();
    set_handler(TIMER_VECTOR, timer);
    puts("hvdbg x86_64 demo: long mode reached\n");
    const char *cmdline = (const char *)(ulong) * (u32 *)(ulong)(mbinfo + 16);
    puts("command line: ");
    puts(cmdline);
    puts("\n");

    /* CPUID */
    char vendor[13];
    cpuid2(0, 0, &a, &b, &c, &d);
    memcpy(vendor, &b, 4);
    memcpy(vendor + 4, &d, 4);
    memcpy(vendor + 8, &c, 4);
    vendor[12] = 0;
    puts("cpuid vendor: ");
    puts(vendor);
    puts("\n");
    CHECK(a >= 1);
    cpuid2(0x80000001, 0, &a, &b, &c, &d);
    CHECK(d & (1u << 29)); /* long mode */

    /* port I/O: fw_cfg signature and the PCI host bridge */
    u32 sig = fw_cfg_read32(0);
    CHECK_EQ(sig, 0x554d4551); /* "QEMU" */
    outl(0xcf8, 0x80000000);
    u32 id = inl(0xcfc);
    puts("pci 00:00.0: ");
    put_hex(id);
    puts("\n");
    CHECK_EQ(id & 0xffff, 0x8086);

    /* MSRs */
    u64 apic_base = rdmsr(0x1b);
    CHECK_EQ(apic_base & ~0xfffUL, LAPIC);
    wrmsr(0xc0000102, 0x1234567890abcdefULL); /* KERNEL_GS_BASE */
    CHECK_EQ(rdmsr(0xc0000102), 0x1234567890abcdefULL);

    /* CR4.PGE toggles flush global translations */
    ulong cr4 = read_cr4();
    write_cr4(cr4 | 0x80);
    CHECK(read_cr4() & 0x80);
    write_cr4(cr4 & ~0x80UL);
    CHECK(!(read_cr4() & 0x80));
    write_cr4(cr4 | 0x80);

    /* INVLPG */
    static volatile u32 page[1024] __attribute__((aligned(4096)));
    page[0] = 42;
    invlpg(page);
    CHECK_EQ(page[0], 42);

    /* MMIO: LAPIC and IOAPIC version registers */
    u32 lapic_version = mmio_read32(LAPIC + 0x30);
    mmio_write32(IOAPIC, 1);
    u32 ioapic_version = mmio_read32(IOAPIC + 0x10);
    puts("lapic version ");
    put_hex(lapic_version & 0xff);
    puts(", ioapic version ");
    put_hex(ioapic_version & 0xff);
    puts("\n");
    CHECK_EQ(lapic_version & 0xff, 0x14);
    CHECK_EQ(ioapic_version & 0xff, 0x20);

    /* HLT woken by the LAPIC timer (one-shot, vector 32) */
    mmio_write32(LAPIC + 0xf0, 0x1ff);          /* software enable */
    mmio_write32(LAPIC + 0x3e0, 0xb);           /* divide by 1 */
    mmio_write32(LAPIC + 0x320, TIMER_VECTOR);  /* one-shot */
    mmio_write32(LAPIC + 0x380, 100000);        /* 100 us */
    u64 t0 = rdtsc();
    __asm__ volatile("sti; hlt; cli");
    u64 t1 = rdtsc();
    puts("timer woke the vCPU after ");
    put_dec(t1 - t0);
    puts(" TSC ticks\n");
    CHECK_EQ(ticks, 1);
    CHECK(t1 - t0 >= 100000);

    report_and_exit("demo");
}
