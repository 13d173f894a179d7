/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 *
 * A raw 64 KiB firmware image, as QEMU's -bios takes: the CPU starts in real mode at the reset
 * vector F000:FFF0 (linear 0xFFFFFFF0, the image's last 16 bytes), which jumps to the copy of
 * the image below 1 MiB. It checks the power-on state (real mode, EDX = CPU signature), enters
 * 32-bit protected mode, sees that the image at 4 GiB and its copy at 0xF0000 agree and that a
 * store to the ROM at 4 GiB is dropped, and ends through isa-debug-exit.
 * Linked at 0: labels are offsets in segment F000, i.e. linear 0xF0000 + label.
 */
    .set LOW, 0xf0000
    .set COM1, 0x3f8

    .code16
    .text
    .globl _start
_start:
    cli
    cld
    mov %edx, %ebp              /* the CPU signature of the reset */
    xor %ax, %ax
    mov %ax, %ss
    mov $0x7000, %sp
    mov $msg_real, %si
    call puts16
    mov %ebp, %eax
    and $0xf00, %eax            /* family */
    jz fail16
    mov %cr0, %eax
    test $1, %eax
    jnz fail16
    lgdtl %cs:gdt_desc
    mov %cr0, %eax
    or $1, %eax
    mov %eax, %cr0
    ljmpl $0x08, $(LOW + pm32)

fail16:
    mov $msg_fail, %si
    call puts16
    mov $0xf4, %dx
    mov $1, %eax
    out %eax, %dx
1:  hlt
    jmp 1b

puts16:
    mov %cs:(%si), %al
    inc %si
    test %al, %al
    jz 2f
    mov $COM1, %dx
    out %al, %dx
    jmp puts16
2:  ret

    .code32
pm32:
    mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    mov $0x7000, %esp
    mov $(LOW + msg_pm), %esi
    call puts32
    mov 0xfffffff0, %eax        /* the reset vector at 4 GiB ... */
    cmp 0xffff0, %eax           /* ... is the copy's below 1 MiB */
    jne fail32
    mov 0xffff0000, %ebx
    movl $0x12345678, 0xffff0000 /* ROM: the store is dropped */
    cmp 0xffff0000, %ebx
    jne fail32
    mov $(LOW + msg_pass), %esi
    call puts32
    mov $0xf4, %dx
    xor %eax, %eax
    out %eax, %dx
3:  hlt
    jmp 3b

fail32:
    mov $(LOW + msg_fail), %esi
    call puts32
    mov $0xf4, %dx
    mov $1, %eax
    out %eax, %dx
4:  hlt
    jmp 4b

puts32:
    mov (%esi), %al
    inc %esi
    test %al, %al
    jz 5f
    mov $COM1, %dx
    out %al, %dx
    jmp puts32
5:  ret

msg_real:   .asciz "raw: real mode at the reset vector\n"
msg_pm:     .asciz "raw: protected mode\n"
msg_pass:   .asciz "raw: PASS\n"
msg_fail:   .asciz "raw: FAIL\n"

    .balign 8
gdt:
    .quad 0
    .quad 0x00cf9b000000ffff    /* 0x08: flat 32-bit code */
    .quad 0x00cf93000000ffff    /* 0x10: flat data */
gdt_desc:
    .word gdt_desc - gdt - 1
    .long LOW + gdt

    .code16
    .org 0xfff0
reset_vector:
    ljmp $0xf000, $_start
    .org 0x10000
