/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv.cpu;

/** The less frequent integer operations (M division, Zba/Zbb/Zbs), kept out of the dispatch loop (public for the block compiler). */
public final class Alu {
    private Alu() {
    }

    public static long compute(int op, long a, long b) {
        switch (op) {
            case Op.MULH: return Math.multiplyHigh(a, b);
            case Op.MULHSU: return Math.multiplyHigh(a, b) + ((b >> 63) & a);
            case Op.MULHU: return Math.unsignedMultiplyHigh(a, b);
            case Op.DIV: return b == 0 ? -1 : (a == Long.MIN_VALUE && b == -1 ? a : a / b);
            case Op.DIVU: return b == 0 ? -1 : Long.divideUnsigned(a, b);
            case Op.REM: return b == 0 ? a : (a == Long.MIN_VALUE && b == -1 ? 0 : a % b);
            case Op.REMU: return b == 0 ? a : Long.remainderUnsigned(a, b);
            case Op.MULW: return (long) ((int) a * (int) b);
            case Op.DIVW: {
                int x = (int) a;
                int y = (int) b;
                return y == 0 ? -1 : (x == Integer.MIN_VALUE && y == -1 ? x : x / y);
            }
            case Op.DIVUW: {
                int y = (int) b;
                return y == 0 ? -1 : (long) Integer.divideUnsigned((int) a, y);
            }
            case Op.REMW: {
                int x = (int) a;
                int y = (int) b;
                return y == 0 ? x : (x == Integer.MIN_VALUE && y == -1 ? 0 : x % y);
            }
            case Op.REMUW: {
                int y = (int) b;
                return y == 0 ? (long) (int) a : (long) Integer.remainderUnsigned((int) a, y);
            }
            case Op.SH1ADD: return (a << 1) + b;
            case Op.SH2ADD: return (a << 2) + b;
            case Op.SH3ADD: return (a << 3) + b;
            case Op.ADD_UW: return (a & 0xFFFF_FFFFL) + b;
            case Op.SH1ADD_UW: return ((a & 0xFFFF_FFFFL) << 1) + b;
            case Op.SH2ADD_UW: return ((a & 0xFFFF_FFFFL) << 2) + b;
            case Op.SH3ADD_UW: return ((a & 0xFFFF_FFFFL) << 3) + b;
            case Op.SLLI_UW: return (a & 0xFFFF_FFFFL) << b;
            case Op.ANDN: return a & ~b;
            case Op.ORN: return a | ~b;
            case Op.XNOR: return ~(a ^ b);
            case Op.CLZ: return Long.numberOfLeadingZeros(a);
            case Op.CLZW: return Integer.numberOfLeadingZeros((int) a);
            case Op.CTZ: return Long.numberOfTrailingZeros(a);
            case Op.CTZW: return Integer.numberOfTrailingZeros((int) a);
            case Op.CPOP: return Long.bitCount(a);
            case Op.CPOPW: return Integer.bitCount((int) a);
            case Op.MAX: return Math.max(a, b);
            case Op.MAXU: return Long.compareUnsigned(a, b) >= 0 ? a : b;
            case Op.MIN: return Math.min(a, b);
            case Op.MINU: return Long.compareUnsigned(a, b) <= 0 ? a : b;
            case Op.SEXT_B: return (byte) a;
            case Op.SEXT_H: return (short) a;
            case Op.ZEXT_H: return a & 0xFFFF;
            case Op.ROL: return Long.rotateLeft(a, (int) b);
            case Op.ROLW: return Integer.rotateLeft((int) a, (int) b);
            case Op.ROR, Op.RORI: return Long.rotateRight(a, (int) b);
            case Op.RORW, Op.RORIW: return Integer.rotateRight((int) a, (int) b);
            case Op.ORC_B: {
                long r = 0;
                for (int i = 0; i < 64; i += 8) {
                    if (((a >>> i) & 0xFF) != 0) {
                        r |= 0xFFL << i;
                    }
                }
                return r;
            }
            case Op.REV8: return Long.reverseBytes(a);
            case Op.BCLR, Op.BCLRI: return a & ~(1L << b);
            case Op.BEXT, Op.BEXTI: return (a >>> b) & 1;
            case Op.BINV, Op.BINVI: return a ^ (1L << b);
            case Op.BSET, Op.BSETI: return a | (1L << b);
            default: throw new IllegalStateException("not an ALU op: " + op);
        }
    }
}
