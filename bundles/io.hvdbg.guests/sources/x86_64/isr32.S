/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 *
 * 32-bit interrupt entry stubs: uniform frame (GPRs from PUSHA, vector, error code, EIP, CS,
 * EFLAGS) passed to trap32(struct frame32 *), which may change the saved EIP.
 */
    .macro stub vec, err
    .globl isr32_\vec
isr32_\vec:
    .if \err == 0
    push $0
    .endif
    push $\vec
    jmp common32
    .endm

    .text
    .code32
    stub 6, 0
    stub 13, 1
    stub 14, 1

common32:
    pusha
    push %esp
    cld
    call trap32
    add $4, %esp
    popa
    add $8, %esp
    iret
