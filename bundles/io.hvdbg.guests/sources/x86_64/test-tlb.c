/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 *
 * KVM CPUID and TLB semantics seen from the guest. CPUID: OSXSAVE follows CR4.OSXSAVE, CR4.PKE
 * is reserved without PKU, KVM's signature leaf. TLB: a translation is changed in the page
 * table without invalidation, so reading through the old one shows the entry still cached:
 * global pages survive CR3 writes and die on a CR4.PGE toggle; with CR4.PCIDE, MOV CR3 with
 * bit 63 (NOFLUSH) keeps a PCID's entries and without it drops them; INVPCID types 0-3 drop
 * exactly their scope. Prints how many times it toggled CR4.PGE (the host compares flush
 * requests per toggle under the AMD pre-6.14 and 6.14 behaviours).
 */
#include "idt64.h"

#define PTE_P 1UL
#define PTE_W 2UL
#define PTE_G 0x100UL
#define CR4_PGE (1UL << 7)
#define CR4_PCIDE (1UL << 17)
#define CR4_OSXSAVE (1UL << 18)
#define CR4_PKE (1UL << 22)
#define NOFLUSH (1UL << 63)
#define BASE 0x8000000000UL /* PML4 slot 1 */
#define SLOT 0x1A0UL        /* in the PT of PD slot 1: TLB index 0x3A0, away from the kernel's pages */

static u64 pdpt[512] __attribute__((aligned(4096)));
static u64 pd[512] __attribute__((aligned(4096)));
static u64 pt[512] __attribute__((aligned(4096)));
static u32 page_a[1024] __attribute__((aligned(4096)));
static u32 page_b[1024] __attribute__((aligned(4096)));
static int pge_toggles;

static volatile u32 *va(int k) { return (volatile u32 *)(BASE + (1UL << 21) + ((SLOT + k) << 12)); }
/* Changes the page table only: the TLB may keep the old translation. */
static void map(int k, u32 *page, u64 flags) { pt[SLOT + k] = (u64)page | flags; barrier(); }
static void toggle_pge(void)
{
    ulong cr4 = read_cr4();
    write_cr4(cr4 ^ CR4_PGE);
    write_cr4(cr4);
    pge_toggles += 2;
}

static void invpcid(u64 type, u64 pcid, u64 addr)
{
    u64 desc[2] = {pcid, addr};
    __asm__ volatile("invpcid %0, %1" : : "m"(desc), "r"(type) : "memory");
}

static void test_cpuid(void)
{
    u32 a, b, c, d;
    cpuid2(0x40000000, 0, &a, &b, &c, &d);
    CHECK_EQ(a, 0x40000001);
    CHECK_EQ(b, 0x4b4d564b); /* KVMK */
    CHECK_EQ(c, 0x564b4d56); /* VMKV */
    CHECK_EQ(d, 0x4d);       /* M\0\0\0 */
    ulong cr4 = read_cr4();
    cpuid2(1, 0, &a, &b, &c, &d);
    CHECK(c & (1 << 26));                                   /* xsave */
    CHECK_EQ((c >> 27) & 1, (cr4 & CR4_OSXSAVE) != 0);     /* osxsave = CR4.OSXSAVE */
    CHECK(d & (1 << 9));                                    /* apic: APIC enabled */
    CHECK(c & (1 << 17));                                   /* pcid */
    write_cr4(cr4 ^ CR4_OSXSAVE);
    cpuid2(1, 0, &a, &b, &c, &d);
    CHECK_EQ((c >> 27) & 1, (cr4 & CR4_OSXSAVE) == 0);     /* follows the write */
    write_cr4(cr4 | CR4_OSXSAVE);
    cpuid2(1, 0, &a, &b, &c, &d);
    CHECK((c >> 27) & 1);
    cpuid2(7, 0, &a, &b, &c, &d);
    CHECK_EQ(c & (1 << 3), 0);                              /* no pku ... */
    CHECK_EQ(c & (1 << 4), 0);                              /* ... so no ospke */
    CHECK(b & (1 << 10));                                   /* invpcid */
    CHECK_EQ(TRY_CL("mov %0, %%cr4", INPUTS("r"(read_cr4() | CR4_PKE)), "rax"), 13);
    cpuid2(7, 0, &a, &b, &c, &d);
    CHECK_EQ(c & (1 << 4), 0);
}

static void test_global(void)
{
    write_cr4(read_cr4() | CR4_PGE);
    map(0, page_a, PTE_P | PTE_W | PTE_G);
    map(1, page_a, PTE_P | PTE_W);
    CHECK_EQ(*va(0), 0xAAAA);
    CHECK_EQ(*va(1), 0xAAAA);
    map(0, page_b, PTE_P | PTE_W | PTE_G);
    map(1, page_b, PTE_P | PTE_W);
    CHECK_EQ(*va(0), 0xAAAA); /* still cached */
    write_cr3(read_cr3());
    CHECK_EQ(*va(0), 0xAAAA); /* global: survives the CR3 write */
    CHECK_EQ(*va(1), 0xBBBB); /* non-global: gone */
    toggle_pge();
    CHECK_EQ(*va(0), 0xBBBB); /* the CR4.PGE toggle flushed globals too */
    for (int i = 0; i < 3; i++) {
        map(0, page_a, PTE_P | PTE_W | PTE_G);
        CHECK_EQ(*va(0), 0xBBBB); /* still the entry filled after the last toggle */
        toggle_pge();
        CHECK_EQ(*va(0), 0xAAAA);
        map(0, page_b, PTE_P | PTE_W | PTE_G);
        toggle_pge();
        CHECK_EQ(*va(0), 0xBBBB);
    }
}

