/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.cpu;

import static io.hvdbg.x86.cpu.Op.*;

/**
 * Decodes one x86 instruction (16-, 32- or 64-bit code) into an {@link Insn}: prefixes (operand
 * and address size, REX, REP/REPNE, LOCK, segment overrides), ModRM/SIB/displacement and
 * immediates. Unknown encodings decode to {@link Op#UD}.
 */
final class Decoder {
    /** Thrown when the instruction runs past the bytes available (the caller fetches more or faults). */
    static final class Truncated extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final Truncated INSTANCE = new Truncated();

        private Truncated() {
            super("instruction runs past the fetched bytes", null, false, false);
        }
    }

    private byte[] b;
    private int start;
    private int pos;
    private int end;

    private int u8() {
        if (pos >= end || pos - start >= 15) {
            throw Truncated.INSTANCE;
        }
        return b[pos++] & 0xFF;
    }

    private long s8() {
        return (byte) u8();
    }

    private long s16() {
        int lo = u8();
        return (short) (lo | (u8() << 8));
    }

    private long u16() {
        int lo = u8();
        return lo | (u8() << 8);
    }

    private long s32() {
        int v = u8();
        v |= u8() << 8;
        v |= u8() << 16;
        v |= u8() << 24;
        return v;
    }

    private long s64() {
        long lo = s32() & 0xFFFF_FFFFL;
        return lo | (s32() << 32);
    }

    /** Immediate of the operand size, at most 32 bits sign-extended (Iz). */
    private long iz(int size) {
        return size == 1 ? s8() : size == 2 ? s16() : s32();
    }

    private int rex;
    private int mod;
    /** ModRM.reg without REX.R: the opcode extension of group instructions. */
    private int rawReg;

    /** Decodes the instruction at {@code b[off]}, with {@code avail} bytes readable, for {@code mode} 16/32/64. */
    void decode(Insn d, byte[] bytes, int off, int avail, int mode) {
        b = bytes;
        start = off;
        pos = off;
        end = off + avail;
        d.mode = mode;
        d.rep = 0;
        d.lock = false;
        d.mem = false;
        d.base = -1;
        d.index = -1;
        d.scale = 0;
        d.disp = 0;
        d.imm = 0;
        d.imm2 = 0;
        d.sub = 0;
        d.reg = 0;
        d.rm = 0;
        d.seg = 3;
        d.segOverride = false;
        d.opsizePrefix = false;
        d.uncached = false;
        boolean addrPrefix = false;
        rex = 0;
        int op;
        while (true) {
            op = u8();
            switch (op) {
                case 0x66 -> { d.opsizePrefix = true; rex = 0; continue; }
                case 0x67 -> { addrPrefix = true; rex = 0; continue; }
                case 0xF0 -> { d.lock = true; rex = 0; continue; }
                case 0xF2 -> { d.rep = 2; rex = 0; continue; }
                case 0xF3 -> { d.rep = 1; rex = 0; continue; }
                case 0x26, 0x2E, 0x36, 0x3E -> {
                    if (mode != 64) {
                        d.seg = (op >> 3) & 3;
                        d.segOverride = true;
                    }
                    rex = 0;
                    continue;
                }
                case 0x64, 0x65 -> { d.seg = op - 0x60; d.segOverride = true; rex = 0; continue; }
                default -> { }
            }
            if (mode == 64 && (op & 0xF0) == 0x40) {
                rex = op;
                continue;
            }
            break;
        }
        boolean w = (rex & 8) != 0;
        int osize;
        if (mode == 16) {
            osize = d.opsizePrefix ? 4 : 2;
        } else {
            osize = w ? 8 : d.opsizePrefix ? 2 : 4;
        }
        d.asize = mode == 64 ? (addrPrefix ? 4 : 8) : mode == 32 ? (addrPrefix ? 2 : 4) : (addrPrefix ? 4 : 2);
        // Near branches and stack operations default to 64-bit operands in long mode.
        int ssize = mode == 64 ? (d.opsizePrefix ? 2 : 8) : osize;
        d.size = osize;
        d.op = UD;
        if (op == 0x0F) {
            decode0F(d, u8(), osize, ssize, mode);
        } else {
            decode1(d, op, osize, ssize, mode);
        }
        d.len = pos - start;
    }

    private int opReg(int op) {
        return (op & 7) | ((rex & 1) << 3);
    }

    private int byteReg(int r) {
        return rex == 0 && r >= 4 && r < 8 ? (r - 4) | Insn.HIGH_BYTE : r;
    }

    private void modrm(Insn d, boolean byteRegs) {
        modrm(d, byteRegs, byteRegs);
    }

    private void modrm(Insn d, boolean byteReg, boolean byteRm) {
        int m = u8();
        mod = m >> 6;
        rawReg = (m >> 3) & 7;
        int reg = rawReg | ((rex & 4) << 1);
        int rm = m & 7;
        d.reg = byteReg ? byteReg(reg) : reg;
        if (mod == 3) {
            int r = rm | ((rex & 1) << 3);
            d.rm = byteRm ? byteReg(r) : r;
            d.mem = false;
            return;
        }
        d.mem = true;
        if (d.asize == 2) {
            modrm16(d, rm);
            return;
        }
        if (rm == 4) {
            int sib = u8();
            d.scale = sib >> 6;
            int idx = ((sib >> 3) & 7) | ((rex & 2) << 2);
            d.index = idx == 4 ? -1 : idx;
            int base = sib & 7;
            if (base == 5 && mod == 0) {
                d.base = -1;
                d.disp = s32();
            } else {
                d.base = base | ((rex & 1) << 3);
            }
        } else if (rm == 5 && mod == 0) {
            d.base = d.mode == 64 ? Insn.BASE_RIP : -1;
            d.disp = s32();
        } else {
            d.base = rm | ((rex & 1) << 3);
        }
        if (mod == 1) {
            d.disp = s8();
        } else if (mod == 2) {
            d.disp = s32();
        }
        if (!d.segOverride && (d.base == 4 || d.base == 5)) {
            d.seg = 2;
        }
    }

    private static final int[] BASE16 = {3, 3, 5, 5, 6, 7, 5, 3};
    private static final int[] INDEX16 = {6, 7, 6, 7, -1, -1, -1, -1};

    private void modrm16(Insn d, int rm) {
        if (mod == 0 && rm == 6) {
            d.base = -1;
            d.disp = u16();
        } else {
            d.base = BASE16[rm];
            d.index = INDEX16[rm];
            if (mod == 1) {
                d.disp = s8();
            } else if (mod == 2) {
                d.disp = s16();
            }
            if (!d.segOverride && (rm == 2 || rm == 3 || rm == 6)) {
                d.seg = 2;
            }
        }
    }

    private void decode1(Insn d, int op, int osize, int ssize, int mode) {
        if (op < 0x40 && (op & 7) < 6) {
            d.sub = op >> 3;
            int form = op & 7;
            switch (form) {
                case 0, 1 -> { d.op = ALU_RM_R; d.size = form == 0 ? 1 : osize; modrm(d, form == 0); }
                case 2, 3 -> { d.op = ALU_R_RM; d.size = form == 2 ? 1 : osize; modrm(d, form == 2); }
                default -> {
                    d.op = ALU_RM_I;
                    d.size = form == 4 ? 1 : osize;
                    d.rm = 0;
                    d.imm = iz(d.size);
                }
            }
            return;
        }
        switch (op) {
            case 0x06, 0x0E, 0x16, 0x1E -> { if (mode != 64) { d.op = PUSH_SREG; d.reg = op >> 3; d.size = osize; } }
            case 0x07, 0x17, 0x1F -> { if (mode != 64) { d.op = POP_SREG; d.reg = op >> 3; d.size = osize; } }
            case 0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47 -> { d.op = INC; d.rm = op & 7; }
            case 0x48, 0x49, 0x4A, 0x4B, 0x4C, 0x4D, 0x4E, 0x4F -> { d.op = DEC; d.rm = op & 7; }
            case 0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57 -> { d.op = PUSH_R; d.reg = opReg(op); d.size = ssize; }
            case 0x58, 0x59, 0x5A, 0x5B, 0x5C, 0x5D, 0x5E, 0x5F -> { d.op = POP_R; d.reg = opReg(op); d.size = ssize; }
            case 0x60 -> { if (mode != 64) { d.op = PUSHA; } }
            case 0x61 -> { if (mode != 64) { d.op = POPA; } }
            case 0x63 -> { if (mode == 64) { d.op = MOVSXD; modrm(d, false); } }
            case 0x68 -> { d.op = PUSH_I; d.size = ssize; d.imm = iz(ssize == 8 ? 4 : ssize); }
            case 0x69 -> { d.op = IMUL_R_RM_I; modrm(d, false); d.imm = iz(osize); }
            case 0x6A -> { d.op = PUSH_I; d.size = ssize; d.imm = s8(); }
            case 0x6B -> { d.op = IMUL_R_RM_I; modrm(d, false); d.imm = s8(); }
            case 0x6C, 0x6D -> { d.op = INS; d.size = op == 0x6C ? 1 : Math.min(osize, 4); }
            case 0x6E, 0x6F -> { d.op = OUTS; d.size = op == 0x6E ? 1 : Math.min(osize, 4); }
            case 0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7A, 0x7B, 0x7C, 0x7D, 0x7E, 0x7F -> {
                d.op = JCC;
                d.sub = op & 15;
                d.imm = s8();
            }
            case 0x80, 0x82 -> { if (op == 0x80 || mode != 64) { d.op = ALU_RM_I; d.size = 1; modrm(d, true); d.sub = rawReg; d.imm = s8(); } }
            case 0x81 -> { d.op = ALU_RM_I; modrm(d, false); d.sub = rawReg; d.imm = iz(osize); }
            case 0x83 -> { d.op = ALU_RM_I; modrm(d, false); d.sub = rawReg; d.imm = s8(); }
            case 0x84, 0x85 -> { d.op = TEST_RM_R; d.size = op == 0x84 ? 1 : osize; modrm(d, op == 0x84); }
            case 0x86, 0x87 -> { d.op = XCHG; d.size = op == 0x86 ? 1 : osize; modrm(d, op == 0x86); }
            case 0x88, 0x89 -> { d.op = MOV_RM_R; d.size = op == 0x88 ? 1 : osize; modrm(d, op == 0x88); }
            case 0x8A, 0x8B -> { d.op = MOV_R_RM; d.size = op == 0x8A ? 1 : osize; modrm(d, op == 0x8A); }
            case 0x8C -> { d.op = MOV_RM_SREG; modrm(d, false); d.reg = rawReg; if (d.mem) { d.size = 2; } if (d.reg > 5) { d.op = UD; } }
            case 0x8D -> { modrm(d, false); d.op = d.mem ? LEA : UD; }
            case 0x8E -> { d.op = MOV_SREG_RM; d.size = 2; modrm(d, false); d.reg = rawReg; if (d.reg == 1 || d.reg > 5) { d.op = UD; } }
            case 0x8F -> { d.op = POP_RM; d.size = ssize; modrm(d, false); }
            case 0x90 -> {
                if ((rex & 1) != 0) {
                    d.op = XCHG; d.reg = 0; d.rm = 8;
                } else {
                    d.op = d.rep == 1 ? PAUSE : NOP;
                }
            }
            case 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97 -> { d.op = XCHG; d.reg = 0; d.rm = opReg(op); }
            case 0x98 -> d.op = CBW;
            case 0x99 -> d.op = CWD;
            case 0x9A -> { if (mode != 64) { d.op = CALLF; d.imm = osize == 2 ? u16() : s32() & 0xFFFF_FFFFL; d.imm2 = u16(); } }
            case 0x9B -> d.op = NOP;
            case 0x9C -> { d.op = PUSHF; d.size = ssize; }
            case 0x9D -> { d.op = POPF; d.size = ssize; }
            case 0x9E -> d.op = SAHF;
            case 0x9F -> d.op = LAHF;
            case 0xA0, 0xA1, 0xA2, 0xA3 -> {
                d.op = op < 0xA2 ? MOV_R_RM : MOV_RM_R;
                d.size = (op & 1) == 0 ? 1 : osize;
                d.reg = 0;
                d.mem = true;
                d.base = -1;
                d.disp = d.asize == 8 ? s64() : d.asize == 4 ? s32() & 0xFFFF_FFFFL : u16();
            }
            case 0xA4, 0xA5 -> { d.op = MOVS; d.size = op == 0xA4 ? 1 : osize; }
            case 0xA6, 0xA7 -> { d.op = CMPS; d.size = op == 0xA6 ? 1 : osize; }
            case 0xA8, 0xA9 -> { d.op = TEST_RM_I; d.size = op == 0xA8 ? 1 : osize; d.rm = 0; d.imm = iz(d.size); }
            case 0xAA, 0xAB -> { d.op = STOS; d.size = op == 0xAA ? 1 : osize; }
            case 0xAC, 0xAD -> { d.op = LODS; d.size = op == 0xAC ? 1 : osize; }
            case 0xAE, 0xAF -> { d.op = SCAS; d.size = op == 0xAE ? 1 : osize; }
            case 0xB0, 0xB1, 0xB2, 0xB3, 0xB4, 0xB5, 0xB6, 0xB7 -> { d.op = MOV_R_I; d.size = 1; d.reg = byteReg(opReg(op)); d.imm = s8(); }
            case 0xB8, 0xB9, 0xBA, 0xBB, 0xBC, 0xBD, 0xBE, 0xBF -> {
                d.op = MOV_R_I;
                d.reg = opReg(op);
                d.imm = osize == 8 ? s64() : osize == 4 ? s32() : s16();
            }
            case 0xC0, 0xC1 -> { d.op = SHIFT; d.size = op == 0xC0 ? 1 : osize; modrm(d, op == 0xC0); d.sub = rawReg; d.imm = u8(); }
            case 0xC2 -> { d.op = RET; d.size = ssize; d.imm = u16(); }
            case 0xC3 -> { d.op = RET; d.size = ssize; }
            case 0xC6 -> { modrm(d, true); d.size = 1; d.op = (rawReg) == 0 ? MOV_RM_I : UD; d.imm = s8(); }
            case 0xC7 -> { modrm(d, false); d.op = (rawReg) == 0 ? MOV_RM_I : UD; d.imm = iz(osize); }
            case 0xC8 -> { d.op = ENTER; d.size = ssize; d.imm = u16(); d.imm2 = u8(); }
            case 0xC9 -> { d.op = LEAVE; d.size = ssize; }
            case 0xCA -> { d.op = RETF; d.imm = u16(); }
            case 0xCB -> d.op = RETF;
            case 0xCC -> d.op = INT3;
            case 0xCD -> { d.op = INT; d.imm = u8(); }
            case 0xCE -> { if (mode != 64) { d.op = INTO; } }
            case 0xCF -> d.op = IRET;
            case 0xD0, 0xD1 -> { d.op = SHIFT; d.size = op == 0xD0 ? 1 : osize; modrm(d, op == 0xD0); d.sub = rawReg; d.imm = 1; }
            case 0xD2, 0xD3 -> { d.op = SHIFT; d.size = op == 0xD2 ? 1 : osize; modrm(d, op == 0xD2); d.sub = rawReg; d.imm = -1; }
            case 0xD7 -> { d.op = XLAT; d.size = 1; }
            case 0xD8, 0xD9, 0xDA, 0xDB, 0xDC, 0xDD, 0xDE, 0xDF -> {
                modrm(d, false);
                d.op = FPU;
                d.sub = ((op - 0xD8) << 3) | rawReg;
            }
            case 0xE0, 0xE1, 0xE2 -> { d.op = LOOP; d.sub = op & 3; d.imm = s8(); }
            case 0xE3 -> { d.op = JCXZ; d.imm = s8(); }
            case 0xE4, 0xE5 -> { d.op = IN; d.size = op == 0xE4 ? 1 : Math.min(osize, 4); d.imm = u8(); d.sub = 1; }
            case 0xE6, 0xE7 -> { d.op = OUT; d.size = op == 0xE6 ? 1 : Math.min(osize, 4); d.imm = u8(); d.sub = 1; }
            case 0xE8 -> { d.op = CALL_REL; d.size = ssize; d.imm = iz(ssize == 8 ? 4 : ssize); }
            case 0xE9 -> { d.op = JMP_REL; d.size = ssize; d.imm = iz(ssize == 8 ? 4 : ssize); }
            case 0xEA -> { if (mode != 64) { d.op = JMPF; d.imm = osize == 2 ? u16() : s32() & 0xFFFF_FFFFL; d.imm2 = u16(); } }
            case 0xEB -> { d.op = JMP_REL; d.size = ssize; d.imm = s8(); }
            case 0xEC, 0xED -> { d.op = IN; d.size = op == 0xEC ? 1 : Math.min(osize, 4); }
            case 0xEE, 0xEF -> { d.op = OUT; d.size = op == 0xEE ? 1 : Math.min(osize, 4); }
            case 0xF4 -> d.op = HLT;
            case 0xF5 -> { d.op = FLAGOP; d.sub = F_CMC; }
            case 0xF6, 0xF7 -> {
                d.size = op == 0xF6 ? 1 : osize;
                modrm(d, op == 0xF6);
                switch (rawReg) {
                    case 0, 1 -> { d.op = TEST_RM_I; d.imm = iz(d.size); }
                    case 2 -> d.op = NOT;
                    case 3 -> d.op = NEG;
                    case 4 -> d.op = MUL;
                    case 5 -> d.op = IMUL1;
                    case 6 -> d.op = DIV;
                    default -> d.op = IDIV;
                }
            }
            case 0xF8 -> { d.op = FLAGOP; d.sub = F_CLC; }
            case 0xF9 -> { d.op = FLAGOP; d.sub = F_STC; }
            case 0xFA -> { d.op = FLAGOP; d.sub = F_CLI; }
            case 0xFB -> { d.op = FLAGOP; d.sub = F_STI; }
            case 0xFC -> { d.op = FLAGOP; d.sub = F_CLD; }
            case 0xFD -> { d.op = FLAGOP; d.sub = F_STD; }
            case 0xFE -> {
                d.size = 1;
                modrm(d, true);
                d.op = (rawReg) == 0 ? INC : (rawReg) == 1 ? DEC : UD;
            }
            case 0xFF -> {
                modrm(d, false);
                switch (rawReg) {
                    case 0 -> d.op = INC;
                    case 1 -> d.op = DEC;
                    case 2 -> { d.op = CALL_RM; d.size = ssize; }
                    case 3 -> { d.op = d.mem ? CALLF_M : UD; }
                    case 4 -> { d.op = JMP_RM; d.size = ssize; }
                    case 5 -> { d.op = d.mem ? JMPF_M : UD; }
                    case 6 -> { d.op = PUSH_RM; d.size = ssize; }
                    default -> d.op = UD;
                }
            }
            default -> d.op = UD;
        }
    }

    private void decode0F(Insn d, int op, int osize, int ssize, int mode) {
        switch (op) {
            case 0x00 -> {
                modrm(d, false);
                d.size = 2;
                switch (rawReg) {
                    case 0 -> d.op = SLDT;
                    case 1 -> d.op = STR;
                    case 2 -> d.op = LLDT;
                    case 3 -> d.op = LTR;
                    default -> d.op = UD;
                }
            }
            case 0x01 -> {
                if (pos >= end) {
                    throw Truncated.INSTANCE;
                }
                int m = b[pos] & 0xFF;
                if (m >= 0xC0) {
                    pos++;
                    switch (m) {
                        case 0xC1, 0xD9 -> d.op = VMCALL;
                        case 0xC8 -> d.op = MONITOR;
                        case 0xC9 -> d.op = MWAIT;
                        case 0xCA -> d.op = CLAC;
                        case 0xCB -> d.op = STAC;
                        case 0xCC -> d.op = TDCALL;
                        case 0xD0 -> d.op = XGETBV;
                        case 0xD1 -> d.op = XSETBV;
                        case 0xF8 -> d.op = mode == 64 ? SWAPGS : UD;
                        case 0xF9 -> d.op = RDTSCP;
                        default -> {
                            int r = (m >> 3) & 7;
                            d.rm = (m & 7) | ((rex & 1) << 3);
                            d.op = r == 4 ? SMSW : r == 6 ? LMSW : UD;
                        }
                    }
                    return;
                }
                modrm(d, false);
                switch (rawReg) {
                    case 0 -> d.op = SGDT;
                    case 1 -> d.op = SIDT;
                    case 2 -> d.op = LGDT;
                    case 3 -> d.op = LIDT;
                    case 4 -> { d.op = SMSW; d.size = 2; }
                    case 6 -> d.op = LMSW;
                    case 7 -> d.op = INVLPG;
                    default -> d.op = UD;
                }
            }
            case 0x05 -> d.op = mode == 64 ? SYSCALL : UD;
            case 0x06 -> d.op = CLTS;
            case 0x07 -> d.op = mode == 64 ? SYSRET : UD;
            case 0x08 -> d.op = INVD;
            case 0x09 -> d.op = WBINVD;
            case 0x0B -> d.op = UD;
            case 0x0D, 0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F -> { modrm(d, false); d.op = NOP; }
            case 0x20, 0x21, 0x22, 0x23 -> {
                // MOV CR/DR always names registers, whatever ModRM.mod says.
                int m = u8();
                d.reg = ((m >> 3) & 7) | ((rex & 4) << 1);
                d.rm = (m & 7) | ((rex & 1) << 3);
                d.mem = false;
                d.size = mode == 64 ? 8 : 4;
                if (d.lock && d.reg == 0 && op == 0x20 || d.lock && d.reg == 0 && op == 0x22) {
                    d.reg = 8; // AMD's alternative encoding of CR8
                }
                d.op = op == 0x20 ? MOV_R_CR : op == 0x21 ? MOV_R_DR : op == 0x22 ? MOV_CR_R : MOV_DR_R;
            }
            case 0x30 -> d.op = WRMSR;
            case 0x31 -> d.op = RDTSC;
            case 0x32 -> d.op = RDMSR;
            case 0x33 -> d.op = RDPMC;
            case 0x38 -> {
                int op3 = u8();
                if (op3 == 0x82 && d.opsizePrefix) {
                    modrm(d, false);
                    d.op = d.mem ? INVPCID : UD;
                    d.size = mode == 64 ? 8 : 4;
                }
            }
            case 0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4A, 0x4B, 0x4C, 0x4D, 0x4E, 0x4F -> {
                d.op = CMOVCC;
                d.sub = op & 15;
                modrm(d, false);
            }
            case 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x8B, 0x8C, 0x8D, 0x8E, 0x8F -> {
                d.op = JCC;
                d.sub = op & 15;
                d.imm = iz(ssize == 8 ? 4 : ssize);
            }
            case 0x90, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F -> {
                d.op = SETCC;
                d.sub = op & 15;
                d.size = 1;
                modrm(d, true);
            }
            case 0xA0, 0xA8 -> { d.op = PUSH_SREG; d.reg = op == 0xA0 ? 4 : 5; d.size = ssize; }
            case 0xA1, 0xA9 -> { d.op = POP_SREG; d.reg = op == 0xA1 ? 4 : 5; d.size = ssize; }
            case 0xA2 -> d.op = CPUID;
            case 0xA3, 0xAB, 0xB3, 0xBB -> { d.op = BT; d.sub = (op >> 3) & 3; modrm(d, false); }
            case 0xA4, 0xA5 -> { d.op = SHLD; modrm(d, false); d.imm = op == 0xA4 ? u8() : -1; }
            case 0xAC, 0xAD -> { d.op = SHRD; modrm(d, false); d.imm = op == 0xAC ? u8() : -1; }
            case 0xAE -> {
                modrm(d, false);
                int r = rawReg;
                if (!d.mem) {
                    d.op = r >= 5 ? NOP : UD; // LFENCE, MFENCE, SFENCE
                } else {
                    d.op = switch (r) {
                        case 0 -> FXSAVE;
                        case 1 -> FXRSTOR;
                        case 2 -> LDMXCSR;
                        case 3 -> STMXCSR;
                        case 4 -> XSAVE;
                        case 5 -> XRSTOR;
                        case 6 -> XSAVE;
                        default -> NOP; // CLFLUSH
                    };
                }
            }
            case 0xAF -> { d.op = IMUL_R_RM; modrm(d, false); }
            case 0x10, 0x11 -> {
                modrm(d, false);
                d.op = op == 0x10 ? SSE_LOAD : SSE_STORE;
                d.sub = d.rep == 1 ? 4 : d.rep == 2 ? 8 : 16;
            }
            case 0x28, 0x29 -> {
                modrm(d, false);
                d.op = d.rep != 0 ? UD : op == 0x28 ? SSE_LOAD : SSE_STORE;
                d.sub = 16;
                d.imm = 1;
            }
            case 0x2B, 0xE7 -> {
                modrm(d, false);
                d.op = d.mem && d.rep == 0 && (op == 0x2B || d.opsizePrefix) ? SSE_STORE : UD;
                d.sub = 16;
                d.imm = 1;
            }
            case 0x6F, 0x7F -> {
                modrm(d, false);
                if (d.opsizePrefix || d.rep == 1) {
                    d.op = op == 0x6F ? SSE_LOAD : SSE_STORE;
                    d.sub = 16;
                    d.imm = d.opsizePrefix ? 1 : 0;
                }
            }
            case 0x6E -> { modrm(d, false); if (d.opsizePrefix) { d.op = SSE_TO_XMM; d.size = (rex & 8) != 0 ? 8 : 4; } }
            case 0x7E -> {
                modrm(d, false);
                if (d.rep == 1) {
                    d.op = SSE_LOAD; // MOVQ xmm, xmm/m64
                    d.sub = 8;
                    d.imm2 = 1; // zero the upper half even from a register
                } else if (d.opsizePrefix) {
                    d.op = SSE_FROM_XMM;
                    d.size = (rex & 8) != 0 ? 8 : 4;
                }
            }
            case 0xD6 -> { modrm(d, false); if (d.opsizePrefix) { d.op = SSE_STORE; d.sub = 8; d.imm2 = 1; } }
            case 0x57, 0xEF -> { modrm(d, false); if (op == 0x57 || d.opsizePrefix) { d.op = SSE_XOR; } }
            case 0xC3 -> { modrm(d, false); d.op = d.mem ? MOVNTI : UD; }
            case 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x2A, 0x2C, 0x2D, 0x2E, 0x2F, 0x50, 0x51, 0x54, 0x55, 0x56, 0x58,
                0x59, 0x5A, 0x5B, 0x5C, 0x5D, 0x5E, 0x5F, 0x62, 0x6A, 0x6C, 0x6D, 0x70, 0x72, 0x73, 0x74, 0x75, 0x76,
                0xC2, 0xC4, 0xC5, 0xC6, 0xD4, 0xD7, 0xDB, 0xDF, 0xE6, 0xEB, 0xF8, 0xF9, 0xFA, 0xFB, 0xFC, 0xFD, 0xFE -> {
                modrm(d, false);
                int prefix = d.rep == 1 ? 2 : d.rep == 2 ? 3 : d.opsizePrefix ? 1 : 0;
                d.op = SSE_OP;
                d.sub = op | (prefix << 8) | (rawReg << 12);
                d.size = (rex & 8) != 0 ? 8 : 4;
                if (op == 0x70 || op == 0x72 || op == 0x73 || op == 0xC2 || op == 0xC4 || op == 0xC5 || op == 0xC6) {
                    d.imm = u8();
                }
            }
            case 0xB0, 0xB1 -> { d.op = CMPXCHG; d.size = op == 0xB0 ? 1 : osize; modrm(d, op == 0xB0); }
            case 0xB2, 0xB4, 0xB5 -> { modrm(d, false); d.op = d.mem ? LSEG : UD; d.sub = op == 0xB2 ? 2 : op - 0xB0; }
            case 0xB6, 0xB7 -> { d.op = MOVZX; d.sub = op == 0xB6 ? 1 : 2; modrm(d, false, op == 0xB6); }
            case 0xBE, 0xBF -> { d.op = MOVSX; d.sub = op == 0xBE ? 1 : 2; modrm(d, false, op == 0xBE); }
            case 0xB8 -> { if (d.rep == 1) { d.op = POPCNT; modrm(d, false); } }
            case 0xBA -> { modrm(d, false); int r = rawReg; if (r >= 4) { d.op = BT_I; d.sub = r - 4; d.imm = u8(); } }
            case 0xBC -> { d.op = BSF; modrm(d, false); }
            case 0xBD -> { d.op = BSR; modrm(d, false); }
            case 0xC0, 0xC1 -> { d.op = XADD; d.size = op == 0xC0 ? 1 : osize; modrm(d, op == 0xC0); }
            case 0xC7 -> {
                modrm(d, false);
                int r = rawReg;
                if (r == 1 && d.mem) {
                    d.op = CMPXCHG8B;
                } else if (r == 6 && !d.mem) {
                    d.op = RDRAND;
                }
            }
            case 0xC8, 0xC9, 0xCA, 0xCB, 0xCC, 0xCD, 0xCE, 0xCF -> { d.op = BSWAP; d.reg = opReg(op); }
            default -> d.op = UD;
        }
    }
}
