# Copyright (c) 2026 hvdbg contributors
# SPDX-License-Identifier: EPL-2.0
#
# Guest for the gdb-multiarch tests on the RISC-V flavour of the test machine
# (io.hvdbg.rsp.testarch): only the RV64I instructions the test vCPU interprets, no compressed
# ones. Each round calls work(), which counts in `counter` with a frame like gcc's, then makes
# an SBI call (base extension 0x10). finish() shuts down through SBI SRST (reason 0: status 0).
        .option norvc
        .text
        .globl _start, loop, work, finish
        .type _start, @function
        .type loop, @function
        .type work, @function
        .type finish, @function
_start:
        addi    a0, zero, 0
loop:
        jal     ra, work
        addi    a7, zero, 0x10
        ecall
        jal     zero, loop
work:
        addi    sp, sp, -16
        sd      fp, 8(sp)
        addi    fp, sp, 16
        lui     t0, %hi(counter)
        addi    t0, t0, %lo(counter)
        ld      a0, 0(t0)
        addi    a0, a0, 1
        sd      a0, 0(t0)
        ld      fp, 8(sp)
        addi    sp, sp, 16
        jalr    zero, 0(ra)
finish:
        lui     a7, 0x53525
        addi    a7, a7, 0x354
        addi    a6, zero, 0
        addi    a0, zero, 0
        addi    a1, zero, 0
        ecall
        wfi

        .data
        .globl counter
        .type counter, @object
        .size counter, 8
        .balign 8
counter:
        .quad   0
