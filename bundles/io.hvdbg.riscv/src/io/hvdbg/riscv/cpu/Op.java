/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv.cpu;

/**
 * Decoded instruction format and operation numbers. A decoded instruction is one {@code long}:
 *
 * <pre>
 *  bits  0-7   operation (this class)
 *  bits  8-13  rd (integer destinations: 0 is mapped to {@link #SINK}, so writes need no check)
 *  bits 14-18  rs1
 *  bits 19-23  rs2
 *  bit  24     1 = 4-byte instruction, 0 = 2-byte (compressed)
 *  bits 32-63  immediate (sign-extended), or the raw instruction bits for the
 *              operations helpers decode themselves (CSR, SYSTEM, AMO, FP …)
 * </pre>
 *
 * Value 0 ({@link #NOT_DECODED}) marks an empty decode-cache slot.
 */
public final class Op {
    private Op() {
    }

    /** Register index integer writes to x0 go to (the register file has 33 entries). */
    public static final int SINK = 32;

    public static final int NOT_DECODED = 0;
    public static final int ILLEGAL = 1;
    public static final int LUI = 2;
    public static final int AUIPC = 3;
    public static final int JAL = 4;
    public static final int JALR = 5;
    public static final int BEQ = 6;
    public static final int BNE = 7;
    public static final int BLT = 8;
    public static final int BGE = 9;
    public static final int BLTU = 10;
    public static final int BGEU = 11;
    public static final int LB = 12;
    public static final int LH = 13;
    public static final int LW = 14;
    public static final int LD = 15;
    public static final int LBU = 16;
    public static final int LHU = 17;
    public static final int LWU = 18;
    public static final int SB = 19;
    public static final int SH = 20;
    public static final int SW = 21;
    public static final int SD = 22;
    public static final int ADDI = 23;
    public static final int SLTI = 24;
    public static final int SLTIU = 25;
    public static final int XORI = 26;
    public static final int ORI = 27;
    public static final int ANDI = 28;
    public static final int SLLI = 29;
    public static final int SRLI = 30;
    public static final int SRAI = 31;
    public static final int ADD = 32;
    public static final int SUB = 33;
    public static final int SLL = 34;
    public static final int SLT = 35;
    public static final int SLTU = 36;
    public static final int XOR = 37;
    public static final int SRL = 38;
    public static final int SRA = 39;
    public static final int OR = 40;
    public static final int AND = 41;
    public static final int ADDIW = 42;
    public static final int SLLIW = 43;
    public static final int SRLIW = 44;
    public static final int SRAIW = 45;
    public static final int ADDW = 46;
    public static final int SUBW = 47;
    public static final int SLLW = 48;
    public static final int SRLW = 49;
    public static final int SRAW = 50;
    public static final int MUL = 51;
    public static final int MULH = 52;
    public static final int MULHSU = 53;
    public static final int MULHU = 54;
    public static final int DIV = 55;
    public static final int DIVU = 56;
    public static final int REM = 57;
    public static final int REMU = 58;
    public static final int MULW = 59;
    public static final int DIVW = 60;
    public static final int DIVUW = 61;
    public static final int REMW = 62;
    public static final int REMUW = 63;
    public static final int SH1ADD = 64;
    public static final int SH2ADD = 65;
    public static final int SH3ADD = 66;
    public static final int ADD_UW = 67;
    public static final int SH1ADD_UW = 68;
    public static final int SH2ADD_UW = 69;
    public static final int SH3ADD_UW = 70;
    public static final int SLLI_UW = 71;
    public static final int ANDN = 72;
    public static final int ORN = 73;
    public static final int XNOR = 74;
    public static final int CLZ = 75;
    public static final int CLZW = 76;
    public static final int CTZ = 77;
    public static final int CTZW = 78;
    public static final int CPOP = 79;
    public static final int CPOPW = 80;
    public static final int MAX = 81;
    public static final int MAXU = 82;
    public static final int MIN = 83;
    public static final int MINU = 84;
    public static final int SEXT_B = 85;
    public static final int SEXT_H = 86;
    public static final int ZEXT_H = 87;
    public static final int ROL = 88;
    public static final int ROLW = 89;
    public static final int ROR = 90;
    public static final int RORI = 91;
    public static final int RORIW = 92;
    public static final int RORW = 93;
    public static final int ORC_B = 94;
    public static final int REV8 = 95;
    public static final int BCLR = 96;
    public static final int BCLRI = 97;
    public static final int BEXT = 98;
    public static final int BEXTI = 99;
    public static final int BINV = 100;
    public static final int BINVI = 101;
    public static final int BSET = 102;
    public static final int BSETI = 103;
    /** fence / pause / other fence hints: no effect in a sequentially consistent core. */
    public static final int FENCE = 104;
    public static final int FENCE_I = 105;
    public static final int ECALL = 106;
    public static final int EBREAK = 107;
    public static final int SRET = 108;
    public static final int WFI = 109;
    public static final int SFENCE_VMA = 110;
    /** csrrw … csrrci; raw bits in the immediate. */
    public static final int CSR = 111;
    /** Instructions that raise a virtual-instruction exception when V=1 (hfence.*, hlv/hsv, hinval). */
    public static final int VIRTUAL = 112;
    public static final int LR_W = 113;
    public static final int LR_D = 114;
    public static final int SC_W = 115;
    public static final int SC_D = 116;
    /** Every other AMO (incl. Zabha and Zacas); raw bits in the immediate. */
    public static final int AMO = 117;
    public static final int FLW = 118;
    public static final int FLD = 119;
    public static final int FSW = 120;
    public static final int FSD = 121;
    /** OP-FP; raw bits in the immediate. */
    public static final int FP = 122;
    /** fmadd/fmsub/fnmsub/fnmadd; raw bits in the immediate. */
    public static final int FMA = 123;
    /** A jal or branch whose target is not 4-byte aligned while C is off; raw bits in the immediate. */
    public static final int JUMP_MISALIGNED = 124;
    /** jalr while C is off: checks the target alignment. */
    public static final int JALR_NOC = 125;

    /**
     * Superinstructions the interpreter forms when decoding (never the decoder): addi / add
     * whose next instruction, in the same page, is a conditional branch (the typical loop
     * tail). The decoded word is the addi / add's own; the branch is read from its own slot
     * and run only while that slot still holds a branch (see {@code Interpreter}).
     */
    public static final int ADDI_BRANCH = 126;
    public static final int ADD_BRANCH = 127;

    public static final int COUNT = 128;

    // ---- packing ----

    public static long pack(int op, int rd, int rs1, int rs2, boolean wide, long imm) {
        return (op & 0xFFL) | ((long) (rd & 0x3F) << 8) | ((long) (rs1 & 31) << 14) | ((long) (rs2 & 31) << 19)
                | (wide ? 1L << 24 : 0) | (imm << 32);
    }

    public static int op(long d) {
        return (int) d & 0xFF;
    }

    public static int rd(long d) {
        return (int) (d >>> 8) & 0x3F;
    }

    public static int rs1(long d) {
        return (int) (d >>> 14) & 31;
    }

    public static int rs2(long d) {
        return (int) (d >>> 19) & 31;
    }

    public static int length(long d) {
        return 2 + ((int) (d >>> 23) & 2);
    }

    public static long imm(long d) {
        return d >> 32;
    }

    /** Raw instruction bits of helper-decoded operations. */
    public static int raw(long d) {
        return (int) (d >>> 32);
    }
}
