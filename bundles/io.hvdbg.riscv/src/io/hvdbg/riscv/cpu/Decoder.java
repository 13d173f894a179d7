/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv.cpu;

import static io.hvdbg.riscv.cpu.Op.*;

/**
 * Decodes RV64 instructions (32-bit and compressed) into the packed {@link Op} format, once per
 * instruction address (the result lives in the decode cache). Decoding is specialised to one
 * ISA configuration: an instruction of a disabled extension decodes as {@link Op#ILLEGAL}, so
 * the interpreter never checks extensions on its hot path.
 */
public final class Decoder {
    private final long isa;
    private final boolean c;

    public Decoder(long isaMask) {
        this.isa = isaMask;
        this.c = (isaMask & IsaExtension.C.bit()) != 0;
    }

    private boolean has(IsaExtension e) {
        return (isa & e.bit()) != 0;
    }

    /** Length in bytes of the instruction whose low half-word is {@code lo}. */
    public static int length(int lo) {
        return (lo & 3) == 3 ? 4 : 2;
    }

    private static long illegal(int insn, boolean wide) {
        return pack(ILLEGAL, 0, 0, 0, wide, insn & (wide ? 0xFFFF_FFFFL : 0xFFFFL));
    }

    private static int intRd(int rd) {
        return rd == 0 ? SINK : rd;
    }

    private static long r(int op, int insn) {
        return pack(op, intRd((insn >>> 7) & 31), (insn >>> 15) & 31, (insn >>> 20) & 31, true, 0);
    }

    private static long i(int op, int insn, long imm) {
        return pack(op, intRd((insn >>> 7) & 31), (insn >>> 15) & 31, 0, true, imm);
    }

    private static long raw(int op, int insn) {
        return pack(op, intRd((insn >>> 7) & 31), (insn >>> 15) & 31, (insn >>> 20) & 31, true, insn & 0xFFFF_FFFFL);
    }

    /** Decodes one instruction; {@code insn} holds 32 bits, or 16 for a compressed one. */
    public long decode(int insn) {
        return (insn & 3) == 3 ? decode32(insn) : decode16(insn & 0xFFFF);
    }

