/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 *
 * Compatibility mode round trip for the system test: far-return from 64-bit code into the
 * 32-bit code segment 0x18 (long mode stays active), run 32-bit instructions, far-jump back
 * to the 64-bit segment 0x08. Returns EAX computed in compatibility mode.
 */
    .text
    .code64
    .globl run_compat
run_compat:
    push %rbx
    mov %rsp, saved_rsp(%rip)
    pushq $0x18
    lea compat32(%rip), %rax
    pushq %rax
    lretq
    .code32
compat32:
    mov $0x7ffffffe, %eax
    add $1, %eax            /* 32-bit arithmetic */
    mov %eax, %ebx
    push %ebx               /* 32-bit stack operations */
    pop %ecx
    inc %ecx
    mov %ecx, %eax
    ljmp $0x08, $back64
    .code64
back64:
    mov saved_rsp(%rip), %rsp
    pop %rbx
    ret

    .data
    .align 8
saved_rsp: .quad 0
