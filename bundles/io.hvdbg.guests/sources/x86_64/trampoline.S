/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 *
 * Real-mode SIPI trampoline for the SMP test, copied to 0x8000 (SIPI vector 8): each
 * application processor starts here in real mode at 0800:0000, records its initial APIC id
 * (CPUID.1:EBX[31:24]) and counts itself in, then halts.
 */
    .text
    .code16
    .globl tramp_start, tramp_end, tramp_count, tramp_ids
tramp_start:
    cli
    mov %cs, %ax
    mov %ax, %ds
    mov $1, %eax
    cpuid
    shr $24, %ebx
    movb $1, tramp_ids - tramp_start(%bx)
    lock incw tramp_count - tramp_start
1:  hlt
    jmp 1b
    .align 2
tramp_count: .word 0
tramp_ids:   .space 16
tramp_end:
    .code64
