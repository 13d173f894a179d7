/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 *
 * VS-mode and VU-mode: sret into user mode, ecall from VU (delegated to the guest, no exit),
 * a supervisor CSR from VU (virtual instruction -> illegal instruction in the guest), user
 * page permissions with and without sstatus.SUM, and no execution of user pages from VS.
 */
#include "guest.h"

#define PTE_V 1UL
#define PTE_R 2UL
#define PTE_W 4UL
#define PTE_X 8UL
#define PTE_U 16UL
#define PTE_A 64UL
#define PTE_D 128UL
#define USER_ALIAS(p) ((u64)(p) - 0x80000000UL + 0xC0000000UL)

static u64 root[512] __attribute__((aligned(4096)));
static volatile u64 syscalls, illegals, illegal_stval, page_faults, fault_cause;
static volatile u64 user_data = 0x7777;
u64 saved_sp, saved_ra;
extern char user_code[], user_return[];
void enter_user(u64 pc);

__asm__(
    ".text\n"
    ".globl enter_user\n"
    "enter_user:\n"
    "  la t0, saved_sp\n  sd sp, 0(t0)\n  la t0, saved_ra\n  sd ra, 0(t0)\n"
    "  csrw sepc, a0\n  li t0, 0x100\n  csrc sstatus, t0\n  sret\n"
    ".globl user_return\n"
    "user_return:\n"
    "  la t0, saved_sp\n  ld sp, 0(t0)\n  la t0, saved_ra\n  ld ra, 0(t0)\n  ret\n"
    ".globl user_code\n"
    ".align 2\n"
    "user_code:\n"
    "  li a7, 1\n  ecall\n"
    "  .option push\n  .option norvc\n  csrr t0, sstatus\n  .option pop\n"
    "  li a7, 2\n  ecall\n"
    "1: j 1b\n");

static int hook(struct frame *f, u64 scause, u64 stval)
{
    u64 a7 = f->x[16];
    if (scause == 8) {
        if (a7 == 1) {
            syscalls++;
            f->sepc += 4;
        } else {
            csr_set(sstatus, 0x100); /* SPP = S: back to the kernel */
            f->sepc = (u64)user_return;
        }
        return 1;
    }
    if (scause == 2) {
        illegals++;
        illegal_stval = stval;
        f->sepc += 4;
        return 1;
    }
    if (scause == 12 || scause == 13) {
        page_faults++;
        fault_cause = scause;
        f->sepc = scause == 12 ? f->x[0] : f->sepc + 4;
        return 1;
    }
    return 0;
}

static u64 load_norvc(u64 va)
{
    u64 v = 0;
    __asm__ volatile(".option push\n.option norvc\nld %0, 0(%1)\n.option pop" : "+r"(v) : "r"(va) : "memory");
    return v;
}

int main(void)
{
    trap_hook = hook;
    root[0] = ((0UL >> 12) << 10) | PTE_V | PTE_R | PTE_W | PTE_A | PTE_D;
    root[2] = ((0x80000000UL >> 12) << 10) | PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D;
    root[3] = ((0x80000000UL >> 12) << 10) | PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D;
    csr_write(satp, (8UL << 60) | ((u64)root >> 12));
    __asm__ volatile("sfence.vma" ::: "memory");
    puts("test-umode: VU-mode\n");
    enter_user(USER_ALIAS(user_code));
    check(syscalls == 1, "ecall from VU-mode reaches the guest kernel (scause 8)");
    check(illegals == 1 && illegal_stval == 0x100022f3, "csrr sstatus in VU-mode: illegal instruction in the guest");
    puts("test-umode: user pages from VS-mode\n");
    csr_clear(sstatus, 1 << 18);
    page_faults = 0;
    load_norvc(USER_ALIAS(&user_data));
    check(page_faults == 1 && fault_cause == 13, "without SUM a user page faults");
    csr_set(sstatus, 1 << 18);
    check(load_norvc(USER_ALIAS(&user_data)) == 0x7777, "with SUM a user page is readable");
    page_faults = 0;
    ((void (*)(void))USER_ALIAS(user_return))();
    check(page_faults == 1 && fault_cause == 12, "VS-mode never executes a user page");
    csr_clear(sstatus, 1 << 18);
    csr_write(satp, 0);
    return failures();
}
