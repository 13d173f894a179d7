/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer that packet payloads are built in, with the remote protocol's
 * encodings: ASCII text, hex numbers, little-endian hex register values, hex data, and
 * escaped binary data. One instance is reused per connection, so building a reply allocates
 * nothing once the buffer has grown to its working size.
 */
public final class PacketBuffer {
    /** The byte that starts an escape; the escaped byte follows XORed with {@link #ESCAPE_XOR}. */
    public static final int ESCAPE = '}';
    public static final int ESCAPE_XOR = 0x20;

    private byte[] data;
    private int length;

    public PacketBuffer() {
        this(256);
    }

    public PacketBuffer(int initialCapacity) {
        data = new byte[Math.max(16, initialCapacity)];
    }

    public byte[] array() {
        return data;
    }

    public int length() {
        return length;
    }

    public boolean isEmpty() {
        return length == 0;
    }

    public PacketBuffer clear() {
        length = 0;
        return this;
    }

    /** Cuts the content back to {@code newLength} bytes. */
    public void truncate(int newLength) {
        if (newLength < 0 || newLength > length) {
            throw new IndexOutOfBoundsException(newLength);
        }
        length = newLength;
    }

    public byte get(int i) {
        return data[i];
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(data, length);
    }

    /** The content as ASCII/Latin-1 text (for tests and error messages). */
    public String asText() {
        return new String(data, 0, length, StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
        return asText();
    }

    /** Makes room for {@code extra} more bytes. */
    public void ensure(int extra) {
        int need = length + extra;
        if (need > data.length) {
            if (need < 0) {
                throw new OutOfMemoryError("packet buffer larger than 2 GiB");
            }
            data = Arrays.copyOf(data, Math.max(need, data.length * 2));
        }
    }

    public PacketBuffer append(int b) {
        if (length == data.length) {
            ensure(1);
        }
        data[length++] = (byte) b;
        return this;
    }

    public PacketBuffer append(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, data, length, len);
        length += len;
        return this;
    }

    public PacketBuffer append(byte[] b) {
        return append(b, 0, b.length);
    }

    /** Appends text; characters above 0xFF become '?'. */
    public PacketBuffer appendAscii(CharSequence s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            data[length++] = (byte) (c > 0xFF ? '?' : c);
        }
        return this;
    }

    /** Two hex digits of one byte. */
    public PacketBuffer appendHexByte(int b) {
        ensure(2);
        data[length++] = Hex.DIGITS[(b >> 4) & 0xF];
        data[length++] = Hex.DIGITS[b & 0xF];
        return this;
    }

    /** Two hex digits per byte. */
    public PacketBuffer appendHex(byte[] b, int off, int len) {
        ensure(2 * len);
        byte[] d = data;
        int p = length;
        for (int i = off, end = off + len; i < end; i++) {
            int x = b[i];
            d[p++] = Hex.DIGITS[(x >> 4) & 0xF];
            d[p++] = Hex.DIGITS[x & 0xF];
        }
        length = p;
        return this;
    }

    /** A value of {@code bytes} bytes in target (little-endian) byte order, two hex digits per byte. */
    public PacketBuffer appendHexLE(long value, int bytes) {
        ensure(2 * bytes);
        for (int i = 0; i < bytes; i++) {
            int x = i < 8 ? (int) (value >>> (8 * i)) : 0;
            data[length++] = Hex.DIGITS[(x >> 4) & 0xF];
            data[length++] = Hex.DIGITS[x & 0xF];
        }
        return this;
    }

    /** An unsigned number in hex with no leading zeros ("0" for zero), as in addresses and thread ids. */
    public PacketBuffer appendHexNumber(long value) {
        int digits = value == 0 ? 1 : (67 - Long.numberOfLeadingZeros(value)) / 4;
        ensure(digits);
        for (int i = digits - 1; i >= 0; i--) {
            data[length++] = Hex.DIGITS[(int) (value >>> (4 * i)) & 0xF];
        }
        return this;
    }

    /** Hex of the UTF-8 bytes of a string (monitor output, O packets). */
    public PacketBuffer appendHexText(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return appendHex(b, 0, b.length);
    }

    /** True for bytes that binary data must escape: '$', '#', '}' and '*' (the RLE marker). */
    public static boolean needsEscape(int b) {
        return b == '$' || b == '#' || b == '}' || b == '*';
    }

    /** One byte of binary data, escaped if needed. */
    public PacketBuffer appendEscaped(int b) {
        if (needsEscape(b & 0xFF)) {
            ensure(2);
            data[length++] = (byte) ESCAPE;
            data[length++] = (byte) (b ^ ESCAPE_XOR);
        } else {
            append(b);
        }
        return this;
    }

    /** Binary data, escaped. */
    public PacketBuffer appendEscaped(byte[] b, int off, int len) {
        ensure(len + (len >> 4) + 2);
        for (int i = off, end = off + len; i < end; i++) {
            int x = b[i];
            if (needsEscape(x & 0xFF)) {
                ensure(2 + end - i);
                data[length++] = (byte) ESCAPE;
                data[length++] = (byte) (x ^ ESCAPE_XOR);
            } else {
                if (length == data.length) {
                    ensure(1 + end - i);
                }
                data[length++] = (byte) x;
            }
        }
        return this;
    }

    /** Binary data of a whole other buffer, escaped. */
    public PacketBuffer appendEscaped(PacketBuffer b) {
        return appendEscaped(b.data, 0, b.length);
    }

    /**
     * An error reply {@code E.text} with the text made safe for every reader: characters that
     * frame, escape or run-length-encode packets, and non-printable ones, become spaces or '?'.
     */
    public PacketBuffer appendErrorText(String text) {
        appendAscii("E.");
        String t = text == null || text.isBlank() ? "error" : text;
        int n = Math.min(t.length(), 400);
        ensure(n);
        for (int i = 0; i < n; i++) {
            char c = t.charAt(i);
            if (c == '\n' || c == '\r' || c == '\t') {
                c = ' ';
            } else if (c < 0x20 || c > 0x7E || needsEscape(c)) {
                c = '?';
            }
            data[length++] = (byte) c;
        }
        return this;
    }

    /** True if the content equals the ASCII text. */
    public boolean contentEquals(String s) {
        if (s.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if ((data[i] & 0xFF) != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
