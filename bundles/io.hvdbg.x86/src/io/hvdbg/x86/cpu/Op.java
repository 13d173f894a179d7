/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.cpu;

/** Dense ids of decoded operations; the interpreter switches on them. */
final class Op {
    private Op() {
    }

    static final int UD = 0;
    static final int ALU_RM_R = 1, ALU_R_RM = 2, ALU_RM_I = 3, TEST_RM_R = 4, TEST_RM_I = 5;
    static final int MOV_RM_R = 6, MOV_R_RM = 7, MOV_RM_I = 8, MOV_R_I = 9, LEA = 10;
    static final int MOVZX = 11, MOVSX = 12, MOVSXD = 13, XCHG = 14, NOP = 15;
    static final int INC = 16, DEC = 17, NOT = 18, NEG = 19, MUL = 20, IMUL1 = 21, DIV = 22, IDIV = 23;
    static final int IMUL_R_RM = 24, IMUL_R_RM_I = 25, SHIFT = 26, SHLD = 27, SHRD = 28;
    static final int BT = 29, BT_I = 30, BSF = 31, BSR = 32, BSWAP = 33, POPCNT = 34;
    static final int PUSH_R = 35, POP_R = 36, PUSH_I = 37, PUSH_RM = 38, POP_RM = 39, PUSHF = 40, POPF = 41;
    static final int PUSH_SREG = 42, POP_SREG = 43, PUSHA = 44, POPA = 45, LEAVE = 46, ENTER = 47;
    static final int CALL_REL = 48, CALL_RM = 49, RET = 50, JMP_REL = 51, JMP_RM = 52, JCC = 53, JMPF = 54;
    static final int JMPF_M = 55, CALLF = 56, CALLF_M = 57, RETF = 58, LOOP = 59, JCXZ = 60;
    static final int SETCC = 61, CMOVCC = 62, CBW = 63, CWD = 64;
    static final int MOVS = 65, CMPS = 66, STOS = 67, LODS = 68, SCAS = 69, INS = 70, OUTS = 71;
    static final int IN = 72, OUT = 73, FLAGOP = 74, SAHF = 75, LAHF = 76;
    static final int INT3 = 77, INT = 78, INTO = 79, IRET = 80, HLT = 81, PAUSE = 82;
    static final int CPUID = 83, RDMSR = 84, WRMSR = 85, RDTSC = 86, RDTSCP = 87, MOV_R_CR = 88, MOV_CR_R = 89;
    static final int MOV_R_DR = 90, MOV_DR_R = 91, LGDT = 92, LIDT = 93, SGDT = 94, SIDT = 95, LMSW = 96, SMSW = 97;
    static final int INVLPG = 98, SWAPGS = 99, VMCALL = 100, XGETBV = 101, XSETBV = 102, LLDT = 103, LTR = 104;
    static final int SLDT = 105, STR = 106, CLTS = 107, WBINVD = 108, INVD = 109, SYSCALL = 110, SYSRET = 111;
    static final int CMPXCHG = 112, XADD = 113, CMPXCHG8B = 114, INVPCID = 115, MOV_RM_SREG = 116, MOV_SREG_RM = 117;
    static final int FXSAVE = 118, FXRSTOR = 119, LDMXCSR = 120, STMXCSR = 121, XSAVE = 122, XRSTOR = 123;
    static final int XLAT = 124, CLAC = 125, STAC = 126, RDPMC = 127, LSEG = 128, MONITOR = 129, MWAIT = 130;
    static final int FNINIT = 131, FNSTSW = 132, FNSTCW = 133, FLDCW = 134, RDRAND = 135;
    /** SSE data movement: sub = bytes moved (16, 8, 4); imm = 1 when the memory form must be 16-byte aligned. */
    static final int SSE_LOAD = 136, SSE_STORE = 137, SSE_TO_XMM = 138, SSE_FROM_XMM = 139, SSE_XOR = 140,
            MOVNTI = 141;
    /** TDCALL (66 0F 01 CC): a TD guest's call into the TDX module. */
    static final int TDCALL = 142;
    /** x87 escape D8-DF: sub = (escape - 0xD8) << 3 | ModRM reg. */
    static final int FPU = 143;
    /**
     * SSE/SSE2 arithmetic, logic, conversion, compare and integer ops: sub = opcode | prefix
     * class << 8 (0 none, 1 66, 2 F3, 3 F2) | ModRM reg << 12; size = GPR size; imm = imm8.
     */
    static final int SSE_OP = 144;

    /** Flag operations in {@link #FLAGOP}'s sub. */
    static final int F_CLC = 0, F_STC = 1, F_CMC = 2, F_CLD = 3, F_STD = 4, F_CLI = 5, F_STI = 6;
}
