# Copyright (c) 2026 hvdbg contributors
# SPDX-License-Identifier: EPL-2.0
#
# Guest for the gdb tests on the test machine (io.hvdbg.rsp.testarch): only the instructions
# the test vCPU interprets. Each round calls work(), which counts in `counter`, then takes a
# CPUID exit with the count as leaf. finish() ends the guest with status 7 (isa-debug-exit style).
        .text
        .globl _start, loop, work, finish
        .type _start, @function
        .type loop, @function
        .type work, @function
        .type finish, @function
_start:
        movq    $0, %rax
loop:
        call    work
        cpuid
        jmp     loop
work:
        push    %rbp
        mov     %rsp, %rbp
        movq    counter, %rax
        inc     %rax
        movq    %rax, counter
        pop     %rbp
        ret
finish:
        movq    $3, %rax
        out     %al, $0xf4
        hlt

        .data
        .globl counter
        .type counter, @object
        .size counter, 8
        .balign 8
counter:
        .quad   0
