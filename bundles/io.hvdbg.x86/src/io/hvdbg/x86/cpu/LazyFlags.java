/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.cpu;

/**
 * x86's arithmetic flags as pure functions of a lazy-flag state (the last flag-setting
 * operation, its operands, result and size), plus the IMUL and SHL/SHR/SAR results with their
 * flags. The interpreter and the block compiler's generated code both compute flags here, so a
 * compiled block leaves exactly the state the interpreter would.
 */
public final class LazyFlags {
    /** Kinds of the last flag-setting operation; CC_EAGER means the flags are stored as such. */
    public static final int CC_EAGER = 0, CC_ADD = 1, CC_ADC = 2, CC_SUB = 3, CC_SBB = 4, CC_LOGIC = 5, CC_INC = 6,
            CC_DEC = 7;
    public static final int FLAG_CF = 1, FLAG_PF = 4, FLAG_AF = 0x10, FLAG_ZF = 0x40, FLAG_SF = 0x80, FLAG_OF = 0x800;
    public static final int ARITH_FLAGS = FLAG_CF | FLAG_PF | FLAG_AF | FLAG_ZF | FLAG_SF | FLAG_OF;

    private LazyFlags() {
    }

    public static long mask(int size) {
        return size == 8 ? -1L : (1L << (size * 8)) - 1;
    }

    public static long signBit(int size) {
        return 1L << (size * 8 - 1);
    }

    public static long sext(long v, int size) {
        int s = 64 - size * 8;
        return (v << s) >> s;
    }

    private static int parity(long v) {
        return (Integer.bitCount((int) v & 0xFF) & 1) == 0 ? FLAG_PF : 0;
    }

    /** ZF, SF and PF of a result. */
    public static int zsp(long res, int size) {
        long m = res & mask(size);
        return (m == 0 ? FLAG_ZF : 0) | ((m & signBit(size)) != 0 ? FLAG_SF : 0) | parity(m);
    }

    /** The six arithmetic flags of the lazy state. */
    public static int arithFlags(int op, long a, long b, long r, int size, int carry, int eager) {
        long sb = signBit(size);
        return switch (op) {
            case CC_EAGER -> eager;
            case CC_LOGIC -> zsp(r, size);
            case CC_ADD, CC_ADC -> {
                boolean cf = op == CC_ADC && carry != 0 ? Long.compareUnsigned(r, a) <= 0
                        : Long.compareUnsigned(r, a) < 0;
                yield (cf ? FLAG_CF : 0) | zsp(r, size) | ((((a ^ r) & (b ^ r)) & sb) != 0 ? FLAG_OF : 0)
                        | (int) ((a ^ b ^ r) & FLAG_AF);
            }
            case CC_SUB, CC_SBB -> {
                boolean cf = op == CC_SBB && carry != 0 ? Long.compareUnsigned(a, b) <= 0
                        : Long.compareUnsigned(a, b) < 0;
                yield (cf ? FLAG_CF : 0) | zsp(r, size) | ((((a ^ b) & (a ^ r)) & sb) != 0 ? FLAG_OF : 0)
                        | (int) ((a ^ b ^ r) & FLAG_AF);
            }
            case CC_INC -> carry | zsp(r, size) | (r == sb ? FLAG_OF : 0) | (int) ((a ^ 1 ^ r) & FLAG_AF);
            case CC_DEC -> carry | zsp(r, size) | (r == sb - 1 ? FLAG_OF : 0) | (int) ((a ^ 1 ^ r) & FLAG_AF);
            default -> 0;
        };
    }

    /** CF of the lazy state (a logic operation clears it; INC and DEC keep it). */
    public static int cf(int op, long a, long b, long r, int size, int carry, int eager) {
        return op == CC_LOGIC ? 0 : arithFlags(op, a, b, r, size, carry, eager) & FLAG_CF;
    }

