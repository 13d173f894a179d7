/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.ext;

import java.nio.charset.StandardCharsets;

/**
 * Reads a {@code qHvdbg} reply body written by {@link WireWriter} (already unescaped by the
 * frame decoder). Truncated or over-long data raises {@link WireFormatException}.
 */
public final class WireReader {
    private final byte[] data;
    private int pos;
    private final int end;

    public WireReader(byte[] data, int offset, int length) {
        this.data = data;
        this.pos = offset;
        this.end = offset + length;
    }

    public boolean atEnd() {
        return pos >= end;
    }

    public int position() {
        return pos;
    }

    public long varint() {
        long v = 0;
        int shift = 0;
        while (true) {
            if (pos >= end) {
                throw new WireFormatException("reply ends inside a number");
            }
            byte b = data[pos++];
            if (shift > 63) {
                throw new WireFormatException("number longer than 64 bits");
            }
            v |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return v;
            }
            shift += 7;
        }
    }

    public long signed() {
        long v = varint();
        return (v >>> 1) ^ -(v & 1);
    }

    public int varintInt() {
        long v = varint();
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw new WireFormatException("count " + v + " out of range");
        }
        return (int) v;
    }

    /** A count of items that each take at least one byte: bounded by what is left. */
    public int count() {
        int n = varintInt();
        if (n > end - pos) {
            throw new WireFormatException("count " + n + " exceeds the " + (end - pos) + " bytes left");
        }
        return n;
    }

    public boolean bool() {
        return varint() != 0;
    }

    public String string() {
        int n = varintInt();
        if (n > end - pos) {
            throw new WireFormatException("string of " + n + " bytes exceeds the reply");
        }
        String s = new String(data, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }
}
