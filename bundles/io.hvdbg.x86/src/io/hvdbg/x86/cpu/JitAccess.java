/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.cpu;

/**
 * The block compiler's (io.hvdbg.x86.jit) read access to decoded instructions, the soft TLB
 * and the lazy flags, which stay package-private to the interpreter.
 */
public final class JitAccess {
    private JitAccess() {
    }

    public static final int ALU_RM_R = Op.ALU_RM_R, ALU_R_RM = Op.ALU_R_RM, ALU_RM_I = Op.ALU_RM_I,
            TEST_RM_R = Op.TEST_RM_R, TEST_RM_I = Op.TEST_RM_I, MOV_RM_R = Op.MOV_RM_R, MOV_R_RM = Op.MOV_R_RM,
            MOV_RM_I = Op.MOV_RM_I, MOV_R_I = Op.MOV_R_I, LEA = Op.LEA, MOVZX = Op.MOVZX, MOVSX = Op.MOVSX,
            MOVSXD = Op.MOVSXD, NOP = Op.NOP, INC = Op.INC, DEC = Op.DEC, NOT = Op.NOT, NEG = Op.NEG,
            IMUL_R_RM = Op.IMUL_R_RM, IMUL_R_RM_I = Op.IMUL_R_RM_I, SHIFT = Op.SHIFT, JCC = Op.JCC,
            JMP_REL = Op.JMP_REL, SETCC = Op.SETCC, CMOVCC = Op.CMOVCC, CBW = Op.CBW, CWD = Op.CWD,
            PUSH_R = Op.PUSH_R, POP_R = Op.POP_R, CALL_REL = Op.CALL_REL, RET = Op.RET;
    public static final int BASE_RIP = Insn.BASE_RIP, HIGH_BYTE = Insn.HIGH_BYTE;
    public static final int TLB_MASK = X86Tlb.MASK;

    // ---- decoded instructions (compile time) ----

    public static int op(Object d) { return ((Insn) d).op; }
    public static int sub(Object d) { return ((Insn) d).sub; }
    public static int size(Object d) { return ((Insn) d).size; }
    public static int asize(Object d) { return ((Insn) d).asize; }
    public static int len(Object d) { return ((Insn) d).len; }
    public static int mode(Object d) { return ((Insn) d).mode; }
    public static int reg(Object d) { return ((Insn) d).reg; }
    public static int rm(Object d) { return ((Insn) d).rm; }
    public static boolean mem(Object d) { return ((Insn) d).mem; }
    public static int base(Object d) { return ((Insn) d).base; }
    public static int index(Object d) { return ((Insn) d).index; }
    public static int scale(Object d) { return ((Insn) d).scale; }
    public static long disp(Object d) { return ((Insn) d).disp; }
    public static int seg(Object d) { return ((Insn) d).seg; }
    public static long imm(Object d) { return ((Insn) d).imm; }
    public static boolean plain(Object d) { return ((Insn) d).rep == 0 && !((Insn) d).lock; }
    public static boolean isInsn(Object d) { return d instanceof Insn; }

    // ---- soft TLB (the arrays are the vCPU's own; the JIT only reads them) ----

    public static long[] tlbReadTags(X86Vcpu v) { return v.tlb.readTag; }
    public static long[] tlbWriteTags(X86Vcpu v) { return v.tlb.writeTag; }
    public static byte[][] tlbData(X86Vcpu v) { return v.tlb.data; }
    public static int[] tlbOffsets(X86Vcpu v) { return v.tlb.offset; }
    public static int[] tlbSpaces(X86Vcpu v) { return v.tlb.space; }
    public static int tlbCurrentSpace(X86Vcpu v) { return v.tlb.currentPcid; }
    public static long tlbTag(long la, int user) { return X86Tlb.tag(la, user); }
    public static int userBit(X86Vcpu v) { return v.userBit(); }

    // ---- lazy flags: the operation, operands, result, size, carry-in and eager flags ----

    public static int ccOp(X86Vcpu v) { return v.ccOp; }
    public static long ccA(X86Vcpu v) { return v.ccA; }
    public static long ccB(X86Vcpu v) { return v.ccB; }
    public static long ccRes(X86Vcpu v) { return v.ccRes; }
    public static int ccSize(X86Vcpu v) { return v.ccSize; }
    public static int ccCarry(X86Vcpu v) { return v.ccCarry; }
    public static int ccEager(X86Vcpu v) { return v.ccEager; }

    public static void setLazyFlags(X86Vcpu v, int op, long a, long b, long res, int size, int carry, int eager) {
        v.ccOp = op;
        v.ccA = a;
        v.ccB = b;
        v.ccRes = res;
        v.ccSize = size;
        v.ccCarry = carry;
        v.ccEager = eager;
    }
}
