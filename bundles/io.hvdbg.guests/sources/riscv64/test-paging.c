/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 *
 * Self-checking test of VS-stage paging through the hypervisor's G-stage: Sv39, Sv48 and Sv57
 * tables, A/D updates, load/store page faults, sfence.vma, and Svvptc (a PTE that becomes
 * valid: visible at once with Svvptc, possibly stale without - the test prints which, and the
 * JUnit side checks it against the vCPU's configuration).
 */
#include "guest.h"

#define PTE_V 1UL
#define PTE_R 2UL
#define PTE_W 4UL
#define PTE_X 8UL
#define PTE_A 64UL
#define PTE_D 128UL
#define TEST_VA 0x1000000000UL
#define LAZY_VA 0x1000200000UL

static u64 pool[24][512] __attribute__((aligned(4096)));
static int used;
static u64 page_a[512] __attribute__((aligned(4096)));
static u64 page_b[512] __attribute__((aligned(4096)));
static volatile int faults;
static volatile u64 fault_cause, fault_addr;

static u64 *alloc_table(void)
{
    u64 *t = pool[used++];
    for (int i = 0; i < 512; i++)
        t[i] = 0;
    return t;
}

static u64 pte(u64 pa, u64 flags) { return ((pa >> 12) << 10) | flags; }

/* The PTE for va at leaf level `leaf` (0 = 4 KiB), creating tables down to it. */
static u64 *walk(u64 *root, int levels, u64 va, int leaf)
{
    u64 *t = root;
    for (int l = levels - 1; l > leaf; l--) {
        u64 *e = &t[(va >> (12 + 9 * l)) & 511];
        if (!(*e & PTE_V))
            *e = pte((u64)alloc_table(), PTE_V);
        t = (u64 *)((*e >> 10) << 12);
    }
    return &t[(va >> (12 + 9 * leaf)) & 511];
}

static int hook(struct frame *f, u64 scause, u64 stval)
{
    if (scause == 13 || scause == 15) {
        faults++;
        fault_cause = scause;
        fault_addr = stval;
        f->sepc += 4; /* the faulting accesses below are 4-byte instructions */
        return 1;
    }
    return 0;
}

static u64 load(u64 va)
{
    u64 v = 0xdead;
    __asm__ volatile(".option push\n.option norvc\nld %0, 0(%1)\n.option pop" : "+r"(v) : "r"(va) : "memory");
    return v;
}

static void store(u64 va, u64 v)
{
    __asm__ volatile(".option push\n.option norvc\nsd %0, 0(%1)\n.option pop" :: "r"(v), "r"(va) : "memory");
}

static void test_mode(int mode, const char *name)
{
    int levels = mode - 5;
    used = 0;
    u64 *root = alloc_table();
    /* identity 1 GiB pages: devices (0-1 GiB) and RAM (2-3 GiB) */
    *walk(root, levels, 0, 2) = pte(0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D);
    *walk(root, levels, 0x80000000UL, 2) = pte(0x80000000UL, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D);
    u64 *e = walk(root, levels, TEST_VA, 0);
    *e = pte((u64)page_a, PTE_V | PTE_R | PTE_W);
    page_a[0] = 0xaaaa;
    page_b[0] = 0xbbbb;
    csr_write(satp, ((u64)mode << 60) | ((u64)root >> 12));
    __asm__ volatile("sfence.vma" ::: "memory");
    puts("test-paging: ");
    puts(name);
    putc('\n');
    check(csr_read(satp) >> 60 == (u64)mode, "satp accepts the mode");
    check(load(TEST_VA) == 0xaaaa, "load through a 4 KiB page");
    check((*e & (PTE_A | PTE_D)) == PTE_A, "the load set A, not D");
    store(TEST_VA + 8, 0x1234);
    check(page_a[1] == 0x1234 && (*e & PTE_D), "the store went through and set D");
    *e = pte((u64)page_b, PTE_V | PTE_R | PTE_A);
    __asm__ volatile("sfence.vma %0, zero" :: "r"(TEST_VA) : "memory");
    check(load(TEST_VA) == 0xbbbb, "after sfence.vma the new mapping is used");
    faults = 0;
    store(TEST_VA, 1);
    check(faults == 1 && fault_cause == 15 && fault_addr == TEST_VA, "store to a read-only page: store page fault");
    faults = 0;
    load(TEST_VA + 0x1000);
    check(faults == 1 && fault_cause == 13 && fault_addr == TEST_VA + 0x1000, "load from an unmapped page: load page fault");
    csr_write(satp, 0);
    __asm__ volatile("sfence.vma" ::: "memory");
}

static void test_svvptc(void)
{
    used = 0;
    u64 *root = alloc_table();
    *walk(root, 3, 0, 2) = pte(0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D);
    *walk(root, 3, 0x80000000UL, 2) = pte(0x80000000UL, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D);
    u64 *e = walk(root, 3, LAZY_VA, 0);
    *e = 0;
    page_a[0] = 0x5a5a;
    csr_write(satp, (8UL << 60) | ((u64)root >> 12));
    __asm__ volatile("sfence.vma" ::: "memory");
    puts("test-paging: Svvptc\n");
    faults = 0;
    load(LAZY_VA);
    check(faults == 1, "an invalid PTE faults");
    *e = pte((u64)page_a, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D);
    __asm__ volatile("fence rw, rw" ::: "memory");
    faults = 0;
    u64 v = load(LAZY_VA);
    if (faults == 0 && v == 0x5a5a)
        puts("svvptc: new PTE visible without sfence.vma\n");
    else
        puts("svvptc: stale invalid translation until sfence.vma\n");
    __asm__ volatile("sfence.vma" ::: "memory");
    faults = 0;
    check(load(LAZY_VA) == 0x5a5a && faults == 0, "after sfence.vma the PTE is visible");
    csr_write(satp, 0);
}

int main(void)
{
    trap_hook = hook;
    test_mode(8, "Sv39");
    test_mode(9, "Sv48");
    test_mode(10, "Sv57");
    test_svvptc();
    return failures();
}