    public long decode32(int insn) {
        int opcode = insn & 0x7F;
        int rd = (insn >>> 7) & 31;
        int f3 = (insn >>> 12) & 7;
        int rs1 = (insn >>> 15) & 31;
        int rs2 = (insn >>> 20) & 31;
        int f7 = insn >>> 25;
        long iImm = insn >> 20;
        switch (opcode) {
            case 0x37:
                return pack(LUI, intRd(rd), 0, 0, true, insn & 0xFFFFF000);
            case 0x17:
                return pack(AUIPC, intRd(rd), 0, 0, true, insn & 0xFFFFF000);
            case 0x6F: {
                long imm = ((insn >> 11) & 0xFFF00000L | (insn & 0xFF000) | ((insn >>> 9) & 0x800) | ((insn >>> 20) & 0x7FE));
                imm = (imm << 43) >> 43;
                if (!c && (imm & 2) != 0) {
                    return raw(JUMP_MISALIGNED, insn);
                }
                return pack(JAL, intRd(rd), 0, 0, true, imm);
            }
            case 0x67:
                if (f3 != 0) {
                    return illegal(insn, true);
                }
                return i(c ? JALR : JALR_NOC, insn, iImm);
            case 0x63: {
                long imm = ((insn >> 19) & ~0xFFFL) | ((insn << 4) & 0x800) | ((insn >>> 20) & 0x7E0) | ((insn >>> 7) & 0x1E);
                int op = switch (f3) {
                    case 0 -> BEQ;
                    case 1 -> BNE;
                    case 4 -> BLT;
                    case 5 -> BGE;
                    case 6 -> BLTU;
                    case 7 -> BGEU;
                    default -> -1;
                };
                if (op < 0) {
                    return illegal(insn, true);
                }
                if (!c && (imm & 2) != 0) {
                    return raw(JUMP_MISALIGNED, insn);
                }
                return pack(op, 0, rs1, rs2, true, imm);
            }
            case 0x03: {
                int op = switch (f3) {
                    case 0 -> LB;
                    case 1 -> LH;
                    case 2 -> LW;
                    case 3 -> LD;
                    case 4 -> LBU;
                    case 5 -> LHU;
                    case 6 -> LWU;
                    default -> -1;
                };
                return op < 0 ? illegal(insn, true) : i(op, insn, iImm);
            }
            case 0x23: {
                long imm = ((insn >> 20) & ~31L) | ((insn >>> 7) & 31);
                if (f3 > 3) {
                    return illegal(insn, true);
                }
                return pack(SB + f3, 0, rs1, rs2, true, imm);
            }
            case 0x13:
                return opImm(insn, f3, iImm);
            case 0x1B:
                return opImm32(insn, f3, iImm);
            case 0x33:
                return op(insn, f3, f7, rs2);
            case 0x3B:
                return op32(insn, f3, f7, rs2);
            case 0x0F:
                if (f3 == 0) {
                    return pack(FENCE, 0, 0, 0, true, 0);
                }
                if (f3 == 1 && has(IsaExtension.ZIFENCEI)) {
                    return pack(FENCE_I, 0, 0, 0, true, 0);
                }
                return illegal(insn, true);
            case 0x73:
                return system(insn, f3, f7, rd, rs1);
            case 0x2F:
                return amo(insn, f3);
            case 0x07:
                if (f3 == 2 && has(IsaExtension.F)) {
                    return pack(FLW, rd, rs1, 0, true, iImm);
                }
                if (f3 == 3 && has(IsaExtension.D)) {
                    return pack(FLD, rd, rs1, 0, true, iImm);
                }
                return illegal(insn, true);
            case 0x27: {
                long imm = ((insn >> 20) & ~31L) | ((insn >>> 7) & 31);
                if (f3 == 2 && has(IsaExtension.F)) {
                    return pack(FSW, 0, rs1, rs2, true, imm);
                }
                if (f3 == 3 && has(IsaExtension.D)) {
                    return pack(FSD, 0, rs1, rs2, true, imm);
                }
                return illegal(insn, true);
            }
            case 0x53: {
                int fmt = f7 & 3;
                boolean needsD = fmt == 1 || (f7 == 0x20 && rs2 == 1);
                if (!has(IsaExtension.F) || fmt > 1 || (needsD && !has(IsaExtension.D))) {
                    return illegal(insn, true);
                }
                return raw(FP, insn);
            }
            case 0x43, 0x47, 0x4B, 0x4F: {
                int fmt = f7 & 3;
                if (!has(IsaExtension.F) || fmt > 1 || (fmt == 1 && !has(IsaExtension.D))) {
                    return illegal(insn, true);
                }
                return raw(FMA, insn);
            }
            default:
                return illegal(insn, true);
        }
    }

