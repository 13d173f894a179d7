/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 *
 * Multiboot (v1) entry in 32-bit protected mode that switches to 64-bit long mode itself, as
 * kvm-unit-tests' cstart64.S does: identity-maps 4 GiB with 2 MiB pages (under 5-level paging
 * when built with -DLA57), enables PAE, LME/NXE
 * and paging, far-jumps to 64-bit code and calls main(multiboot_info).
 */
#define MB_MAGIC 0x1BADB002
#define MB_FLAGS 0x00000003

    .section .multiboot, "a"
    .align 4
    .long MB_MAGIC
    .long MB_FLAGS
    .long -(MB_MAGIC + MB_FLAGS)

    .section .bss
    .align 4096
#ifdef LA57
pml5:   .space 4096
#endif
pml4:   .space 4096
pdpt:   .space 4096
pd:     .space 4096 * 4
    .align 16
stack:  .space 16384
stack_top:
mbinfo: .space 4

    .section .data
    .align 16
gdt:
    .quad 0
    .quad 0x00af9b000000ffff    /* 0x08: 64-bit code */
    .quad 0x00cf93000000ffff    /* 0x10: data */
    .quad 0x00cf9b000000ffff    /* 0x18: 32-bit code */
    .quad 0, 0                  /* 0x20: 64-bit TSS, filled by C */
gdt_end:
    .globl gdt_desc
gdt_desc:
    .word gdt_end - gdt - 1
    .quad gdt
    .globl gdt
    .globl tss_desc_slot
    .set tss_desc_slot, gdt + 0x20

    .text
    .code32
    .globl _start
_start:
    mov $stack_top, %esp
    mov %ebx, mbinfo
    /* PML4[0] -> PDPT, PDPT[0..3] -> PD0..3, each PD: 512 x 2 MiB identity pages */
    mov $pdpt, %eax
    or $3, %eax
    mov %eax, pml4
    xor %ecx, %ecx
1:  mov %ecx, %eax
    shl $12, %eax
    add $pd, %eax
    or $3, %eax
    mov %eax, pdpt(, %ecx, 8)
    inc %ecx
    cmp $4, %ecx
    jne 1b
    xor %ecx, %ecx
2:  mov %ecx, %eax
    shl $21, %eax
    or $0x83, %eax
    mov %eax, pd(, %ecx, 8)
    mov %ecx, %eax
    shr $11, %eax
    mov %eax, pd+4(, %ecx, 8)
    inc %ecx
    cmp $2048, %ecx
    jne 2b
#ifdef LA57
    /* 5-level paging: PML5[0] -> PML4; CR4.LA57 must be set before long mode is entered */
    mov $pml4, %eax
    or $3, %eax
    mov %eax, pml5
    mov $pml5, %eax
    mov %eax, %cr3
    mov %cr4, %eax
    or $0x1020, %eax            /* PAE | LA57 */
    mov %eax, %cr4
#else
    mov $pml4, %eax
    mov %eax, %cr3
    mov %cr4, %eax
    or $0x20, %eax              /* PAE */
    mov %eax, %cr4
#endif
    mov $0xc0000080, %ecx
    rdmsr
    or $0x900, %eax             /* LME | NXE */
    wrmsr
    mov %cr0, %eax
    or $0x80010000, %eax        /* PG | WP */
    mov %eax, %cr0
    lgdt gdt_desc
    ljmp $0x08, $start64

    .code64
start64:
    mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    mov %ax, %fs
    mov %ax, %gs
    mov $stack_top, %rsp
    mov mbinfo(%rip), %edi
    call main
    mov %eax, %edi
    call exit
