/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 *
 * 32-bit protected-mode paging: classic two-level tables with a 4 MiB PSE page, then PAE with a
 * 2 MiB page; each checks accessed/dirty bits, #PF with CR2 and error codes for not-present
 * and write-protected pages (CR0.WP), and under PAE the NX bit. Exceptions arrive through a
 * 32-bit IDT.
 */
#include "lib.h"

struct frame32 {
    u32 edi, esi, ebp, esp, ebx, edx, ecx, eax;
    u32 vector, error, eip, cs, eflags;
};

struct gate32 {
    u16 off0, sel;
    u8 zero, type;
    u16 off1;
} __attribute__((packed));

static struct gate32 idt[32] __attribute__((aligned(8)));
extern char isr32_6[], isr32_13[], isr32_14[];
static volatile u32 recover, last_vector, last_error;

void trap32(struct frame32 *f)
{
    if (!recover) {
        puts("unexpected exception ");
        put_dec(f->vector);
        puts(" at ");
        put_hex(f->eip);
        puts("\n");
        exit(3);
    }
    last_vector = f->vector;
    last_error = f->error;
    f->eip = recover;
    recover = 0;
}

static void set_gate(int v, void *fn)
{
    u32 a = (u32)(ulong)fn;
    idt[v].off0 = (u16)a;
    u16 cs;
    __asm__ volatile("mov %%cs, %0" : "=r"(cs));
    idt[v].sel = cs; /* whatever flat code segment the loader left us in */
    idt[v].zero = 0;
    idt[v].type = 0x8e;
    idt[v].off1 = (u16)(a >> 16);
}

/* Runs INSN; returns the vector of the exception it raised, or -1. */
#define TRY32(insn, ...) ({ last_vector = (u32)-1; \
    __asm__ volatile("movl $1f, recover\n" insn "\n1:\n movl $0, recover" : : __VA_ARGS__ : "memory"); (int)last_vector; })

#define VA 0x40000000UL

static u32 pd[1024] __attribute__((aligned(4096)));
static u32 pt[1024] __attribute__((aligned(4096)));
static u64 pdpt[4] __attribute__((aligned(32)));
static u64 pd_pae[512] __attribute__((aligned(4096)));
static u64 pd_pae_hi[512] __attribute__((aligned(4096)));
static u64 pt_pae[512] __attribute__((aligned(4096)));
static u8 page_a[4096] __attribute__((aligned(4096)));
static u8 page_b[4096] __attribute__((aligned(4096)));

static void paging_off(void)
{
    write_cr0(read_cr0() & ~0x80000000UL);
}

static void test_classic(void)
{
    pd[0] = 0x83;                           /* 4 MiB identity page: P, RW, PS */
    pd[VA >> 22] = (u32)(ulong)pt | 3;
    pt[0] = (u32)(ulong)page_a | 3;         /* RW */
    pt[1] = (u32)(ulong)page_b | 1;         /* read-only */
    pt[2] = 0;                              /* not present */
    write_cr4(read_cr4() | 0x10);           /* PSE */
    write_cr3((ulong)pd);
    write_cr0(read_cr0() | 0x80010000UL);   /* PG | WP */
    volatile u8 *va = (volatile u8 *)VA;
    page_a[0] = 7;
    barrier();
    CHECK_EQ(va[0], 7);
    CHECK(pt[0] & 0x20);
    CHECK(!(pt[0] & 0x40));
    va[1] = 9;
    CHECK(pt[0] & 0x40);
    CHECK_EQ(page_a[1], 9);
    CHECK(pd[0] & 0x20);
    CHECK_EQ(TRY32("movb $1, (%0)", "r"(va + 4096)), 14);
    CHECK_EQ(last_error, 3);
    CHECK_EQ(read_cr2(), VA + 4096);
    CHECK_EQ(TRY32("cmpb $0, (%0)", "r"(va + 2 * 4096 + 3)), 14);
    CHECK_EQ(last_error, 0);
    CHECK_EQ(read_cr2(), VA + 2 * 4096 + 3);
    pt[2] = (u32)(ulong)page_b | 3;
    invlpg(va + 2 * 4096);
    page_b[3] = 0x66;
    barrier();
    CHECK_EQ(pt[2] & ~0xfffu, (u32)(ulong)page_b);
    CHECK_EQ(va[2 * 4096 + 3], 0x66);
    paging_off();
}

static void test_pae(void)
{
    u32 a, b, c, d;
    cpuid2(0x80000001, 0, &a, &b, &c, &d);
    int nx = (d >> 20) & 1;
    pd_pae[0] = 0x83;                                   /* 2 MiB identity: kernel */
    pdpt[0] = (u64)(ulong)pd_pae | 1;
    pdpt[VA >> 30] = (u64)(ulong)pd_pae_hi | 1;
    pd_pae_hi[0] = (u64)(ulong)pt_pae | 3;
    pt_pae[0] = (u64)(ulong)page_a | 3;
    pt_pae[1] = (u64)(ulong)page_b | 1;
    pt_pae[2] = (u64)(ulong)page_b | 3 | (nx ? 1ULL << 63 : 0);
    page_b[0] = 0xc3;                                   /* ret */
    barrier();
    if (nx)
        wrmsr(0xc0000080, rdmsr(0xc0000080) | (1 << 11)); /* EFER.NXE */
    write_cr4(read_cr4() | 0x20);                       /* PAE */
    write_cr3((ulong)pdpt);
    write_cr0(read_cr0() | 0x80010000UL);
    volatile u8 *va = (volatile u8 *)VA;
    page_a[0] = 0x21;
    barrier();
    CHECK_EQ(va[0], 0x21);
    CHECK(pt_pae[0] & 0x20);
    va[5] = 1;
    CHECK(pt_pae[0] & 0x40);
    CHECK_EQ(TRY32("movb $1, (%0)", "r"(va + 4096)), 14);
    CHECK_EQ(last_error, 3);
    CHECK_EQ(read_cr2(), VA + 4096);
    if (nx) {
        CHECK_EQ(TRY32("call *%0", "r"(va + 2 * 4096)), 14);
        CHECK_EQ(last_error, 0x11);
        CHECK_EQ(read_cr2(), VA + 2 * 4096);
    }
    paging_off();
    write_cr4(read_cr4() & ~0x20UL);
}

int main(void)
{
    outb(0x21, 0xff);
    outb(0xa1, 0xff);
    set_gate(6, isr32_6);
    set_gate(13, isr32_13);
    set_gate(14, isr32_14);
    struct {
        u16 limit;
        u32 base;
    } __attribute__((packed)) d = {sizeof(idt) - 1, (u32)(ulong)idt};
    __asm__ volatile("lidt %0" : : "m"(d));
    CHECK_EQ(TRY32("ud2", "i"(0)), 6);
    test_classic();
    test_pae();
    report_and_exit("paging32");
}
