/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 *
 * Ring-3 round trip for the system test: enter_user() IRETs to user mode; the user code reads
 * and writes a user page, makes a SYSCALL that SYSRETs back, reads a supervisor page (#PF from
 * CPL 3, taken on the TSS's RSP0 stack and resumed in user mode by the trap handler), and ends
 * tries port I/O (#GP), and ends with SYSCALL 2, which returns from enter_user().
 */
    .text
    .code64
    .globl enter_user
enter_user:                     /* rdi = user rip, rsi = user rsp, rdx/rcx = user rdi/rsi */
    push %rbx
    push %rbp
    push %r12
    push %r13
    push %r14
    push %r15
    mov %rsp, kernel_sp(%rip)
    pushq $0x33                 /* user SS */
    pushq %rsi                  /* user RSP */
    pushq $0x2                  /* RFLAGS: IF clear */
    pushq $0x3b                 /* user CS (64-bit, DPL 3) */
    pushq %rdi                  /* user RIP */
    mov %rdx, %rdi
    mov %rcx, %rsi
    iretq

    .globl syscall_entry
syscall_entry:                  /* rax = request; rcx = user rip, r11 = user rflags */
    cmp $2, %eax
    je 1f
    incl syscall_count(%rip)
    sysretq
1:  mov kernel_sp(%rip), %rsp
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %rbp
    pop %rbx
    ret

    .globl user_code
user_code:                      /* rdi = user-accessible byte, rsi = supervisor-only byte */
    movb (%rdi), %al
    movb %al, 1(%rdi)
    mov $1, %eax
    syscall
    .globl user_pf
user_pf:
    movb (%rsi), %al            /* #PF: U=1, P=1, read */
    .globl user_io
user_io:
    inb $0x80, %al              /* #GP: CPL 3 > IOPL and the TSS has no I/O bitmap */
    .globl user_after_pf
user_after_pf:
    mov $2, %eax
    syscall

    .data
    .align 8
kernel_sp: .quad 0
    .globl syscall_count
syscall_count: .long 0
