/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 *
 * Entry of the riscv64 test guests: a Linux Image header (so objcopy -O binary gives a file
 * that boots as an Image), per-hart stacks, a trap vector that saves every register and calls
 * trap_handler(struct frame *), then main(hartid, fdt). main's return value ends the run
 * through SBI SRST (0 = shutdown, else system failure).
 */
    .section .text.start, "ax"
    .globl _start
_start:
    .option push
    .option norvc
    j       real_start          /* code0 */
    .option pop
    .word   0                   /* code1 */
    .dword  0x200000            /* text_offset */
    .dword  _end - _start       /* image_size */
    .dword  0                   /* flags */
    .word   2                   /* version 0.2 */
    .word   0
    .dword  0
    .ascii  "RISCV\0\0\0"
    .ascii  "RSC\x05"
    .word   0

real_start:
    .option push
    .option norelax
    la      gp, __global_pointer$
    .option pop
    la      sp, stack_top
    slli    t0, a0, 14          /* 16 KiB per hart */
    sub     sp, sp, t0
    mv      tp, a0
    la      t0, trap_entry
    csrw    stvec, t0
    li      t0, 0x6000          /* sstatus.FS = dirty: FP on */
    csrs    sstatus, t0
    bnez    a0, secondary
    /* clear .bss on the boot hart */
    la      t0, __bss_start
    la      t1, _end
1:  bgeu    t0, t1, 2f
    sd      zero, 0(t0)
    addi    t0, t0, 8
    j       1b
2:  call    main
    call    guest_exit
3:  j       3b

secondary:
    call    secondary_main
    call    sbi_hart_stop
4:  j       4b

    .weak secondary_main
secondary_main:
    ret

    .align 2
    .globl trap_entry
trap_entry:
    addi    sp, sp, -272
    sd      x1, 8(sp)
    sd      x3, 24(sp)
    sd      x4, 32(sp)
    sd      x5, 40(sp)
    sd      x6, 48(sp)
    sd      x7, 56(sp)
    sd      x8, 64(sp)
    sd      x9, 72(sp)
    sd      x10, 80(sp)
    sd      x11, 88(sp)
    sd      x12, 96(sp)
    sd      x13, 104(sp)
    sd      x14, 112(sp)
    sd      x15, 120(sp)
    sd      x16, 128(sp)
    sd      x17, 136(sp)
    sd      x18, 144(sp)
    sd      x19, 152(sp)
    sd      x20, 160(sp)
    sd      x21, 168(sp)
    sd      x22, 176(sp)
    sd      x23, 184(sp)
    sd      x24, 192(sp)
    sd      x25, 200(sp)
    sd      x26, 208(sp)
    sd      x27, 216(sp)
    sd      x28, 224(sp)
    sd      x29, 232(sp)
    sd      x30, 240(sp)
    sd      x31, 248(sp)
    addi    t0, sp, 272
    sd      t0, 16(sp)
    csrr    t0, sepc
    sd      t0, 0(sp)
    mv      a0, sp
    call    trap_handler
    ld      t0, 0(sp)
    csrw    sepc, t0
    ld      x1, 8(sp)
    ld      x3, 24(sp)
    ld      x4, 32(sp)
    ld      x5, 40(sp)
    ld      x6, 48(sp)
    ld      x7, 56(sp)
    ld      x8, 64(sp)
    ld      x9, 72(sp)
    ld      x10, 80(sp)
    ld      x11, 88(sp)
    ld      x12, 96(sp)
    ld      x13, 104(sp)
    ld      x14, 112(sp)
    ld      x15, 120(sp)
    ld      x16, 128(sp)
    ld      x17, 136(sp)
    ld      x18, 144(sp)
    ld      x19, 152(sp)
    ld      x20, 160(sp)
    ld      x21, 168(sp)
    ld      x22, 176(sp)
    ld      x23, 184(sp)
    ld      x24, 192(sp)
    ld      x25, 200(sp)
    ld      x26, 208(sp)
    ld      x27, 216(sp)
    ld      x28, 224(sp)
    ld      x29, 232(sp)
    ld      x30, 240(sp)
    ld      x31, 248(sp)
    addi    sp, sp, 272
    sret

    .section .bss.stack, "aw", @nobits
    .align 12
    .space 16384 * 4
    .globl stack_top
stack_top:
