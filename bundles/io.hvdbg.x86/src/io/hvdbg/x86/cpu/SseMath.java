/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.cpu;

/**
 * The lane arithmetic of SSE/SSE2 on raw bit patterns, with x86's NaN rules (a NaN operand
 * gives the first NaN operand quieted; an invalid operation gives the negative default QNaN),
 * MIN/MAX returning the second operand when unordered or both zero, conversions with MXCSR
 * rounding or truncation and the integer indefinite for out-of-range values, and the CMPPS/CMPPD
 * predicates. Exceptions are masked (MXCSR's reset value); their flags are not recorded.
 */
final class SseMath {
    static final long DEFAULT_NAN64 = 0xFFF8_0000_0000_0000L;
    static final int DEFAULT_NAN32 = 0xFFC0_0000;

    private SseMath() {
    }

    /** Opcodes 51 (sqrt), 58 add, 59 mul, 5C sub, 5D min, 5E div, 5F max on doubles. */
    static long op64(int opcode, long a, long b) {
        double x = Double.longBitsToDouble(a);
        double y = Double.longBitsToDouble(b);
        if (opcode == 0x5D || opcode == 0x5F) {
            boolean pick = opcode == 0x5D ? x < y : x > y;
            return pick ? a : b;
        }
        if (opcode == 0x51) {
            if (Double.isNaN(y)) {
                return b | (1L << 51);
            }
            return y < 0 ? DEFAULT_NAN64 : Double.doubleToRawLongBits(Math.sqrt(y));
        }
        if (Double.isNaN(x)) {
            return a | (1L << 51);
        }
        if (Double.isNaN(y)) {
            return b | (1L << 51);
        }
        double r = switch (opcode) {
            case 0x58 -> x + y;
            case 0x59 -> x * y;
            case 0x5C -> x - y;
            default -> x / y;
        };
        return Double.isNaN(r) ? DEFAULT_NAN64 : Double.doubleToRawLongBits(r);
    }

    /** The same on floats (low 32 bits); double arithmetic then one rounding is exact for these ops. */
    static int op32(int opcode, int a, int b) {
        float x = Float.intBitsToFloat(a);
        float y = Float.intBitsToFloat(b);
        if (opcode == 0x5D || opcode == 0x5F) {
            boolean pick = opcode == 0x5D ? x < y : x > y;
            return pick ? a : b;
        }
        if (opcode == 0x51) {
            if (Float.isNaN(y)) {
                return b | (1 << 22);
            }
            return y < 0 ? DEFAULT_NAN32 : Float.floatToRawIntBits((float) Math.sqrt(y));
        }
        if (Float.isNaN(x)) {
            return a | (1 << 22);
        }
        if (Float.isNaN(y)) {
            return b | (1 << 22);
        }
        double r = switch (opcode) {
            case 0x58 -> (double) x + y;
            case 0x59 -> (double) x * y;
            case 0x5C -> (double) x - y;
            default -> (double) x / y;
        };
        return Double.isNaN(r) ? DEFAULT_NAN32 : Float.floatToRawIntBits((float) r);
    }

    /** MXCSR rounding control (bits 14:13), or truncation, to an integer of 32 or 64 bits; indefinite if out of range. */
    static long toInteger(double v, int bits, boolean truncate, int mxcsr) {
        double r;
        if (truncate) {
            r = v < 0 ? Math.ceil(v) : Math.floor(v);
        } else {
            r = switch ((mxcsr >> 13) & 3) {
                case 0 -> Math.rint(v);
                case 1 -> Math.floor(v);
                case 2 -> Math.ceil(v);
                default -> v < 0 ? Math.ceil(v) : Math.floor(v);
            };
        }
        double max = Math.scalb(1.0, bits - 1);
        if (Double.isNaN(r) || r >= max || r < -max) {
            return bits == 64 ? Long.MIN_VALUE : 0x8000_0000L;
        }
        return bits == 64 ? (long) r : (long) r & 0xFFFF_FFFFL;
    }

    static long toDouble(float f) {
        if (Float.isNaN(f)) {
            long sign = Float.floatToRawIntBits(f) < 0 ? 1L << 63 : 0;
            long payload = (long) (Float.floatToRawIntBits(f) & 0x3F_FFFF) << 29;
            return sign | 0x7FF8_0000_0000_0000L | payload;
        }
        return Double.doubleToRawLongBits(f);
    }

    static int toFloat(double d) {
        if (Double.isNaN(d)) {
            long bits = Double.doubleToRawLongBits(d);
            int sign = bits < 0 ? 1 << 31 : 0;
            return sign | 0x7FC0_0000 | (int) ((bits >>> 29) & 0x3F_FFFF);
        }
        return Float.floatToRawIntBits((float) d);
    }

    /** CMPxx predicates 0-7: EQ, LT, LE, UNORD, NEQ, NLT, NLE, ORD. */
    static boolean predicate(int imm, double x, double y) {
        boolean unordered = Double.isNaN(x) || Double.isNaN(y);
        return switch (imm & 7) {
            case 0 -> !unordered && x == y;
            case 1 -> !unordered && x < y;
            case 2 -> !unordered && x <= y;
            case 3 -> unordered;
            case 4 -> unordered || x != y;
            case 5 -> unordered || !(x < y);
            case 6 -> unordered || !(x <= y);
            default -> !unordered;
        };
    }

    /** Lane-wise add or subtract of 8, 16, 32 or 64-bit integers in a 64-bit word. */
    static long addLanes(long a, long b, int laneBits, boolean subtract) {
        if (laneBits == 64) {
            return subtract ? a - b : a + b;
        }
        long r = 0;
        long mask = (1L << laneBits) - 1;
        for (int s = 0; s < 64; s += laneBits) {
            long x = (a >>> s) & mask;
            long y = (b >>> s) & mask;
            r |= ((subtract ? x - y : x + y) & mask) << s;
        }
        return r;
    }

    /** Lane-wise equality (all ones where equal). */
    static long equalLanes(long a, long b, int laneBits) {
        long r = 0;
        long mask = laneBits == 64 ? -1L : (1L << laneBits) - 1;
        for (int s = 0; s < 64; s += laneBits) {
            if (((a >>> s) & mask) == ((b >>> s) & mask)) {
                r |= mask << s;
            }
        }
        return r;
    }
}