    private long opImm(int insn, int f3, long iImm) {
        int f6 = insn >>> 26;
        int rs2 = (insn >>> 20) & 31;
        long shamt = (insn >>> 20) & 63;
        switch (f3) {
            case 0: return i(ADDI, insn, iImm);
            case 2: return i(SLTI, insn, iImm);
            case 3: return i(SLTIU, insn, iImm);
            case 4: return i(XORI, insn, iImm);
            case 6: return i(ORI, insn, iImm);
            case 7: return i(ANDI, insn, iImm);
            case 1:
                if (f6 == 0) {
                    return i(SLLI, insn, shamt);
                }
                if ((insn >>> 25) == 0x30 && has(IsaExtension.ZBB)) {
                    switch (rs2) {
                        case 0: return i(CLZ, insn, 0);
                        case 1: return i(CTZ, insn, 0);
                        case 2: return i(CPOP, insn, 0);
                        case 4: return i(SEXT_B, insn, 0);
                        case 5: return i(SEXT_H, insn, 0);
                        default: return illegal(insn, true);
                    }
                }
                if (has(IsaExtension.ZBS)) {
                    if (f6 == 0x0A) {
                        return i(BSETI, insn, shamt);
                    }
                    if (f6 == 0x12) {
                        return i(BCLRI, insn, shamt);
                    }
                    if (f6 == 0x1A) {
                        return i(BINVI, insn, shamt);
                    }
                }
                return illegal(insn, true);
            case 5:
                if (f6 == 0) {
                    return i(SRLI, insn, shamt);
                }
                if (f6 == 0x10) {
                    return i(SRAI, insn, shamt);
                }
                if (has(IsaExtension.ZBB)) {
                    if (f6 == 0x18) {
                        return i(RORI, insn, shamt);
                    }
                    int imm12 = (insn >>> 20) & 0xFFF;
                    if (imm12 == 0x287) {
                        return i(ORC_B, insn, 0);
                    }
                    if (imm12 == 0x6B8) {
                        return i(REV8, insn, 0);
                    }
                }
                if (f6 == 0x12 && has(IsaExtension.ZBS)) {
                    return i(BEXTI, insn, shamt);
                }
                return illegal(insn, true);
            default:
                return illegal(insn, true);
        }
    }

    private long opImm32(int insn, int f3, long iImm) {
        int f7 = insn >>> 25;
        int rs2 = (insn >>> 20) & 31;
        long shamt5 = rs2;
        switch (f3) {
            case 0: return i(ADDIW, insn, iImm);
            case 1:
                if (f7 == 0) {
                    return i(SLLIW, insn, shamt5);
                }
                if (f7 == 0x30 && has(IsaExtension.ZBB)) {
                    switch (rs2) {
                        case 0: return i(CLZW, insn, 0);
                        case 1: return i(CTZW, insn, 0);
                        case 2: return i(CPOPW, insn, 0);
                        default: return illegal(insn, true);
                    }
                }
                if ((insn >>> 26) == 0x02 && has(IsaExtension.ZBA)) {
                    return i(SLLI_UW, insn, (insn >>> 20) & 63);
                }
                return illegal(insn, true);
            case 5:
                if (f7 == 0) {
                    return i(SRLIW, insn, shamt5);
                }
                if (f7 == 0x20) {
                    return i(SRAIW, insn, shamt5);
                }
                if (f7 == 0x30 && has(IsaExtension.ZBB)) {
                    return i(RORIW, insn, shamt5);
                }
                return illegal(insn, true);
            default:
                return illegal(insn, true);
        }
    }

    private long op(int insn, int f3, int f7, int rs2) {
        int op = -1;
        switch (f7) {
            case 0x00 -> op = switch (f3) {
                case 0 -> ADD; case 1 -> SLL; case 2 -> SLT; case 3 -> SLTU;
                case 4 -> XOR; case 5 -> SRL; case 6 -> OR; default -> AND;
            };
            case 0x20 -> op = switch (f3) {
                case 0 -> SUB; case 5 -> SRA;
                case 7 -> has(IsaExtension.ZBB) ? ANDN : -1;
                case 6 -> has(IsaExtension.ZBB) ? ORN : -1;
                case 4 -> has(IsaExtension.ZBB) ? XNOR : -1;
                default -> -1;
            };
            case 0x01 -> op = has(IsaExtension.M) ? MUL + f3 : -1;
            case 0x10 -> op = !has(IsaExtension.ZBA) ? -1 : switch (f3) {
                case 2 -> SH1ADD; case 4 -> SH2ADD; case 6 -> SH3ADD; default -> -1;
            };
            case 0x05 -> op = !has(IsaExtension.ZBB) ? -1 : switch (f3) {
                case 4 -> MIN; case 5 -> MINU; case 6 -> MAX; case 7 -> MAXU; default -> -1;
            };
            case 0x30 -> op = !has(IsaExtension.ZBB) ? -1 : switch (f3) {
                case 1 -> ROL; case 5 -> ROR; default -> -1;
            };
            case 0x24 -> op = !has(IsaExtension.ZBS) ? -1 : switch (f3) {
                case 1 -> BCLR; case 5 -> BEXT; default -> -1;
            };
            case 0x34 -> op = has(IsaExtension.ZBS) && f3 == 1 ? BINV : -1;
            case 0x14 -> op = has(IsaExtension.ZBS) && f3 == 1 ? BSET : -1;
            default -> op = -1;
        }
        return op < 0 ? illegal(insn, true) : r(op, insn);
    }

