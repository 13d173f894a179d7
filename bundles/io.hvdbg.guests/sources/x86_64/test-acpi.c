/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 *
 * Platform test: finds the ACPI RSDP in the BIOS area as firmware-less guests do, checks the
 * checksums of RSDP, RSDT, XSDT, FADT and MADT, counts the MADT's local APICs against fw_cfg's
 * CPU count, reads the PM timer at the FADT's port, and checks the PCI host bridge, the IOAPIC
 * and the UART scratch register.
 */
#include "lib.h"

struct sdt {
    char sig[4];
    u32 length;
    u8 revision, checksum;
    char oem[6], oem_table[8];
    u32 oem_rev, creator, creator_rev;
} __attribute__((packed));

static int sum(const void *p, u32 n)
{
    const u8 *b = p;
    u8 s = 0;
    while (n--)
        s += *b++;
    return s;
}

static int sig(const void *p, const char *s)
{
    return memcmp(p, s, strlen(s)) == 0;
}

static struct sdt *find(struct sdt *rsdt, const char *s)
{
    u32 n = (rsdt->length - 36) / 4;
    u32 *e = (u32 *)(rsdt + 1);
    for (u32 i = 0; i < n; i++)
        if (sig((void *)(ulong)e[i], s))
            return (struct sdt *)(ulong)e[i];
    return 0;
}

int main(void)
{
    outb(0x21, 0xff);
    outb(0xa1, 0xff);
    u8 *rsdp = 0;
    for (ulong a = 0xe0000; a < 0x100000; a += 16)
        if (sig((void *)a, "RSD PTR ")) {
            rsdp = (u8 *)a;
            break;
        }
    CHECK(rsdp != 0);
    if (!rsdp)
        report_and_exit("platform");
    CHECK_EQ(sum(rsdp, 20), 0);
    struct sdt *rsdt = (struct sdt *)(ulong) * (u32 *)(rsdp + 16);
    CHECK(sig(rsdt, "RSDT"));
    CHECK_EQ(sum(rsdt, rsdt->length), 0);
    if (rsdp[15] >= 2) { /* ACPI 2.0 RSDP (SeaBIOS under QEMU gives 1.0) */
        CHECK_EQ(sum(rsdp, 36), 0);
        struct sdt *xsdt = (struct sdt *)(ulong) * (u64 *)(rsdp + 24);
        CHECK(sig(xsdt, "XSDT"));
        CHECK_EQ(sum(xsdt, xsdt->length), 0);
    }
    struct sdt *fadt = find(rsdt, "FACP");
    struct sdt *madt = find(rsdt, "APIC");
    CHECK(fadt && madt);
    if (!fadt || !madt)
        report_and_exit("platform");
    CHECK_EQ(sum(fadt, fadt->length), 0);
    CHECK_EQ(sum(madt, madt->length), 0);
    struct sdt *dsdt = (struct sdt *)(ulong) * (u32 *)((u8 *)fadt + 40);
    CHECK(sig(dsdt, "DSDT"));
    u16 pmtmr = (u16) * (u32 *)((u8 *)fadt + 76);
    CHECK_EQ(pmtmr, 0x608);
    u32 t0 = inl(pmtmr) & 0xffffff;
    for (volatile int i = 0; i < 20000; i++)
        ;
    u32 t1 = inl(pmtmr) & 0xffffff;
    CHECK(t1 != t0);

    int lapics = 0, ioapics = 0;
    u8 *p = (u8 *)madt + 44, *end = (u8 *)madt + madt->length;
    CHECK_EQ(*(u32 *)((u8 *)madt + 36), 0xfee00000);
    while (p < end && p[1]) {
        if (p[0] == 0 && (p[4] & 1))
            lapics++;
        if (p[0] == 1) {
            ioapics++;
            CHECK_EQ(*(u32 *)(p + 4), 0xfec00000);
        }
        p += p[1];
    }
    outw(0x510, 0x05);
    int cpus = inb(0x511);
    cpus |= inb(0x511) << 8;
    CHECK_EQ(lapics, cpus);
    CHECK_EQ(ioapics, 1);
    puts("acpi: ");
    put_dec(lapics);
    puts(" local APICs, PM timer at ");
    put_hex(pmtmr);
    puts("\n");

    /* fw_cfg RAM size, PCI host bridge class, UART scratch register */
    outw(0x510, 0x03);
    u64 ram = 0;
    for (int i = 0; i < 8; i++)
        ram |= (u64)inb(0x511) << (8 * i);
    CHECK(ram >= (16UL << 20));
    outl(0xcf8, 0x80000008);
    CHECK_EQ(inl(0xcfc) >> 16, 0x0600);
    outl(0xcf8, 0x8000f800); /* 00:1f.0: nothing there */
    CHECK_EQ(inl(0xcfc), 0xffffffff);
    outb(0x3ff, 0xa5);
    CHECK_EQ(inb(0x3ff), 0xa5);
    report_and_exit("platform");
}
