/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 *
 * Prints the CPUID the guest really gets (the host test compares every value with the
 * effective table of the CPU model and overrides it configured), then writes CR4.OSXSAVE and
 * prints leaf 1 again: KVM updates OSXSAVE at run time. Checks itself only what holds for every
 * model: the bit follows CR4 and CR4 bits of missing features are reserved (#GP).
 */
#include "idt64.h"

#define CR4_OSXSAVE (1UL << 18)
#define CR4_PCIDE (1UL << 17)

static const u32 leaves[][2] = {
    {0, 0}, {1, 0}, {6, 0}, {7, 0}, {7, 1}, {7, 2}, {0xd, 0}, {0xd, 1}, {0x40000000, 0}, {0x40000001, 0},
    {0x80000000, 0}, {0x80000001, 0}, {0x80000007, 0}, {0x80000008, 0},
};

static void print_leaf(const char *tag, u32 leaf, u32 sub)
{
    u32 r[4];
    cpuid2(leaf, sub, &r[0], &r[1], &r[2], &r[3]);
    puts(tag);
    put_hex(leaf);
    puts(".");
    put_dec(sub);
    for (int i = 0; i < 4; i++) {
        puts(" ");
        put_hex(r[i]);
    }
    puts("\n");
}

int main(void)
{
    outb(0x21, 0xff);
    outb(0xa1, 0xff);
    idt_init();
    ulong cr4 = read_cr4();
    puts("cr4 ");
    put_hex(cr4);
    puts("\n");
    for (unsigned i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++) {
        print_leaf("cpuid ", leaves[i][0], leaves[i][1]);
    }
    u32 a, b, c, d;
    cpuid2(1, 0, &a, &b, &c, &d);
    CHECK_EQ((c >> 27) & 1, (cr4 & CR4_OSXSAVE) != 0);
    if (c & (1 << 26)) {
        write_cr4(cr4 | CR4_OSXSAVE);
        cpuid2(1, 0, &a, &b, &c, &d);
        CHECK((c >> 27) & 1);
        print_leaf("after ", 1, 0);
        write_cr4(cr4);
        cpuid2(1, 0, &a, &b, &c, &d);
        CHECK_EQ((c >> 27) & 1, 0);
    } else {
        CHECK_EQ(TRY_CL("mov %0, %%cr4", INPUTS("r"(cr4 | CR4_OSXSAVE)), "rax"), 13);
        print_leaf("after ", 1, 0);
    }
    cpuid2(1, 0, &a, &b, &c, &d);
    if (!(c & (1 << 17))) {
        CHECK_EQ(TRY_CL("mov %0, %%cr4", INPUTS("r"(read_cr4() | CR4_PCIDE)), "rax"), 13);
    }
    report_and_exit("cpuid");
}