    private long op32(int insn, int f3, int f7, int rs2) {
        int op = -1;
        switch (f7) {
            case 0x00 -> op = switch (f3) {
                case 0 -> ADDW; case 1 -> SLLW; case 5 -> SRLW; default -> -1;
            };
            case 0x20 -> op = switch (f3) {
                case 0 -> SUBW; case 5 -> SRAW; default -> -1;
            };
            case 0x01 -> op = !has(IsaExtension.M) ? -1 : switch (f3) {
                case 0 -> MULW; case 4 -> DIVW; case 5 -> DIVUW; case 6 -> REMW; case 7 -> REMUW; default -> -1;
            };
            case 0x04 -> {
                if (f3 == 0 && has(IsaExtension.ZBA)) {
                    op = ADD_UW;
                } else if (f3 == 4 && rs2 == 0 && has(IsaExtension.ZBB)) {
                    op = ZEXT_H;
                }
            }
            case 0x10 -> op = !has(IsaExtension.ZBA) ? -1 : switch (f3) {
                case 2 -> SH1ADD_UW; case 4 -> SH2ADD_UW; case 6 -> SH3ADD_UW; default -> -1;
            };
            case 0x30 -> op = !has(IsaExtension.ZBB) ? -1 : switch (f3) {
                case 1 -> ROLW; case 5 -> RORW; default -> -1;
            };
            default -> op = -1;
        }
        return op < 0 ? illegal(insn, true) : r(op, insn);
    }

    private long system(int insn, int f3, int f7, int rd, int rs1) {
        if (f3 == 0) {
            if (insn == 0x00000073) {
                return raw(ECALL, insn);
            }
            if (insn == 0x00100073) {
                return raw(EBREAK, insn);
            }
            if (insn == 0x10200073) {
                return raw(SRET, insn);
            }
            if (insn == 0x10500073) {
                return raw(WFI, insn);
            }
            if (f7 == 0x09 && rd == 0) {
                return raw(SFENCE_VMA, insn);
            }
            if ((f7 == 0x11 || f7 == 0x31) && rd == 0) {
                return raw(VIRTUAL, insn); // hfence.vvma / hfence.gvma
            }
            return illegal(insn, true);
        }
        if (f3 == 4) {
            // hlv.*, hlvx.*, hsv.*: legal in HS-mode, so virtual-instruction when V=1.
            if (f7 >= 0x30 && f7 <= 0x37) {
                return raw(VIRTUAL, insn);
            }
            return illegal(insn, true);
        }
        if (!has(IsaExtension.ZICSR)) {
            return illegal(insn, true);
        }
        return raw(CSR, insn);
    }

    private long amo(int insn, int f3) {
        int f5 = insn >>> 27;
        int rd = (insn >>> 7) & 31;
        int rs2 = (insn >>> 20) & 31;
        if (!has(IsaExtension.A)) {
            return illegal(insn, true);
        }
        boolean cas = f5 == 0x05;
        switch (f3) {
            case 2, 3 -> {
                if (f5 == 0x02) {
                    return rs2 == 0 ? r(f3 == 2 ? LR_W : LR_D, insn) : illegal(insn, true);
                }
                if (f5 == 0x03) {
                    return r(f3 == 2 ? SC_W : SC_D, insn);
                }
                if (cas) {
                    return has(IsaExtension.ZACAS) ? raw(AMO, insn) : illegal(insn, true);
                }
            }
            case 0, 1 -> {
                if (!has(IsaExtension.ZABHA) || f5 == 0x02 || f5 == 0x03) {
                    return illegal(insn, true);
                }
                if (cas) {
                    return has(IsaExtension.ZACAS) ? raw(AMO, insn) : illegal(insn, true);
                }
            }
            case 4 -> {
                // amocas.q: rd and rs2 name even/odd register pairs.
                if (cas && has(IsaExtension.ZACAS) && (rd & 1) == 0 && (rs2 & 1) == 0) {
                    return raw(AMO, insn);
                }
                return illegal(insn, true);
            }
            default -> {
                return illegal(insn, true);
            }
        }
        return switch (f5) {
            case 0x00, 0x01, 0x04, 0x08, 0x0C, 0x10, 0x14, 0x18, 0x1C -> raw(AMO, insn);
            default -> illegal(insn, true);
        };
    }

