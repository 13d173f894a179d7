/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.cpu;

/**
 * The x87 FPU's state and arithmetic: eight registers addressed relative to TOP, the control,
 * status and tag words, and conversions to and from the memory formats (m32/m64 real, m16/m32/
 * m64 integer, m80 extended). Values are held as Java doubles, so arithmetic has double's 53-bit
 * precision rather than the 64-bit extended mantissa; m80 loads round to double and m80 stores
 * are exact for every double. Exceptions are always masked: invalid operations give the real
 * indefinite (a quiet NaN) and set IE, division by zero gives an infinity and sets ZE, stack
 * overflow and underflow set IE and SF.
 */
final class X87 {
    static final int IE = 1, ZE = 4, SF = 0x40, C0 = 0x100, C1 = 0x200, C2 = 0x400, C3 = 0x4000;
    private static final int TAG_VALID = 0, TAG_ZERO = 1, TAG_SPECIAL = 2, TAG_EMPTY = 3;
    /** The "real indefinite": the QNaN x87 produces for invalid operations. */
    static final double INDEFINITE = Double.longBitsToDouble(0xFFF8_0000_0000_0000L);

    private final double[] reg = new double[8];
    private int top;
    int control = 0x37F;
    /** Status word without TOP (bits 13:11), which {@link #statusWord} merges in. */
    private int status;
    int tag = 0xFFFF;

    void reset() {
        control = 0x37F;
        status = 0;
        tag = 0xFFFF;
        top = 0;
    }

    int statusWord() {
        return (status & ~0x3800) | (top << 11);
    }

    void setStatusWord(int sw) {
        status = sw & ~0x3800 & 0xFFFF;
        top = (sw >> 11) & 7;
    }

    void setFlags(int bits) {
        status |= bits;
    }

    /** Sets C3, C2, C0 (and clears C1) from a comparison: 0 greater, 1 less, 2 equal, 3 unordered. */
    void setCompare(int result) {
        status &= ~(C0 | C1 | C2 | C3);
        status |= switch (result) {
            case 1 -> C0;
            case 2 -> C3;
            case 3 -> C0 | C2 | C3;
            default -> 0;
        };
    }

    private boolean empty(int physical) {
        return ((tag >> (2 * physical)) & 3) == TAG_EMPTY;
    }

    private void setTag(int physical, double v) {
        int t = v == 0 ? TAG_ZERO : Double.isNaN(v) || Double.isInfinite(v) ? TAG_SPECIAL : TAG_VALID;
        tag = (tag & ~(3 << (2 * physical))) | (t << (2 * physical));
    }

    /** ST(i); an empty register is a stack underflow (IE, SF) and reads as the indefinite. */
    double st(int i) {
        int p = (top + i) & 7;
        if (empty(p)) {
            status |= IE | SF;
            status &= ~C1;
            return INDEFINITE;
        }
        return reg[p];
    }

    void setSt(int i, double v) {
        int p = (top + i) & 7;
        reg[p] = v;
        setTag(p, v);
    }

    void push(double v) {
        int p = (top - 1) & 7;
        if (!empty(p)) {
            status |= IE | SF | C1; // stack overflow
            v = INDEFINITE;
        }
        top = p;
        reg[p] = v;
        setTag(p, v);
    }

    void pop() {
        tag |= TAG_EMPTY << (2 * top);
        top = (top + 1) & 7;
    }

    void free(int i) {
        tag |= TAG_EMPTY << (2 * ((top + i) & 7));
    }

    void incrementTop() {
        top = (top + 1) & 7;
    }

    void decrementTop() {
        top = (top - 1) & 7;
    }

    /** Physical register {@code p} as FXSAVE's abridged tag sees it: true if not empty. */
    boolean valid(int p) {
        return !empty(p);
    }

    /** Loads the abridged tag of FXRSTOR: a valid register gets its tag from its value. */
    void setAbridgedTag(int bits) {
        tag = 0xFFFF;
        for (int p = 0; p < 8; p++) {
            if ((bits & (1 << p)) != 0) {
                setTag(p, reg[p]);
            }
        }
    }

    int abridgedTag() {
        int bits = 0;
        for (int p = 0; p < 8; p++) {
            if (!empty(p)) {
                bits |= 1 << p;
            }
        }
        return bits;
    }

    /** ST(i) without underflow checks (FXSAVE, debugger). */
    double raw(int i) {
        return reg[(top + i) & 7];
    }

    void setRaw(int i, double v) {
        reg[(top + i) & 7] = v;
    }

