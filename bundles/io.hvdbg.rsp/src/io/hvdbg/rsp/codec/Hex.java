/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.codec;

import java.nio.charset.StandardCharsets;

/** Hex digits as the remote protocol writes them: lower case out, either case in. */
public final class Hex {
    static final byte[] DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] VALUES = new byte[256];

    static {
        java.util.Arrays.fill(VALUES, (byte) -1);
        for (int i = 0; i < 10; i++) {
            VALUES['0' + i] = (byte) i;
        }
        for (int i = 0; i < 6; i++) {
            VALUES['a' + i] = (byte) (10 + i);
            VALUES['A' + i] = (byte) (10 + i);
        }
    }

    private Hex() {
    }

    /** Value of a hex digit, or -1. */
    public static int value(int c) {
        return VALUES[c & 0xFF];
    }

    public static boolean isDigit(int c) {
        return VALUES[c & 0xFF] >= 0;
    }

    /** Lower-case hex digit of a nibble. */
    public static byte digit(int nibble) {
        return DIGITS[nibble & 0xF];
    }

    /** Hex text of the UTF-8 bytes of a string (qRcmd commands, O packets). */
    public static String encodeText(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(b.length * 2);
        for (byte x : b) {
            sb.append((char) DIGITS[(x >> 4) & 0xF]).append((char) DIGITS[x & 0xF]);
        }
        return sb.toString();
    }

    /** Decodes hex text into bytes; null if the length is odd or a digit is not hex. */
    public static byte[] decode(CharSequence hex) {
        int n = hex.length();
        if ((n & 1) != 0) {
            return null;
        }
        byte[] out = new byte[n / 2];
        for (int i = 0; i < n; i += 2) {
            int hi = value(hex.charAt(i));
            int lo = value(hex.charAt(i + 1));
            if (hi < 0 || lo < 0 || hex.charAt(i) > 0xFF || hex.charAt(i + 1) > 0xFF) {
                return null;
            }
            out[i / 2] = (byte) ((hi << 4) | lo);
        }
        return out;
    }

    /** Decodes hex text into a UTF-8 string; null if it is not hex. */
    public static String decodeText(CharSequence hex) {
        byte[] b = decode(hex);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }
}