static void test_pcid(ulong root)
{
    CHECK_EQ(root & 0xfff, 0);
    write_cr4(read_cr4() | CR4_PCIDE);
    CHECK(read_cr4() & CR4_PCIDE);
    map(2, page_a, PTE_P | PTE_W);
    write_cr3(root | 1);
    CHECK_EQ(read_cr3(), root | 1);
    CHECK_EQ(*va(2), 0xAAAA);            /* cached under PCID 1 */
    map(2, page_b, PTE_P | PTE_W);
    write_cr3(root | 2 | NOFLUSH);
    CHECK_EQ(read_cr3(), root | 2);      /* bit 63 is not stored */
    write_cr3(root | 1 | NOFLUSH);
    CHECK_EQ(*va(2), 0xAAAA);            /* PCID 1's entry kept across the switches */
    write_cr3(root | 2);                 /* flushes PCID 2 only */
    write_cr3(root | 1 | NOFLUSH);
    CHECK_EQ(*va(2), 0xAAAA);
    write_cr3(root | 1);                 /* without NOFLUSH: PCID 1 flushed */
    CHECK_EQ(*va(2), 0xBBBB);

    /* entries are tagged: PCID 2 does not use PCID 1's stale translation */
    map(3, page_a, PTE_P | PTE_W);
    CHECK_EQ(*va(3), 0xAAAA);
    map(3, page_b, PTE_P | PTE_W);
    write_cr3(root | 2 | NOFLUSH);
    CHECK_EQ(*va(3), 0xBBBB);
    write_cr3(root | 1 | NOFLUSH);

    /* INVPCID type 0: one address of one PCID */
    map(4, page_a, PTE_P | PTE_W);
    CHECK_EQ(*va(4), 0xAAAA);
    map(4, page_b, PTE_P | PTE_W);
    invpcid(0, 2, (u64)va(4));
    CHECK_EQ(*va(4), 0xAAAA);
    invpcid(0, 1, (u64)va(4) + 8);
    CHECK_EQ(*va(4), 0xBBBB);
    /* type 1: one PCID */
    map(5, page_a, PTE_P | PTE_W);
    CHECK_EQ(*va(5), 0xAAAA);
    map(5, page_b, PTE_P | PTE_W);
    invpcid(1, 2, 0);
    CHECK_EQ(*va(5), 0xAAAA);
    invpcid(1, 1, 0);
    CHECK_EQ(*va(5), 0xBBBB);
    /* type 3: all but global, type 2: all */
    map(6, page_a, PTE_P | PTE_W | PTE_G);
    map(7, page_a, PTE_P | PTE_W);
    CHECK_EQ(*va(6), 0xAAAA);
    CHECK_EQ(*va(7), 0xAAAA);
    map(6, page_b, PTE_P | PTE_W | PTE_G);
    map(7, page_b, PTE_P | PTE_W);
    invpcid(3, 0, 0);
    CHECK_EQ(*va(6), 0xAAAA);
    CHECK_EQ(*va(7), 0xBBBB);
    invpcid(2, 0, 0);
    CHECK_EQ(*va(6), 0xBBBB);
    u64 desc[2] = {0, 0};
    CHECK_EQ(TRY_CL("invpcid %0, %1", INPUTS("m"(desc), "r"(4UL)), "rax"), 13); /* type 4 */
    desc[0] = 0x1000;                                                          /* reserved bits */
    CHECK_EQ(TRY_CL("invpcid %0, %1", INPUTS("m"(desc), "r"(1UL)), "rax"), 13);

    write_cr3(root);
    write_cr4(read_cr4() & ~CR4_PCIDE);
    CHECK_EQ(read_cr4() & CR4_PCIDE, 0);
    /* PCIDE 0->1 with CR3[11:0] != 0 is #GP */
    write_cr3(root | 0x8); /* PWT */
    CHECK_EQ(TRY_CL("mov %0, %%cr4", INPUTS("r"(read_cr4() | CR4_PCIDE)), "rax"), 13);
    write_cr3(root);
}

int main(void)
{
    outb(0x21, 0xff);
    outb(0xa1, 0xff);
    idt_init();
    for (int i = 0; i < 1024; i++) {
        page_a[i] = 0xAAAA;
        page_b[i] = 0xBBBB;
    }
    ulong root = read_cr3() & ~0xfffUL;
    u64 *pml4 = (u64 *)root;
    pml4[1] = (u64)pdpt | PTE_P | PTE_W;
    pdpt[0] = (u64)pd | PTE_P | PTE_W;
    pd[1] = (u64)pt | PTE_P | PTE_W;
    write_cr3(read_cr3());
    test_cpuid();
    test_global();
    test_pcid(root);
    puts("pge toggles ");
    put_dec(pge_toggles);
    puts("\n");
    report_and_exit("tlb");
}
