/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv.mmu;

/** Page-table entry bits (Sv39/48/57 and the G-stage x4 variants share them). */
public final class Pte {
    private Pte() {
    }

    public static final long V = 1;
    public static final long R = 2;
    public static final long W = 4;
    public static final long X = 8;
    public static final long U = 16;
    public static final long G = 32;
    public static final long A = 64;
    public static final long D = 128;
    public static final long RWX = R | W | X;
    public static final long PPN_MASK = ((1L << 44) - 1) << 10;
    /** Bits 63:54 (N, PBMT, reserved): must be zero without Svnapot/Svpbmt. */
    public static final long RESERVED = ~((1L << 54) - 1);

    public static long ppn(long pte) {
        return (pte & PPN_MASK) >>> 10;
    }

    /** Permission letters like {@code rwxu g ad}. */
    public static String describe(long bits) {
        StringBuilder sb = new StringBuilder();
        sb.append((bits & R) != 0 ? 'r' : '-').append((bits & W) != 0 ? 'w' : '-').append((bits & X) != 0 ? 'x' : '-')
                .append((bits & U) != 0 ? 'u' : '-');
        return sb.toString();
    }
}
