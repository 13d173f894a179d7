/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv.cpu;

/**
 * F and D instructions other than loads and stores (OP-FP and the fused multiply-adds), on the
 * raw register bits of a {@link Hart}. Arithmetic rounds to nearest-even (Java's only mode);
 * conversions to integers honour the rounding mode. Exception flags: NV and DZ exactly, NX for
 * conversions.
 */
final class Fpu {
    private Fpu() {
    }

    private static final int NX = 1;
    private static final int OF = 4;
    private static final int DZ = 8;
    private static final int NV = 16;
    private static final int CANONICAL_NAN_S = 0x7FC00000;
    private static final long CANONICAL_NAN_D = 0x7FF8000000000000L;
    private static final long BOX = 0xFFFF_FFFF_0000_0000L;

    private static float s(long bits) {
        return (bits & BOX) == BOX ? Float.intBitsToFloat((int) bits) : Float.intBitsToFloat(CANONICAL_NAN_S);
    }

    private static int sBits(long bits) {
        return (bits & BOX) == BOX ? (int) bits : CANONICAL_NAN_S;
    }

    private static long box(float f) {
        return BOX | (Float.isNaN(f) ? CANONICAL_NAN_S : Float.floatToRawIntBits(f)) & 0xFFFF_FFFFL;
    }

    private static long boxRaw(int bits) {
        return BOX | (bits & 0xFFFF_FFFFL);
    }

    private static long dBits(double d) {
        return Double.isNaN(d) ? CANONICAL_NAN_D : Double.doubleToRawLongBits(d);
    }

    private static boolean snanS(int b) {
        return (b & 0x7F800000) == 0x7F800000 && (b & 0x7FFFFF) != 0 && (b & 0x400000) == 0;
    }

    private static boolean snanD(long b) {
        return (b & 0x7FF0000000000000L) == 0x7FF0000000000000L && (b & 0xFFFFFFFFFFFFFL) != 0
                && (b & 0x8000000000000L) == 0;
    }

