/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 *
 * Multiboot (v1) entry for 32-bit protected-mode guests: flat segments, paging off; calls
 * main(multiboot_info) and exits with its result.
 */
#define MB_MAGIC 0x1BADB002
#define MB_FLAGS 0x00000003

    .section .multiboot, "a"
    .align 4
    .long MB_MAGIC
    .long MB_FLAGS
    .long -(MB_MAGIC + MB_FLAGS)

    .section .bss
    .align 16
stack:  .space 16384
stack_top:

    .text
    .code32
    .globl _start
_start:
    mov $stack_top, %esp
    push %ebx
    call main
    push %eax
    call exit