    /**
     * Condition code {@code cc} (Jcc/SETcc/CMOVcc's low nibble) of the lazy state; after a
     * compare or a logic operation most conditions come straight from the operands.
     */
    public static boolean cond(int op, long a, long b, long r, int size, int carry, int eager, int cc) {
        boolean res;
        if (op == CC_SUB) {
            res = switch (cc >> 1) {
                case 1 -> Long.compareUnsigned(a, b) < 0;
                case 2 -> a == b;
                case 3 -> Long.compareUnsigned(a, b) <= 0;
                case 6 -> sext(a, size) < sext(b, size);
                case 7 -> sext(a, size) <= sext(b, size);
                default -> condFromFlags(cc >> 1, arithFlags(op, a, b, r, size, carry, eager));
            };
        } else if (op == CC_LOGIC) {
            res = switch (cc >> 1) {
                case 0, 1 -> false;
                case 2, 3 -> r == 0;
                case 4, 6 -> (r & signBit(size)) != 0;
                case 7 -> r == 0 || (r & signBit(size)) != 0;
                default -> condFromFlags(cc >> 1, arithFlags(op, a, b, r, size, carry, eager));
            };
        } else {
            res = condFromFlags(cc >> 1, arithFlags(op, a, b, r, size, carry, eager));
        }
        return (cc & 1) != 0 ? !res : res;
    }

    private static boolean condFromFlags(int c, int f) {
        return switch (c) {
            case 0 -> (f & FLAG_OF) != 0;
            case 1 -> (f & FLAG_CF) != 0;
            case 2 -> (f & FLAG_ZF) != 0;
            case 3 -> (f & (FLAG_CF | FLAG_ZF)) != 0;
            case 4 -> (f & FLAG_SF) != 0;
            case 5 -> (f & FLAG_PF) != 0;
            case 6 -> ((f & FLAG_SF) != 0) != ((f & FLAG_OF) != 0);
            default -> (f & FLAG_ZF) != 0 || ((f & FLAG_SF) != 0) != ((f & FLAG_OF) != 0);
        };
    }

    /** Signed multiply of two {@code size}-byte operands, truncated to the size (IMUL's two/three-operand forms). */
    public static long imul(long a, long b, int size) {
        long sa = sext(a, size), sb = sext(b, size);
        return size == 8 ? sa * sb : (sa * sb) & mask(size);
    }

    /** IMUL's eager flags: CF = OF = the product did not fit, ZF/SF/PF of the truncated result. */
    public static int imulFlags(long a, long b, int size) {
        long sa = sext(a, size), sb = sext(b, size);
        long r;
        boolean overflow;
        if (size == 8) {
            r = sa * sb;
            overflow = Math.multiplyHigh(sa, sb) != (r >> 63);
        } else {
            long full = sa * sb;
            r = full & mask(size);
            overflow = sext(r, size) != full;
        }
        return ((overflow ? FLAG_CF | FLAG_OF : 0) | zsp(r, size)) & ARITH_FLAGS;
    }

    /** SHL/SHR/SAL/SAR (group-2 op 4-7) by a count already masked and not 0. */
    public static long shift(int op, long v, int count, int size) {
        long m = mask(size);
        return switch (op) {
            case 4, 6 -> count >= 64 ? 0 : (v << count) & m;
            case 5 -> v >>> count;
            default -> (sext(v, size) >> Math.min(count, 63)) & m;
        };
    }

    /** The eager flags of {@link #shift}. */
    public static int shiftFlags(int op, long v, int count, int size) {
        int bits = size * 8;
        long sb = signBit(size);
        long r = shift(op, v, count, size);
        int f = switch (op) {
            case 4, 6 -> {
                int cfBit = count > bits ? 0 : (int) ((v >>> (bits - count)) & 1);
                int of = (((r & sb) != 0 ? 1 : 0) ^ cfBit);
                yield cfBit | zsp(r, size) | (of != 0 ? FLAG_OF : 0);
            }
            case 5 -> (int) ((v >>> (count - 1)) & 1) | zsp(r, size) | ((v & sb) != 0 ? FLAG_OF : 0);
            default -> (int) ((sext(v, size) >> Math.min(count - 1, 63)) & 1) | zsp(r, size);
        };
        return f & ARITH_FLAGS;
    }
}