    /** Executes one OP-FP or FMA instruction; false if it is illegal (bad rounding mode). */
    static boolean execute(Hart h, int raw) {
        int opcode = raw & 0x7F;
        int rd = (raw >>> 7) & 31;
        int rm = (raw >>> 12) & 7;
        int rs1 = (raw >>> 15) & 31;
        int rs2 = (raw >>> 20) & 31;
        int f7 = raw >>> 25;
        boolean dbl = (f7 & 1) != 0;
        if (rm == 7) {
            rm = h.frm;
        }
        long[] f = h.f;
        long[] x = h.x;
        if (opcode != 0x53) {
            if (rm > 4) {
                return false;
            }
            int rs3 = raw >>> 27;
            boolean negProduct = opcode == 0x4B || opcode == 0x4F;
            boolean negAddend = opcode == 0x47 || opcode == 0x4F;
            if (dbl) {
                double a = Double.longBitsToDouble(f[rs1]);
                double b = Double.longBitsToDouble(f[rs2]);
                double c = Double.longBitsToDouble(f[rs3]);
                if (snanD(f[rs1]) || snanD(f[rs2]) || snanD(f[rs3])
                        || (Double.isInfinite(a) && b == 0) || (Double.isInfinite(b) && a == 0)) {
                    h.fflags |= NV;
                }
                double r = Math.fma(negProduct ? -a : a, b, negAddend ? -c : c);
                f[rd] = dBits(r);
            } else {
                float a = s(f[rs1]);
                float b = s(f[rs2]);
                float c = s(f[rs3]);
                if (snanS(sBits(f[rs1])) || snanS(sBits(f[rs2])) || snanS(sBits(f[rs3]))
                        || (Float.isInfinite(a) && b == 0) || (Float.isInfinite(b) && a == 0)) {
                    h.fflags |= NV;
                }
                f[rd] = box(Math.fma(negProduct ? -a : a, b, negAddend ? -c : c));
            }
            h.fpDirty();
            return true;
        }
        int f5 = f7 >>> 2;
        switch (f5) {
            case 0x00, 0x01, 0x02, 0x03, 0x0B -> {
                if (rm > 4) {
                    return false;
                }
                if (dbl) {
                    double a = Double.longBitsToDouble(f[rs1]);
                    double b = Double.longBitsToDouble(f[rs2]);
                    if (snanD(f[rs1]) || (f5 != 0x0B && snanD(f[rs2]))) {
                        h.fflags |= NV;
                    }
                    double r = switch (f5) {
                        case 0x00 -> a + b;
                        case 0x01 -> a - b;
                        case 0x02 -> a * b;
                        case 0x03 -> a / b;
                        default -> Math.sqrt(a);
                    };
                    flagsFor(h, f5, a, b, r);
                    f[rd] = dBits(r);
                } else {
                    float a = s(f[rs1]);
                    float b = s(f[rs2]);
                    if (snanS(sBits(f[rs1])) || (f5 != 0x0B && snanS(sBits(f[rs2])))) {
                        h.fflags |= NV;
                    }
                    float r = switch (f5) {
                        case 0x00 -> a + b;
                        case 0x01 -> a - b;
                        case 0x02 -> a * b;
                        case 0x03 -> a / b;
                        default -> (float) Math.sqrt(a);
                    };
                    flagsFor(h, f5, a, b, r);
                    f[rd] = box(r);
                }
            }
            case 0x04 -> {
                if (dbl) {
                    long a = f[rs1];
                    long b = f[rs2];
                    long sign = switch (rm) {
                        case 0 -> b & Long.MIN_VALUE;
                        case 1 -> ~b & Long.MIN_VALUE;
                        case 2 -> (a ^ b) & Long.MIN_VALUE;
                        default -> -1;
                    };
                    if (rm > 2) {
                        return false;
                    }
                    f[rd] = (a & Long.MAX_VALUE) | sign;
                } else {
                    int a = sBits(f[rs1]);
                    int b = sBits(f[rs2]);
                    if (rm > 2) {
                        return false;
                    }
                    int sign = switch (rm) {
                        case 0 -> b & Integer.MIN_VALUE;
                        case 1 -> ~b & Integer.MIN_VALUE;
                        default -> (a ^ b) & Integer.MIN_VALUE;
                    };
                    f[rd] = boxRaw((a & Integer.MAX_VALUE) | sign);
                }
            }
            case 0x05 -> {
                if (rm > 1) {
                    return false;
                }
                boolean max = rm == 1;
                if (dbl) {
                    double a = Double.longBitsToDouble(f[rs1]);
                    double b = Double.longBitsToDouble(f[rs2]);
                    if (snanD(f[rs1]) || snanD(f[rs2])) {
                        h.fflags |= NV;
                    }
                    double r = Double.isNaN(a) ? b : Double.isNaN(b) ? a : max ? Math.max(a, b) : Math.min(a, b);
                    f[rd] = dBits(r);
                } else {
                    float a = s(f[rs1]);
                    float b = s(f[rs2]);
                    if (snanS(sBits(f[rs1])) || snanS(sBits(f[rs2]))) {
                        h.fflags |= NV;
                    }
                    float r = Float.isNaN(a) ? b : Float.isNaN(b) ? a : max ? Math.max(a, b) : Math.min(a, b);
                    f[rd] = box(r);
                }
            }
            case 0x08 -> {
                if (dbl && rs2 == 0) {
                    if (snanS(sBits(f[rs1]))) {
                        h.fflags |= NV;
                    }
                    f[rd] = dBits(s(f[rs1]));
                } else if (!dbl && rs2 == 1) {
                    double a = Double.longBitsToDouble(f[rs1]);
                    if (snanD(f[rs1])) {
                        h.fflags |= NV;
                    }
                    float r = (float) a;
                    if (!Double.isNaN(a) && r != a) {
                        h.fflags |= NX;
                    }
                    f[rd] = box(r);
                } else {
                    return false;
                }
            }
            case 0x14 -> {
                boolean nan;
                boolean snan;
                int cmp;
                if (dbl) {
                    double a = Double.longBitsToDouble(f[rs1]);
                    double b = Double.longBitsToDouble(f[rs2]);
                    nan = Double.isNaN(a) || Double.isNaN(b);
                    snan = snanD(f[rs1]) || snanD(f[rs2]);
                    cmp = a < b ? -1 : a == b ? 0 : 1;
                } else {
                    float a = s(f[rs1]);
                    float b = s(f[rs2]);
                    nan = Float.isNaN(a) || Float.isNaN(b);
                    snan = snanS(sBits(f[rs1])) || snanS(sBits(f[rs2]));
                    cmp = a < b ? -1 : a == b ? 0 : 1;
                }
                long r;
                switch (rm) {
                    case 2 -> { r = !nan && cmp == 0 ? 1 : 0; if (snan) { h.fflags |= NV; } }
                    case 1 -> { r = !nan && cmp < 0 ? 1 : 0; if (nan) { h.fflags |= NV; } }
                    case 0 -> { r = !nan && cmp <= 0 ? 1 : 0; if (nan) { h.fflags |= NV; } }
                    default -> { return false; }
                }
                x[rd == 0 ? Op.SINK : rd] = r;
            }
            case 0x18 -> {
                if (rm > 4 || rs2 > 3) {
                    return false;
                }
                double a = dbl ? Double.longBitsToDouble(f[rs1]) : s(f[rs1]);
                x[rd == 0 ? Op.SINK : rd] = toInteger(h, a, rs2, rm);
            }
            case 0x1A -> {
                if (rm > 4 || rs2 > 3) {
                    return false;
                }
                long v = x[rs1];
                if (dbl) {
                    double r = switch (rs2) {
                        case 0 -> (int) v;
                        case 1 -> (double) (v & 0xFFFF_FFFFL);
                        case 2 -> (double) v;
                        default -> unsignedToDouble(v);
                    };
                    f[rd] = dBits(r);
                } else {
                    float r = switch (rs2) {
                        case 0 -> (float) (int) v;
                        case 1 -> (float) (v & 0xFFFF_FFFFL);
                        case 2 -> (float) v;
                        default -> (float) unsignedToDouble(v);
                    };
                    f[rd] = box(r);
                }
            }
            case 0x1C -> {
                if (rs2 != 0) {
                    return false;
                }
                long r;
                if (rm == 0) {
                    r = dbl ? f[rs1] : (long) (int) f[rs1];
                } else if (rm == 1) {
                    r = dbl ? classify(Double.longBitsToDouble(f[rs1]), snanD(f[rs1]))
                            : classify(s(f[rs1]), snanS(sBits(f[rs1])));
                } else {
                    return false;
                }
                x[rd == 0 ? Op.SINK : rd] = r;
                return true; // reads only: FS unchanged
            }
            case 0x1E -> {
                if (rs2 != 0 || rm != 0) {
                    return false;
                }
                f[rd] = dbl ? x[rs1] : boxRaw((int) x[rs1]);
            }
            default -> {
                return false;
            }
        }
        h.fpDirty();
        return true;
    }

