/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Little-endian loads and stores on byte arrays through VarHandles (intrinsified, no bounds games). */
public final class LittleEndian {
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private LittleEndian() {
    }

    public static int getU8(byte[] a, int off) {
        return a[off] & 0xFF;
    }

    public static int getU16(byte[] a, int off) {
        return (short) SHORT.get(a, off) & 0xFFFF;
    }

    public static int getI32(byte[] a, int off) {
        return (int) INT.get(a, off);
    }

    public static long getU32(byte[] a, int off) {
        return ((int) INT.get(a, off)) & 0xFFFF_FFFFL;
    }

    public static long getI64(byte[] a, int off) {
        return (long) LONG.get(a, off);
    }

    public static void putU8(byte[] a, int off, int v) {
        a[off] = (byte) v;
    }

    public static void putU16(byte[] a, int off, int v) {
        SHORT.set(a, off, (short) v);
    }

    public static void putI32(byte[] a, int off, int v) {
        INT.set(a, off, v);
    }

    public static void putI64(byte[] a, int off, long v) {
        LONG.set(a, off, v);
    }

    /** Loads {@code size} (1, 2, 4 or 8) bytes, zero-extended. */
    public static long get(byte[] a, int off, int size) {
        return switch (size) {
            case 1 -> a[off] & 0xFFL;
            case 2 -> getU16(a, off);
            case 4 -> getU32(a, off);
            case 8 -> getI64(a, off);
            default -> throw new IllegalArgumentException("access size " + size);
        };
    }

    /** Stores the low {@code size} (1, 2, 4 or 8) bytes of {@code v}. */
    public static void put(byte[] a, int off, int size, long v) {
        switch (size) {
            case 1 -> a[off] = (byte) v;
            case 2 -> putU16(a, off, (int) v);
            case 4 -> putI32(a, off, (int) v);
            case 8 -> putI64(a, off, v);
            default -> throw new IllegalArgumentException("access size " + size);
        }
    }
}
