/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
/* 64-bit IDT setup and exception catching for the long-mode guests. */
#ifndef HVDBG_X86_IDT64_H
#define HVDBG_X86_IDT64_H
#include "lib.h"

struct frame {
    u64 r15, r14, r13, r12, r11, r10, r9, r8, rdi, rsi, rbp, rbx, rdx, rcx, rax;
    u64 vector, error, rip, cs, rflags, rsp, ss;
};

void idt_init(void);
/* Handler for a vector (interrupts); exceptions without one are caught by catch_* below. */
void set_handler(int vector, void (*fn)(struct frame *));
/* Makes the gate of a vector switch to interrupt stack table entry IST (1-7, 0 = none). */
void set_ist(int vector, int ist);

/* Last exception caught by a guarded instruction. */
extern volatile int ex_vector;
extern volatile u64 ex_error;
extern volatile u64 ex_recover;
/* CS of the code that took the last caught exception (its privilege level in bits 1:0). */
extern volatile u64 ex_cs;
/* Where to resume after the exception following the next one (0: none). */
extern volatile u64 ex_recover_next;
/* Vectors of the caught exceptions, in order. */
extern volatile int ex_log[8];
extern volatile int ex_log_n;
extern volatile u64 ex_error_log[8];

/* Runs the instruction(s) in asm string INSN with the given inputs; on an exception resumes
 * after them. Returns the vector or -1. TRY_CL also names clobbered registers. */
#define TRY_PROLOGUE "lea 1f(%%rip), %%r11\n mov %%r11, ex_recover(%%rip)\n"
#define TRY_EPILOGUE "\n1:\n movq $0, ex_recover(%%rip)"
#define TRY_INSN(insn, ...) ({ ex_vector = -1; \
    __asm__ volatile(TRY_PROLOGUE insn TRY_EPILOGUE : : __VA_ARGS__ : "r11", "memory"); ex_vector; })
#define INPUTS(...) __VA_ARGS__
#define TRY_CL(insn, in, ...) ({ ex_vector = -1; \
    __asm__ volatile(TRY_PROLOGUE insn TRY_EPILOGUE : : in : "r11", "memory", __VA_ARGS__); ex_vector; })

#endif