    // ---- compressed ----

    public long decode16(int h) {
        if (!c || h == 0) {
            return illegal(h, false);
        }
        int q = h & 3;
        int f3 = (h >>> 13) & 7;
        int rdp = 8 + ((h >>> 2) & 7);
        int rs1p = 8 + ((h >>> 7) & 7);
        int rd = (h >>> 7) & 31;
        int rs2 = (h >>> 2) & 31;
        long imm6 = (((h >>> 7) & 0x20) | ((h >>> 2) & 0x1F));
        imm6 = (imm6 << 58) >> 58;
        switch (q) {
            case 0 -> {
                switch (f3) {
                    case 0: {
                        long imm = ((h >>> 7) & 0x30) | ((h >>> 1) & 0x3C0) | ((h >>> 4) & 4) | ((h >>> 2) & 8);
                        return imm == 0 ? illegal(h, false) : pack(ADDI, rdp, 2, 0, false, imm);
                    }
                    case 1:
                        return has(IsaExtension.D) ? pack(FLD, rdp, rs1p, 0, false, ldImm(h)) : illegal(h, false);
                    case 2:
                        return pack(LW, rdp, rs1p, 0, false, lwImm(h));
                    case 3:
                        return pack(LD, rdp, rs1p, 0, false, ldImm(h));
                    case 5:
                        return has(IsaExtension.D) ? pack(FSD, 0, rs1p, rdp, false, ldImm(h)) : illegal(h, false);
                    case 6:
                        return pack(SW, 0, rs1p, rdp, false, lwImm(h));
                    case 7:
                        return pack(SD, 0, rs1p, rdp, false, ldImm(h));
                    default:
                        return illegal(h, false);
                }
            }
            case 1 -> {
                switch (f3) {
                    case 0:
                        return pack(ADDI, intRd(rd), rd, 0, false, imm6);
                    case 1:
                        return rd == 0 ? illegal(h, false) : pack(ADDIW, rd, rd, 0, false, imm6);
                    case 2:
                        return pack(ADDI, intRd(rd), 0, 0, false, imm6);
                    case 3: {
                        if (rd == 2) {
                            long imm = ((h >>> 3) & 0x200) | ((h >>> 2) & 0x10) | ((h << 1) & 0x40) | ((h << 4) & 0x180)
                                    | ((h << 3) & 0x20);
                            imm = (imm << 54) >> 54;
                            return imm == 0 ? illegal(h, false) : pack(ADDI, 2, 2, 0, false, imm);
                        }
                        if (imm6 == 0) {
                            return illegal(h, false);
                        }
                        return pack(LUI, intRd(rd), 0, 0, false, imm6 << 12);
                    }
                    case 4: {
                        int f2 = (h >>> 10) & 3;
                        long shamt = ((h >>> 7) & 0x20) | ((h >>> 2) & 0x1F);
                        switch (f2) {
                            case 0: return pack(SRLI, rs1p, rs1p, 0, false, shamt);
                            case 1: return pack(SRAI, rs1p, rs1p, 0, false, shamt);
                            case 2: return pack(ANDI, rs1p, rs1p, 0, false, imm6);
                            default: {
                                int sub = (h >>> 5) & 3;
                                if ((h & 0x1000) == 0) {
                                    int op = switch (sub) { case 0 -> SUB; case 1 -> XOR; case 2 -> OR; default -> AND; };
                                    return pack(op, rs1p, rs1p, rdp, false, 0);
                                }
                                if (sub == 0) {
                                    return pack(SUBW, rs1p, rs1p, rdp, false, 0);
                                }
                                if (sub == 1) {
                                    return pack(ADDW, rs1p, rs1p, rdp, false, 0);
                                }
                                return illegal(h, false);
                            }
                        }
                    }
                    case 5:
                        return pack(JAL, SINK, 0, 0, false, cjImm(h));
                    case 6:
                        return pack(BEQ, 0, rs1p, 0, false, cbImm(h));
                    default:
                        return pack(BNE, 0, rs1p, 0, false, cbImm(h));
                }
            }
            case 2 -> {
                switch (f3) {
                    case 0: {
                        long shamt = ((h >>> 7) & 0x20) | ((h >>> 2) & 0x1F);
                        return pack(SLLI, intRd(rd), rd, 0, false, shamt);
                    }
                    case 1:
                        return has(IsaExtension.D) ? pack(FLD, rd, 2, 0, false, ldspImm(h)) : illegal(h, false);
                    case 2: {
                        long imm = ((h >>> 7) & 0x20) | ((h >>> 2) & 0x1C) | ((h << 4) & 0xC0);
                        return rd == 0 ? illegal(h, false) : pack(LW, rd, 2, 0, false, imm);
                    }
                    case 3:
                        return rd == 0 ? illegal(h, false) : pack(LD, rd, 2, 0, false, ldspImm(h));
                    case 4: {
                        if ((h & 0x1000) == 0) {
                            if (rs2 == 0) {
                                return rd == 0 ? illegal(h, false) : pack(JALR, SINK, rd, 0, false, 0);
                            }
                            return pack(ADD, intRd(rd), 0, rs2, false, 0);
                        }
                        if (rs2 == 0) {
                            if (rd == 0) {
                                return pack(EBREAK, 0, 0, 0, false, h);
                            }
                            return pack(JALR, 1, rd, 0, false, 0);
                        }
                        return pack(ADD, intRd(rd), rd, rs2, false, 0);
                    }
                    case 5:
                        return has(IsaExtension.D) ? pack(FSD, 0, 2, rs2, false, sdspImm(h)) : illegal(h, false);
                    case 6: {
                        long imm = ((h >>> 7) & 0x3C) | ((h >>> 1) & 0xC0);
                        return pack(SW, 0, 2, rs2, false, imm);
                    }
                    default:
                        return pack(SD, 0, 2, rs2, false, sdspImm(h));
                }
            }
            default -> {
                return illegal(h, false);
            }
        }
    }

    private static long lwImm(int h) {
        return ((h >>> 7) & 0x38) | ((h >>> 4) & 4) | ((h << 1) & 0x40);
    }

    private static long ldImm(int h) {
        return ((h >>> 7) & 0x38) | ((h << 1) & 0xC0);
    }

    private static long ldspImm(int h) {
        return ((h >>> 7) & 0x20) | ((h >>> 2) & 0x18) | ((h << 4) & 0x1C0);
    }

    private static long sdspImm(int h) {
        return ((h >>> 7) & 0x38) | ((h >>> 1) & 0x1C0);
    }

    private static long cjImm(int h) {
        long imm = ((h >>> 1) & 0x800) | ((h >>> 7) & 0x10) | ((h >>> 1) & 0x300) | ((h << 2) & 0x400)
                | ((h >>> 1) & 0x40) | ((h << 1) & 0x80) | ((h >>> 2) & 0xE) | ((h << 3) & 0x20);
        return (imm << 52) >> 52;
    }

    private static long cbImm(int h) {
        long imm = ((h >>> 4) & 0x100) | ((h >>> 7) & 0x18) | ((h << 1) & 0xC0) | ((h >>> 2) & 6) | ((h << 3) & 0x20);
        return (imm << 55) >> 55;
    }
}
