/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 *
 * 64-bit interrupt entry stubs: push a uniform frame (vector, error code, GPRs) and call
 * trap(struct frame *); the handler may change the saved RIP to resume elsewhere.
 */
    .macro stub vec, err
    .globl isr\vec
isr\vec:
    .if \err == 0
    push $0
    .endif
    push $\vec
    jmp common
    .endm

    .text
    .code64
    stub 0, 0
    stub 1, 0
    stub 3, 0
    stub 4, 0
    stub 5, 0
    stub 6, 0
    stub 7, 0
    stub 8, 1
    stub 10, 1
    stub 11, 1
    stub 12, 1
    stub 13, 1
    stub 14, 1
    stub 17, 1
    stub 20, 0
    stub 32, 0
    stub 33, 0
    stub 128, 0

common:
    push %rax
    push %rcx
    push %rdx
    push %rbx
    push %rbp
    push %rsi
    push %rdi
    push %r8
    push %r9
    push %r10
    push %r11
    push %r12
    push %r13
    push %r14
    push %r15
    mov %rsp, %rdi
    cld
    call trap
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %r11
    pop %r10
    pop %r9
    pop %r8
    pop %rdi
    pop %rsi
    pop %rbp
    pop %rbx
    pop %rdx
    pop %rcx
    pop %rax
    add $16, %rsp
    iretq
