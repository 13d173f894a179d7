/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 *
 * Device interrupts and NMIs on the pc machine: the 8259 pair (ICW/OCW, IMR/IRR/ISR, EOI,
 * poll mode, ELCR), the 8254 PIT (channel 0 on IRQ 0 in mode 2, read-back status, counter
 * latch, channel 2 gated through port 0x61), the IOAPIC (version, redirection entries, the PIT
 * on GSI 2 per the MADT override, the UART's IRQ 4 edge- and level-triggered with Remote IRR
 * and the LAPIC's EOI broadcast), the MADT's overrides and LINT1 NMI entry, and NMIs sent
 * through the ICR (self and physical destination, with IF=0, blocked until IRET).
 */
#include "idt64.h"

#define LAPIC 0xfee00000UL
#define IOAPIC 0xfec00000UL
#define PIC_BASE 0x20
#define PIT_COUNT 11932 /* 100 Hz */

static volatile u32 count[256];
static volatile u32 isr_in_handler;
static volatile u32 uart_iir;
static volatile u32 remote_irr_in_handler;
static volatile u32 tmr_in_handler;
static volatile int nmi_nest_test;
static volatile u32 nmi_seen_inside;

/* Interrupt stubs of this test: push the vector, save the caller-saved registers, call irq(). */
__asm__(".text\n"
        ".macro irqstub vec\n"
        "irq\\vec: push $\\vec\n jmp irq_common\n"
        ".endm\n"
        "irqstub 2\n irqstub 32\n irqstub 39\n irqstub 64\n irqstub 65\n irqstub 66\n"
        "irq_common:\n"
        " push %rax\n push %rcx\n push %rdx\n push %rsi\n push %rdi\n"
        " push %r8\n push %r9\n push %r10\n push %r11\n"
        " mov 72(%rsp), %rdi\n sub $8, %rsp\n cld\n call irq\n add $8, %rsp\n"
        " pop %r11\n pop %r10\n pop %r9\n pop %r8\n"
        " pop %rdi\n pop %rsi\n pop %rdx\n pop %rcx\n pop %rax\n"
        " add $8, %rsp\n iretq\n");
extern char irq2[], irq32[], irq39[], irq64[], irq65[], irq66[];

static void set_gate(int v, void *fn)
{
    struct {
        u16 limit;
        u64 base;
    } __attribute__((packed)) d;
    __asm__ volatile("sidt %0" : "=m"(d));
    u32 *g = (u32 *)(d.base + 16 * (u64)v);
    u64 a = (u64)fn;
    g[0] = (u32)(a & 0xffff) | (0x08 << 16);
    g[1] = (u32)(a & 0xffff0000) | 0x8e00;
    g[2] = (u32)(a >> 32);
    g[3] = 0;
}

static u32 ioapic_read(u32 reg)
{
    mmio_write32(IOAPIC, reg);
    return mmio_read32(IOAPIC + 0x10);
}

static void ioapic_write(u32 reg, u32 v)
{
    mmio_write32(IOAPIC, reg);
    mmio_write32(IOAPIC + 0x10, v);
}

static void lapic_eoi(void)
{
    mmio_write32(LAPIC + 0xb0, 0);
}

static u8 pic_isr(void)
{
    outb(0x20, 0x0b);
    return inb(0x20);
}

static u8 pic_irr(void)
{
    outb(0x20, 0x0a);
    return inb(0x20);
}

/* Writes the ICR and waits until it is idle, as kvm-unit-tests' apic_icr_write does. */
static void icr_write(u32 high, u32 low)
{
    mmio_write32(LAPIC + 0x310, high);
    mmio_write32(LAPIC + 0x300, low);
    while (mmio_read32(LAPIC + 0x300) & (1 << 12))
        ;
}

static void self_nmi(void)
{
    icr_write(0, (1 << 18) | (4 << 8) | (1 << 14)); /* self, NMI, assert */
}

void irq(u64 v)
{
    count[v]++;
    switch (v) {
    case 2:
        if (nmi_nest_test == 1) {
            nmi_nest_test = 2;
            u32 before = count[2];
            self_nmi();
            for (volatile int i = 0; i < 1000; i++)
                ;
            nmi_seen_inside = count[2] - before; /* still blocked: 0 */
        }
        break;
    case PIC_BASE:
        isr_in_handler = pic_isr();
        outb(0x20, 0x20); /* non-specific EOI */
        break;
    case 0x41:
        uart_iir = inb(0x3fa);
        lapic_eoi();
        break;
    case 0x42:
        remote_irr_in_handler = (ioapic_read(0x10 + 2 * 4) >> 14) & 1;
        tmr_in_handler = (mmio_read32(LAPIC + 0x180 + (0x42 / 32) * 0x10) >> (0x42 % 32)) & 1;
        uart_iir = inb(0x3fa); /* clears the THRE interrupt: the line falls */
        lapic_eoi();          /* the EOI broadcast clears Remote IRR */
        break;
    default:
        lapic_eoi();
        break;
    }
}

static void wait_for(volatile u32 *counter, u32 n)
{
    for (int i = 0; i < 1000 && *counter < n; i++)
        __asm__ volatile("sti; hlt; cli");
}

static void pit_channel0(int mode, u16 n)
{
    outb(0x43, 0x30 | (mode << 1));
    outb(0x40, n & 0xff);
    outb(0x40, n >> 8);
}

static u16 pit_latch0(void)
{
    outb(0x43, 0x00);
    u8 lo = inb(0x40);
    return lo | (inb(0x40) << 8);
}

/* Waits until the 8259 latched IRQ 0 (QEMU raises it from a host timer, so poll for it). */
static void wait_irr0(void)
{
    for (int i = 0; i < 1000000 && !(pic_irr() & 1); i++)
        ;
}

/* Waits for channel 0's count to wrap (one period) by polling the latched count. */
static void wait_pit_wrap(void)
{
    u16 last = pit_latch0();
    for (int i = 0; i < 2000000; i++) {
        u16 c = pit_latch0();
        if (c > last)
            return;
        last = c;
    }
}

static void test_pic(void)
{
    outb(0x20, 0x11);
    outb(0x21, PIC_BASE);
    outb(0x21, 0x04);
    outb(0x21, 0x01);
    outb(0xa0, 0x11);
    outb(0xa1, PIC_BASE + 8);
    outb(0xa1, 0x02);
    outb(0xa1, 0x01);
    outb(0x21, 0xff);
    outb(0xa1, 0xff);
    CHECK_EQ(inb(0x21), 0xff);
    outb(0x21, 0xfa);
    CHECK_EQ(inb(0x21), 0xfa);
    outb(0x21, 0xff);

    outb(0x4d0, 0xff);
    outb(0x4d1, 0xff);
    CHECK_EQ(inb(0x4d0), 0xf8); /* IRQ 0-2 are always edge */
    CHECK_EQ(inb(0x4d1), 0xde); /* and IRQ 8 and 13 */
    outb(0x4d0, 0);
    outb(0x4d1, 0);

    /* the timer through the 8259 and LINT0 (ExtINT) */
    pit_channel0(2, PIT_COUNT);
    outb(0x21, 0xfe);
    wait_for(&count[PIC_BASE], 3);
    CHECK(count[PIC_BASE] >= 3);
    CHECK_EQ(isr_in_handler & 1, 1);
    CHECK_EQ(pic_isr(), 0);

    /* masked: the edge is latched in IRR and taken at unmask (a short period keeps polling short) */
    outb(0x21, 0xff);
    pit_channel0(2, 200);
    u32 before = count[PIC_BASE];
    wait_pit_wrap();
    wait_pit_wrap();
    wait_irr0();
    CHECK_EQ(pic_irr() & 1, 1);
    CHECK_EQ(count[PIC_BASE], before);
    pit_channel0(0, 0xffff); /* one-shot 55 ms away: only the latched edge is pending */
    outb(0x21, 0xfe);
    __asm__ volatile("sti; nop; cli");
    CHECK_EQ(count[PIC_BASE], before + 1);
    outb(0x21, 0xff);
    pit_channel0(2, 200);

    /* poll mode (IF=0): the next read acknowledges the highest unmasked request */
    wait_pit_wrap();
    wait_irr0();
    outb(0x21, 0xfe);
    outb(0x20, 0x0c);
    CHECK_EQ(inb(0x20), 0x80);
    CHECK_EQ(pic_isr(), 1);
    outb(0x20, 0x60); /* specific EOI, IRQ 0 */
    CHECK_EQ(pic_isr(), 0);
    outb(0x21, 0xff);
}

static void test_pit(void)
{
    /* read-back status of channel 0: mode 2, LSB then MSB */
    outb(0x43, 0xe2);
    CHECK_EQ(inb(0x40) & 0x3f, 0x34);
    u16 c = pit_latch0();
    CHECK(c <= PIT_COUNT);

    /* channel 2 in mode 0 with its gate on port 0x61: OUT (bit 5) rises at terminal count */
    u8 p61 = inb(0x61);
    outb(0x61, p61 & ~3);
    outb(0x43, 0xb0);
    outb(0x42, 0x00);
    outb(0x42, 0x01); /* 256 ticks */
    CHECK_EQ(inb(0x61) & 0x20, 0);
    outb(0x61, (p61 & ~2) | 1);
    int spins = 0;
    while (!(inb(0x61) & 0x20) && spins < 1000000)
        spins++;
    CHECK(spins < 1000000);
    outb(0x61, p61 & ~3);
}

static void test_ioapic(void)
{
    outb(0x21, 0xff);
    outb(0xa1, 0xff);
    mmio_write32(LAPIC + 0xf0, 0x1ff);
    CHECK_EQ(ioapic_read(1), 0x00170020);
    u32 apic_id = mmio_read32(LAPIC + 0x20) >> 24;

    /* the PIT on GSI 2 (ISA IRQ 0 per the MADT override) */
    ioapic_write(0x10 + 2 * 2 + 1, apic_id << 24);
    ioapic_write(0x10 + 2 * 2, 0x40);
    CHECK_EQ(ioapic_read(0x10 + 2 * 2) & 0x1ffff, 0x40);
    pit_channel0(2, PIT_COUNT);
    wait_for(&count[0x40], 3);
    CHECK(count[0x40] >= 3);
    ioapic_write(0x10 + 2 * 2, 0x10040);

    /* the UART's transmitter-empty interrupt on IRQ 4, edge-triggered */
    ioapic_write(0x10 + 4 * 2 + 1, apic_id << 24);
    ioapic_write(0x10 + 4 * 2, 0x41);
    outb(0x3f9, 0x02);
    __asm__ volatile("sti; nop; nop; cli");
    outb(0x3f9, 0x00);
    CHECK_EQ(count[0x41], 1);
    CHECK_EQ(uart_iir & 0x0f, 0x02);

    /* level-triggered: Remote IRR while in service, TMR set, cleared by the EOI broadcast */
    ioapic_write(0x10 + 4 * 2, 0x42 | (1 << 15));
    outb(0x3f9, 0x02);
    __asm__ volatile("sti; nop; nop; cli");
    outb(0x3f9, 0x00);
    CHECK_EQ(count[0x42], 1);
    CHECK_EQ(remote_irr_in_handler, 1);
    CHECK_EQ(tmr_in_handler, 1);
    CHECK_EQ((ioapic_read(0x10 + 4 * 2) >> 14) & 1, 0);
    ioapic_write(0x10 + 4 * 2, 0x10000);
}

struct sdt {
    char sig[4];
    u32 length;
    u8 revision, checksum;
    char oem[6], oem_table[8];
    u32 oem_rev, creator, creator_rev;
} __attribute__((packed));

static void test_madt(void)
{
    u8 *rsdp = 0;
    for (ulong a = 0xe0000; a < 0x100000; a += 16)
        if (memcmp((void *)a, "RSD PTR ", 8) == 0) {
            rsdp = (u8 *)a;
            break;
        }
    CHECK(rsdp != 0);
    if (!rsdp)
        return;
    struct sdt *rsdt = (struct sdt *)(ulong) * (u32 *)(rsdp + 16);
    u32 *e = (u32 *)(rsdt + 1);
    u8 *madt = 0;
    for (u32 i = 0; i < (rsdt->length - 36) / 4; i++)
        if (memcmp((void *)(ulong)e[i], "APIC", 4) == 0)
            madt = (u8 *)(ulong)e[i];
    CHECK(madt != 0);
    if (!madt)
        return;
    int irq0_to_gsi2 = 0, lint1_nmi = 0;
    for (u8 *p = madt + 44; p < madt + ((struct sdt *)madt)->length && p[1]; p += p[1]) {
        if (p[0] == 2 && p[3] == 0 && *(u32 *)(p + 4) == 2)
            irq0_to_gsi2++;
        if (p[0] == 4 && p[2] == 0xff && p[5] == 1)
            lint1_nmi++;
    }
    CHECK_EQ(irq0_to_gsi2, 1);
    CHECK_EQ(lint1_nmi, 1);
}

static void test_nmi(void)
{
    self_nmi();
    CHECK_EQ(count[2], 1);
    /* NMIs ignore IF */
    __asm__ volatile("cli");
    self_nmi();
    CHECK_EQ(count[2], 2);
    /* physical destination: this APIC's id */
    u32 apic_id = mmio_read32(LAPIC + 0x20) >> 24;
    icr_write(apic_id << 24, (4 << 8) | (1 << 14));
    CHECK_EQ(count[2], 3);
    /* an NMI sent inside the NMI handler waits for its IRET */
    nmi_nest_test = 1;
    self_nmi();
    CHECK_EQ(nmi_nest_test, 2);
    CHECK_EQ(nmi_seen_inside, 0);
    CHECK_EQ(count[2], 5);
}

int main(void)
{
    outb(0x21, 0xff);
    outb(0xa1, 0xff);
    idt_init();
    set_gate(2, irq2);
    set_gate(PIC_BASE, irq32);
    set_gate(PIC_BASE + 7, irq39);
    set_gate(0x40, irq64);
    set_gate(0x41, irq65);
    set_gate(0x42, irq66);
    test_pic();
    test_pit();
    test_ioapic();
    test_madt();
    test_nmi();
    puts("irq: ");
    put_dec(count[PIC_BASE]);
    puts(" 8259 ticks, ");
    put_dec(count[0x40]);
    puts(" IOAPIC ticks, ");
    put_dec(count[2]);
    puts(" NMIs\n");
    report_and_exit("irq");
}