    private static void flagsFor(Hart h, int f5, double a, double b, double r) {
        if (Double.isNaN(r) && !Double.isNaN(a) && !Double.isNaN(b)) {
            h.fflags |= NV;
        } else if (f5 == 0x03 && b == 0 && !Double.isNaN(a) && !Double.isInfinite(a) && a != 0) {
            h.fflags |= DZ;
        } else if (Double.isInfinite(r) && !Double.isInfinite(a) && !Double.isInfinite(b)) {
            h.fflags |= OF | NX;
        }
    }

    private static double unsignedToDouble(long v) {
        if (v >= 0) {
            return v;
        }
        double d = (double) ((v >>> 1) | (v & 1));
        return d * 2;
    }

    private static double round(double a, int rm) {
        return switch (rm) {
            case 0 -> Math.rint(a);
            case 1 -> a < 0 ? Math.ceil(a) : Math.floor(a);
            case 2 -> Math.floor(a);
            case 3 -> Math.ceil(a);
            default -> a < 0 ? -Math.floor(-a + 0.5) : Math.floor(a + 0.5);
        };
    }

    /** fcvt.{w,wu,l,lu}: kind 0 w, 1 wu, 2 l, 3 lu; results of w/wu are sign-extended. */
    private static long toInteger(Hart h, double a, int kind, int rm) {
        if (Double.isNaN(a)) {
            h.fflags |= NV;
            return switch (kind) {
                case 0 -> Integer.MAX_VALUE;
                case 1 -> -1L;
                case 2 -> Long.MAX_VALUE;
                default -> -1L;
            };
        }
        double r = round(a, rm);
        double min = switch (kind) {
            case 0 -> Integer.MIN_VALUE;
            case 2 -> -9.223372036854775808E18;
            default -> 0;
        };
        double maxExclusive = switch (kind) {
            case 0 -> 2147483648.0;
            case 1 -> 4294967296.0;
            case 2 -> 9.223372036854775808E18;
            default -> 1.8446744073709551616E19;
        };
        if (r < min) {
            h.fflags |= NV;
            return switch (kind) {
                case 0 -> Integer.MIN_VALUE;
                case 2 -> Long.MIN_VALUE;
                default -> 0;
            };
        }
        if (r >= maxExclusive) {
            h.fflags |= NV;
            return switch (kind) {
                case 0 -> Integer.MAX_VALUE;
                case 1 -> -1L;
                case 2 -> Long.MAX_VALUE;
                default -> -1L;
            };
        }
        if (r != a) {
            h.fflags |= NX;
        }
        return switch (kind) {
            case 0 -> (int) r;
            case 1 -> (int) (long) r;
            case 2 -> (long) r;
            default -> r >= 9.223372036854775808E18 ? (long) (r - 9.223372036854775808E18) ^ Long.MIN_VALUE : (long) r;
        };
    }

    private static long classify(double v, boolean snan) {
        if (Double.isNaN(v)) {
            return snan ? 1 << 8 : 1 << 9;
        }
        boolean neg = v < 0 || (v == 0 && 1 / v < 0);
        if (Double.isInfinite(v)) {
            return neg ? 1 : 1 << 7;
        }
        if (v == 0) {
            return neg ? 1 << 3 : 1 << 4;
        }
        boolean sub = Math.abs(v) < Double.MIN_NORMAL;
        return neg ? (sub ? 1 << 2 : 1 << 1) : (sub ? 1 << 5 : 1 << 6);
    }

    private static long classify(float v, boolean snan) {
        if (Float.isNaN(v)) {
            return snan ? 1 << 8 : 1 << 9;
        }
        boolean neg = v < 0 || (v == 0 && 1 / v < 0);
        if (Float.isInfinite(v)) {
            return neg ? 1 : 1 << 7;
        }
        if (v == 0) {
            return neg ? 1 << 3 : 1 << 4;
        }
        boolean sub = Math.abs(v) < Float.MIN_NORMAL;
        return neg ? (sub ? 1 << 2 : 1 << 1) : (sub ? 1 << 5 : 1 << 6);
    }
}
