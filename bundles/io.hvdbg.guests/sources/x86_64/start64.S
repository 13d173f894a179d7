/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 *
 * Entry of ELF64 guests that the hypervisor starts directly in 64-bit long mode (no multiboot
 * header): paging is on with an identity map of the low 4 GiB, RBX points at boot information.
 */
    .section .bss
    .align 16
stack:  .space 16384
stack_top:

    .text
    .code64
    .globl _start
_start:
    mov $stack_top, %rsp
    mov %ebx, %edi
    call main
    mov %eax, %edi
    call exit
