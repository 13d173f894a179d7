/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 *
 * The riscv64 demo guest: prints on the UART and makes each kind of exit a RISC-V hypervisor
 * sees - SBI calls, MMIO (UART, CLINT, an unassigned address), WFI woken by the SBI timer,
 * a self IPI - plus a VS-stage page fault the guest handles itself. Ends with SBI SRST.
 */
#include "guest.h"

static volatile int timer_fired, ipi_fired, page_faults;
static u64 root[512] __attribute__((aligned(4096)));
static u64 mid[512] __attribute__((aligned(4096)));
static u64 leaf[512] __attribute__((aligned(4096)));
static u64 data_page[512] __attribute__((aligned(4096)));

#define PTE_V 1
#define PTE_R 2
#define PTE_W 4
#define PTE_X 8
#define PTE_A 64
#define PTE_D 128
#define LAZY_VA 0x40000000UL

static u64 pte(u64 pa, u64 flags) { return ((pa >> 12) << 10) | flags; }

static int hook(struct frame *f, u64 scause, u64 stval)
{
    if (scause == ((1UL << 63) | 5)) {
        timer_fired++;
        sbi_set_timer(~0UL);
        return 1;
    }
    if (scause == ((1UL << 63) | 1)) {
        ipi_fired++;
        csr_clear(sip, 2);
        return 1;
    }
    if (scause == 13 && stval == LAZY_VA) {
        page_faults++;
        leaf[0] = pte((u64)data_page, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D);
        __asm__ volatile("sfence.vma" ::: "memory");
        return 1;
    }
    return 0;
}

int main(unsigned long hartid, unsigned long fdt)
{
    trap_hook = hook;
    puts("hvdbg riscv64 demo guest: hello from VS-mode\n");
    print("  hart id  ", hartid);
    print("  fdt at   ", fdt);

    struct sbiret r = sbi_call(SBI_EXT_BASE, 0, 0, 0, 0, 0);
    print("  SBI spec version ", r.value);
    r = sbi_call(SBI_EXT_BASE, 1, 0, 0, 0, 0);
    print("  SBI implementation id ", r.value);
    check(sbi_call(SBI_EXT_BASE, 3, SBI_EXT_TIME, 0, 0, 0).value == 1, "SBI probe finds TIME");
    check(sbi_call(0x12345678, 0, 0, 0, 0, 0).error == -2, "unknown SBI extension -> SBI_ERR_NOT_SUPPORTED");
    static const char msg[] = "  (this line went through SBI DBCN)\n";
    r = sbi_call(SBI_EXT_DBCN, 0, sizeof(msg) - 1, (long)msg, 0, 0);
    check(r.error == 0 && r.value == sizeof(msg) - 1, "SBI DBCN console_write");

    u64 mtime = *(volatile u64 *)0x0200bff8UL;
    print("  CLINT mtime (MMIO read) ", mtime);
    check((UART0[5] & 0x60) == 0x60, "UART LSR reports an empty transmitter (MMIO read)");
    u32 nothing = *(volatile u32 *)0x30000000UL;
    check(nothing == 0xffffffffU, "unassigned guest-physical address reads as all ones");

    csr_set(sie, 1 << 5);
    sbi_set_timer(rdtime() + 10000); /* 1 ms at 10 MHz */
    while (!timer_fired) {
        __asm__ volatile("wfi");
        csr_set(sstatus, 2);
        csr_clear(sstatus, 2);
    }
    check(timer_fired == 1, "WFI woken by the SBI timer interrupt");

    /* Sv39: identity gigapages for devices and RAM, one lazily mapped 4 KiB page. */
    root[0] = pte(0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D);
    root[1] = pte((u64)mid, PTE_V);
    root[2] = pte(0x80000000UL, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D);
    mid[0] = pte((u64)leaf, PTE_V);
    data_page[0] = 0xfeedfacecafef00dUL;
    csr_write(satp, (8UL << 60) | ((u64)root >> 12));
    __asm__ volatile("sfence.vma" ::: "memory");
    u64 v = *(volatile u64 *)LAZY_VA;
    check(page_faults == 1 && v == 0xfeedfacecafef00dUL, "page fault handled by the guest, then the load succeeds");

    csr_set(sie, 1 << 1);
    csr_set(sstatus, 2);
    sbi_call(SBI_EXT_IPI, 0, 1, 0, 0, 0);
    for (int i = 0; i < 1000 && !ipi_fired; i++)
        ;
    csr_clear(sstatus, 2);
    check(ipi_fired == 1, "self IPI through SBI delivered as a supervisor software interrupt");

    puts("demo done\n");
    return 0;
}
