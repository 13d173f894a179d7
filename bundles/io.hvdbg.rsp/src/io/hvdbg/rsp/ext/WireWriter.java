/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.ext;

import java.nio.charset.StandardCharsets;

import io.hvdbg.rsp.codec.PacketBuffer;

/**
 * Writes the compact binary body of {@code qHvdbg} replies straight into a packet, escaped
 * for the wire: unsigned LEB128 varints (7 bits per byte, low first - the encoding
 * {@link io.hvdbg.core.exit.ExitTrace} stores records in), zig-zag for signed values,
 * strings as a varint byte length plus UTF-8.
 */
public final class WireWriter {
    private PacketBuffer out;

    public WireWriter(PacketBuffer out) {
        this.out = out;
    }

    public WireWriter target(PacketBuffer b) {
        this.out = b;
        return this;
    }

    public PacketBuffer buffer() {
        return out;
    }

    public WireWriter varint(long v) {
        PacketBuffer o = out;
        while ((v & ~0x7FL) != 0) {
            o.appendEscaped((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        o.appendEscaped((int) v);
        return this;
    }

    public WireWriter signed(long v) {
        return varint((v << 1) ^ (v >> 63));
    }

    public WireWriter bool(boolean b) {
        return varint(b ? 1 : 0);
    }

    public WireWriter string(String s) {
        byte[] b = (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
        varint(b.length);
        out.appendEscaped(b, 0, b.length);
        return this;
    }
}
