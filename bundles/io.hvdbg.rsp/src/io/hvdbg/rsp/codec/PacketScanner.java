/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.codec;

import java.nio.charset.StandardCharsets;

/**
 * Reads the fields of a received packet: hex numbers, separators, hex data, binary data.
 * Every read checks its input and throws {@link MalformedPacketException} naming the packet
 * and what was expected, never an index or number-format exception.
 */
public final class PacketScanner {
    private byte[] data;
    private int length;
    private int pos;

    public PacketScanner() {
        this(new byte[0], 0);
    }

    public PacketScanner(byte[] data, int length) {
        reset(data, length);
    }

    public static PacketScanner of(String packet) {
        byte[] b = packet.getBytes(StandardCharsets.ISO_8859_1);
        return new PacketScanner(b, b.length);
    }

    /** Points the scanner at a new packet (the array is used, not copied). */
    public PacketScanner reset(byte[] data, int length) {
        this.data = data;
        this.length = length;
        this.pos = 0;
        return this;
    }

    public int position() {
        return pos;
    }

    public void position(int p) {
        if (p < 0 || p > length) {
            throw new IndexOutOfBoundsException(p);
        }
        pos = p;
    }

    public int length() {
        return length;
    }

    public int remaining() {
        return length - pos;
    }

    public boolean atEnd() {
        return pos >= length;
    }

    public byte[] array() {
        return data;
    }

    /** The next byte without consuming it, or -1 at the end. */
    public int peek() {
        return pos < length ? data[pos] & 0xFF : -1;
    }

    public int next() {
        if (pos >= length) {
            throw error("packet ends early");
        }
        return data[pos++] & 0xFF;
    }

    public void skip(int n) {
        if (n > remaining()) {
            throw error("packet ends early");
        }
        pos += n;
    }

    /** Consumes {@code c} if it is next. */
    public boolean accept(int c) {
        if (pos < length && (data[pos] & 0xFF) == c) {
            pos++;
            return true;
        }
        return false;
    }

    /** Consumes the ASCII prefix if it is next. */
    public boolean accept(String prefix) {
        int n = prefix.length();
        if (length - pos < n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if ((data[pos + i] & 0xFF) != prefix.charAt(i)) {
                return false;
            }
        }
        pos += n;
        return true;
    }

    /** Consumes {@code c} or fails. */
    public void expect(int c) {
        if (!accept(c)) {
            throw error("expected '" + (char) c + "'" + (atEnd() ? " but the packet ends" : " at offset " + pos));
        }
    }

    public void expectEnd() {
        if (!atEnd()) {
            throw error("unexpected data after offset " + pos);
        }
    }

    /** An unsigned hex number of at most 64 bits (at least one digit). */
    public long hex() {
        int start = pos;
        long v = 0;
        while (pos < length) {
            int d = Hex.value(data[pos]);
            if (d < 0) {
                break;
            }
            if ((v >>> 60) != 0) {
                throw error("hex number longer than 64 bits at offset " + start);
            }
            v = (v << 4) | d;
            pos++;
        }
        if (pos == start) {
            throw error("expected a hex number" + (atEnd() ? " but the packet ends" : " at offset " + start));
        }
        return v;
    }

    /** A hex number that must fit an int (lengths, register numbers). */
    public int hexInt() {
        int start = pos;
        long v = hex();
        if (v > Integer.MAX_VALUE) {
            throw error("number 0x" + Long.toHexString(v) + " at offset " + start + " is too large");
        }
        return (int) v;
    }

    /** A signed hex number: "-1" or a plain hex value. */
    public long signedHex() {
        if (accept('-')) {
            return -hex();
        }
        return hex();
    }

    /** Bytes up to (not including) {@code stop} or the end, as text; the stop byte is consumed. */
    public String until(int stop) {
        int start = pos;
        while (pos < length && (data[pos] & 0xFF) != stop) {
            pos++;
        }
        String s = new String(data, start, pos - start, StandardCharsets.ISO_8859_1);
        if (pos < length) {
            pos++;
        }
        return s;
    }

    /** The rest of the packet as text. */
    public String rest() {
        String s = new String(data, pos, length - pos, StandardCharsets.ISO_8859_1);
        pos = length;
        return s;
    }

    /** Decodes {@code count} bytes of hex data into {@code dst}. */
    public void hexBytes(byte[] dst, int off, int count) {
        if (remaining() < 2 * count) {
            throw error("expected " + count + " bytes of hex data, got " + remaining() / 2);
        }
        for (int i = 0; i < count; i++) {
            int hi = Hex.value(data[pos]);
            int lo = Hex.value(data[pos + 1]);
            if (hi < 0 || lo < 0) {
                throw error("bad hex digit at offset " + pos);
            }
            dst[off + i] = (byte) ((hi << 4) | lo);
            pos += 2;
        }
    }

    /** The rest of the packet as hex data. */
    public byte[] hexBytesToEnd() {
        if ((remaining() & 1) != 0) {
            throw error("hex data has an odd number of digits");
        }
        byte[] out = new byte[remaining() / 2];
        hexBytes(out, 0, out.length);
        return out;
    }

    /** The rest of the packet as raw (already unescaped) binary data. */
    public byte[] binaryToEnd() {
        byte[] out = new byte[remaining()];
        System.arraycopy(data, pos, out, 0, out.length);
        pos = length;
        return out;
    }

    /** The whole packet as text (for messages and logs). */
    public String text() {
        return new String(data, 0, length, StandardCharsets.ISO_8859_1);
    }

    public MalformedPacketException error(String what) {
        String t = length > 40 ? new String(data, 0, 40, StandardCharsets.ISO_8859_1) + "..." : text();
        StringBuilder clean = new StringBuilder();
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            clean.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return new MalformedPacketException("malformed packet '" + clean + "': " + what);
    }
}