    /** 0 greater, 1 less, 2 equal, 3 unordered (a NaN operand). */
    static int compare(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b)) {
            return 3;
        }
        return a > b ? 0 : a < b ? 1 : 2;
    }

    /** The D8/DC arithmetic group by ModRM reg: 0 add, 1 mul, 4 sub, 5 subr, 6 div, 7 divr. */
    double arith(int op, double a, double b) {
        double r = switch (op) {
            case 0 -> a + b;
            case 1 -> a * b;
            case 4 -> a - b;
            case 5 -> b - a;
            case 6 -> a / b;
            default -> b / a;
        };
        double dividend = op == 6 ? a : b;
        double divisor = op == 6 ? b : a;
        if ((op == 6 || op == 7) && divisor == 0 && dividend != 0 && Double.isFinite(dividend)) {
            status |= ZE; // a finite non-zero number divided by zero
        }
        if (Double.isNaN(r) && !Double.isNaN(a) && !Double.isNaN(b)) {
            status |= IE;
            r = INDEFINITE;
        }
        return r;
    }

    /** Rounds to an integral value per the control word's rounding control. */
    double roundToIntegral(double v) {
        return switch ((control >> 10) & 3) {
            case 0 -> Math.rint(v);
            case 1 -> Math.floor(v);
            case 2 -> Math.ceil(v);
            default -> v < 0 ? Math.ceil(v) : Math.floor(v);
        };
    }

    /**
     * FIST/FISTP: the integer of {@code bits} (16, 32, 64) per the rounding control, or FISTTP's
     * truncation; out of range or NaN gives the integer indefinite (the most negative value) and IE.
     */
    long toInteger(double v, int bits, boolean truncate) {
        double r = truncate ? (v < 0 ? Math.ceil(v) : Math.floor(v)) : roundToIntegral(v);
        double max = Math.scalb(1.0, bits - 1);
        if (Double.isNaN(r) || r >= max || r < -max) {
            status |= IE;
            return 1L << (bits - 1);
        }
        return (long) r;
    }

    /** An m80 extended value (64-bit mantissa with explicit integer bit, 16-bit sign and exponent) as a double. */
    static double fromExtended(long mantissa, int signExponent) {
        boolean negative = (signExponent & 0x8000) != 0;
        int exponent = signExponent & 0x7FFF;
        double v;
        if (exponent == 0x7FFF) {
            v = (mantissa << 1) == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        } else if (mantissa == 0) {
            v = 0;
        } else {
            // two exact halves, one rounding
            double m = (double) (mantissa >>> 32) * 4294967296.0 + (double) (mantissa & 0xFFFF_FFFFL);
            v = Math.scalb(m, (exponent == 0 ? 1 : exponent) - 16383 - 63);
        }
        return negative ? -v : v;
    }

    /** A double as m80: {mantissa, sign and exponent}. Exact for every double. */
    static long[] toExtended(double v) {
        long bits = Double.doubleToRawLongBits(v);
        int sign = bits < 0 ? 0x8000 : 0;
        if (Double.isNaN(v)) {
            return new long[] {0xC000_0000_0000_0000L, sign | 0x7FFF};
        }
        if (Double.isInfinite(v)) {
            return new long[] {0x8000_0000_0000_0000L, sign | 0x7FFF};
        }
        if (v == 0) {
            return new long[] {0, sign};
        }
        int exponent = (int) ((bits >>> 52) & 0x7FF);
        long fraction = bits & 0x000F_FFFF_FFFF_FFFFL;
        int e;
        long mantissa;
        if (exponent == 0) { // subnormal double: normalise
            int shift = Long.numberOfLeadingZeros(fraction);
            mantissa = fraction << shift;
            e = -1022 - (shift - 11);
        } else {
            mantissa = (fraction | (1L << 52)) << 11;
            e = exponent - 1023;
        }
        return new long[] {mantissa, sign | (e + 16383)};
    }

    /** FXAM's class in C3, C2, C0 (and the sign in C1). */
    void examine(int i) {
        int p = (top + i) & 7;
        status &= ~(C0 | C1 | C2 | C3);
        if (empty(p)) {
            status |= C3 | C0;
            return;
        }
        double v = reg[p];
        if (Double.doubleToRawLongBits(v) < 0) {
            status |= C1;
        }
        if (Double.isNaN(v)) {
            status |= C0;
        } else if (Double.isInfinite(v)) {
            status |= C2 | C0;
        } else if (v == 0) {
            status |= C3;
        } else {
            status |= C2;
        }
    }
}
